/* Reference dense (fully connected) layer, batch 1. */
#include "ea_ref_common.h"

void ea_dense_ref(int32_t in_n, int32_t out_n, const void *in, int in_unsigned, const uint8_t *w,
                  int w_bits, const int32_t *bias, const ea_requant_t *rq, void *out)
{
    const int32_t rowb = ea_packed_row_bytes(in_n, w_bits);
    int32_t o, i;
    for (o = 0; o < out_n; o++) {
        int64_t acc = bias ? bias[o] : 0;
        for (i = 0; i < in_n; i++) {
            acc += (int64_t)ea_ref_act(in, i, in_unsigned) * ea_ref_weight(w + o * rowb, i, w_bits);
        }
        ea_ref_store(out, o, ea_clamp64(ea_round_shift64(acc * rq->mult[o], rq->shift[o]), rq->act_min, rq->act_max));
    }
}
