#!/usr/bin/env bash
# Instructions per function of a firmware run under QEMU: runs the ELF through run-qemu.sh with one
# instruction per translation block (-singlestep in QEMU 7.2) and -d exec, streams
# the trace through a FIFO (a run of 10^7 instructions would be a gigabyte of log) and counts the
# executed instructions by the symbol QEMU prints for each. A profiler for the kernels: it shows
# where a generated model's instructions go, e.g. the self-test of `toolchain codegen`'s output.
#
# Usage: scripts/profile-qemu.sh <machine> <elf> [top_n] [divide_by]
#   machine     as for run-qemu.sh (mps2-an386, ...)
#   top_n       functions to print (default 20)
#   divide_by   divide every count by this (e.g. the self-test's vector count: per inference)
# Prints "instructions function" lines, largest first, after the firmware's own output.
# The counts include everything the firmware runs (startup, printf, the self-test's checks).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
machine=${1:?usage: profile-qemu.sh <machine> <elf> [top_n] [divide_by]}
elf=${2:?usage: profile-qemu.sh <machine> <elf> [top_n] [divide_by]}
top=${3:-20}
div=${4:-1}
for tool in qemu-system-arm python3; do
  command -v "$tool" >/dev/null || { echo "profile-qemu.sh: missing tool: $tool" >&2; exit 1; }
done
[ -f "$elf" ] || { echo "profile-qemu.sh: no such ELF: $elf" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkfifo "$tmp/trace"
# The aggregator reads the FIFO until QEMU closes it. Each trace line ends with the symbol of the
# translation block's first instruction, which with one instruction per block is the instruction's.
python3 - "$tmp/trace" "$top" "$div" >"$tmp/profile" <<'EOF' &
import collections, sys
path, top, div = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
counts = collections.Counter()
with open(path, errors="replace") as f:
    for line in f:
        if line.startswith("Trace"):
            counts[line.rsplit(None, 1)[-1]] += 1
total = sum(counts.values())
print(f"{total // div:12d} total")
for name, n in counts.most_common(top):
    print(f"{n // div:12d} {name}")
EOF
agg=$!
"$here/run-qemu.sh" --qemu-arg -singlestep --qemu-arg -d --qemu-arg exec,nochain --qemu-arg -D \
  --qemu-arg "$tmp/trace" "$machine" "$elf" 600 </dev/null || echo "profile-qemu.sh: the firmware exited with $?" >&2
wait "$agg"
echo "== instructions per function (QEMU -icount, one instruction per block; divided by $div)"
cat "$tmp/profile"
