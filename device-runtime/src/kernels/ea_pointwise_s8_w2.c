/* ea_pointwise_s8_w2: pointwise (1x1) convolution over n_pix pixels, int8 HWC input,
 * int2 weights (packed rows [in_c]), int32 bias, per-channel requantization to 8 bits.
 * Formula, layout and preconditions: ea_kernels.h; algorithm: ea_conv_core.h. */
#include "ea_conv_core.h"

void ea_pointwise_s8_w2(int32_t n_pix, int32_t in_c, int32_t out_c, const int8_t *in, const uint8_t *w,
                         const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out)
{
    ea_pointwise_body(n_pix, in_c, out_c, in, 0, w, 2, bias, rq, scratch, out);
}
