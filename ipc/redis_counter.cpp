// redis: the book's Redis counter (ex3), INCRBY on a key of a Redis server: the server applies each
// add atomically, one request and reply per add. Private server or --redis URL, as for the flag.
#include "ipc/redis_key.hpp"
#include "ipc/shared_counter.hpp"

namespace parbench::ipc {
namespace {

class RedisCounter final : public SharedCounter {
 public:
  explicit RedisCounter(const MechanismSettings& settings) : key_(settings, "counter") {
    // Reaches the server now: an unreachable one fails before anything runs. A worker that joins
    // the owner's key only reads it.
    if (key_.joined()) {
      key_.number();
    } else {
      reset();
    }
  }
  std::optional<JoinPoint> join_point() const override { return key_.join_point(); }
  void add(std::uint64_t k) override {
    key_.connection().command("INCRBY %s %llu", key_.name(), static_cast<unsigned long long>(k));
  }
  std::uint64_t value() override { return key_.number(); }
  void reset() override { key_.connection().command("SET %s 0", key_.name()); }

 private:
  RedisKey key_;
};

}  // namespace

CounterVariant redis_counter_variant() {
  return {{.name = "redis",
           .summary = "INCRBY of a key on a Redis server per add, hiredis (the book's ex3)",
           .need = Need::kServer,
           .create = make_from_settings<RedisCounter>,
           .availability = redis_availability},
          /*safe=*/true};
}

}  // namespace parbench::ipc
