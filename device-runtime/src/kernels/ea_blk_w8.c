/* ea_blk_w8: channel loop of the DSP convolution path for int8 weights (ea_blk.h).
 * MAC loop: two packed words (32 MACs) per pass, 31 instructions: per word 1 LDR, 2 SXTB16,
 * 4 LDRD, 8 SMLAD; an odd word count enters at the second word. */
#include "ea_blk_impl.h"

#if defined(__ARM_FEATURE_DSP)
#define EA_W8_WORD                   \
    "ldr    r7, [r5], #4\n\t"        \
    "sxtb16 r8, r7\n\t"              \
    EA_BLK_MAC4("r8")                \
    "sxtb16 r8, r7, ror #8\n\t"      \
    EA_BLK_MAC4("r8")

EA_BLK_ATTR void ea_blk_w8(EA_BLK_PARAM)
{
    __asm__ volatile(EA_BLK_PROLOGUE("ldr    r11, [sp, #20]\n\t")
                     "ldrd   r6, r7, [sp, #8]\n\t" /* passes, odd */
                     "cbnz   r7, 12f\n\t"
                     "11:\n\t" EA_W8_WORD
                     "12:\n\t" EA_W8_WORD
                     "subs   r6, r6, #1\n\t"
                     "bne    11b\n\t"
                     EA_BLK_EPILOGUE(EA_BLK_TAIL8, "", "r11"));
}
#elif EA_USE_DSP
void ea_blk_w8(const ea_blk_args_t *a)
{
    ea_blk_emulated(a, 8);
}
#else
typedef int ea_blk_w8_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
