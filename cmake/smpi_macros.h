/* Forced after SimGrid's smpi_helpers.h in the smpi build (CMakeLists.txt). smpicxx turns exit()
   into the simulated rank's exit, but as a function-like macro it also rewrites every member
   called exit (CLI11's App::exit); parbench's ranks return from main instead. */
#undef exit
