// broker: the analogue of the book's Manager.Value as a stop flag. A server process owns the flag
// (ipc/broker.hpp); every raise, check and reset is a request and a reply over a Unix socket.
#include "ipc/broker.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

class BrokerFlag final : public StopFlag {
 public:
  void raise(std::uint64_t value) override { broker_.ask(Broker::Op::kRaiseToMin, value); }
  std::uint64_t value() override { return broker_.ask(Broker::Op::kGet); }
  void reset() override { broker_.ask(Broker::Op::kZero); }

 private:
  Broker broker_;
};

}  // namespace

StopFlagVariant broker_flag_variant() {
  return {"broker",
          "a server process owning the flag; a Unix-socket request per check (Manager.Value)",
          Need::kMadeBeforeStart, make_from_settings<BrokerFlag>};
}

}  // namespace parbench::ipc
