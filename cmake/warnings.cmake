# Project warnings as an INTERFACE target, so third-party headers and targets never see them.
add_library(parbench_warnings INTERFACE)
target_compile_options(parbench_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference
  # Omitted members of the designated initialisers we register backends with take their defaults.
  -Wno-missing-field-initializers
  $<$<BOOL:${PARBENCH_WERROR}>:-Werror>)
