/*
 * Bodies of the integer pooling kernels (max, average over (k_h, 1) windows; global average).
 * The tap range of an output row is clamped to the input once, so padded taps are skipped
 * (max) or contribute zero (average: the divisor folded into (m, n) counts the full window).
 */
#ifndef EDGEAMP_EA_POOL_CORE_H
#define EDGEAMP_EA_POOL_CORE_H

#include "ea_internal.h"

/* A pool's sums are small (|sum| <= 255 * taps). For n < 33, ea_rq() takes its out-of-line 64-bit
 * path; when sum * 2^(33-n) still fits int32, requantizing sum * 2^(33-n) with n = 33 gives the
 * same value on the inline fast path (the contract's floor((sum*m + 2^(n-1)) / 2^n) scales its
 * numerator and denominator by 2^(33-n)). Returns that 33 - n, or 0 where it does not apply. */
EA_INLINE int32_t ea_pool_rq_shift(int32_t n, int32_t taps)
{
    const int32_t k = 33 - n;
    return k > 0 && k <= 22 && (uint32_t)taps < (0x80000000u >> k) / 255u ? k : 0;
}

EA_INLINE void ea_pool_body(const ea_pool_shape_t *s, const void *in, int in_u8, int is_max, int32_t m, int32_t n,
                            int32_t lo, int32_t hi, void *out)
{
    const int32_t C = s->c, row_stride = s->in_w * C;
    const int32_t k = is_max ? 0 : ea_pool_rq_shift(n, s->k_h);
    uint8_t *o = (uint8_t *)out;
    int32_t oh, ow, c, i;
    for (oh = 0; oh < s->out_h; oh++) {
        const int32_t ih0 = oh * s->stride_h - s->pad_top;
        const int32_t i0 = ih0 < 0 ? -ih0 : 0;
        const int32_t i1 = ih0 + s->k_h > s->in_h ? s->in_h - ih0 : s->k_h;
        for (ow = 0; ow < s->out_w; ow++) {
            const int32_t base = (ih0 * s->in_w + ow * s->stride_w) * C;
            for (c = 0; c < C; c++) {
                int32_t v;
                if (is_max) {
                    v = i0 < i1 ? ea_x_get(in, base + i0 * row_stride + c, in_u8) : 0;
                    for (i = i0 + 1; i < i1; i++) {
                        const int32_t x = ea_x_get(in, base + i * row_stride + c, in_u8);
                        v = x > v ? x : v;
                    }
                    v = v < lo ? lo : (v > hi ? hi : v);
                } else {
                    int32_t sum = 0;
                    for (i = i0; i < i1; i++) {
                        sum += ea_x_get(in, base + i * row_stride + c, in_u8);
                    }
                    v = ea_rq(sum * (1 << k), m, n + k, lo, hi);
                }
                *o++ = (uint8_t)v;
            }
        }
    }
}

EA_INLINE void ea_global_avgpool_body(int32_t n_pix, int32_t C, const void *in, int in_u8, int32_t m, int32_t n,
                                      int32_t lo, int32_t hi, void *out)
{
    const int32_t k = ea_pool_rq_shift(n, n_pix);
    uint8_t *o = (uint8_t *)out;
    int32_t p, c;
    for (c = 0; c < C; c++) {
        int32_t sum = 0;
        for (p = 0; p < n_pix; p++) {
            sum += ea_x_get(in, p * C + c, in_u8);
        }
        o[c] = (uint8_t)ea_rq(sum * (1 << k), m, n + k, lo, hi);
    }
}

#endif
