#!/usr/bin/env bash
# Kernel benchmark on the REGR_13k layer shapes (bench/bench_kernels.c):
#   1. Cortex-M4 under QEMU (mps2-an386, -icount shift=0): SysTick counts = instructions; then the
#      same firmware on the M3 and M0+ (portable C; the M0+ build runs on the micro:bit's Cortex-M0),
#      M7, M33 and M55 machines;
#   2. host: valgrind --tool=callgrind instruction counts of each kernel function (portable C path);
#   3. .text of the kernels a REGR_13k model links (arm-none-eabi-size, -Os, function sections).
# Writes BUILD_DIR/bench-kernels.md (also printed). Usage: scripts/bench-kernels.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench-kernels.sh BUILD_DIR}
mkdir -p "$build"
build=$(cd "$build" && pwd)
jobs=${EDGEAMP_JOBS:-2}
out=$build/bench-kernels.md

# ---- 1. QEMU Cortex-M4
m4=$build/bench-m4
cmake -S "$here" -B "$m4" -DCMAKE_TOOLCHAIN_FILE="$here/cmake/arm-none-eabi.cmake" -DEDGEAMP_BOARD=mps2-an386 \
  -DEDGEAMP_PORT_TESTS=OFF >"$m4.configure.log" 2>&1
cmake --build "$m4" -j "$jobs" --target bench_kernels bench_dense_int16_weights >"$m4.build.log" 2>&1
qemu_cmd="$here/scripts/run-qemu.sh mps2-an386 $m4/bench_kernels.elf 120"
$qemu_cmd </dev/null | tr -d '\r' >"$build/bench-m4.txt"
# The experiment that prices DESIGN.md's int8 dense weights (bench/bench_dense_int16_weights.c);
# it exits non-zero if its outputs differ from the shipped kernel's.
"$here/scripts/run-qemu.sh" mps2-an386 "$m4/bench_dense_int16_weights.elf" 60 </dev/null | tr -d '\r' \
  >"$build/bench-m4-int16-weights.txt"

# ---- 1b. the other cores, same firmware source: M3 (portable C), M7, M33, M55 (same assembly)
other_cores=(mps2-an385:Cortex-M3 microbit:Cortex-M0+ mps2-an500:Cortex-M7 mps2-an505:Cortex-M33 mps3-an547:Cortex-M55)
for mc in "${other_cores[@]}"; do
  machine=${mc%%:*}
  bd=$build/bench-$machine
  cmake -S "$here" -B "$bd" -DCMAKE_TOOLCHAIN_FILE="$here/cmake/arm-none-eabi.cmake" -DEDGEAMP_BOARD="$machine" \
    -DEDGEAMP_PORT_TESTS=OFF >"$bd.configure.log" 2>&1
  cmake --build "$bd" -j "$jobs" --target bench_kernels >"$bd.build.log" 2>&1
  "$here/scripts/run-qemu.sh" "$machine" "$bd/bench_kernels.elf" 300 </dev/null | tr -d '\r' >"$build/bench-$machine.txt"
done

# ---- 2. host callgrind
host=$build/bench-host
cmake -S "$here" -B "$host" -DCMAKE_BUILD_TYPE=Release >"$host.configure.log" 2>&1
cmake --build "$host" -j "$jobs" --target bench_kernels >"$host.build.log" 2>&1
declare -A macs=([conv1]=73728 [conv2]=196608 [conv3]=393216 [dense1]=2048 [dense2]=32)
declare -A fn_in=([conv1]=conv_hx1_s8 [conv2]=conv_hx1_u8 [conv3]=conv_hx1_u8 [dense1]=dense_u8 [dense2]=dense_u8)
: >"$build/bench-host.txt"
for bits in 8 4 2; do
  for layer in conv1 conv2 conv3 dense1 dense2; do
    fn=ea_${fn_in[$layer]}_w$bits
    cg=$host/callgrind.$layer.w$bits.out
    valgrind --tool=callgrind --callgrind-out-file="$cg" "$host/bench_kernels" "$layer" "$bits" 1 >/dev/null 2>&1
    ir=$(callgrind_annotate --inclusive=yes --threshold=100 "$cg" 2>/dev/null | grep -E "[[:space:]]$fn[[:space:]]|:$fn[[:space:]]|:$fn\$" \
         | head -n 1 | awk '{gsub(",", "", $1); print $1}' || true)
    echo "host $layer w$bits fn=$fn macs=${macs[$layer]} ir=$ir" >>"$build/bench-host.txt"
  done
