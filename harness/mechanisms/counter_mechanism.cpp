#include "harness/mechanisms/counter_mechanism.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace parbench {

std::uint64_t CounterMechanism::finish(std::uint64_t result, Measurements& measurements) {
  const std::uint64_t reached = counter_->value();
  result = counter_->added_in_all(result);
  // Read after value(): the owner's own read of a garbled file counts too.
  if (const std::uint64_t unparsable = counter_->unparsable_reads(); unparsable != 0)
    measurements.push_back({"unparsable_reads", static_cast<double>(unparsable)});
  if (reached > result) {  // no lock, or none, can invent adds
    throw std::logic_error(
        fmt::format("the {} counter reached {}, more than the {} the workers added", variant_.name,
                    reached, result));
  }
  // On every row through a counter, 0 included: the count table tells a count read from none.
  measurements.push_back({"lost_updates", static_cast<double>(result - reached)});
  return reached;
}

}  // namespace parbench
