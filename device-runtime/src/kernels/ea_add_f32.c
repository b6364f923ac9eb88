/* ea_add_f32: float32 elementwise add, out[i] = clamp(a[i] + b[i], lo, hi). */
#include "ea_f32_internal.h"

void ea_add_f32(const float *a, const float *b, int32_t len, float lo, float hi, float *out)
{
    int32_t i;
    for (i = 0; i < len; i++) {
        out[i] = ea_clampf(a[i] + b[i], lo, hi);
    }
}