done

# ---- 3. .text sizes (Cortex-M4, -Os, function sections). The kernels share code (ea_conv_run,
# ea_blk_w*, ea_widen_w*), so per-object sizes would miss it: link the kernels a model calls,
# plus the scratch-size functions, with --gc-sections and no C library, and take .text.
# memcpy/memset stay undefined (newlib's, not counted).
lib=$m4/libedgeamp_runtime.a
m4flags="-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard"
link_size() { # symbols...
  local u="" s
  for s in "$@"; do u="$u -Wl,-u,$s"; done
  # shellcheck disable=SC2086
  arm-none-eabi-gcc $m4flags -nostdlib -nostartfiles -Wl,--gc-sections -Wl,--entry="$1" $u \
    -Wl,--unresolved-symbols=ignore-all "$lib" -o "$build/size.elf" >/dev/null 2>&1 \
    && arm-none-eabi-size -A "$build/size.elf" | awk '$1 == ".text" {print $2}'
}
# Kernels every REGR_13k model links whatever its widths: the scratch-size functions its
# ea_model_init() checks, two max pools and the global average pool (uint8 after ReLU).
model_fixed() { echo ea_conv_hx1_scratch_bytes ea_dense_scratch_bytes ea_maxpool_hx1_u8 ea_global_avgpool_u8; }
model_syms() { # widths...
  local b
  model_fixed
  for b in "$@"; do echo "ea_conv_hx1_s8_w$b ea_conv_hx1_u8_w$b ea_dense_u8_w$b"; done
}

