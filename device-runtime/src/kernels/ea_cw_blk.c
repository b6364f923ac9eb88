/* ea_cw_blk: the block loop of the widened-weight convolution (ea_cw.h).
 *
 * Registers (Armv7E-M / Armv8-M Mainline DSP, Thumb-2):
 *   r0-r3  accumulators (a,0) (a,1) (b,0) (b,1)   r4, r5 ends of the two windows of the block
 *   r6     stream pointer                         r7-r10 four weight words (LDM)
 *   r11, r12 two input words (LDRD)               lr  output pointer
 * Frame at sp: the seven words of ea_cw_args_t before steps.
 * The MAC code is eight groups unrolled, group j (counted from the end) reading the windows at
 * [end - 8j]; a channel pair enters at the group its fan-in needs (entry word of the stream), so
 * the windows' pointers stay fixed for the whole block and there is no loop test.
 * Per channel pair outside the MAC code (ctl == 0): 2 LDM, 4 SMMLA, 4 ASR, CBNZ, 4 USAT, LDR
 * (out_c), 4 STRB, then LDM (next start values and entry) and BX: 22. */
#include "ea_cw.h"

#if defined(__ARM_FEATURE_DSP)
#define EA_CW_GROUP(J, OFF)                     \
    ".global ea_cw_e" J "\n\t"                  \
    ".type ea_cw_e" J ", %function\n\t"         \
    "ea_cw_e" J ":\n\t"                         \
    "ldmia  r6!, {r7-r10}\n\t"                  \
    "ldrd   r11, r12, [r4, #-" OFF "]\n\t"      \
    "smlad  r0, r7, r11, r0\n\t"                \
    "smlad  r0, r8, r12, r0\n\t"                \
    "smlad  r2, r9, r11, r2\n\t"                \
    "smlad  r2, r10, r12, r2\n\t"               \
    "ldrd   r11, r12, [r5, #-" OFF "]\n\t"      \
    "smlad  r1, r7, r11, r1\n\t"                \
    "smlad  r1, r8, r12, r1\n\t"                \
    "smlad  r3, r9, r11, r3\n\t"                \
    "smlad  r3, r10, r12, r3\n\t"

/* Next channel pair: start values and entry, into the MAC code. */
#define EA_CW_NEXT                              \
    "ldmia  r6!, {r0-r3, r7}\n\t"               \
    "bx     r7\n\t"

__attribute__((naked)) void ea_cw_blk(const ea_cw_args_t *a __attribute__((unused)))
{
    __asm__ volatile("push   {r4-r11, lr}\n\t"
                     "sub    sp, sp, #28\n\t"
                     "ldmia  r0!, {r1-r7}\n\t" /* out, cout, e0, e1, d2, eend, stream */
                     "stmia  sp, {r1-r7}\n\t"
                     "mov    lr, r1\n\t"
                     "mov    r5, r4\n\t"
                     "mov    r4, r3\n\t"
                     "mov    r6, r7\n\t"
                     EA_CW_NEXT
                     EA_CW_GROUP("8", "64") EA_CW_GROUP("7", "56") EA_CW_GROUP("6", "48") EA_CW_GROUP("5", "40")
                     EA_CW_GROUP("4", "32") EA_CW_GROUP("3", "24") EA_CW_GROUP("2", "16") EA_CW_GROUP("1", "8")
                     /* requantization of the four outputs */
                     "ldmia  r6!, {r7, r8, r9}\n\t"
                     "smmla  r0, r0, r8, r9\n\t"
                     "smmla  r1, r1, r8, r9\n\t"
                     "asr    r0, r0, r7\n\t"
                     "asr    r1, r1, r7\n\t"
                     "ldmia  r6!, {r7, r8, r9, r10}\n\t" /* ctl, k, m, r */
                     "smmla  r2, r2, r9, r10\n\t"
                     "smmla  r3, r3, r9, r10\n\t"
                     "asr    r2, r2, r8\n\t"
                     "asr    r3, r3, r8\n\t"
                     "cbnz   r7, 30f\n\t"
                     "usat   r0, #8, r0\n\t"
                     "usat   r1, #8, r1\n\t"
                     "usat   r2, #8, r2\n\t"
                     "usat   r3, #8, r3\n\t"
                     "ldr    r8, [sp, #4]\n\t"
                     "strb   r1, [lr, r8]\n\t"
                     "strb   r0, [lr], #1\n\t"
                     "strb   r3, [lr, r8]\n\t"
                     "strb   r2, [lr], #1\n\t"
                     EA_CW_NEXT
                     /* ctl != 0: int8 clamp, odd last channel, end of the channel loop */
                     "30:\n\t"
                     "tst    r7, #4\n\t"
                     "bne    31f\n\t"
                     "usat   r0, #8, r0\n\t"
                     "usat   r1, #8, r1\n\t"
                     "usat   r2, #8, r2\n\t"
                     "usat   r3, #8, r3\n\t"
                     "32:\n\t"
                     "ldr    r8, [sp, #4]\n\t"
                     "strb   r1, [lr, r8]\n\t"
                     "strb   r0, [lr], #1\n\t"
                     "tst    r7, #2\n\t"
                     "bne    33f\n\t"
                     "strb   r3, [lr, r8]\n\t"
                     "strb   r2, [lr], #1\n\t"
                     "tst    r7, #1\n\t"
                     "bne    33f\n\t"
                     EA_CW_NEXT
                     /* end of the block: out past the second pixel, windows by d2 */
                     "33:\n\t"
                     "add    lr, lr, r8\n\t"
                     "ldrd   r9, r10, [sp, #16]\n\t" /* d2, eend */
                     "add    r4, r4, r9\n\t"
                     "add    r5, r5, r9\n\t"
                     "cmp    r4, r10\n\t"
                     "beq    34f\n\t"
                     "ldr    r6, [sp, #24]\n\t"
                     EA_CW_NEXT
                     "34:\n\t"
                     "add    sp, sp, #28\n\t"
                     "pop    {r4-r11, pc}\n\t"
                     "31:\n\t"
                     "ssat   r0, #8, r0\n\t"
                     "ssat   r1, #8, r1\n\t"
                     "ssat   r2, #8, r2\n\t"
                     "ssat   r3, #8, r3\n\t"
                     "b      32b\n\t");
}

