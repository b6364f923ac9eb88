/*
 * Bodies of ea_blk_w8/w4/w2 (see ea_blk.h): the assembly text shared by the three widths and
 * the C emulation used on the host.
 *
 * Registers in the assembly (Armv7E-M / Armv8-M Mainline DSP, Thumb-2):
 *   r0-r3  accumulators of pixels 0..3      r4  column pointer     r5  weight pointer
 *   r6     loop counter                      r7  packed weight word r8  unpacked weight pair
 *   r9-r10 two column words (LDRD)           r11 second unpack (int4/int2)
 *   r12    output pointer                    lr  table pointer
 * Frame: the first nine words of ea_blk_args_t at sp (col, -, nloop, odd, tab_end, ostride,
 * mode, lo, hi).
 * int8 keeps ostride in r11 (free in its MAC loop); the sub-byte loops reload it.
 * Instructions per channel outside the MAC loop (int8): 2 LDM + 1 column reset, 2-3 loop entry,
 * 1 + 8 requantization (SMMLA, ASR), 2 mode test, 4 USAT/SSAT, 6 stores, 3 loop control.
 */
#ifndef EDGEAMP_EA_BLK_IMPL_H
#define EDGEAMP_EA_BLK_IMPL_H

#include "ea_blk.h"

#if defined(__ARM_FEATURE_DSP)

#define EA_BLK_ATTR __attribute__((naked))
#define EA_BLK_PARAM const ea_blk_args_t *a __attribute__((unused))

/* Entry: save, copy the frame words, load out/tab; label 10 = channel loop, which starts by
 * loading the accumulators' start values and the row pointer from the table entry. */
#define EA_BLK_PROLOGUE(SETUP)         \
    "push   {r4-r11, lr}\n\t"                \
    "sub    sp, sp, #44\n\t"                 \
    "ldmia  r0!, {r1-r9}\n\t"                \
    "stmia  sp, {r1-r9}\n\t"                 \
    "ldmia  r0, {r12, lr}\n\t"               \
    SETUP                                    \
    "10:\n\t"                                \
    "ldmia  lr!, {r0-r3, r5}\n\t" /* init[4], row */ \
    "ldr    r4, [sp]\n\t"

/* Four pixels times one unpacked weight pair in r8 (two LDRD of the interleaved column). */
#define EA_BLK_MAC4(T)                          \
    "ldrd   r9, r10, [r4], #8\n\t"              \
    "smlad  r0, " T ", r9, r0\n\t"              \
    "smlad  r1, " T ", r10, r1\n\t"             \
    "ldrd   r9, r10, [r4], #8\n\t"              \
    "smlad  r2, " T ", r9, r2\n\t"              \
    "smlad  r3, " T ", r10, r3\n\t"

/* After the MAC loop: TAIL (the rest of the table entry, and for sub-byte weights
 * the bias added to the sums shifted back exactly), requantization, clamp, stores (OS: the
 * register holding ostride, OSLOAD: how it gets there), channel loop. */
