/* ea_dblk_w8: row-pair loop of the DSP dense path for int8 weights (ea_dblk.h), and the widening
 * of the input vector into its pair order: (x0,x2), (x1,x3) per group of four.
 * MAC loop: one step is two weight words of both rows against four input words (16 MACs,
 * 21 instructions: 1 LDM, 4 LDR, 8 SXTB16, 8 SMLAD); two steps per pass, then SUBS/BNE.
 * Rows may start on any byte (LDR). A variant for word-aligned rows that reads row a two words
 * per LDRD (20 instructions per step, dense1 -3%) was measured and dropped: its second copy of
 * the loop cost 432 bytes of .text, which the 8 KB budget of one model's kernels cannot spare. */
#include "ea_dblk_impl.h"
#include "ea_cw.h"

#if EA_USE_DSP
#if defined(__ARM_FEATURE_DSP)
/* rows a, b: weight word (LDR, row b at r2 + r3) against input words XE (even pair) and XO (odd pair) */
#define EA_D8_WORD(XE, XO)                          \
    "ldr    r10, [r2], #4\n\t"                      \
    "ldr    r11, [r2, r3]\n\t"                      \
    "sxtb16 r12, r10\n\t"                           \
    "smlad  r0, r12, " XE ", r0\n\t"                \
    "sxtb16 r12, r11\n\t"                           \
    "smlad  r1, r12, " XE ", r1\n\t"                \
    "sxtb16 r10, r10, ror #8\n\t"                   \
    "smlad  r0, r10, " XO ", r0\n\t"                \
    "sxtb16 r11, r11, ror #8\n\t"                   \
    "smlad  r1, r11, " XO ", r1\n\t"
#define EA_D8_STEP "ldmia  r4!, {r6-r9}\n\t" EA_D8_WORD("r6", "r7") EA_D8_WORD("r8", "r9")

EA_DBLK_ATTR void ea_dblk_w8(EA_DBLK_PARAM)
{
    __asm__ volatile(EA_DBLK_BODY(EA_DBLK_ROWB_OFFSET, EA_DBLK_BIAS_START, EA_D8_STEP, EA_D8_STEP, EA_DBLK_LOOPEND,
                                  "", ""));
}
#else
void ea_dblk_w8(const ea_dense_args_t *a)
{
    ea_dblk_emulated(a, 8);
}
#endif

EA_INLINE int32_t ea_dwiden8(const uint8_t *x, int32_t K, int in_u8, uint32_t *c)
{
    const uint32_t *const end = c + (((K + 15) & ~15) >> 1); /* whole passes of 16 elements */
    int32_t g;
    if (K >= 16) {
        if (in_u8) {
            ea_x16_u8(x, c, K >> 4);
        } else {
            ea_x16_s8(x, c, K >> 4);
        }
        x += K & ~15;
        c += (K >> 4) * 8;
    }
    g = (K & 15) >> 2;
    for (; g > 0; g--, x += 4, c += 2) {
        const uint32_t v = ea_ld32(x);
        c[0] = in_u8 ? ea_uxtb16(v) : ea_sxtb16(v);
        c[1] = in_u8 ? ea_uxtb16_r8(v) : ea_sxtb16_r8(v);
    }
    if (K & 3) {
        uint32_t v = 0;
        int32_t i;
        for (i = 0; i < (K & 3); i++) {
            v |= (uint32_t)x[i] << (8 * i);
        }
        c[0] = in_u8 ? ea_uxtb16(v) : ea_sxtb16(v);
        c[1] = in_u8 ? ea_uxtb16_r8(v) : ea_sxtb16_r8(v);
        c += 2;
    }
    ea_dzero_to(c, end);
    return 0;
}

EA_DENSE_OPS_DEFINE(8)
#else
typedef int ea_dblk_w8_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
