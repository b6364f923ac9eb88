/* ea_maxpool_hx1_u8: max pooling over (k_h, 1) windows, uint8 HWC input and output at the same scale,
 * result clamped to [lo, hi] (a folded ReLU). Formula: ea_kernels.h; body: ea_pool_core.h. */
#include "ea_pool_core.h"

void ea_maxpool_hx1_u8(const ea_pool_shape_t *s, const uint8_t *in, int32_t lo, int32_t hi, void *out)
{
    ea_maxpool_body(s, in, 1, lo, hi, out);
}
