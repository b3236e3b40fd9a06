#!/usr/bin/env bash
# Runs a 32-bit x86 test binary under qemu-i386-static: --run_under of
# --config=i386. The binaries are static, so no 32-bit libraries are needed.
# A process the test starts with exec runs without qemu-user (it has no
# binfmt_misc hand-off here); this kernel runs 32-bit x86 natively.
set -euo pipefail
QEMU=/usr/bin/qemu-i386-static
if [ ! -x "$QEMU" ]; then
  echo "qemu_test.sh: $QEMU not found; run platforms/setup --cross i386" >&2
  exit 1
fi
exec "$QEMU" "$@"
