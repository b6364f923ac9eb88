#!/usr/bin/env bash
# Kernel tests as firmware under QEMU: cross-builds tests/kernels for every machine (portable path
# on the Cortex-M3 and on Armv6-M: microbit, built for the M0+; DSP path on the M4/M7/M33/M55),
# runs it, and requires its output to equal the host output BUILD_DIR/host-kernels.txt line for
# line (same case hashes on every core, all cases ok).
# Called by scripts/test-qemu.sh (ports) after its own tests; runs test-host.sh first when the
# host output is missing.
# Usage: scripts/test-qemu-kernels.sh BUILD_DIR
# Environment: EDGEAMP_QEMU_MACHINES (default: all six), EDGEAMP_RUN_QEMU, EDGEAMP_JOBS.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: test-qemu-kernels.sh BUILD_DIR}
mkdir -p "$build"
build=$(cd "$build" && pwd)
read -r -a machines <<<"${EDGEAMP_QEMU_MACHINES:-mps2-an385 mps2-an386 mps2-an500 mps2-an505 mps3-an547 microbit}"
run_qemu=${EDGEAMP_RUN_QEMU:-$here/scripts/run-qemu.sh}
jobs=${EDGEAMP_JOBS:-2}

if [ ! -s "$build/host-kernels.txt" ]; then
  "$here/scripts/test-host.sh" "$build" || exit 1
fi

failures=0
for machine in "${machines[@]}"; do
  bd=$build/qemu-kernels/$machine
  rm -rf "$bd"
  mkdir -p "$bd"
  if ! cmake -S "$here" -B "$bd" -DCMAKE_TOOLCHAIN_FILE="$here/cmake/arm-none-eabi.cmake" \
       -DEDGEAMP_BOARD="$machine" -DEDGEAMP_PORT_TESTS=OFF >"$bd.configure.log" 2>&1; then
    tail -n 20 "$bd.configure.log"
    echo "FAIL [$machine]: kernel firmware configure"
    failures=$((failures + 1))
    continue
  fi
  if ! cmake --build "$bd" -j "$jobs" --target test_kernels >"$bd.build.log" 2>&1; then
    grep -E "error|Error" "$bd.build.log" | head -n 20
    echo "FAIL [$machine]: kernel firmware build"
    failures=$((failures + 1))
    continue
  fi
  rc=0
  "$run_qemu" "$machine" "$bd/test_kernels.elf" 120 </dev/null >"$bd/kernels.txt" 2>"$bd/qemu.stderr" || rc=$?
  tr -d '\r' <"$bd/kernels.txt" >"$bd/kernels.clean.txt"
  if [ "$rc" -ne 0 ]; then
    grep -v ' ok$' "$bd/kernels.clean.txt" | head -n 20
    cat "$bd/qemu.stderr"
    echo "FAIL [$machine]: kernel tests exited with $rc"
    failures=$((failures + 1))
  elif ! diff -u "$build/host-kernels.txt" "$bd/kernels.clean.txt" >"$bd/diff.txt"; then
    head -n 30 "$bd/diff.txt"
    echo "FAIL [$machine]: kernel outputs differ from the host ($bd/diff.txt)"
    failures=$((failures + 1))
  else
    echo "ok   [$machine]: $(grep -c '^case ' "$bd/kernels.clean.txt") kernel cases identical to the host; $(tail -n 1 "$bd/kernels.clean.txt")"
  fi
done
[ "$failures" = 0 ]
