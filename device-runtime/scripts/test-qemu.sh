#!/usr/bin/env bash
# QEMU tests of the board ports and the firmware harness, on every supported machine:
#   1. cross-build device-runtime for the machine in a fresh CMake build dir under BUILD_DIR;
#   2. port_smoke: must print PASS and exit 0; UART, .data, heap bound, float/FPU/MVE, and the
#      SysTick timer (a 2n-instruction loop must measure 2n + constant, also across wraps);
#      run twice, output must be byte-identical (deterministic instruction counts);
#   3. fault firmware: division by zero and (FPU boards) float with CPACR off must print a
#      UsageFault report and exit 134 (EA_EXIT_FAULT_BASE + 6); on Armv6-M (microbit) an
#      unaligned word load must print a HardFault report and exit 131 (EA_EXIT_FAULT_BASE + 3);
#   4. edgeamp_harness_demo: drive the UART protocol (DESIGN.md "Firmware harness protocol") over
#      QEMU's stdio serial from a bash coprocess and check every reply, the demo model's outputs
#      (computed independently here) and that laps are identical within and across sessions;
#   5. on mps2-an386, scripts/profile-qemu.sh on port_smoke (counts add up, the loop dominates);
#   6. if present, scripts/test-qemu-kernels.sh BUILD_DIR (kernel outputs under QEMU vs host).
# Exits non-zero if anything fails. Usage: scripts/test-qemu.sh BUILD_DIR
# Environment: EDGEAMP_QEMU_MACHINES (subset of machines), EDGEAMP_JOBS (build jobs, default 2).
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
mkdir -p "$1"
build_root=$(cd "$1" && pwd)/qemu-ports
run_qemu=$here/scripts/run-qemu.sh
# EDGEAMP_QEMU_MACHINES="mps2-an386 ..." restricts the run to some machines (default: all six).
read -r -a machines <<<"${EDGEAMP_QEMU_MACHINES:-mps2-an385 mps2-an386 mps2-an500 mps2-an505 mps3-an547 microbit}"
jobs=${EDGEAMP_JOBS:-2}

failures=0
fail() { echo "FAIL [$machine]: $*"; failures=$((failures + 1)); }
pass() { echo "ok   [$machine]: $*"; }

for tool in cmake arm-none-eabi-gcc qemu-system-arm timeout; do
  if ! command -v "$tool" >/dev/null; then
    echo "test-qemu.sh: missing tool: $tool" >&2
    exit 1
  fi
done

# ---------------------------------------------------------------- build
build_machine() {
  local bd=$build_root/$machine
  rm -rf "$bd"
  if ! cmake -S "$here" -B "$bd" -DCMAKE_TOOLCHAIN_FILE="$here/cmake/arm-none-eabi.cmake" \
       -DEDGEAMP_BOARD="$machine" >"$build_root/$machine.configure.log" 2>&1; then
    fail "cmake configure (see $build_root/$machine.configure.log)"
    tail -20 "$build_root/$machine.configure.log"
    return 1
  fi
  if ! cmake --build "$bd" -j "$jobs" >"$build_root/$machine.build.log" 2>&1; then
    fail "build (see $build_root/$machine.build.log)"
    grep -E "error|Error" "$build_root/$machine.build.log" | head -20
    return 1
  fi
  pass "built ($(grep -c 'filename' "$build_root/$machine.build.log") ELFs)"
}

# ---------------------------------------------------------------- smoke
field() { # field KEY=VALUE-prefix from a line: field "counts" "$line"
  sed -n "s/.*$1=\([0-9a-fx]*\).*/\1/p" <<<"$2" | head -1
}

