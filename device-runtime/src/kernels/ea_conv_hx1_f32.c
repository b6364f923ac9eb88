/* ea_conv_hx1_f32: float32 (k_h, 1) convolution, HWC, weights [c][k_h][in_c].
 * Summation order (the Java twin follows it): acc = bias[c]; i = 0..k_h-1 ascending over valid rows
 * (padded rows skipped), ci ascending: acc = acc + (in * w) rounded per operation; then clamp. */
#include "ea_f32_internal.h"

void ea_conv_hx1_f32(const ea_conv_shape_t *s, const float *in, const float *w, const float *bias,
                     float lo, float hi, float *out)
{
    const int32_t K = s->k_h * s->in_c;
    int32_t oh, ow, c, i, ci;
    for (oh = 0; oh < s->out_h; oh++) {
        for (ow = 0; ow < s->out_w; ow++) {
            for (c = 0; c < s->out_c; c++) {
                const float *row = w + c * K;
                float acc = bias ? bias[c] : 0.0f;
                for (i = 0; i < s->k_h; i++) {
                    const int32_t ih = oh * s->stride_h - s->pad_top + i;
                    const float *x;
                    if (ih < 0 || ih >= s->in_h) {
                        continue;
                    }
                    x = in + (ih * s->in_w + ow * s->stride_w) * s->in_c;
                    for (ci = 0; ci < s->in_c; ci++) {
                        acc = acc + x[ci] * row[i * s->in_c + ci];
                    }
                }
                *out++ = ea_clampf(acc, lo, hi);
            }
        }
    }
}
