/* Reference depthwise (k_h, 1) convolution, channel multiplier 1. */
#include "ea_ref_common.h"

void ea_dw_conv_hx1_ref(const ea_conv_shape_t *s, const void *in, int in_unsigned, const uint8_t *w,
                        int w_bits, const int32_t *bias, const ea_requant_t *rq, void *out)
{
    const int32_t rowb = ea_packed_row_bytes(s->k_h, w_bits);
    int32_t oh, ow, c, i;
    for (oh = 0; oh < s->out_h; oh++) {
        for (ow = 0; ow < s->out_w; ow++) {
            for (c = 0; c < s->in_c; c++) {
                int64_t acc = bias ? bias[c] : 0;
                for (i = 0; i < s->k_h; i++) {
                    const int32_t ih = oh * s->stride_h - s->pad_top + i;
                    if (ih >= 0 && ih < s->in_h) {
                        acc += (int64_t)ea_ref_act(in, (ih * s->in_w + ow * s->stride_w) * s->in_c + c, in_unsigned) *
                               ea_ref_weight(w + c * rowb, i, w_bits);
                    }
                }
                ea_ref_store(out, (oh * s->out_w + ow) * s->in_c + c,
                             ea_clamp64(ea_round_shift64(acc * rq->mult[c], rq->shift[c]), rq->act_min, rq->act_max));
            }
        }
    }
}