test_smoke() {
  local elf=$build_root/$machine/ports/port_smoke.elf out1 out2 rc1=0 rc2=0
  out1=$("$run_qemu" "$machine" "$elf" 30 </dev/null 2>&1) || rc1=$?
  out2=$("$run_qemu" "$machine" "$elf" 30 </dev/null 2>&1) || rc2=$?
  if [ "$rc1" != 0 ] || ! grep -q '^smoke: PASS' <<<"$out1"; then
    fail "port_smoke exit $rc1, output:"
    sed 's/^/    /' <<<"$out1"
    return
  fi
  pass "port_smoke PASS (UART, .data, heap bound, float, timer self-checks)"
  if [ "$rc2" != 0 ] || [ "$out1" != "$out2" ]; then
    fail "port_smoke not deterministic across two runs (exit $rc2):"
    diff <(echo "$out1") <(echo "$out2") | sed 's/^/    /'
  else
    pass "port_smoke output identical across two runs"
  fi
  grep -q "^smoke: board=$machine\$" <<<"$out1" || fail "board name is not $machine"

  local abi=hard res=40
  [ "$machine" = mps2-an385 ] && abi=soft
  [ "$machine" = microbit ] && abi=soft res=63   # 16 MHz SysTick: 62.5 instructions per tick
  [ "$machine" = mps3-an547 ] && res=32
  [ "$machine" = mps2-an505 ] && res=50
  grep -q "^smoke: float abi=$abi" <<<"$out1" || fail "expected float abi=$abi"
  grep -q '1.5\*3.25=0x409c0000 sqrtf(2)=0x3fb504f3 1/3=0x3fd5555555555555' <<<"$out1" \
    || fail "IEEE float results differ"
  if [ "$machine" = mps3-an547 ]; then
    grep -q '^smoke: mve 7\*7=49$' <<<"$out1" || fail "MVE check missing"
  fi
  grep -q "^smoke: timer unit=instructions resolution=$res\$" <<<"$out1" \
    || fail "timer must be SysTick/instructions with resolution $res"

  # Independent check of the timer scale: loop(1e6) - loop(1) = 2*(1e6-1) instructions,
  # within one tick of quantisation at each end.
  local c1 cM diff
  c1=$(field counts "$(grep '^smoke: loop n=1 ' <<<"$out1")")
  cM=$(field counts "$(grep '^smoke: loop n=1000000 ' <<<"$out1")")
  if [ -z "$c1" ] || [ -z "$cM" ] || [ "$c1" -le 0 ]; then
    fail "timer counts missing or zero (n=1: '$c1', n=1e6: '$cM')"
    return
  fi
  diff=$((cM - c1 - 1999998))
  if [ "${diff#-}" -gt $((2 * res)) ]; then
    fail "timer scale: loop of 1999998 instructions measured $((cM - c1))"
  else
    pass "timer: 2e6-instruction loop measured $((cM - c1)) (+-$((2 * res))), overhead $c1"
  fi
}

# ---------------------------------------------------------------- faults
test_fault() { # test_fault NAME CFSR  (CFSR "-": Armv6-M HardFault, which has no status registers)
  local elf=$build_root/$machine/ports/$1.elf out rc=0 want_rc=134 want="UsageFault .*cfsr=$2"
  [ -f "$elf" ] || return 0
  [ "$2" = - ] && want_rc=131 want="HardFault exception=0x00000003 pc="
  out=$("$run_qemu" "$machine" "$elf" 30 </dev/null 2>&1) || rc=$?
  if [ "$rc" = "$want_rc" ] && grep -q "^\*\*\* FAULT: $want" <<<"$out"; then
    pass "$1: ${want%% *} reported, exit $rc"
  else
    fail "$1: expected '$want' and exit $want_rc, got exit $rc:"
    sed 's/^/    /' <<<"$out"
  fi
}

# ---------------------------------------------------------------- harness driver
# The firmware's console is QEMU's stdio (-nographic); a coprocess gives us both pipe ends.
H_IN=; H_OUT=; H_PID=
REPLY_LINES=()

h_start() {
  local elf=$build_root/$machine/ports/harness/edgeamp_harness_demo.elf
  coproc HARNESS { exec "$run_qemu" "$machine" "$elf" 60 2>"$build_root/$machine.harness.stderr"; }
  H_OUT=${HARNESS[0]}
  H_IN=${HARNESS[1]}
  H_PID=$HARNESS_PID
}

h_stop() {
  # Ctrl-A x is QEMU's "exit" key in the -nographic stdio multiplexer: a clean shutdown.
  printf '\001x' >&"$H_IN" 2>/dev/null || true
  local i
  for i in $(seq 1 50); do
    kill -0 "$H_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$H_PID" 2>/dev/null; then
    kill "$H_PID" 2>/dev/null || true # run-qemu.sh's timeout then stops QEMU
  fi
  wait "$H_PID" 2>/dev/null || true
}

# Reads reply lines until "m-ready" (or 20 s of silence). Fills REPLY_LINES without m-ready.
h_read_reply() {
  local line
  REPLY_LINES=()
  while IFS= read -r -t 20 -u "$H_OUT" line; do
    line=${line%$'\r'}
    if [ "$line" = m-ready ]; then
      return 0
    fi
    REPLY_LINES+=("$line")
  done
  return 1
}

h_cmd() { # h_cmd "command without %": sends it and reads the reply
  printf '%s%%' "$1" >&"$H_IN"
  if ! h_read_reply; then
    fail "harness: no m-ready after '$1' (got: ${REPLY_LINES[*]:-nothing})"
    return 1
  fi
}

