/* ea_widen_w4: the column block of four pixels for int4 weights (DSP path, ea_conv_core.h):
 * each window widened by ea_expand_col() into the int4 pair order, pixels interleaved, the last
 * group zero-padded. Shared by the s8 and u8 kernels. */
#include "ea_conv_core.h"

#if EA_USE_DSP
void ea_widen_w4(const uint8_t *const xs[4], int32_t K, int in_u8, uint32_t *col)
{
    int q;
    for (q = 0; q < 4; q++) {
        ea_expand_col(xs[q], K, in_u8, 4, col + q, 4);
    }
}
#else
typedef int ea_widen_w4_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
