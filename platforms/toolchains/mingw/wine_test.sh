#!/usr/bin/env bash
# Runs a Windows test binary under wine: --run_under of --config=mingw.
#   wine_test.sh BINARY [ARGS...]
# One wine prefix serves every test (default /tmp/refipc-wine-<uid>, override
# with WINEPREFIX). It is created on first use under a lock, so tests that
# start together do not race to create it.
set -euo pipefail

WINE=/usr/lib/wine/wine64
if [ ! -x "$WINE" ]; then
  echo "wine_test.sh: $WINE not found; run platforms/setup --cross mingw" >&2
  exit 1
fi
export WINEPREFIX="${WINEPREFIX:-/tmp/refipc-wine-$(id -u)}"
export WINEDEBUG="${WINEDEBUG:--all}"
# No Mono or Gecko (they would be downloaded): the tests need neither.
export WINEDLLOVERRIDES="mscoree,mshtml="

if [ ! -f "$WINEPREFIX/system.reg" ]; then
  mkdir -p "$(dirname "$WINEPREFIX")"
  (
    flock 9
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
      "$WINE" wineboot --init >/dev/null 2>&1 || true
      /usr/lib/wine/wineserver --wait || true
    fi
  ) 9>"$WINEPREFIX.lock"
fi
# gtest takes a path without a drive letter as relative: give it the Windows
# form of Bazel's XML report path (drive Z: is the Unix root in a wine prefix).
if [ -n "${XML_OUTPUT_FILE:-}" ]; then
  XML_OUTPUT_FILE="Z:${XML_OUTPUT_FILE//\//\\}"
  export XML_OUTPUT_FILE
fi
exec "$WINE" "$@"
