/* ea_quantize_f32: float32 -> 8-bit at a CPU->NPU boundary,
 * q = clamp(round_half_even(x * inv_scale), qmin, qmax), the product rounded to float first; NaN -> 0.
 * Round half to even without libm: for |v| < 2^23, (v + 2^23) - 2^23 rounds v to an integer in the
 * default round-to-nearest-even mode (the spacing of floats in [2^23, 2^24) is exactly 1) and the
 * subtraction is exact; larger magnitudes are already integers. */
#include "ea_f32_internal.h"

float ea_round_half_even_f32(float x)
{
    const float two23 = 8388608.0f;
    if (x >= 0.0f && x < two23) {
        return (x + two23) - two23;
    }
    if (x < 0.0f && x > -two23) {
        return (x - two23) + two23; /* note: values in [-0.5, 0) give +0.0 */
    }
    return x; /* integral already, or NaN */
}

void ea_quantize_f32(const float *in, int32_t len, float inv_scale, int32_t qmin, int32_t qmax, void *out)
{
    uint8_t *o = (uint8_t *)out;
    int32_t i;
    for (i = 0; i < len; i++) {
        float v = in[i] * inv_scale;
        int32_t q;
        if (v != v) {
            v = 0.0f;
        }
        /* keep the float -> int conversion defined; the clamp below is narrower anyway */
        v = v < -65536.0f ? -65536.0f : (v > 65536.0f ? 65536.0f : v);
        q = (int32_t)ea_round_half_even_f32(v);
        o[i] = (uint8_t)(q < qmin ? qmin : (q > qmax ? qmax : q));
    }
}