expect_reply() { # expect_reply "command" "line1" "line2"...: exact reply before m-ready
  local cmd=$1
  shift
  h_cmd "$cmd" || return 1
  local got exp
  got=$(printf '%s\n' "${REPLY_LINES[@]}")
  exp=$(printf '%s\n' "$@")
  if [ "$got" != "$exp" ]; then
    fail "harness '$cmd': expected [$(echo $exp)] got [$(echo $got)]"
    return 1
  fi
}

expect_error() { # expect_error "command": exactly one e-[...] line, then m-ready
  h_cmd "$1" || return 1
  if [ "${#REPLY_LINES[@]}" != 1 ] || [[ "${REPLY_LINES[0]}" != e-\[*\] ]]; then
    fail "harness '$1': expected one e-[...] line, got [${REPLY_LINES[*]}]"
    return 1
  fi
}

# Demo model input and expected output (harness/demo_model.c documents the formula).
demo_input_hex() {
  local i hex=
  for i in $(seq 0 63); do hex+=$(printf '%02x' $(((i * 37 + 11) & 255))); done
  echo "$hex"
}
demo_expected() {
  local i j x acc y out=
  for j in $(seq 0 7); do
    acc=$((32 * j - 100))
    for i in $(seq 0 63); do
      x=$(((i * 37 + 11) & 255)); [ "$x" -gt 127 ] && x=$((x - 256))
      acc=$((acc + ((7 * i + 13 * j) % 17 - 8) * x))
    done
    y=$(((acc + 32) >> 6))
    [ "$y" -gt 127 ] && y=127
    [ "$y" -lt -128 ] && y=-128
    out+=${out:+,}$y
  done
  echo "m-results-[$out]"
}

