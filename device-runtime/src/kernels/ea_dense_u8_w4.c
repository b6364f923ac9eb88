/* ea_dense_u8_w4: fully connected layer, batch 1, uint8 input vector, int4 weights
 * (packed rows [in]), int32 bias, per-output requantization to 8 bits.
 * Formula, layout and preconditions: ea_kernels.h; algorithm: ea_conv_core.h. */
#include "ea_conv_core.h"

void ea_dense_u8_w4(int32_t in_n, int32_t out_n, const uint8_t *in, const uint8_t *w, const int32_t *bias,
                     const ea_requant_t *rq, uint32_t *scratch, void *out)
{
    ea_dense_body(in_n, out_n, in, 1, w, 4, bias, rq, scratch, out);
}
