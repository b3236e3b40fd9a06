#!/usr/bin/env bash
# `bazel run` target wrapper: runs a script of the repository from the
# workspace root (bazel run starts binaries in their runfiles tree).
#   in_workspace.sh SCRIPT [args...]
set -euo pipefail
cd "${BUILD_WORKSPACE_DIRECTORY:?run this through bazel run}"
script="$1"
shift
exec "$script" "$@"
