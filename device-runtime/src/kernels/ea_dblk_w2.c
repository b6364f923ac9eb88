/* ea_dblk_w2: row-pair loop of the DSP dense path for int2 weights (ea_dblk.h), and the widening
 * of the input vector into its pair order: (x_j, x_j+8), j = 0..7, per group of sixteen.
 * MAC loop: one step is one weight word of both rows against eight input words (32 MACs,
 * 38 instructions: 2 LDM, 2 LDR, 2 EOR, 16 AND, 16 SMLAD); one step per pass (code size), then
 * SUBS/BNE. */
#include "ea_dblk_impl.h"

#if EA_USE_DSP
#if defined(__ARM_FEATURE_DSP)
#define EA_D2_STEP                                  \
    EA_DBLK_LOADW("0xAAAAAAAA")                     \
    "ldmia  r4!, {r6-r9}\n\t"                       \
    EA_DBLK_PAIR("", "r6")                          \
    EA_DBLK_PAIR(", lsr #2", "r7")                  \
    EA_DBLK_PAIR(", lsr #4", "r8")                  \
    EA_DBLK_PAIR(", lsr #6", "r9")                  \
    "ldmia  r4!, {r6-r9}\n\t"                       \
    EA_DBLK_PAIR(", lsr #8", "r6")                  \
    EA_DBLK_PAIR(", lsr #10", "r7")                 \
    EA_DBLK_PAIR(", lsr #12", "r8")                 \
    EA_DBLK_PAIR(", lsr #14", "r9")

EA_DBLK_ATTR void ea_dblk_w2(EA_DBLK_PARAM)
{
    __asm__ volatile(EA_DBLK_BODY(EA_DBLK_ROWB_OFFSET "mov    lr, #0x00030003\n\t", EA_DBLK_BIAS_START EA_DBLK_CORR,
                                  EA_D2_STEP, "", EA_DBLK_LOOPEND, "", ""));
}
#else
void ea_dblk_w2(const ea_dense_args_t *a)
{
    ea_dblk_emulated(a, 2);
}
#endif

/* Sixteen bytes a..d -> pairs (x_j, x_j+8): PKH gathers [x0 x1 x8 x9], [x2 x3 x10 x11],
 * [x4 x5 x12 x13], [x6 x7 x14 x15], then one extension per pair; s += the sixteen values
 * (USADA8 for uint8, SMLAD of the pairs for int8). */
EA_INLINE int32_t ea_dwiden16(const uint8_t *x, int in_u8, uint32_t *c, int32_t s)
{
    const uint32_t a = ea_ld32(x), b = ea_ld32(x + 4), d = ea_ld32(x + 8), e = ea_ld32(x + 12);
    uint32_t t[4];
    int32_t j;
    t[0] = ea_pkhbt(a, d);
    t[1] = ea_pkhtb(d, a);
    t[2] = ea_pkhbt(b, e);
    t[3] = ea_pkhtb(e, b);
    for (j = 0; j < 4; j++) {
        c[2 * j] = in_u8 ? ea_uxtb16(t[j]) : ea_sxtb16(t[j]);
        c[2 * j + 1] = in_u8 ? ea_uxtb16_r8(t[j]) : ea_sxtb16_r8(t[j]);
        if (!in_u8) {
            s = ea_smlad(c[2 * j], 0x00010001u, s);
            s = ea_smlad(c[2 * j + 1], 0x00010001u, s);
        }
    }
    if (in_u8) {
        s = ea_usada8(e, ea_usada8(d, ea_usada8(b, ea_usada8(a, s))));
    }
    return s;
}

EA_INLINE int32_t ea_dwiden2(const uint8_t *x, int32_t K, int in_u8, uint32_t *c)
{
    const int32_t full = K >> 4, ng = (K + 15) >> 4;
    uint8_t t[16]; /* a last partial group, zero-padded */
    int32_t g, s = 0;
    if (ng > full) {
        memset(t, 0, sizeof t);
        memcpy(t, x + 16 * full, (size_t)(K & 15));
    }
    for (g = 0; g < ng; g++, c += 8) {
        s = ea_dwiden16(g < full ? x + 16 * g : t, in_u8, c, s);
    }
    return s; /* a group of sixteen is one MAC-loop pass: no padding words */
}

int32_t ea_dwiden_s8_w2(const uint8_t *x, int32_t K, uint32_t *col)
{
    return ea_dwiden2(x, K, 0, col);
}

int32_t ea_dwiden_u8_w2(const uint8_t *x, int32_t K, uint32_t *col)
{
    return ea_dwiden2(x, K, 1, col);
}

const ea_dense_ops_t ea_dense_ops_s8_w2 = {ea_dblk_w2, ea_dwiden_s8_w2, 2};
const ea_dense_ops_t ea_dense_ops_u8_w2 = {ea_dblk_w2, ea_dwiden_u8_w2, 2};
#else
typedef int ea_dblk_w2_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
