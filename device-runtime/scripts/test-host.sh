#!/usr/bin/env bash
# Host tests of the kernel library: builds with AddressSanitizer + UBSan twice, once with the
# portable C path and once with the Cortex-M DSP path emulated in C, runs the kernel tests of
# both, and checks that both print the same case lines. The portable run's output is kept in
# BUILD_DIR/host-kernels.txt: the QEMU tests diff the firmware output against it.
# Usage: scripts/test-host.sh BUILD_DIR      (exit status non-zero on any failure)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: test-host.sh BUILD_DIR}
mkdir -p "$build"
build=$(cd "$build" && pwd)
jobs=${EDGEAMP_JOBS:-2}

run_variant() { # name, extra cmake args...
  local name=$1; shift
  local dir="$build/host-$name"
  cmake -S "$here" -B "$dir" -DEDGEAMP_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log"; echo "test-host: configure ($name) failed" >&2; exit 1; }
  cmake --build "$dir" -j "$jobs" >"$dir.build.log" 2>&1 \
    || { cat "$dir.build.log"; echo "test-host: build ($name) failed" >&2; exit 1; }
  local rc=0
  "$dir/test_kernels" >"$dir/kernels.txt" 2>&1 || rc=$?
  grep -v ' ok$' "$dir/kernels.txt" | grep -v '^case quantize' | head -n 40 || true
  if [ "$rc" -ne 0 ]; then
    echo "test-host: kernel tests ($name) failed with status $rc" >&2
    exit 1
  fi
}

mkdir -p "$build/host-portable" "$build/host-dsp-emulated"
run_variant portable
run_variant dsp-emulated -DEDGEAMP_EMULATE_DSP=ON
if ! diff -u "$build/host-portable/kernels.txt" "$build/host-dsp-emulated/kernels.txt" >"$build/host-diff.txt"; then
  head -n 40 "$build/host-diff.txt"
  echo "test-host: portable and DSP-path outputs differ" >&2
  exit 1
fi
cp "$build/host-portable/kernels.txt" "$build/host-kernels.txt"
echo "test-host: portable and emulated-DSP paths agree ($(grep -c '^case ' "$build/host-kernels.txt") cases)"
tail -n 1 "$build/host-kernels.txt"
