/*
 * Bodies of ea_dblk_w8/w4/w2 (see ea_dblk.h): the assembly text shared by the three widths and
 * the C emulation used on the host.
 *
 * Registers in the assembly (Armv7E-M / Armv8-M Mainline DSP, Thumb-2):
 *   MAC loop:  r0, r1 accumulators of rows a, b    r2  row a pointer (row b at r2 + r3 after
 *              the post-increment: r3 = rowb - 4)   r4  input pointer   r5 loop counter
 *              r6-r9 four widened input words (LDM) r10, r11 weight words of rows a, b
 *              r12 unpacked weight pair             lr  pair mask (int4/int2)
 *   row pair tail: r4 bias, r5 mode, r6 out, r7 mult, r8 shift pointers (one LDM/STM of the
 *              frame), r9/r10 m then v, r11/r12 n then n - 33.
 * Frame at sp: the first twelve words of ea_dense_args_t (bias, mode, out, mult, shift, x, nloop,
 * delta, out_end, corr, lo, hi), one word of padding and two words (sp+52) for int4's finished
 * chunks, so sp stays 8-byte aligned for the call of the slow requantization
 * (36 + 60 + 24 bytes pushed).
 *
 * Instructions per row pair outside the MAC loop (U8 clamp, n >= 33, non-NULL bias): 1 LDRD
 * (x, count), tail: 1 LDM + 1 LDRD + 2 LDRSB, 2 x (SUBS, BLT, SMMUL, ASR, ADD), CBNZ, 2 USAT,
 * 2 STRB, LDRD + CMP + ADD + BNE, then CBNZ + LDRD for the next bias, STM: 27 (int2: + LDR + 2 SUB
 * for the offset correction: 30; int4: 2 MOVS instead of CBNZ + LDRD before the loop, BLT after it,
 * CBZ + LDRD + 2 ADD for the bias in the tail: 32).
 */
#ifndef EDGEAMP_EA_DBLK_IMPL_H
#define EDGEAMP_EA_DBLK_IMPL_H

#include "ea_dblk.h"

#if defined(__ARM_FEATURE_DSP)

typedef char ea_dense_args_layout_check[sizeof(void *) == 4 && sizeof(ea_dense_args_t) == 56 ? 1 : -1];

#define EA_DBLK_ATTR __attribute__((naked))
#define EA_DBLK_PARAM const ea_dense_args_t *a __attribute__((unused))

/* Entry: save, copy the frame, row pointer and rowb, SETUP (r3, the mask, int4's frame words), then
 * the first row pair's START (label 21: also the loop back from the tail; the accumulators' start
 * values), then the MAC loop (label 11): STEP1 STEP2 per pass, LOOPEND; TAILPRE right after the
 * tail has the frame pointers back (int4 adds the bias there); COLD goes right after the return
 * (within CBZ's reach of the tail). */
