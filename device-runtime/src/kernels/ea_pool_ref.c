/* Reference pooling kernels: the formulas of ea_kernels.h, tap by tap. */
#include "ea_ref_common.h"

static int ea_ref_row_valid(const ea_pool_shape_t *s, int32_t ih)
{
    return ih >= 0 && ih < s->in_h;
}

void ea_maxpool_hx1_ref(const ea_pool_shape_t *s, const void *in, int in_unsigned, int32_t lo, int32_t hi, void *out)
{
    int32_t oh, ow, c, i;
    for (oh = 0; oh < s->out_h; oh++) {
        for (ow = 0; ow < s->out_w; ow++) {
            for (c = 0; c < s->c; c++) {
                int32_t best = 0;
                int any = 0;
                for (i = 0; i < s->k_h; i++) {
                    const int32_t ih = oh * s->stride_h - s->pad_top + i;
                    if (ea_ref_row_valid(s, ih)) {
                        const int32_t x = ea_ref_act(in, (ih * s->in_w + ow * s->stride_w) * s->c + c, in_unsigned);
                        if (!any || x > best) {
                            best = x;
                        }
                        any = 1;
                    }
                }
                ea_ref_store(out, (oh * s->out_w + ow) * s->c + c, ea_clamp64(best, lo, hi));
            }
        }
    }
}

void ea_avgpool_hx1_ref(const ea_pool_shape_t *s, const void *in, int in_unsigned, int32_t m, int32_t n,
                        int32_t lo, int32_t hi, void *out)
{
    int32_t oh, ow, c, i;
    for (oh = 0; oh < s->out_h; oh++) {
        for (ow = 0; ow < s->out_w; ow++) {
            for (c = 0; c < s->c; c++) {
                int64_t sum = 0;
                for (i = 0; i < s->k_h; i++) {
                    const int32_t ih = oh * s->stride_h - s->pad_top + i;
                    if (ea_ref_row_valid(s, ih)) {
                        sum += ea_ref_act(in, (ih * s->in_w + ow * s->stride_w) * s->c + c, in_unsigned);
                    }
                }
                ea_ref_store(out, (oh * s->out_w + ow) * s->c + c, ea_clamp64(ea_round_shift64(sum * m, n), lo, hi));
            }
        }
    }
}

void ea_global_avgpool_ref(int32_t n_pix, int32_t c, const void *in, int in_unsigned, int32_t m, int32_t n,
                           int32_t lo, int32_t hi, void *out)
{
    int32_t p, ch;
    for (ch = 0; ch < c; ch++) {
        int64_t sum = 0;
        for (p = 0; p < n_pix; p++) {
            sum += ea_ref_act(in, p * c + ch, in_unsigned);
        }
        ea_ref_store(out, ch, ea_clamp64(ea_round_shift64(sum * m, n), lo, hi));
    }
}
