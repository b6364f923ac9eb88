/* ea_dblk_w4: row-pair loop of the DSP dense path for int4 weights (ea_dblk.h), and the widening
 * of the input vector into its pair order: (x_j, x_j+4), j = 0..3, per group of eight.
 * MAC loop: one step is one weight word of both rows against four input words (16 MACs,
 * 19 instructions: 1 LDM, 2 LDR, 8 AND, 8 SMLAD; no offset, see ea_dblk.h); four steps per pass
 * (32 elements, so the loop test costs 2 per 64 MACs), then SUBS/BGT.
 * Row pair: the accumulators start at zero and the bias is added in the tail together with the
 * 4096 scale (ADD with ASR #12): 32 instructions around the MAC loop (int8: 27). */
#include "ea_dblk_impl.h"

#if EA_USE_DSP
#if defined(__ARM_FEATURE_DSP)
#define EA_D4_STEP                                  \
    "ldmia  r4!, {r6-r9}\n\t"                       \
    "ldr    r10, [r2], #4\n\t"                      \
    "ldr    r11, [r2, r3]\n\t"                      \
    EA_DBLK_PAIR(", lsl #12", "r6")                 \
    EA_DBLK_PAIR(", lsl #8", "r7")                  \
    EA_DBLK_PAIR(", lsl #4", "r8")                  \
    EA_DBLK_PAIR("", "r9")
#define EA_D4_PASS EA_D4_STEP EA_D4_STEP

/* Once per call: the mask, and T (sp+52: the finished chunks' sums of a row pair) = 0. */
#define EA_D4_SETUP                                 \
    EA_DBLK_ROWB_OFFSET                             \
    "mov    lr, #0xF000F000\n\t"                    \
    "movs   r0, #0\n\t"                             \
    "movs   r1, #0\n\t"                             \
    "strd   r0, r1, [sp, #52]\n\t"
/* Row pair start: the chunk accumulators start at 0. */
#define EA_D4_START                                 \
    "movs   r0, #0\n\t"                             \
    "movs   r1, #0\n\t"
/* Pass end. r5 (nloop, ea_dblk.h) counts the chunk's passes down in units of 2^26: above 0 loop;
 * 0 (flags EQ): the row's only chunk is done -> tail; below 0: a chunk of a longer row ended
 * (label 12, cold). */
#define EA_D4_LOOPEND                               \
    "subs   r5, r5, #0x04000000\n\t"                \
    "bgt    11b\n\t"                                \
    "blt    12f\n\t"
/* Tail, with r4 = bias pointer: acc = bias + acc/4096 (exact: every product is a multiple of 4096
 * and a chunk's sum stays below 2^31 in magnitude). Label 16: acc is the finished dot product. */
#define EA_D4_TAILPRE                               \
    "cbz    r4, 15f\n\t"                            \
    "ldrd   r9, r10, [r4], #8\n\t"                  \
    "add    r0, r9, r0, asr #12\n\t"                \
    "add    r1, r10, r1, asr #12\n\t"               \
    "16:\n\t"
/* 15: no bias. 12: a chunk of a row longer than 256 elements ended with r5 = -v: T += acc/4096;
 * v even: v/2 chunks follow -> the next chunk of eight passes (r5 = 2^29 - (v - 2), or 2^29 - 1
 * when it is the last, which ends at -1); v odd: that was the last chunk (14) -> acc = T, T = 0,
 * add the bias, join the tail. */
#define EA_D4_COLD                                  \
    "15:\n\t"                                       \
    "asr    r0, r0, #12\n\t"                        \
    "asr    r1, r1, #12\n\t"                        \
    "b      16b\n\t"                                \
    "12:\n\t"                                       \
    "ldrd   r9, r10, [sp, #52]\n\t"                 \
    "add    r9, r9, r0, asr #12\n\t"                \
    "add    r10, r10, r1, asr #12\n\t"              \
    "movs   r0, #0\n\t"                             \
    "movs   r1, #0\n\t"                             \
    "tst    r5, #1\n\t"                             \
    "bne    14f\n\t"                                \
    "strd   r9, r10, [sp, #52]\n\t"                 \
    "adds   r5, r5, #2\n\t"                         \
    "add    r5, r5, #0x20000000\n\t"                \
    "it     eq\n\t"                                 \
    "subeq  r5, r5, #1\n\t"                         \
    "b      11b\n\t"                                \
    "14:\n\t"                                       \
    "strd   r0, r1, [sp, #52]\n\t"                  \
    "mov    r0, r9\n\t"                             \
    "mov    r1, r10\n\t"                            \
    "ldmia  sp, {r4-r8}\n\t"                        \
    "cmp    r4, #0\n\t"                             \
    "beq    16b\n\t"                                \
    "ldrd   r9, r10, [r4], #8\n\t"                  \
    "add    r0, r0, r9\n\t"                         \
    "add    r1, r1, r10\n\t"                        \
    "b      16b\n\t"