# Loads the demo input in two chunks and runs `infer 3 2`; prints the laps (for the caller to
# compare across sessions) and checks the reply structure.
LAPS=
h_load_and_infer() {
  local hex
  hex=$(demo_input_hex)
  expect_reply "db load 64" "m-[Expecting 64 bytes]" || return 1
  expect_reply "db ${hex:0:80}" || return 1                 # 40 bytes: no load-done yet
  expect_reply "db ${hex:80}" "m-load-done" || return 1     # remaining 24 bytes
  h_cmd "infer 3 2" || return 1
  local r=("${REPLY_LINES[@]}") expected
  expected=$(demo_expected)
  if [ "${#r[@]}" != 11 ] || [ "${r[0]}" != m-warmup-start-2 ] || [ "${r[1]}" != m-warmup-done ] ||
     [ "${r[2]}" != m-infer-start-3 ] || [ "${r[9]}" != "$expected" ] || [ "${r[10]}" != m-infer-done ]; then
    fail "harness infer 3 2: unexpected reply [${r[*]}], expected results $expected"
    return 1
  fi
  local k cyc us
  LAPS=
  for k in 3 5 7; do
    cyc=${r[$k]#m-lap-cycles-}
    us=${r[$((k + 1))]#m-lap-us-}
    if ! [[ "$cyc" =~ ^[0-9]+$ && "$us" =~ ^[0-9]+$ ]] || [ "$cyc" -le 0 ] ||
       [ "$us" != $((cyc / 1000)) ]; then
      fail "harness lap lines malformed: '${r[$k]}' '${r[$((k + 1))]}'"
      return 1
    fi
    LAPS+="$cyc "
  done
  set -- $LAPS
  if [ "$1" != "$2" ] || [ "$2" != "$3" ]; then
    fail "harness laps differ between identical runs: $LAPS"
    return 1
  fi
  expect_reply "results" "$expected" || return 1
}

test_harness() {
  local ok=1 laps1 long
  h_start
  if ! h_read_reply || [ "${REPLY_LINES[*]}" != m-init-done ]; then
    fail "harness boot: expected m-init-done, m-ready; got [${REPLY_LINES[*]}]"
    h_stop
    return
  fi
  expect_reply "name" "m-name-dut-edgeamp-demo-dot" || ok=0
  expect_reply "profile" "m-profile-[EdgeAMP harness 1.0]" "m-model-[edgeamp-demo-dot]" \
    "m-board-[$machine]" "m-timer-[instructions]" || ok=0
  expect_reply "bogus" "e-[Unknown command: bogus]" || ok=0
  expect_error "infer 1 0" || ok=0                      # infer before any load
  expect_error "results" || ok=0                        # no results yet
  expect_error "db 00" || ok=0                          # data before db load
  expect_error "db load 100000" || ok=0                 # larger than the input buffer
  expect_error "db load 0" || ok=0
  expect_error "db load x1" || ok=0
  expect_reply "db load 64" "m-[Expecting 64 bytes]" || ok=0
  expect_error "db 0g" || ok=0                          # bad hex digit
  expect_error "db 012" || ok=0                         # odd number of digits
  expect_error "infer 1 0" || ok=0                      # load incomplete
  expect_error "db $(printf '%0130d' 0)" || ok=0        # 65 bytes > 64 announced: overflow
  expect_reply $'\r\nname' "m-name-dut-edgeamp-demo-dot" || ok=0  # CR/LF are ignored
  long=$(printf 'x%.0s' $(seq 1 1100))
  expect_error "$long" || ok=0                          # over the 1024-char command buffer
  expect_reply "db load 4" "m-[Expecting 4 bytes]" || ok=0
  expect_reply "db 01020304" "m-load-done" || ok=0
  expect_error "infer 1 0" || ok=0                      # 4 bytes != model input of 64
  expect_error "infer 0" || ok=0                        # N must be >= 1
  h_load_and_infer || ok=0
  laps1=$LAPS
  expect_error "db 00" || ok=0                          # buffer already full
  h_stop
  [ "$ok" = 1 ] && pass "harness protocol: boot, name, profile, db, errors, infer, results"

  # A second session polls the UART for a different number of instructions before the infer,
  # so this checks that the per-run SysTick restart makes laps reproducible.
  h_start
  if h_read_reply && expect_reply "name" "m-name-dut-edgeamp-demo-dot" && h_load_and_infer; then
    if [ "$LAPS" = "$laps1" ]; then
      pass "harness laps identical across sessions: ${laps1% } instructions"
    else
      fail "harness laps differ across sessions: [$laps1] vs [$LAPS]"
    fi
  fi
  h_stop
}

# ---------------------------------------------------------------- profiler
# scripts/profile-qemu.sh on the smoke firmware: the per-function counts must add up to the total
# it prints, and the timed busy loops (measure_spin) must be where most instructions go.
test_profile() {
  local elf=$build_root/$machine/ports/port_smoke.elf out total sum top
  out=$("$here/scripts/profile-qemu.sh" "$machine" "$elf" 1000 2>&1) || { fail "profile-qemu.sh failed:"; sed 's/^/    /' <<<"$out"; return; }
  total=$(awk '/== instructions per function/ {p=1; next} p && $2 == "total" {print $1}' <<<"$out")
  sum=$(awk '/== instructions per function/ {p=1; next} p && $2 != "total" {s += $1} END {print s + 0}' <<<"$out")
  top=$(awk '/== instructions per function/ {p=1; next} p && $2 != "total" {print $2; exit}' <<<"$out")
  if [ -n "$total" ] && [ "$total" -gt 2000000 ] && [ "$sum" = "$total" ] && [ "$top" = measure_spin ]; then
    pass "profile-qemu.sh: $total instructions, the most in measure_spin (the smoke test's timed loops)"
  else
    fail "profile-qemu.sh: total '$total', sum '$sum', top '$top':"
    tail -5 <<<"$out" | sed 's/^/    /'
  fi
}

# ---------------------------------------------------------------- main
mkdir -p "$build_root"
start=$SECONDS
for machine in "${machines[@]}"; do
  echo "== $machine"
  build_machine || continue
  test_smoke
  test_fault port_fault_div0 0x02000000   # UFSR.DIVBYZERO
  test_fault port_fault_nocp 0x00080000   # UFSR.NOCP: FP instruction with CP10/CP11 disabled
  test_fault port_fault_unaligned -       # Armv6-M: unaligned LDR -> HardFault
  test_harness
  [ "$machine" = mps2-an386 ] && test_profile
done

machine=kernels
if [ -f "$here/scripts/test-qemu-kernels.sh" ]; then
  echo "== kernels under QEMU (scripts/test-qemu-kernels.sh)"
  # The kernels script gets the same BUILD_DIR, plus the machine list, the runner, and the root
  # of the per-machine builds above (they already contain the kernels' firmware, which the
  # top-level CMakeLists.txt adds with edgeamp_add_firmware).
  if EDGEAMP_QEMU_MACHINES="${machines[*]}" EDGEAMP_RUN_QEMU="$run_qemu" \
     EDGEAMP_QEMU_BUILD_ROOT="$build_root" \
     bash "$here/scripts/test-qemu-kernels.sh" "$1"; then
    pass "test-qemu-kernels.sh"
  else
    fail "test-qemu-kernels.sh"
  fi
else
  echo "== scripts/test-qemu-kernels.sh not present: kernel QEMU tests skipped"
fi

echo "== test-qemu.sh: $failures failure(s), $((SECONDS - start)) s"
[ "$failures" = 0 ]
