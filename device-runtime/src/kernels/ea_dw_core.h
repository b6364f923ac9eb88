/*
 * Body of the depthwise (k_h, 1) convolutions: per output pixel and channel, a k_h-tap dot
 * product down the H axis. The fan-in is tiny (k_h), so the work is dominated by addressing and
 * requantization; plain C specialised per input type and weight width is used on every core.
 * The padded rows are skipped by clamping the tap range once per output row.
 */
#ifndef EDGEAMP_EA_DW_CORE_H
#define EDGEAMP_EA_DW_CORE_H

#include "ea_internal.h"

EA_INLINE void ea_dw_conv_hx1_body(const ea_conv_shape_t *s, const void *in, int in_u8, const uint8_t *w, int wbits,
                                   const int32_t *bias, const ea_requant_t *rq, void *out)
{
    const int32_t C = s->in_c, rowb = ea_packed_row_bytes(s->k_h, wbits);
    const int32_t pix_stride = s->in_w * C; /* bytes between input rows */
    uint8_t *o = (uint8_t *)out;
    int32_t oh, ow, c, i;
    for (oh = 0; oh < s->out_h; oh++) {
        const int32_t ih0 = oh * s->stride_h - s->pad_top;
        int32_t i0, i1;
        ea_tap_range(ih0, s->k_h, s->in_h, &i0, &i1);
        for (ow = 0; ow < s->out_w; ow++) {
            const int32_t base = (ih0 * s->in_w + ow * s->stride_w) * C;
            for (c = 0; c < C; c++) {
                const uint8_t *row = w + c * rowb;
                int32_t acc = bias ? bias[c] : 0;
                for (i = i0; i < i1; i++) {
                    acc += ea_x_get(in, base + i * pix_stride + c, in_u8) * ea_w_get(row, i, wbits);
                }
                *o++ = (uint8_t)ea_rq(acc, rq->mult[c], rq->shift[c], rq->act_min, rq->act_max);
            }
        }
    }
}

#endif
