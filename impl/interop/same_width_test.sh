#!/usr/bin/env bash
# Same pointer width: a segment and a queue created by one process open and
# read back in another (under any config, e.g. --config=i386).
#   same_width_test.sh PEER
set -euo pipefail
peer="$1"
for kind in segment queue; do
  name="/refipc_same_width_${kind}_$$_${RANDOM}"
  trap '"$peer" remove "$kind" "$name"' EXIT
  "$peer" create "$kind" "$name"
  "$peer" open "$kind" "$name"
  "$peer" remove "$kind" "$name"
  trap - EXIT
done
echo "same width: segment and queue open and read back"