#define EA_DBLK_BODY(SETUP, START, STEP1, STEP2, LOOPEND, TAILPRE, COLD) \
    "push   {r4-r11, lr}\n\t"                           \
    "sub    sp, sp, #60\n\t"                            \
    "ldmia  r0!, {r1-r12}\n\t"                          \
    "stmia  sp, {r1-r12}\n\t"                           \
    "ldrd   r2, r3, [r0]\n\t"       /* w, rowb */       \
    SETUP                                               \
    "ldmia  sp, {r4-r8}\n\t"                            \
    "21:\n\t"                                           \
    START                                               \
    "stmia  sp, {r4-r8}\n\t"                            \
    "ldrd   r4, r5, [sp, #20]\n\t"  /* x, passes */     \
    "11:\n\t"                                           \
    STEP1                                               \
    STEP2                                               \
    LOOPEND                                             \
    /* requantization of the pair */                    \
    "ldmia  sp, {r4-r8}\n\t"                            \
    TAILPRE                                             \
    "ldrd   r9, r10, [r7], #8\n\t"                      \
    "ldrsb  r11, [r8], #1\n\t"                          \
    "ldrsb  r12, [r8], #1\n\t"                          \
    "subs   r11, r11, #33\n\t"                          \
    "blt    40f\n\t"                                    \
    "smmul  r9, r0, r9\n\t"                             \
    "asr    r9, r9, r11\n\t"                            \
    "add    r9, r9, #1\n\t"                             \
    "41:\n\t"                                           \
    "subs   r12, r12, #33\n\t"                          \
    "blt    42f\n\t"                                    \
    "smmul  r10, r1, r10\n\t"                           \
    "asr    r10, r10, r12\n\t"                          \
    "add    r10, r10, #1\n\t"                           \
    "43:\n\t"                                           \
    "cbnz   r5, 30f\n\t"                                \
    "usat   r9, #8, r9, asr #1\n\t"                     \
    "usat   r10, #8, r10, asr #1\n\t"                   \
    "44:\n\t"                                           \
    "strb   r9, [r6], #1\n\t"                           \
    "strb   r10, [r6], #1\n\t"                          \
    "ldrd   r9, r10, [sp, #28]\n\t" /* delta, out_end */ \
    "cmp    r6, r10\n\t"                                \
    "add    r2, r2, r9\n\t"                             \
    "bne    21b\n\t"                                    \
    "add    sp, sp, #60\n\t"                            \
    "pop    {r4-r11, pc}\n\t"                           \
    COLD                                                \
    "30:\n\t"                                           \
    "cmp    r5, #1\n\t"                                 \
    "bne    31f\n\t"                                    \
    "ssat   r9, #8, r9, asr #1\n\t"                     \
    "ssat   r10, #8, r10, asr #1\n\t"                   \
    "b      44b\n\t"                                    \
    "31:\n\t"                                           \
    "asr    r9, r9, #1\n\t"                             \
    "asr    r10, r10, #1\n\t"                           \
    "ldrd   r11, r12, [sp, #40]\n\t" /* lo, hi */       \
    "cmp    r9, r11\n\t" "it lt\n\t" "movlt r9, r11\n\t"      \
    "cmp    r9, r12\n\t" "it gt\n\t" "movgt r9, r12\n\t"      \
    "cmp    r10, r11\n\t" "it lt\n\t" "movlt r10, r11\n\t"    \
    "cmp    r10, r12\n\t" "it gt\n\t" "movgt r10, r12\n\t"    \
    "b      44b\n\t"                                    \
    /* n < 33: v = 2 * ea_requantize(...), through the C helper */ \
    "40:\n\t"                                           \
    "push   {r0-r3, r12, lr}\n\t"                       \
    "mov    r1, r9\n\t"                                 \
    "add    r2, r11, #33\n\t"                           \
    "add    r3, sp, #64\n\t"      /* lo, hi: 24 + 40 */ \
    "bl     ea_rq_slow\n\t"                       \
    "lsl    r9, r0, #1\n\t"                             \
    "pop    {r0-r3, r12, lr}\n\t"                       \
    "b      41b\n\t"                                    \
    "42:\n\t"                                           \
    "push   {r0-r3, r12, lr}\n\t"                       \
    "mov    r0, r1\n\t"                                 \
    "mov    r1, r10\n\t"                                \
    "add    r2, r12, #33\n\t"                           \
    "add    r3, sp, #64\n\t"                            \
    "bl     ea_rq_slow\n\t"                       \
    "lsl    r10, r0, #1\n\t"                            \
    "pop    {r0-r3, r12, lr}\n\t"                       \
    "b      43b\n\t"

/* r3 = rowb - 4: row b's offset from row a after the post-increment. */
#define EA_DBLK_ROWB_OFFSET "sub    r3, r3, #4\n\t"

/* Loop end of int8/int2: nloop passes. */
#define EA_DBLK_LOOPEND                                 \
    "subs   r5, r5, #1\n\t"                             \
    "bne    11b\n\t"

/* Pair start of int8/int2: the accumulators start at the bias (or zero). */
#define EA_DBLK_BIAS_START                              \
    "cbnz   r4, 23f\n\t"                                \
    "movs   r0, #0\n\t"                                 \
    "movs   r1, #0\n\t"                                 \
    "b      22f\n\t"                                    \
    "23:\n\t"                                           \
    "ldrd   r0, r1, [r4], #8\n\t"                       \
    "22:\n\t"

/* int2: acc -= corr */
#define EA_DBLK_CORR                                    \
    "ldr    r9, [sp, #36]\n\t"                          \
    "sub    r0, r0, r9\n\t"                             \
    "sub    r1, r1, r9\n\t"

/* Rows a and b: one unpacked pair (AND of the offset word with the mask, shifted) times input word X. */
#define EA_DBLK_PAIR(SH, X)                             \
    "and    r12, lr, r10" SH "\n\t"                     \
    "smlad  r0, r12, " X ", r0\n\t"                     \
    "and    r12, lr, r11" SH "\n\t"                     \
    "smlad  r1, r12, " X ", r1\n\t"

/* Load the next weight word of rows a and b, offset binary (int2). */
#define EA_DBLK_LOADW(OFF)                              \
    "ldr    r10, [r2], #4\n\t"                          \
    "ldr    r11, [r2, r3]\n\t"                          \
    "eor    r10, r10, #" OFF "\n\t"                     \
    "eor    r11, r11, #" OFF "\n\t"

