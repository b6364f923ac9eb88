/* ea_dw_conv_hx1_u8_w2: depthwise (k_h, 1) convolution (multiplier 1) with stride and zero padding,
 * uint8 HWC input, int2 weights (one packed row [k_h] per channel), int32 bias,
 * per-channel requantization to 8 bits. Formula and layout: ea_kernels.h; body: ea_dw_core.h. */
#include "ea_dw_core.h"

void ea_dw_conv_hx1_u8_w2(const ea_conv_shape_t *s, const uint8_t *in, const uint8_t *w, const int32_t *bias,
                           const ea_requant_t *rq, void *out)
{
    ea_dw_conv_hx1_body(s, in, 1, w, 2, bias, rq, out);
}