void ea_cw_e1(void);
void ea_cw_e2(void);
void ea_cw_e3(void);
void ea_cw_e4(void);
void ea_cw_e5(void);
void ea_cw_e6(void);
void ea_cw_e7(void);
void ea_cw_e8(void);
const uint32_t ea_cw_entry[9] = {0,
                                 (uint32_t)ea_cw_e1,
                                 (uint32_t)ea_cw_e2,
                                 (uint32_t)ea_cw_e3,
                                 (uint32_t)ea_cw_e4,
                                 (uint32_t)ea_cw_e5,
                                 (uint32_t)ea_cw_e6,
                                 (uint32_t)ea_cw_e7,
                                 (uint32_t)ea_cw_e8};

#elif EA_USE_DSP
const uint32_t ea_cw_entry[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};

/* Host: the same computation in C with the emulated instructions. */
void ea_cw_blk(const ea_cw_args_t *a)
{
    uint8_t *o = a->out;
    const uint32_t *e0 = a->e0, *e1 = a->e1;
    const int32_t steps = a->steps;
    do {
        const uint32_t *ws = a->stream;
        uint32_t ctl;
        do {
            int32_t acc[4], g, q;
            const uint32_t *x0 = e0 - 2 * steps, *x1 = e1 - 2 * steps;
            for (q = 0; q < 4; q++) {
                acc[q] = (int32_t)ws[q];
            }
            ws += 5;
            for (g = 0; g < steps; g++) {
                acc[0] = ea_smlad(ws[0], x0[0], acc[0]);
                acc[0] = ea_smlad(ws[1], x0[1], acc[0]);
                acc[2] = ea_smlad(ws[2], x0[0], acc[2]);
                acc[2] = ea_smlad(ws[3], x0[1], acc[2]);
                acc[1] = ea_smlad(ws[0], x1[0], acc[1]);
                acc[1] = ea_smlad(ws[1], x1[1], acc[1]);
                acc[3] = ea_smlad(ws[2], x1[0], acc[3]);
                acc[3] = ea_smlad(ws[3], x1[1], acc[3]);
                ws += 4;
                x0 += 2;
                x1 += 2;
            }
            ctl = ws[3];
            for (q = 0; q < 4; q++) {
                const uint32_t *e = ws + (q < 2 ? 0 : 4);
                const int32_t y = ea_smmla(acc[q], (int32_t)e[1], (int32_t)e[2]) >> (int32_t)e[0];
                acc[q] = (ctl & EA_CW_S8) ? ea_ssat8(y) : ea_usat8(y);
            }
            ws += 7;
            o[a->cout] = (uint8_t)acc[1];
            o[0] = (uint8_t)acc[0];
            o++;
            if (!(ctl & EA_CW_ODD)) {
                o[a->cout] = (uint8_t)acc[3];
                o[0] = (uint8_t)acc[2];
                o++;
            }
        } while (!(ctl & (EA_CW_LAST | EA_CW_ODD)));
        o += a->cout;
        e0 = (const uint32_t *)((const uint8_t *)e0 + a->d2);
        e1 = (const uint32_t *)((const uint8_t *)e1 + a->d2);
    } while (e0 != a->eend);
}
#else
typedef int ea_cw_blk_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