#elif EA_USE_DSP

/* Host: the same computation in C with the emulated instructions. */
EA_INLINE void ea_dblk_emulated(const ea_dense_args_t *a, int wbits)
{
    const uint8_t *pa = a->w;
    const int32_t *bp = a->bias;
    const int32_t *mp = a->mult;
    const int8_t *np = a->shift;
    uint8_t *op = a->out;
    /* int4: nloop = (passes of the first chunk) * 2^26 - 2 * (further chunks of 8 passes), passes
     * of four steps (32 elements) */
    const int32_t p1 = (int32_t)(((uint32_t)a->nloop + 0x03FFFFFFu) >> 26);
    const int32_t steps = wbits == 2 ? a->nloop : (wbits == 4 ? 4 * p1 : 2 * a->nloop);
    const int32_t chunks = wbits == 4 ? 1 + (int32_t)((((uint32_t)p1 << 26) - (uint32_t)a->nloop) / 2u) : 1;
    const uint32_t off = 0xAAAAAAAAu, mask = 0x00030003u;
    do {
        int32_t acc[2], t[2], q, s, ch, ns = steps;
        const uint32_t *xp = a->x;
        const uint8_t *r = pa;
        acc[0] = bp ? bp[0] : 0;
        acc[1] = bp ? bp[1] : 0;
        if (bp) {
            bp += 2;
        }
        acc[0] -= a->corr;
        acc[1] -= a->corr;
        t[0] = acc[0];
        t[1] = acc[1];
        for (ch = 0; ch < chunks; ch++, ns = 32) {
        if (wbits == 4) {
            acc[0] = 0;
            acc[1] = 0;
        }
        for (s = 0; s < ns; s++) {
            if (wbits == 8) {
                int h;
                for (h = 0; h < 2; h++) {
                    const uint32_t wa = ea_ld32(r), wb = ea_ld32(r + a->rowb);
                    r += 4;
                    acc[0] = ea_smlad(ea_sxtb16(wa), xp[0], acc[0]);
                    acc[1] = ea_smlad(ea_sxtb16(wb), xp[0], acc[1]);
                    acc[0] = ea_smlad(ea_sxtb16_r8(wa), xp[1], acc[0]);
                    acc[1] = ea_smlad(ea_sxtb16_r8(wb), xp[1], acc[1]);
                    xp += 2;
                }
            } else if (wbits == 4) {
                /* nibble j to the top of each halfword: (16*w_j, 16*w_j+4) * 256 */
                const uint32_t wa = ea_ld32(r), wb = ea_ld32(r + a->rowb);
                int j;
                r += 4;
                for (j = 0; j < 4; j++) {
                    acc[0] = ea_smlad((wa << (12 - 4 * j)) & 0xF000F000u, xp[j], acc[0]);
                    acc[1] = ea_smlad((wb << (12 - 4 * j)) & 0xF000F000u, xp[j], acc[1]);
                }
                xp += 4;
            } else {
                const uint32_t wa = ea_ld32(r) ^ off, wb = ea_ld32(r + a->rowb) ^ off;
                int j;
                r += 4;
                for (j = 0; j < 16 / wbits; j++) {
                    acc[0] = ea_smlad((wa >> (wbits * j)) & mask, xp[j], acc[0]);
                    acc[1] = ea_smlad((wb >> (wbits * j)) & mask, xp[j], acc[1]);
                }
                xp += 16 / wbits;
            }
        }
        if (wbits == 4) { /* exact: multiples of 4096, |chunk sum| < 2^31; >> is arithmetic with GCC */
            t[0] += acc[0] >> 12;
            t[1] += acc[1] >> 12;
            acc[0] = t[0];
            acc[1] = t[1];
        }
        }
        pa = r + a->delta;
        for (q = 0; q < 2; q++) {
            const int32_t k = np[q] - 33;
            int32_t v;
            if (k < 0) {
                v = 2 * ea_requantize(acc[q], mp[q], np[q], a->lo, a->hi);
            } else {
                v = (ea_smmla(acc[q], mp[q], 0) >> k) + 1;
            }
            v >>= 1;
            if (a->mode == EA_DMODE_U8) {
                v = ea_usat8(v);
            } else if (a->mode == EA_DMODE_S8) {
                v = ea_ssat8(v);
            } else {
                v = v < a->lo ? a->lo : (v > a->hi ? a->hi : v);
            }
            op[q] = (uint8_t)v;
        }
        mp += 2;
        np += 2;
        op += 2;
    } while (op != a->out_end);
}
#endif

#endif
