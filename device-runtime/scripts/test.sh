#!/usr/bin/env bash
# Builds the device runtime with CMake and runs its C tests: on the host (sanitizers), then
# cross-compiled under QEMU Cortex-M machines. Called by Maven in the test phase.
# Usage: scripts/test.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/target}
mkdir -p "$build"
for step in test-host.sh test-qemu.sh; do
  if [ -x "$here/scripts/$step" ]; then
    echo "== device-runtime: $step"
    "$here/scripts/$step" "$build"
  fi
done
