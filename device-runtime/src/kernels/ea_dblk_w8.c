/* ea_dblk_w8 / ea_dblk_w8u: row-pair loops of the DSP dense path for int8 weights (ea_dblk.h), and
 * the widening of the input vector into its pair order: (x0,x2), (x1,x3) per group of four.
 * MAC loop: one step is two weight words of both rows against four input words (16 MACs), two
 * steps per pass, then SUBS/BNE.
 *   ea_dblk_w8 (word-aligned rows: w and rowb multiples of 4): 20 instructions per step, 1 LDM,
 *     1 LDRD (row a; LDRD faults on an unaligned address), 2 LDR (row b, its own pointer),
 *     8 SXTB16, 8 SMLAD.
 *   ea_dblk_w8u (rows on any byte): 21, four LDR (any alignment) instead of LDRD + 2 LDR.
 * ea_dense_body picks one per call; the scratch copy of the last rows keeps the row spacing, so it
 * is aligned whenever the rows are. */
#include "ea_dblk_impl.h"
#include "ea_cw.h"

#if EA_USE_DSP
#if defined(__ARM_FEATURE_DSP)
/* ea_dblk_w8: row a word WA (loaded), row b's next word (LDR into r12) against input words XE
 * (even pair) and XO (odd pair); lr holds each unpacked pair */
#define EA_D8_WORD(WA, XE, XO)                      \
    "ldr    r12, [r3], #4\n\t"                      \
    "sxtb16 lr, " WA "\n\t"                         \
    "smlad  r0, lr, " XE ", r0\n\t"                 \
    "sxtb16 lr, r12\n\t"                            \
    "smlad  r1, lr, " XE ", r1\n\t"                 \
    "sxtb16 " WA ", " WA ", ror #8\n\t"             \
    "smlad  r0, " WA ", " XO ", r0\n\t"             \
    "sxtb16 r12, r12, ror #8\n\t"                   \
    "smlad  r1, r12, " XO ", r1\n\t"
#define EA_D8_STEP                                  \
    "ldmia  r4!, {r6-r9}\n\t"                       \
    "ldrd   r10, r11, [r2], #8\n\t"                 \
    EA_D8_WORD("r10", "r6", "r7") EA_D8_WORD("r11", "r8", "r9")
/* r3: row b pointer, set once and moved by delta (r9 in the tail) after every pair */
#define EA_D8_SETUP "add    r3, r2, r3\n\t"
#define EA_D8_ADV "add    r3, r3, r9\n\t"

/* ea_dblk_w8u: rows a, b: weight word (LDR, row b at r2 + r3) against input words XE and XO */
#define EA_D8U_WORD(XE, XO)                         \
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
#define EA_D8U_STEP "ldmia  r4!, {r6-r9}\n\t" EA_D8U_WORD("r6", "r7") EA_D8U_WORD("r8", "r9")

EA_DBLK_ATTR void ea_dblk_w8(EA_DBLK_PARAM)
{
    __asm__ volatile(EA_DBLK_BODY(EA_D8_SETUP, "", EA_D8_STEP, EA_D8_STEP, EA_DBLK_LOOPEND, EA_D8_ADV, ""));
}

EA_DBLK_ATTR void ea_dblk_w8u(EA_DBLK_PARAM)
{
    __asm__ volatile(EA_DBLK_BODY(EA_DBLK_ROWB_OFFSET, "", EA_D8U_STEP, EA_D8U_STEP, EA_DBLK_LOOPEND, "", ""));
}
#else
#include <stdlib.h>

void ea_dblk_w8(const ea_dense_args_t *a)
{
    /* the assembly's LDRD faults on an unaligned row: fail the same way on the host */
    if ((((uintptr_t)a->w | (uint32_t)a->rowb) & 3u) != 0) {
        abort();
    }
    ea_dblk_emulated(a, 8);
}

void ea_dblk_w8u(const ea_dense_args_t *a)
{
    ea_dblk_emulated(a, 8);
}
#endif

EA_INLINE int32_t ea_dwiden8(const uint8_t *x, int32_t K, int in_u8, uint32_t *c)
{
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
    ea_dzero8(c);
    return 0;
}

int32_t ea_dwiden_s8_w8(const uint8_t *x, int32_t K, uint32_t *col)
{
    return ea_dwiden8(x, K, 0, col);
}

int32_t ea_dwiden_u8_w8(const uint8_t *x, int32_t K, uint32_t *col)
{
    return ea_dwiden8(x, K, 1, col);
}
#else
typedef int ea_dblk_w8_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
