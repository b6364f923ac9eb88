/* ea_maxpool_hx1_s8: max pooling over (k_h, 1) windows, int8 HWC input and output at the same scale,
 * result clamped to [lo, hi] (a folded ReLU). Formula: ea_kernels.h; body: ea_pool_core.h. */
#include "ea_pool_core.h"

void ea_maxpool_hx1_s8(const ea_pool_shape_t *s, const int8_t *in, int32_t lo, int32_t hi, void *out)
{
    ea_maxpool_body(s, in, 0, lo, hi, out);
}
