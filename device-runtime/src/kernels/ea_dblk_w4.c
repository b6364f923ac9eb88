/* ea_dblk_w4: row-pair loop of the DSP dense path for int4 weights (ea_dblk.h), and the widening
 * of the input vector into its pair order: (x_j, x_j+4), j = 0..3, per group of eight.
 * MAC loop: one step is one weight word of both rows against four input words (16 MACs,
 * 21 instructions: 1 LDM, 2 LDR, 2 EOR, 8 AND, 8 SMLAD); two steps per pass, then SUBS/BNE. */
#include "ea_dblk_impl.h"

#if EA_USE_DSP
#if defined(__ARM_FEATURE_DSP)
#define EA_D4_STEP                                  \
    "ldmia  r4!, {r6-r9}\n\t"                       \
    EA_DBLK_LOADW("0x88888888")                     \
    EA_DBLK_PAIR("", "r6")                          \
    EA_DBLK_PAIR(", lsr #4", "r7")                  \
    EA_DBLK_PAIR(", lsr #8", "r8")                  \
    EA_DBLK_PAIR(", lsr #12", "r9")

EA_DBLK_ATTR void ea_dblk_w4(EA_DBLK_PARAM)
{
    __asm__ volatile(EA_DBLK_BODY("mov    lr, #0x000F000F\n\t", EA_DBLK_CORR, EA_D4_STEP, EA_D4_STEP));
}
#else
void ea_dblk_w4(const ea_dense_args_t *a)
{
    ea_dblk_emulated(a, 4);
}
#endif

/* Eight bytes a, b -> pairs (x0,x4) (x1,x5) (x2,x6) (x3,x7): PKH gathers [x0 x1 x4 x5] and
 * [x2 x3 x6 x7], then one extension per pair; s += the eight values (USADA8 for uint8, SMLAD of
 * the pairs for int8). */
EA_INLINE int32_t ea_dwiden8x(uint32_t a, uint32_t b, int in_u8, uint32_t *c, int32_t s)
{
    const uint32_t t0 = ea_pkhbt(a, b), t1 = ea_pkhtb(b, a);
    c[0] = in_u8 ? ea_uxtb16(t0) : ea_sxtb16(t0);
    c[1] = in_u8 ? ea_uxtb16_r8(t0) : ea_sxtb16_r8(t0);
    c[2] = in_u8 ? ea_uxtb16(t1) : ea_sxtb16(t1);
    c[3] = in_u8 ? ea_uxtb16_r8(t1) : ea_sxtb16_r8(t1);
    if (in_u8) {
        return ea_usada8(b, ea_usada8(a, s));
    }
    s = ea_smlad(c[0], 0x00010001u, s);
    s = ea_smlad(c[1], 0x00010001u, s);
    s = ea_smlad(c[2], 0x00010001u, s);
    return ea_smlad(c[3], 0x00010001u, s);
}

EA_INLINE int32_t ea_dwiden4(const uint8_t *x, int32_t K, int in_u8, uint32_t *c)
{
    const int32_t full = K >> 3, ng = (K + 7) >> 3;
    uint8_t t[8]; /* a last partial group, zero-padded */
    int32_t g, s = 0;
    if (ng > full) {
        memset(t, 0, sizeof t);
        memcpy(t, x + 8 * full, (size_t)(K & 7));
    }
    for (g = 0; g < ng; g++, c += 4) {
        const uint8_t *src = g < full ? x + 8 * g : t;
        s = ea_dwiden8x(ea_ld32(src), ea_ld32(src + 4), in_u8, c, s);
    }
    ea_dzero8(c);
    return s;
}

int32_t ea_dwiden_s8_w4(const uint8_t *x, int32_t K, uint32_t *col)
{
    return ea_dwiden4(x, K, 0, col);
}

int32_t ea_dwiden_u8_w4(const uint8_t *x, int32_t K, uint32_t *col)
{
    return ea_dwiden4(x, K, 1, col);
}
#else
typedef int ea_dblk_w4_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