#define EA_BLK_EPILOGUE(TAIL, OSLOAD, OS)           \
    TAIL                                            \
    "cbz    r7, 22f\n\t"                            \
    "smmla  r0, r0, r8, r9\n\t"                     \
    "smmla  r1, r1, r8, r9\n\t"                     \
    "smmla  r2, r2, r8, r9\n\t"                     \
    "smmla  r3, r3, r8, r9\n\t"                     \
    "asrs   r0, r7\n\t"                             \
    "asrs   r1, r7\n\t"                             \
    "asrs   r2, r7\n\t"                             \
    "asrs   r3, r7\n\t"                             \
    "ldr    r6, [sp, #24]\n\t"                      \
    "cbnz   r6, 23f\n\t"                            \
    "usat   r0, #8, r0\n\t"                         \
    "usat   r1, #8, r1\n\t"                         \
    "usat   r2, #8, r2\n\t"                         \
    "usat   r3, #8, r3\n\t"                         \
    "20:\n\t"                                       \
    OSLOAD                                          \
    "strb   r0, [r12]\n\t"                          \
    "strb   r1, [r12, " OS "]\n\t"                  \
    "add    r10, r12, " OS ", lsl #1\n\t"           \
    "strb   r2, [r10]\n\t"                          \
    "strb   r3, [r10, " OS "]\n\t"                  \
    "add    r12, r12, #1\n\t"                       \
    "21:\n\t"                                       \
    "ldr    r9, [sp, #16]\n\t"                      \
    "cmp    lr, r9\n\t"                             \
    "bne    10b\n\t"                                \
    "add    sp, sp, #44\n\t"                        \
    "pop    {r4-r11, pc}\n\t"                       \
    "22:\n\t"                                       \
    "stmia  r12, {r0-r3}\n\t"                       \
    "b      21b\n\t"                                \
    "23:\n\t"                                       \
    "cmp    r6, #1\n\t"                             \
    "bne    24f\n\t"                                \
    "ssat   r0, #8, r0\n\t"                         \
    "ssat   r1, #8, r1\n\t"                         \
    "ssat   r2, #8, r2\n\t"                         \
    "ssat   r3, #8, r3\n\t"                         \
    "b      20b\n\t"                                \
    "24:\n\t"                                       \
    "ldrd   r9, r10, [sp, #28]\n\t"                 \
    "cmp    r0, r9\n\t" "it lt\n\t" "movlt r0, r9\n\t" "cmp r0, r10\n\t" "it gt\n\t" "movgt r0, r10\n\t" \
    "cmp    r1, r9\n\t" "it lt\n\t" "movlt r1, r9\n\t" "cmp r1, r10\n\t" "it gt\n\t" "movgt r1, r10\n\t" \
    "cmp    r2, r9\n\t" "it lt\n\t" "movlt r2, r9\n\t" "cmp r2, r10\n\t" "it gt\n\t" "movgt r2, r10\n\t" \
    "cmp    r3, r9\n\t" "it lt\n\t" "movlt r3, r9\n\t" "cmp r3, r10\n\t" "it gt\n\t" "movgt r3, r10\n\t" \
    "b      20b\n\t"

/* int8: bias already in the sums; (b) k m r */
#define EA_BLK_TAIL8 "ldmia  lr!, {r6, r7, r8, r9}\n\t"
/* int4/int2: b k m r, then acc = b + (sum >> SH) */
#define EA_BLK_TAILS(SH)                          \
    "ldmia  lr!, {r6, r7, r8, r9}\n\t"            \
    "add    r0, r6, r0, asr #" SH "\n\t"          \
    "add    r1, r6, r1, asr #" SH "\n\t"          \
    "add    r2, r6, r2, asr #" SH "\n\t"          \
    "add    r3, r6, r3, asr #" SH "\n\t"

#elif EA_USE_DSP

/* Host: the same computation in C (ea_dot1x4 emulates the MAC loop instruction by instruction). */
#include "ea_conv_core.h"

EA_INLINE void ea_blk_emulated(const ea_blk_args_t *a, int wbits)
{
    const int32_t words = wbits == 8 ? 2 * a->nloop - a->odd : a->nloop;
    uint8_t *o = a->out;
    const ea_rqtab_t *e;
    for (e = a->tab; e != a->tab_end; e++) {
        int32_t acc[4], q;
        ea_dot1x4(a->col, e->w, words, wbits, 0, acc);
        for (q = 0; q < 4; q++) {
            acc[q] += wbits == 8 ? e->init[q] : e->b;
        }
        if (e->kmr[0] == 0) {
            memcpy(o, acc, sizeof acc);
            continue;
        }
        for (q = 0; q < 4; q++) {
            int32_t y = ea_smmla(acc[q], e->kmr[1], e->kmr[2]) >> e->kmr[0];
            if (a->mode == EA_MODE_U8) {
                y = ea_usat8(y);
            } else if (a->mode == EA_MODE_S8) {
                y = ea_ssat8(y);
            } else {
                y = y < a->lo ? a->lo : (y > a->hi ? a->hi : y);
            }
            o[q * a->ostride] = (uint8_t)y;
        }
        o++;
    }
}
#endif

#endif
