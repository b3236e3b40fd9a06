#!/usr/bin/env bash
# A 32-bit and a 64-bit process on one managed segment or message queue:
# the opener must be refused with an error naming the pointer width, never
# read the other width's layout. Builds //impl/interop:peer twice (default
# config and --config=i386; Bazel 4.2.3 has no transition to build both for
# one test) and runs each against what the other created.
#   impl/interop/cross_width.sh [bazel flags...]
set -euo pipefail
cd "$(dirname "$0")/../.."

build() {  # build FLAGS... -> prints the peer's path
  bazel build "$@" //impl/interop:peer >&2
  echo "$(bazel info "$@" bazel-bin 2>/dev/null)/impl/interop/peer"
}
peer64="$(build "$@")"
peer32="$(build --config=i386 "$@")"
file -L "$peer32" | grep -q "ELF 32-bit" || { echo "not a 32-bit peer: $peer32" >&2; exit 1; }
file -L "$peer64" | grep -q "ELF 64-bit" || { echo "not a 64-bit peer: $peer64" >&2; exit 1; }

declare -A peer=([32]="$peer32" [64]="$peer64")
failures=0
check() {  # check CREATOR_BITS OPENER_BITS KIND EXPECTED_STATUS
  local name="/refipc_cross_width_${3}_$$_${RANDOM}"
  local err
  err="$(mktemp)"
  "${peer[$1]}" create "$3" "$name"
  local status=0
  "${peer[$2]}" open "$3" "$name" 2>"$err" || status=$?
  "${peer[$1]}" remove "$3" "$name"
  local what="$1-bit creates a $3, $2-bit opens it: status $status"
  if [ "$status" -eq "$4" ]; then
    echo "PASS: $what $(cat "$err")"
  else
    echo "FAIL: $what, expected $4 $(cat "$err")"
    failures=$((failures + 1))
  fi
  rm -f "$err"
}
for kind in segment queue; do
  check 64 32 "$kind" 3
  check 32 64 "$kind" 3
  check 32 32 "$kind" 0
  check 64 64 "$kind" 0
done
if [ "$failures" -ne 0 ]; then
  echo "cross width: $failures failed"
  exit 1
fi
echo "cross width: all passed"
