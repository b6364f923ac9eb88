#!/usr/bin/env bash
# Runs an EdgeAMP firmware ELF on a QEMU Cortex-M machine and exits with the firmware's exit code
# (semihosting SYS_EXIT_EXTENDED, see ports/common/retarget.c).
#
# Usage: scripts/run-qemu.sh [--serial tcp:PORT] [--print-cmd] [--qemu-arg ARG]... <machine> <elf> [timeout_s]
#   machine      mps2-an385 | mps2-an386 | mps2-an500 | mps2-an505 | mps3-an547 | microbit
#   timeout_s    wall-clock limit, default 60; on expiry QEMU is killed and the exit code is 124
#   --serial tcp:PORT  put the console UART on a TCP server socket 127.0.0.1:PORT (QEMU waits for
#                the client to connect before starting the CPU) instead of stdin/stdout
#   --print-cmd  print the QEMU command line on stderr before running it
#   --qemu-arg ARG  one more QEMU argument, appended (e.g. tracing options: scripts/profile-qemu.sh)
#
# Timing: -icount shift=0 makes every instruction take 1 ns of virtual time, so SysTick-based
# counts are deterministic instruction counts (DESIGN.md "Timing under QEMU").
# By default the console is on stdio (-nographic: UART0 multiplexed with the QEMU monitor; the
# monitor is only reachable with Ctrl-A c, which the harness protocol never sends).
set -euo pipefail

serial=stdio
print_cmd=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --serial) serial=$2; shift 2 ;;
    --print-cmd) print_cmd=1; shift ;;
    --qemu-arg) extra+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "run-qemu.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: run-qemu.sh [--serial tcp:PORT] [--print-cmd] [--qemu-arg ARG]... <machine> <elf> [timeout_s]" >&2
  exit 2
fi
machine=$1
elf=$2
timeout_s=${3:-60}

# -cpu must match what the machine accepts (mps2.c/mps2-tz.c reject any other CPU type).
# machine_args: what else a machine needs. The micro:bit's SoC has its own Cortex-M0 (-cpu just
# names it) and 16 KiB of SRAM; ports/microbit/memory.ld explains the 256 KiB it is given here.
machine_args=()
case "$machine" in
  microbit) cpu=cortex-m0 ; machine_args=(-global nrf51-soc.sram-size=262144) ;;
  mps2-an385) cpu=cortex-m3 ;;
  mps2-an386) cpu=cortex-m4 ;;
  mps2-an500) cpu=cortex-m7 ;;
  mps2-an505) cpu=cortex-m33 ;;
  mps3-an547) cpu=cortex-m55 ;;
  *) echo "run-qemu.sh: unsupported machine '$machine'" >&2; exit 2 ;;
esac
if [ ! -f "$elf" ]; then
  echo "run-qemu.sh: no such ELF: $elf" >&2
  exit 2
fi

cmd=(qemu-system-arm -M "$machine" -cpu "$cpu" "${machine_args[@]}" -nographic
     -semihosting-config enable=on,target=native
     -icount shift=0
     -kernel "$elf")
case "$serial" in
  stdio) ;;
  tcp:*)
    port=${serial#tcp:}
    # -nographic would put UART0 on stdio; an explicit -serial takes UART0 instead, and the
    # monitor stays on stdio (harmless, it is never read).
    cmd+=(-serial "tcp:127.0.0.1:${port},server=on,wait=on")
    ;;
  *) echo "run-qemu.sh: --serial must be stdio or tcp:PORT" >&2; exit 2 ;;
esac
cmd+=("${extra[@]}")

if [ "$print_cmd" = 1 ]; then
  printf '%q ' "${cmd[@]}" >&2
  echo >&2
fi

# timeout exits 124 when the limit hits (then sends KILL 2 s later if QEMU ignored TERM).
# --foreground keeps QEMU in our process group so it can still read a terminal on stdin.
rc=0
timeout --foreground -k 2 "$timeout_s" "${cmd[@]}" || rc=$?
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  echo "run-qemu.sh: TIMEOUT after ${timeout_s}s: $machine $elf" >&2
  exit 124
fi
exit "$rc"
