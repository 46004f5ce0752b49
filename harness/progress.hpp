// Progress on stderr while a configuration is measured: rewritten in place on a terminal that
// understands it; elsewhere (TERM=dumb, a batch job's log) one plain line every 10 s or so, so that
// a long run shows it is alive without flooding the log.
#pragma once

#include <string>

namespace parbench {

class Progress {
 public:
  // Quiet: nothing at all (another process, the launcher or rank 0, shows the progress).
  explicit Progress(bool quiet);
  void show(const std::string& text);
  // Erases the line shown in place, so that what follows starts on a clean line.
  void clear();

 private:
  enum class Mode { kOff, kInPlace, kLines } mode_;
};

}  // namespace parbench
