# Project warnings as an INTERFACE target, so third-party headers and targets never see them.
add_library(parbench_warnings INTERFACE)
target_compile_options(parbench_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual
  # GCC 12 at -O3 reports null dereferences and overlapping copies inside libstdc++'s and CLI11's
  # inlined string and stream code (istreambuf_iterator, basic_string growth): a dozen lines per
  # Release build with nothing of ours to fix. The -O2 builds (asan, with -Werror) keep both.
  $<IF:$<CONFIG:Release>,-Wno-restrict,-Wnull-dereference>
  # Omitted members of the designated initialisers we register backends with take their defaults.
  -Wno-missing-field-initializers
  $<$<BOOL:${PARBENCH_WERROR}>:-Werror>)
