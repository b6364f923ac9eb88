/* ea_clamp_s8: standalone activation clamp at the same scale, int8 input: out = clamp(in, lo, hi)
 * (ReLU: lo = 0; ReLU6: hi = the quantized 6; the output is uint8 when lo >= 0). */
#include "ea_internal.h"

void ea_clamp_s8(const int8_t *in, int32_t len, int32_t lo, int32_t hi, void *out)
{
    uint8_t *o = (uint8_t *)out;
    int32_t i;
    for (i = 0; i < len; i++) {
        const int32_t v = in[i];
        o[i] = (uint8_t)(v < lo ? lo : (v > hi ? hi : v));
    }
}
