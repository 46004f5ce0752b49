#include "harness/backends/schedule.hpp"

#include <array>
#include <utility>

namespace parbench {
namespace {
constexpr std::array<std::pair<ScheduleKind, std::string_view>, 5> kNames{{
    {ScheduleKind::kStatic, "static"},
    {ScheduleKind::kCyclic, "cyclic"},
    {ScheduleKind::kDynamic, "dynamic"},
    {ScheduleKind::kQueue, "queue"},
    {ScheduleKind::kAuto, "auto"},
}};
}  // namespace

std::optional<ScheduleKind> schedule_from_name(std::string_view name) {
  for (const auto& [kind, text] : kNames) {
    if (text == name) return kind;
  }
  return std::nullopt;
}

std::string schedule_name(ScheduleKind kind) {
  for (const auto& [k, text] : kNames) {
    if (k == kind) return std::string(text);
  }
  return "?";
}

std::vector<std::string> schedule_names() {
  std::vector<std::string> names;
  for (const auto& entry : kNames) names.emplace_back(entry.second);
  return names;
}

std::string Schedule::name() const { return schedule_name(kind); }

}  // namespace parbench
