/* ea_avgpool_hx1_u8: average pooling over (k_h, 1) windows, uint8 HWC input, 8-bit output
 * y = clamp(round_shift(sum * m, n), lo, hi) (1/k_h and the scales folded into m, n).
 * Formula: ea_kernels.h, ea_requant.h; body: ea_pool_core.h. */
#include "ea_pool_core.h"

void ea_avgpool_hx1_u8(const ea_pool_shape_t *s, const uint8_t *in, int32_t m, int32_t n, int32_t lo, int32_t hi, void *out)
{
    ea_avgpool_body(s, in, 1, m, n, lo, hi, out);
}
