/* ea_dw_conv_hx1_f32: float32 depthwise (k_h, 1) convolution, HWC, weights [c][k_h].
 * Order: acc = bias[c]; i ascending over valid rows: acc = acc + in * w; then clamp. */
#include "ea_f32_internal.h"

void ea_dw_conv_hx1_f32(const ea_conv_shape_t *s, const float *in, const float *w, const float *bias,
                        float lo, float hi, float *out)
{
    int32_t oh, ow, c, i;
    for (oh = 0; oh < s->out_h; oh++) {
        for (ow = 0; ow < s->out_w; ow++) {
            for (c = 0; c < s->in_c; c++) {
                float acc = bias ? bias[c] : 0.0f;
                for (i = 0; i < s->k_h; i++) {
                    const int32_t ih = oh * s->stride_h - s->pad_top + i;
                    if (ih >= 0 && ih < s->in_h) {
                        acc = acc + in[(ih * s->in_w + ow * s->stride_w) * s->in_c + c] * w[c * s->k_h + i];
                    }
                }
                *out++ = ea_clampf(acc, lo, hi);
            }
        }
    }
}
