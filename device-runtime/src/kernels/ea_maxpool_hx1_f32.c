/* ea_maxpool_hx1_f32: float32 max pooling over (k_h, 1) windows, HWC.
 * Order: v = first valid tap; for later valid taps ascending: v = (x > v) ? x : v; no valid tap -> 0.0f. */
#include "ea_f32_internal.h"

void ea_maxpool_hx1_f32(const ea_pool_shape_t *s, const float *in, float *out)
{
    int32_t oh, ow, c, i;
    for (oh = 0; oh < s->out_h; oh++) {
        for (ow = 0; ow < s->out_w; ow++) {
            for (c = 0; c < s->c; c++) {
                float v = 0.0f;
                int any = 0;
                for (i = 0; i < s->k_h; i++) {
                    const int32_t ih = oh * s->stride_h - s->pad_top + i;
                    if (ih >= 0 && ih < s->in_h) {
                        const float x = in[(ih * s->in_w + ow * s->stride_w) * s->c + c];
                        if (!any || x > v) {
                            v = x;
                        }
                        any = 1;
                    }
                }
                *out++ = v;
            }
        }
    }
}