EA_DBLK_ATTR void ea_dblk_w4(EA_DBLK_PARAM)
{
    __asm__ volatile(EA_DBLK_BODY(EA_D4_SETUP, EA_D4_START, EA_D4_PASS, EA_D4_PASS, EA_D4_LOOPEND, EA_D4_TAILPRE,
                                  EA_D4_COLD));
}
#else
void ea_dblk_w4(const ea_dense_args_t *a)
{
    ea_dblk_emulated(a, 4);
}
#endif

/* n (>= 1) groups of eight bytes a, b -> pairs (x0,x4) (x1,x5) (x2,x6) (x3,x7): PKH gathers
 * [x0 x1 x4 x5] and [x2 x3 x6 x7], then one extension per pair; returns c past the last group.
 * Cortex-M: 2 LDR (any alignment), 2 PKH, 4 extensions, one STM, SUBS/BNE per group. */
#if defined(__ARM_FEATURE_DSP)
#define EA_X8P_CORE(NAME, EXT)                                                                   \
    __attribute__((naked, noinline)) static uint32_t *NAME(const uint8_t *x __attribute__((unused)), \
                                                           uint32_t *c __attribute__((unused)),  \
                                                           int32_t n __attribute__((unused)))    \
    {                                                                                           \
        __asm__ volatile("push   {r4-r6, lr}\n\t"                                                \
                         "1:\n\t"                                                               \
                         "ldr    r4, [r0], #4\n\t"                                              \
                         "ldr    r6, [r0], #4\n\t"                                              \
                         "pkhbt  r5, r4, r6, lsl #16\n\t"                                       \
                         "pkhtb  r6, r6, r4, asr #16\n\t"                                       \
                         EXT "   r3, r5\n\t" EXT "   r4, r5, ror #8\n\t"                        \
                         EXT "   r5, r6\n\t" EXT "   r6, r6, ror #8\n\t"                        \
                         "stmia  r1!, {r3-r6}\n\t"                                              \
                         "subs   r2, r2, #1\n\t"                                                \
                         "bne    1b\n\t"                                                        \
                         "mov    r0, r1\n\t"                                                    \
                         "pop    {r4-r6, pc}\n\t");                                             \
    }
EA_X8P_CORE(ea_x8p_s8, "sxtb16")
EA_X8P_CORE(ea_x8p_u8, "uxtb16")
#else
static uint32_t *ea_x8p(const uint8_t *x, uint32_t *c, int32_t n, int in_u8)
{
    for (; n > 0; n--, x += 8, c += 4) {
        const uint32_t a = ea_ld32(x), b = ea_ld32(x + 4);
        const uint32_t t0 = ea_pkhbt(a, b), t1 = ea_pkhtb(b, a);
        c[0] = in_u8 ? ea_uxtb16(t0) : ea_sxtb16(t0);
        c[1] = in_u8 ? ea_uxtb16_r8(t0) : ea_sxtb16_r8(t0);
        c[2] = in_u8 ? ea_uxtb16(t1) : ea_sxtb16(t1);
        c[3] = in_u8 ? ea_uxtb16_r8(t1) : ea_sxtb16_r8(t1);
    }
    return c;
}
static uint32_t *ea_x8p_s8(const uint8_t *x, uint32_t *c, int32_t n)
{
    return ea_x8p(x, c, n, 0);
}
static uint32_t *ea_x8p_u8(const uint8_t *x, uint32_t *c, int32_t n)
{
    return ea_x8p(x, c, n, 1);
}
#endif

/* Returns 0: the int4 loop needs no sum(x) (no offset). */
EA_INLINE int32_t ea_dwiden4(const uint8_t *x, int32_t K, int in_u8, uint32_t *c)
{
    const int32_t full = K >> 3;
    const uint32_t *const end = c + (((K + 31) & ~31) >> 1); /* whole passes of 32 elements */
    if (full > 0) {
        c = in_u8 ? ea_x8p_u8(x, c, full) : ea_x8p_s8(x, c, full);
    }
    if (K & 7) { /* the last partial group, zero-padded */
        uint8_t t[8];
        memset(t, 0, sizeof t);
        memcpy(t, x + 8 * full, (size_t)(K & 7));
        c = in_u8 ? ea_x8p_u8(t, c, 1) : ea_x8p_s8(t, c, 1);
    }
    ea_dzero_to(c, end);
    return 0;
}

EA_DENSE_OPS_DEFINE(4)
#else
typedef int ea_dblk_w4_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
