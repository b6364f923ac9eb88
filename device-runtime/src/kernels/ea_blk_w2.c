/* ea_blk_w2: channel loop of the DSP convolution path for int2 weights (ea_blk.h).
 * MAC loop per packed word (64 MACs, 66 instructions): 1 LDR, 7 shift/mask instructions moving
 * each crumb to the top of its byte (x64), 8 SXTB16, 16 LDRD, 32 SMLAD, SUBS/BNE. */
#include "ea_blk_impl.h"

#if defined(__ARM_FEATURE_DSP)
#define EA_W2_CRUMB(SHIFT)                          \
    "lsl    r11, r7, #" SHIFT "\n\t"                \
    "and    r11, r11, #0xC0C0C0C0\n\t"              \
    "sxtb16 r8, r11\n\t" EA_BLK_MAC4("r8")          \
    "sxtb16 r8, r11, ror #8\n\t" EA_BLK_MAC4("r8")

EA_BLK_ATTR void ea_blk_w2(EA_BLK_PARAM)
{
    __asm__ volatile(EA_BLK_PROLOGUE("")
                     "ldr    r6, [sp, #8]\n\t"
                     "11:\n\t"
                     "ldr    r7, [r5], #4\n\t"
                     EA_W2_CRUMB("6") EA_W2_CRUMB("4") EA_W2_CRUMB("2")
                     "and    r7, r7, #0xC0C0C0C0\n\t"
                     "sxtb16 r8, r7\n\t" EA_BLK_MAC4("r8")
                     "sxtb16 r8, r7, ror #8\n\t" EA_BLK_MAC4("r8")
                     "subs   r6, r6, #1\n\t"
                     "bne    11b\n\t"
                     EA_BLK_EPILOGUE(EA_BLK_TAILS("6"), "ldr    r9, [sp, #20]\n\t", "r9"));
}
#elif EA_USE_DSP
void ea_blk_w2(const ea_blk_args_t *a)
{
    ea_blk_emulated(a, 2);
}
#else
typedef int ea_blk_w2_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
