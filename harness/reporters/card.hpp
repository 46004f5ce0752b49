// The one-screen answer of a run (`parbench report card`, the end of scripts/bench): what a thread,
// a process, a rank, a flag look, a locked add, a shared page or a queued chunk costs on each host
// of the CSVs given, side by side with the ratio to the first host, each figure with where it
// comes from, or "-" with the command that would measure it.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/records/csv_format.hpp"

namespace parbench {

struct CardFigure {
  std::string section;                        // "starting workers", ...
  std::string label;                          // "fork (processes)"
  std::string unit;                           // "ms", "us", "ns", "x", "%", "GB/s"
  std::vector<std::optional<double>> values;  // one per host of the card
  std::string source;  // where the figure comes from: "pi and primes rows: setup_s, median"
  std::string how;     // the command that measures it where it is missing
};

struct Card {
  std::vector<std::string> hosts;
  std::vector<CardFigure> figures;
};

Card make_card(const std::vector<CsvRow>& rows);
// At most 40 lines of 100 columns for up to three hosts.
void print_card(std::ostream& out, const Card& card);
// The same figures for the results page: {"hosts": [...], "figures": [{...}]}.
std::string card_json(const Card& card);

}  // namespace parbench
