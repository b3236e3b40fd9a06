#!/usr/bin/env bash
# MinGW-w64 gcc for Bazel. The PE linker appends ".exe" to an output name that
# has no extension, while Bazel expects the executable under the name it gave;
# after such a link, the file is moved to that name (wine runs it as it is).
set -euo pipefail
output=""
previous=""
for arg in "$@"; do
  [ "$previous" = "-o" ] && output="$arg"
  previous="$arg"
done
/usr/bin/x86_64-w64-mingw32-gcc-posix "$@"
if [ -n "$output" ] && [[ "${output##*/}" != *.* ]] && [ -f "$output.exe" ]; then
  mv -f "$output.exe" "$output"
fi
