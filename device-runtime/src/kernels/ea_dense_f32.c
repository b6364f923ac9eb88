/* ea_dense_f32: float32 fully connected layer, weights [out][in].
 * Order: acc = bias[o]; i ascending: acc = acc + in[i] * w[o][i]; then clamp. */
#include "ea_f32_internal.h"

void ea_dense_f32(int32_t in_n, int32_t out_n, const float *in, const float *w, const float *bias,
                  float lo, float hi, float *out)
{
    int32_t o, i;
    for (o = 0; o < out_n; o++) {
        const float *row = w + o * in_n;
        float acc = bias ? bias[o] : 0.0f;
        for (i = 0; i < in_n; i++) {
            acc = acc + in[i] * row[i];
        }
        out[o] = ea_clampf(acc, lo, hi);
    }
}
