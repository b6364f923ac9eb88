/* Reference pointwise (1x1) convolution. */
#include "ea_ref_common.h"

void ea_pointwise_ref(int32_t n_pix, int32_t in_c, int32_t out_c, const void *in, int in_unsigned,
                      const uint8_t *w, int w_bits, const int32_t *bias, const ea_requant_t *rq, void *out)
{
    const int32_t rowb = ea_packed_row_bytes(in_c, w_bits);
    int32_t p, c, ci;
    for (p = 0; p < n_pix; p++) {
        for (c = 0; c < out_c; c++) {
            int64_t acc = bias ? bias[c] : 0;
            for (ci = 0; ci < in_c; ci++) {
                acc += (int64_t)ea_ref_act(in, p * in_c + ci, in_unsigned) * ea_ref_weight(w + c * rowb, ci, w_bits);
            }
            ea_ref_store(out, p * out_c + c,
                         ea_clamp64(ea_round_shift64(acc * rq->mult[c], rq->shift[c]), rq->act_min, rq->act_max));
        }
    }
}
