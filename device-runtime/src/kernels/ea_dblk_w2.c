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

/* n (>= 1) groups of sixteen bytes a, b, d, e -> pairs (x_j, x_j+8): PKH gathers [x0 x1 x8 x9],
 * [x2 x3 x10 x11], [x4 x5 x12 x13], [x6 x7 x14 x15], then one extension per pair; returns s plus the
 * sum of the values (USADA8 against zero for uint8, SMLAD of the pairs with (1, 1) for int8).
 * Cortex-M: 4 LDR (any alignment), 4 PKH, 8 extensions, 2 STM, 4 USADA8 (uint8) or 8 SMLAD
 * (int8), SUBS/BNE per group. */
#if defined(__ARM_FEATURE_DSP)
#define EA_X16P_SUM_U8(R) "usada8 r3, " R ", r12, r3\n\t"
#define EA_X16P_SUM_S8(R) "smlad  r3, " R ", r12, r3\n\t"
#define EA_X16P_HALF(LO, HI, EXT, WSUM)                                                             \
    "pkhbt  lr, " LO ", " HI ", lsl #16\n\t"                                                      \
    "pkhtb  " LO ", " HI ", " LO ", asr #16\n\t"                                                  \
    EXT "   r8, lr\n\t" EXT "   r9, lr, ror #8\n\t"                                             \
    EXT "   r10, " LO "\n\t" EXT "   r11, " LO ", ror #8\n\t"                                    \
    "stmia  r1!, {r8-r11}\n\t"                                                                   \
    WSUM("r8") WSUM("r9") WSUM("r10") WSUM("r11")
#define EA_X16P_CORE(NAME, EXT, ONE, BSUM, WSUM)                                                    \
    __attribute__((naked, noinline)) static int32_t NAME(const uint8_t *x __attribute__((unused)),  \
                                                         uint32_t *c __attribute__((unused)),       \
                                                         int32_t n __attribute__((unused)),         \
                                                         int32_t s __attribute__((unused)))         \
    {                                                                                              \
        __asm__ volatile("push   {r4-r11, lr}\n\t"                                                 \
                         "mov    r12, #" ONE "\n\t"                                                \
                         "1:\n\t"                                                                  \
                         "ldr    r4, [r0], #4\n\t"                                                 \
                         "ldr    r5, [r0], #4\n\t"                                                 \
                         "ldr    r6, [r0], #4\n\t"                                                 \
                         "ldr    r7, [r0], #4\n\t"                                                 \
                         BSUM("r4") BSUM("r5") BSUM("r6") BSUM("r7")                               \
                         EA_X16P_HALF("r4", "r6", EXT, WSUM)                                       \
                         EA_X16P_HALF("r5", "r7", EXT, WSUM)                                       \
                         "subs   r2, r2, #1\n\t"                                                   \
                         "bne    1b\n\t"                                                           \
                         "mov    r0, r3\n\t"                                                       \
                         "pop    {r4-r11, pc}\n\t");                                               \
    }
#define EA_X16P_NONE(R) ""
EA_X16P_CORE(ea_x16p_s8, "sxtb16", "0x00010001", EA_X16P_NONE, EA_X16P_SUM_S8)
EA_X16P_CORE(ea_x16p_u8, "uxtb16", "0", EA_X16P_SUM_U8, EA_X16P_NONE)
#else
static int32_t ea_x16p(const uint8_t *x, uint32_t *c, int32_t n, int32_t s, int in_u8)
{
    for (; n > 0; n--, x += 16, c += 8) {
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
    }
    return s;
}
static int32_t ea_x16p_s8(const uint8_t *x, uint32_t *c, int32_t n, int32_t s)
{
    return ea_x16p(x, c, n, s, 0);
}
static int32_t ea_x16p_u8(const uint8_t *x, uint32_t *c, int32_t n, int32_t s)
{
    return ea_x16p(x, c, n, s, 1);
}
#endif

/* Returns sum(x), which the offset binary needs (ea_dblk.h). A group of sixteen is one MAC-loop
 * pass: no padding words. */
EA_INLINE int32_t ea_dwiden2(const uint8_t *x, int32_t K, int in_u8, uint32_t *c)
{
    const int32_t full = K >> 4;
    int32_t s = 0;
    if (full > 0) {
        s = in_u8 ? ea_x16p_u8(x, c, full, 0) : ea_x16p_s8(x, c, full, 0);
    }
    if (K & 15) { /* the last partial group, zero-padded */
        uint8_t t[16];
        memset(t, 0, sizeof t);
        memcpy(t, x + 16 * full, (size_t)(K & 15));
        s = in_u8 ? ea_x16p_u8(t, c + 8 * full, 1, s) : ea_x16p_s8(t, c + 8 * full, 1, s);
    }
    return s;
}

EA_DENSE_OPS_DEFINE(2)
#else
typedef int ea_dblk_w2_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
