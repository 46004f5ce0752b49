# Every build compiles through Debian's ccache when it is installed: CI builds three workflows on a
# clean clone each time, and ccache's own directory (~/.cache/ccache, outside the clone) lets the
# next clone reuse them. A launcher the user set (-DCMAKE_CXX_COMPILER_LAUNCHER=...) wins.
option(PARBENCH_CCACHE "Compile through ccache when it is installed" ON)
if(PARBENCH_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(CCACHE_PROGRAM ccache)
  if(CCACHE_PROGRAM)
    # Hits must survive another clone path: BASEDIR makes the paths under the source tree (the
    # build trees are inside it) relative in what ccache hashes, and NOHASHDIR leaves out the
    # working directory that -g (Debug, RelWithDebInfo) would otherwise add. The price: a hit's
    # debug information names the directory of the clone that compiled it first.
    set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}
        CCACHE_NOHASHDIR=1 ${CCACHE_PROGRAM})
  endif()
endif()
