/* ea_dequantize_u8_f32: 8-bit -> float32 at an NPU->CPU boundary, out[i] = (float)q[i] * scale
 * (the int to float conversion is exact, so one rounding). */
#include "ea_f32_internal.h"

void ea_dequantize_u8_f32(const uint8_t *in, int32_t len, float scale, float *out)
{
    int32_t i;
    for (i = 0; i < len; i++) {
        out[i] = (float)in[i] * scale;
    }
}
