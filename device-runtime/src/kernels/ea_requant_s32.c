/* ea_requant_s32: per-channel requantization of an int32 HWC tensor to 8 bits
 * (out[p][c] = clamp(round_shift(acc[p][c] * m[c], n[c]))), for layers that accumulate elsewhere. */
#include "ea_internal.h"

void ea_requant_s32(const int32_t *acc, int32_t n_pix, int32_t ch, const ea_requant_t *rq, void *out)
{
    uint8_t *o = (uint8_t *)out;
    int32_t p, c;
    for (p = 0; p < n_pix; p++) {
        for (c = 0; c < ch; c++) {
            *o++ = (uint8_t)ea_rq(*acc++, rq->mult[c], rq->shift[c], rq->act_min, rq->act_max);
        }
    }
}
