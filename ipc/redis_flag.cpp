// redis: the book's Redis flag. A key on a Redis server, read with GET at every check and lowered
// with DEL; a raise keeps the smallest factor with one server-side script, so that two workers
// raising at once cannot lose the smaller value. Without --redis URL the server is a private one
// (ipc/redis_key.hpp).
#include "ipc/redis_key.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

// SET only when the key is unset or holds a larger number. Compared as decimal strings (shorter is
// smaller), because Lua's numbers are doubles and would round 64-bit values.
constexpr const char* kRaiseToMin =
    "local v = redis.call('GET', KEYS[1]) "
    "if (not v) or #ARGV[1] < #v or (#ARGV[1] == #v and ARGV[1] < v) then "
    "redis.call('SET', KEYS[1], ARGV[1]) end return 1";

class RedisFlag final : public StopFlag {
 public:
  explicit RedisFlag(const MechanismSettings& settings) : key_(settings, "stop") {
    // Reaches the server now: an unreachable one fails before anything runs. A worker that joins
    // the owner's key only reads it.
    if (key_.joined()) {
      key_.number();
    } else {
      reset();
    }
  }
  std::optional<JoinPoint> join_point() const override { return key_.join_point(); }

  void raise(std::uint64_t value) override {
    const std::string text = std::to_string(value);
    key_.connection().command("EVAL %s 1 %s %s", kRaiseToMin, key_.name(), text.c_str());
  }
  std::uint64_t value() override { return key_.number(); }
  void reset() override { key_.connection().command("DEL %s", key_.name()); }

 private:
  RedisKey key_;
};

}  // namespace

StopFlagVariant redis_flag_variant() {
  return {.name = "redis",
          .summary = "GET of a key on a Redis server per check, hiredis (the book's Redis flag)",
          .need = Need::kServer,
          .create = make_from_settings<RedisFlag>,
          .availability = redis_availability};
}

}  // namespace parbench::ipc
