// broker: the book's Manager.Value as a counter. A server process owns the count
// (ipc/broker.hpp); every add is a request and a reply over a Unix socket, and the server applies
// one request at a time, so no add is lost, at the price of a round trip per add.
#include "ipc/broker.hpp"
#include "ipc/shared_counter.hpp"

namespace parbench::ipc {
namespace {

class BrokerCounter final : public SharedCounter {
 public:
  void add(std::uint64_t k) override { broker_.ask(Broker::Op::kAdd, k); }
  std::uint64_t value() override { return broker_.ask(Broker::Op::kGet); }
  void reset() override { broker_.ask(Broker::Op::kZero); }

 private:
  Broker broker_;
};

}  // namespace

CounterVariant broker_counter_variant() {
  return {
      {"broker", "a server process owning the count; a Unix-socket request per add (Manager.Value)",
       Need::kMadeBeforeStart, make_from_settings<BrokerCounter>},
      /*safe=*/true};
}

}  // namespace parbench::ipc
