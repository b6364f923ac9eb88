/* ea_conv_hx1_s8_w2: (k_h, 1) convolution with stride and zero padding, int8 HWC input,
 * int2 weights (packed rows [k_h][in_c]), int32 bias, per-channel requantization to 8 bits.
 * Formula, layout and preconditions: ea_kernels.h; algorithm: ea_conv_core.h. */
#include "ea_conv_core.h"

void ea_conv_hx1_s8_w2(const ea_conv_shape_t *s, const int8_t *in, const uint8_t *w, const int32_t *bias,
                        const ea_requant_t *rq, uint32_t *scratch, void *out)
{
    ea_conv_hx1_body(s, in, 0, w, 2, bias, rq, scratch, out, EA_CW_CONV);
}
