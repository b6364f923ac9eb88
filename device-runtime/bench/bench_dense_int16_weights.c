/*
 * Experiment, not a product kernel: what DESIGN.md's packed int8 dense weights cost on the Cortex-M4.
 *
 * REGR_13k's dense1 (64 -> 32, uint8 input) misses the int8 goal of 1.25 instructions per MAC
 * (docs/BENCHMARKS.md). The shipped kernel must unpack every int8 weight pair with one SXTB16
 * before its SMLAD, since each weight is used once per inference. This firmware times the shipped
 * ea_dense_u8_w8 against a dense loop whose weights are stored already widened to int16 (twice the
 * weight flash, which the artifact's packing and codegen's weight-bytes goal rule out), so the
 * cost of the contract is a measured figure rather than an estimate. Both must give the same
 * outputs (the run fails otherwise).
 *
 * Built for the DSP cores only; run by scripts/bench-kernels.sh on QEMU mps2-an386.
 */
#include <stdio.h>
#include <string.h>
#include "edgeamp/edgeamp.h"
#include "edgeamp/port.h"

#ifndef __ARM_FEATURE_DSP
#error "bench_dense_int16_weights needs the DSP extension (Cortex-M4/M7/M33/M55)"
#endif
#include <arm_acle.h>
#include "bench_rng.h"

#define IN_N 64  /* dense1 of REGR_13k; the loop below needs IN_N % 8 == 0 and an even OUT_N */
#define OUT_N 32
#define SHIFT 40 /* n >= 33: the SMMUL requantization below is the contract's (ea_dblk.h) */

static uint8_t g_x[IN_N];
static int8_t g_w8[OUT_N * IN_N];
static int16_t g_w16[OUT_N * IN_N] __attribute__((aligned(4)));
static int32_t g_bias[OUT_N], g_mult[OUT_N];
static int8_t g_shift[OUT_N];
static uint8_t g_out_w8[OUT_N], g_out_w16[OUT_N];
static uint32_t g_scratch[1024];
static uint32_t g_xw[IN_N / 2];

/* acc[0], acc[1] += dot(xw, w0), dot(xw, w1) over 8 * iters elements: per 16 MACs three LDM
 * (four input words, four words of each row), eight SMLAD and the loop test.
 * AAPCS: r0 xw, r1 w0, r2 w1, r3 acc, [sp] iters. */
void ea_exp_dot2_w16(const uint32_t *xw, const uint32_t *w0, const uint32_t *w1, int32_t *acc, int32_t iters);
__asm__("    .text\n"
        "    .syntax unified\n"
        "    .thumb\n"
        "    .global ea_exp_dot2_w16\n"
        "    .type ea_exp_dot2_w16, %function\n"
        "    .thumb_func\n"
        "ea_exp_dot2_w16:\n"
        "    push {r3-r11, lr}\n"
        "    ldr r12, [sp, #40]\n"
        "    ldrd r10, r11, [r3]\n"
        "1:  ldmia r0!, {r4-r7}\n"
        "    ldmia r1!, {r3, r8, r9, lr}\n"
        "    smlad r10, r4, r3, r10\n"
        "    smlad r10, r5, r8, r10\n"
        "    smlad r10, r6, r9, r10\n"
        "    smlad r10, r7, lr, r10\n"
        "    ldmia r2!, {r3, r8, r9, lr}\n"
        "    smlad r11, r4, r3, r11\n"
        "    smlad r11, r5, r8, r11\n"
        "    smlad r11, r6, r9, r11\n"
        "    smlad r11, r7, lr, r11\n"
        "    subs r12, r12, #1\n"
        "    bne 1b\n"
        "    pop {r3}\n"
        "    strd r10, r11, [r3]\n"
        "    pop {r4-r11, pc}\n"
        "    .size ea_exp_dot2_w16, .-ea_exp_dot2_w16\n");

