/* ea_avgpool_hx1_f32: float32 average pooling over (k_h, 1) windows, HWC.
 * Order: acc = 0.0f; valid taps i ascending: acc = acc + x; out = acc / (float)k_h (padding counts). */
#include "ea_f32_internal.h"

void ea_avgpool_hx1_f32(const ea_pool_shape_t *s, const float *in, float *out)
{
    const float count = (float)s->k_h;
    int32_t oh, ow, c, i;
    for (oh = 0; oh < s->out_h; oh++) {
        for (ow = 0; ow < s->out_w; ow++) {
            for (c = 0; c < s->c; c++) {
                float acc = 0.0f;
                for (i = 0; i < s->k_h; i++) {
                    const int32_t ih = oh * s->stride_h - s->pad_top + i;
                    if (ih >= 0 && ih < s->in_h) {
                        acc = acc + in[(ih * s->in_w + ow * s->stride_w) * s->c + c];
                    }
                }
                *out++ = acc / count;
            }
        }
    }
}
