/* ea_blk_w4: channel loop of the DSP convolution path for int4 weights (ea_blk.h).
 * MAC loop per packed word (32 MACs, 34 instructions): 1 LDR, LSL + 2 AND to move the nibbles
 * to the top of each byte (x16), 4 SXTB16, 8 LDRD, 16 SMLAD, SUBS/BNE. */
#include "ea_blk_impl.h"

#if defined(__ARM_FEATURE_DSP)
EA_BLK_ATTR void ea_blk_w4(EA_BLK_PARAM)
{
    __asm__ volatile(EA_BLK_PROLOGUE("")
                     "ldr    r6, [sp, #8]\n\t"
                     "11:\n\t"
                     "ldr    r7, [r5], #4\n\t"
                     "lsl    r11, r7, #4\n\t"
                     "and    r11, r11, #0xF0F0F0F0\n\t" /* (w0,w4),(w2,w6) x16 */
                     "and    r7, r7, #0xF0F0F0F0\n\t"   /* (w1,w5),(w3,w7) x16 */
                     "sxtb16 r8, r11\n\t" EA_BLK_MAC4("r8")
                     "sxtb16 r8, r11, ror #8\n\t" EA_BLK_MAC4("r8")
                     "sxtb16 r8, r7\n\t" EA_BLK_MAC4("r8")
                     "sxtb16 r8, r7, ror #8\n\t" EA_BLK_MAC4("r8")
                     "subs   r6, r6, #1\n\t"
                     "bne    11b\n\t"
                     EA_BLK_EPILOGUE(EA_BLK_TAILS("4"), "ldr    r9, [sp, #20]\n\t", "r9"));
}
#elif EA_USE_DSP
void ea_blk_w4(const ea_blk_args_t *a)
{
    ea_blk_emulated(a, 4);
}
#else
typedef int ea_blk_w4_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