static inline uint8_t requant_u8(int32_t acc, int32_t m, int32_t n)
{
    const int32_t h = (int32_t)(((int64_t)acc * m) >> 32); /* SMMUL */
    return (uint8_t)__usat(((h >> (n - 33)) + 1) >> 1, 8);
}

/* Dense with int16 weights stored in the widened input's pair order: (w0, w2), (w1, w3) per four. */
__attribute__((noinline)) static void dense_u8_w16(const uint8_t *x, const int16_t *w, const int32_t *bias,
                                                    const int32_t *mult, const int8_t *shift, uint8_t *out)
{
    int32_t i, r;
    for (i = 0; i < IN_N / 4; i++) { /* the input widened once: UXTB16 gives (x0, x2), (x1, x3) */
        uint32_t v;
        memcpy(&v, x + 4 * i, 4);
        g_xw[2 * i] = __uxtb16(v);
        g_xw[2 * i + 1] = __uxtb16((v >> 8) | (v << 24));
    }
    for (r = 0; r < OUT_N; r += 2) {
        int32_t acc[2];
        acc[0] = bias[r];
        acc[1] = bias[r + 1];
        ea_exp_dot2_w16(g_xw, (const uint32_t *)(const void *)(w + r * IN_N),
                        (const uint32_t *)(const void *)(w + (r + 1) * IN_N), acc, IN_N / 8);
        out[r] = requant_u8(acc[0], mult[r], shift[r]);
        out[r + 1] = requant_u8(acc[1], mult[r + 1], shift[r + 1]);
    }
}

static void report(const char *what, uint64_t counts, int reps)
{
    const uint64_t per_call = counts / (uint64_t)reps;
    printf("bench-int16-weights %s macs=%d %s=%lu per_mac_x1000=%lu\n", what, IN_N * OUT_N, ea_port_timer_unit(),
           (unsigned long)per_call, (unsigned long)(per_call * 1000u / (IN_N * OUT_N)));
}

int main(void)
{
    static const int pair_order[4] = {0, 2, 1, 3};
    const int reps = 512;
    ea_requant_t rq;
    uint64_t t0, t1, t2, overhead;
    int i, mismatches = 0;
    for (i = 0; i < IN_N; i++) g_x[i] = (uint8_t)rnd();
    for (i = 0; i < OUT_N * IN_N; i++) g_w8[i] = (int8_t)((int32_t)(rnd() % 255u) - 127);
    for (i = 0; i < OUT_N * IN_N; i++) g_w16[i] = g_w8[(i & ~3) + pair_order[i & 3]];
    for (i = 0; i < OUT_N; i++) {
        g_bias[i] = (int32_t)(rnd() % 2001u) - 1000;
        g_mult[i] = 0x40000000 + (int32_t)(rnd() & 0xFFFFFFu);
        g_shift[i] = SHIFT;
    }
    rq.mult = g_mult;
    rq.shift = g_shift;
    rq.act_min = 0;
    rq.act_max = 255;

    ea_port_timer_start();
    t0 = ea_port_timer_read();
    t1 = ea_port_timer_read();
    overhead = t1 - t0;
    t0 = ea_port_timer_read();
    for (i = 0; i < reps; i++) {
        ea_dense_u8_w8(IN_N, OUT_N, g_x, (const uint8_t *)g_w8, g_bias, &rq, g_scratch, g_out_w8);
    }
    t1 = ea_port_timer_read();
    for (i = 0; i < reps; i++) {
        dense_u8_w16(g_x, g_w16, g_bias, g_mult, g_shift, g_out_w16);
    }
    t2 = ea_port_timer_read();
    for (i = 0; i < OUT_N; i++) mismatches += g_out_w8[i] != g_out_w16[i];
    report("shipped-int8-weights", t1 - t0 - overhead, reps);
    report("int16-weights", t2 - t1 - overhead, reps);
    printf("bench-int16-weights weight_bytes int8=%d int16=%d mismatches=%d\n", OUT_N * IN_N, 2 * OUT_N * IN_N,
           mismatches);
    return mismatches == 0 ? 0 : 1;
}
