#!/usr/bin/env bash
# Same pointer width: a segment and a queue created by one process open and
# read back in another (under any config, e.g. --config=i386).
#   same_width_test.sh PEER
# REFIPC_EXEC_PREFIX, when set, is the emulator that starts the peer (see
# platforms/toolchains/aarch64/qemu_test.sh).
set -euo pipefail
peer="$1"
run() { ${REFIPC_EXEC_PREFIX:+"$REFIPC_EXEC_PREFIX"} "$peer" "$@"; }
for kind in segment queue; do
  name="/refipc_same_width_${kind}_$$_${RANDOM}"
  trap 'run remove "$kind" "$name"' EXIT
  run create "$kind" "$name"
  run open "$kind" "$name"
  run remove "$kind" "$name"
  trap - EXIT
done
echo "same width: segment and queue open and read back"
