/* ea_x16_s8 / ea_x16_u8: n16 (>= 1) groups of sixteen input bytes widened to halfword pairs in the
 * SXTB16 order, (x0,x2), (x1,x3) per four bytes, eight words per group (DSP dense path for int8
 * weights, ea_dblk_w8.c, and the widened-input convolution, ea_cw_run.c).
 * Cortex-M: 4 LDR (any alignment), 8 extensions, one STM, SUBS/BNE per sixteen bytes. */
#include "ea_cw.h"

#if defined(__ARM_FEATURE_DSP)
#define EA_X16_CORE(NAME, EXT)                                                                   \
    __attribute__((naked)) void NAME(const uint8_t *x __attribute__((unused)),                  \
                                     uint32_t *c __attribute__((unused)),                       \
                                     int32_t n16 __attribute__((unused)))                       \
    {                                                                                           \
        __asm__ volatile("push   {r4-r10, lr}\n\t"                                              \
                         "1:\n\t"                                                               \
                         "ldr    r4, [r0], #4\n\t"                                              \
                         "ldr    r6, [r0], #4\n\t"                                              \
                         "ldr    r8, [r0], #4\n\t"                                              \
                         "ldr    r10, [r0], #4\n\t"                                             \
                         EXT "   r3, r4\n\t" EXT "   r4, r4, ror #8\n\t"                        \
                         EXT "   r5, r6\n\t" EXT "   r6, r6, ror #8\n\t"                        \
                         EXT "   r7, r8\n\t" EXT "   r8, r8, ror #8\n\t"                        \
                         EXT "   r9, r10\n\t" EXT "   r10, r10, ror #8\n\t"                     \
                         "stmia  r1!, {r3-r10}\n\t"                                             \
                         "subs   r2, r2, #1\n\t"                                                \
                         "bne    1b\n\t"                                                        \
                         "pop    {r4-r10, pc}\n\t");                                            \
    }
EA_X16_CORE(ea_x16_s8, "sxtb16")
EA_X16_CORE(ea_x16_u8, "uxtb16")
#elif EA_USE_DSP
static void ea_x16(const uint8_t *x, uint32_t *c, int32_t n16, int in_u8)
{
    int32_t i;
    for (i = 0; i < 4 * n16; i++) {
        const uint32_t v = ea_ld32(x + 4 * i);
        c[2 * i] = in_u8 ? ea_uxtb16(v) : ea_sxtb16(v);
        c[2 * i + 1] = in_u8 ? ea_uxtb16_r8(v) : ea_sxtb16_r8(v);
    }
}
void ea_x16_s8(const uint8_t *x, uint32_t *c, int32_t n16)
{
    ea_x16(x, c, n16, 0);
}
void ea_x16_u8(const uint8_t *x, uint32_t *c, int32_t n16)
{
    ea_x16(x, c, n16, 1);
}
#else
typedef int ea_x16_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