# The largest .text over every allocation of one model's weight layers. Usage:
#   alloc_max "KINDS" "FIXED" WIDTHS   e.g. alloc_max "conv conv conv dense dense" "$(model_fixed)" "8 4 2 32"
# KINDS lists the weight layers in order (the first takes the int8 model input: ea_conv_hx1_s8_wB,
# later ones uint8 after ReLU: ea_conv_hx1_u8_wB / ea_dense_u8_wB); FIXED are the kernels the model
# links whatever its widths (pools, scratch-size functions). A 32-bit layer runs ea_conv_hx1_f32 /
# ea_dense_f32, with ea_dequantize_{s8,u8}_f32 in front when its input comes from an NPU layer (or
# the int8 model input), ea_quantize_f32 behind when an NPU layer follows, and the float pools
# counted too (an over-count: a pool between NPU layers stays uint8). Prints "bytes w1/w2/...".
alloc_max() {
  local -a kinds widths
  read -r -a kinds <<<"$1"
  read -r -a widths <<<"$3"
  local fixed=$2 n=${#kinds[@]} nw=${#widths[@]} best=0 best_a="" a i t syms size prev next
  local total=1
  for ((i = 0; i < n; i++)); do total=$((total * nw)); done
  for ((a = 0; a < total; a++)); do
    local -a bits=()
    t=$a
    for ((i = 0; i < n; i++)); do bits[i]=${widths[t % nw]}; t=$((t / nw)); done
    syms=$fixed
    local floats=0
    for ((i = 0; i < n; i++)); do
      if [ "${bits[i]}" = 32 ]; then
        [ $floats = 0 ] && syms+=" ea_maxpool_hx1_f32 ea_global_avgpool_f32"
        floats=1
        if [ "${kinds[i]}" = conv ]; then syms+=" ea_conv_hx1_f32"; else syms+=" ea_dense_f32"; fi
        prev=0; [ "$i" -gt 0 ] && prev=${bits[i-1]}
        if [ "$i" = 0 ]; then syms+=" ea_dequantize_s8_f32"; elif [ "$prev" != 32 ]; then syms+=" ea_dequantize_u8_f32"; fi
        next=32; [ "$i" -lt $((n - 1)) ] && next=${bits[i+1]}
        if [ "$next" != 32 ]; then syms+=" ea_quantize_f32"; fi
      elif [ "$i" = 0 ]; then syms+=" ea_conv_hx1_s8_w${bits[i]}"
      elif [ "${kinds[i]}" = conv ]; then syms+=" ea_conv_hx1_u8_w${bits[i]}"
      else syms+=" ea_dense_u8_w${bits[i]}"; fi
    done
    # shellcheck disable=SC2086
    size=$(link_size $syms)
    if [ "$size" -gt "$best" ]; then best=$size; best_a=$(IFS=/; echo "${bits[*]}"); fi
  done
  echo "$best $best_a"
}

per_mac() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
{
  echo "# Kernel benchmark (REGR_13k layer shapes)"
  echo
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores; $(arm-none-eabi-gcc --version | head -n 1);"
  echo "$(qemu-system-arm --version | head -n 1)."
  echo
  echo "## Cortex-M4 (QEMU mps2-an386, -icount shift=0): instructions per MAC"
  echo
  echo "SysTick counts under -icount shift=0 are instructions (one tick per 40), not cycles."
  echo "Command: \`scripts/bench-kernels.sh BUILD_DIR\`, which runs \`$qemu_cmd\`"
  echo "(the runner adds \`-icount shift=0 -semihosting-config enable=on,target=native\`)."
  echo
  echo "| layer | MACs | int8 | int4 | int2 |"
  echo "|---|---:|---:|---:|---:|"
  for layer in conv1 conv2 conv3 dense1 dense2 total; do
    row="| $layer | "
    first=1
    for bits in 8 4 2; do
      line=$(grep "^bench $layer w$bits " "$build/bench-m4.txt" || true)
      n=$(sed -n 's/.*macs=\([0-9]*\).*/\1/p' <<<"$line")
      c=$(sed -n 's/.*instructions=\([0-9]*\).*/\1/p' <<<"$line")
      if [ $first = 1 ]; then row+="$n | "; first=0; fi
      row+="$(per_mac "$c" "$n") ($c) | "
    done
    echo "$row"
  done
  echo
  echo "What the packed int8 dense weights cost (an experiment, bench/bench_dense_int16_weights.c): dense1"
  echo "with its weights stored widened to int16, bit-exact with the shipped kernel, same machine:"
  echo
  echo "| dense1 weights | weight bytes | instructions | per MAC |"
  echo "|---|---:|---:|---:|"
  for kind in shipped-int8-weights int16-weights; do
    c=$(sed -n "s/^bench-int16-weights $kind .*instructions=\([0-9]*\).*/\1/p" "$build/bench-m4-int16-weights.txt")
    wb=$(sed -n "s/^bench-int16-weights weight_bytes int8=\([0-9]*\) int16=\([0-9]*\).*/\1 \2/p" "$build/bench-m4-int16-weights.txt")
    if [ "$kind" = int16-weights ]; then wb=${wb#* }; else wb=${wb% *}; fi
    echo "| $kind | $wb | $c | $(per_mac "$c" 2048) |"
  done
  echo
  echo "## Other cores (QEMU, -icount shift=0, same firmware): instructions per MAC"
  echo
  echo "Each cell: int8 / int4 / int2. SysTick resolution: 40 instructions (mps2), 62.5 (microbit), 50"
  echo "(AN505), 31.25 (AN547). The M3 and the M0+ have no DSP extension and run the portable C path;"
  echo "the M0+ build (Armv6-M: Thumb-1, no unaligned loads) runs on QEMU's Cortex-M0 micro:bit."
  echo
  echo "| core | conv1 | conv2 | conv3 | dense1 | total |"
  echo "|---|---:|---:|---:|---:|---:|"
  for mc in "${other_cores[@]}"; do
    machine=${mc%%:*}
    row="| ${mc#*:} ($machine) | "
    for layer in conv1 conv2 conv3 dense1 total; do
      cell=""
      for bits in 8 4 2; do
        line=$(grep "^bench $layer w$bits " "$build/bench-$machine.txt" || true)
        n=$(sed -n 's/.*macs=\([0-9]*\).*/\1/p' <<<"$line")
        c=$(sed -n 's/.*instructions=\([0-9]*\).*/\1/p' <<<"$line")
        cell+="$(per_mac "$c" "$n")/"
      done
      row+="${cell%/} | "
    done
    echo "${row% }"
  done
  echo
  echo "## Host (x86-64, portable C path, gcc -O3): callgrind instructions per MAC of the kernel function"
  echo
  echo "Command: \`valgrind --tool=callgrind bench_kernels LAYER BITS 1\` + \`callgrind_annotate --inclusive=yes\`."
  echo
  echo "| layer | int8 | int4 | int2 |"
  echo "|---|---:|---:|---:|"
  for layer in conv1 conv2 conv3 dense1 dense2; do
    row="| $layer | "
    for bits in 8 4 2; do
      ir=$(sed -n "s/^host $layer w$bits .* ir=\([0-9]*\)$/\1/p" "$build/bench-host.txt")
      row+="$(per_mac "$ir" "${macs[$layer]}") | "
    done
    echo "$row"
  done
  echo
  echo "## .text of the kernels a REGR_13k model links (Cortex-M4, -Os, -ffunction-sections, --gc-sections)"
  echo
  echo "Linked with \`-nostdlib --gc-sections\` from the kernels a model calls (ea_conv_hx1_s8 for conv1,"
  echo "ea_conv_hx1_u8 for conv2/conv3, ea_dense_u8; whole model: also ea_maxpool_hx1_u8 and"
  echo "ea_global_avgpool_u8, and the scratch-size functions), so code the kernels share is counted once;"
  echo "newlib's memcpy/memset are not included."
  echo
  echo "| weights | conv_hx1_s8 alone | conv_hx1_u8 alone | dense_u8 alone | whole model |"
  echo "|---|---:|---:|---:|---:|"
  for bits in 8 4 2; do
    a=$(link_size ea_conv_hx1_s8_w$bits); b=$(link_size ea_conv_hx1_u8_w$bits); c=$(link_size ea_dense_u8_w$bits)
    # shellcheck disable=SC2046
    t=$(link_size $(model_syms $bits))
    echo "| int$bits | $a | $b | $c | $t |"
  done
  # shellcheck disable=SC2046
  echo "| all three widths of every kernel kind at once (more than any zoo model links) | | | | $(link_size $(model_syms 8 4 2)) |"
  # Every zoo model's weight layers (kinds in order) and the pools its generated model.c calls.
  r=$(alloc_max "conv conv conv dense dense" "$(model_fixed)" "8 4 2 32")
  echo "| REGR_13k, REGR_4k, CLS_4k_NPU (same kernels): largest over all 1024 allocations to {8, 4, 2, 32} bits (${r#* }) | | | | ${r%% *} |"
  r=$(alloc_max "conv conv conv dense dense" "ea_conv_hx1_scratch_bytes ea_dense_scratch_bytes ea_global_avgpool_u8" "8 4 2")
  echo "| FCST_3k (no max pool): largest over the 243 NPU allocations (${r#* }) | | | | ${r%% *} |"
  r=$(alloc_max "conv conv conv conv conv conv" "ea_conv_hx1_scratch_bytes" "8 4 2")
  echo "| AD_17k (six convolutions, no pools): largest over the 729 NPU allocations (${r#* }) | | | | ${r%% *} |"
  q=$(link_size ea_quantize_f32); d=$(link_size ea_dequantize_u8_f32); f=$(link_size ea_dense_f32)
  echo
  echo "Float boundary kernels if a layer runs on the CPU: ea_quantize_f32 $q, ea_dequantize_u8_f32 $d, ea_dense_f32 $f bytes."
} >"$out"
cat "$out"
