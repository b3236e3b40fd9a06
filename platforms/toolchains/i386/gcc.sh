#!/usr/bin/env bash
# The i686-linux-gnu cross gcc for Bazel. The host's 64-bit glibc headers
# (/usr/include/x86_64-linux-gnu) would silently give 64-bit layouts (time_t,
# off_t, struct sizes) to 32-bit code: the cross gcc never searches them, and
# this wrapper refuses a command line (a --copt, an includes=) that adds them.
set -euo pipefail
for arg in "$@"; do
  case "$arg" in
    *include/x86_64-linux-gnu*)
      echo "gcc.sh: host-only headers on a 32-bit command line: $arg" >&2
      exit 1
      ;;
  esac
done
exec /usr/bin/i686-linux-gnu-gcc "$@"
