#!/usr/bin/env bash
# Runs an aarch64 test binary under qemu-user: --run_under of --config=aarch64.
#   qemu_test.sh BINARY [ARGS...]
# The dynamic loader and libraries come from Debian's arm64 cross sysroot.
# REFIPC_EXEC_PREFIX tells tests that re-execute themselves how: this kernel
# has no binfmt_misc entry for aarch64, so an aarch64 binary is started
# through qemu, not by execve alone.
set -euo pipefail

QEMU=/usr/bin/qemu-aarch64-static
SYSROOT=/usr/aarch64-linux-gnu
if [ ! -x "$QEMU" ] || [ ! -d "$SYSROOT/lib" ]; then
  echo "qemu_test.sh: $QEMU or $SYSROOT missing; run platforms/setup --cross aarch64" >&2
  exit 1
fi
export QEMU_LD_PREFIX="$SYSROOT"
export REFIPC_EXEC_PREFIX="$QEMU"
# An aarch64 ELF executable (e_machine 0xb7) runs under qemu; anything else
# (the sh_test scripts) runs on the host as it is.
magic=$(od -An -tx1 -N4 "$1" | tr -d ' \n')
machine=$(od -An -tx1 -j18 -N2 "$1" | tr -d ' \n')
if [ "$magic" = 7f454c46 ] && [ "$machine" = b700 ]; then
  exec "$QEMU" "$@"
fi
exec "$@"
