#!/bin/sh
# Configure and build into build/ (or $XD_BUILD_DIR). Extra arguments go to
# cmake's configure step, e.g. -DXD_SANITIZE=ON.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${XD_BUILD_DIR:-$top/build}
# Our own builds treat warnings as errors; a plain cmake build does not.
cmake -S "$top" -B "$dir" -DXD_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc 2>/dev/null || echo 2)"
