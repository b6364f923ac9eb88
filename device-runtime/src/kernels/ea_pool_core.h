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

/* One output pixel of a max pool: the channel-wise maximum over ntaps >= 1 rows, the first at r0
 * and the others stride bytes apart, clamped to [lo, hi]. The DSP path takes four channels per
 * word (USUB8/SSUB8 + SEL: two instructions per tap and word) when C is a multiple of four and
 * the clamp is the full 8-bit range (a max pool after a ReLU); other shapes and clamps, and
 * portable builds, go byte by byte. (The word path stays that narrow because its code counts
 * against the 8 KB that one model's kernels may take.) */
EA_INLINE void ea_max_pixel(const uint8_t *r0, int32_t stride, int32_t ntaps, int32_t C, int in_u8, int32_t lo, int32_t hi,
                            uint8_t *o)
{
    int32_t c, t;
#if EA_USE_DSP
    if ((C & 3) == 0 && lo <= (in_u8 ? 0 : -128) && hi >= (in_u8 ? 255 : 127)) {
        for (c = 0; c < C; c += 4) {
            const uint8_t *p = r0 + c;
            uint32_t v = in_u8 ? 0u : 0x80808080u; /* the smallest value: max's identity */
            for (t = 0; t < ntaps; t++, p += stride) {
                v = in_u8 ? ea_umax8(v, ea_ld32(p)) : ea_smax8(v, ea_ld32(p));
            }
            memcpy(o + c, &v, 4);
        }
        return;
    }
#endif
    for (c = 0; c < C; c++) {
        int32_t v = ea_x_get(r0, c, in_u8);
        for (t = 1; t < ntaps; t++) {
            const int32_t x = ea_x_get(r0 + t * stride, c, in_u8);
            v = x > v ? x : v;
        }
        o[c] = (uint8_t)(v < lo ? lo : (v > hi ? hi : v));
    }
}

/* Max pooling: per output pixel the rows of its window that lie inside the input (padded taps
 * are skipped), then ea_max_pixel. */
EA_INLINE void ea_maxpool_body(const ea_pool_shape_t *s, const void *in, int in_u8, int32_t lo, int32_t hi, void *out)
{
    const int32_t C = s->c, row_stride = s->in_w * C;
    const uint8_t *x = (const uint8_t *)in;
    uint8_t *o = (uint8_t *)out;
    int32_t oh, ow;
    for (oh = 0; oh < s->out_h; oh++) {
        const int32_t ih0 = oh * s->stride_h - s->pad_top;
        int32_t i0, i1;
        ea_tap_range(ih0, s->k_h, s->in_h, &i0, &i1);
        for (ow = 0; ow < s->out_w; ow++) {
            const int32_t base = (ih0 * s->in_w + ow * s->stride_w) * C;
            if (i1 > i0) {
                ea_max_pixel(x + base + i0 * row_stride, row_stride, i1 - i0, C, in_u8, lo, hi, o);
            } else { /* a window entirely in the padding: 0, clamped (as ea_maxpool_hx1_ref) */
                memset(o, lo > 0 ? lo : (hi < 0 ? hi : 0), (size_t)C);
            }
            o += C;
        }
    }
}

/* Average pooling: the sum over the window's rows inside the input, requantized with (m, n), which
 * fold 1/k_h and the scales. */
EA_INLINE void ea_avgpool_body(const ea_pool_shape_t *s, const void *in, int in_u8, int32_t m, int32_t n,
                               int32_t lo, int32_t hi, void *out)
{
    const int32_t C = s->c, row_stride = s->in_w * C;
    const int32_t k = ea_pool_rq_shift(n, s->k_h);
    uint8_t *o = (uint8_t *)out;
    int32_t oh, ow, c, i;
    for (oh = 0; oh < s->out_h; oh++) {
        const int32_t ih0 = oh * s->stride_h - s->pad_top;
        int32_t i0, i1;
        ea_tap_range(ih0, s->k_h, s->in_h, &i0, &i1);
        for (ow = 0; ow < s->out_w; ow++) {
            const int32_t base = (ih0 * s->in_w + ow * s->stride_w) * C;
            for (c = 0; c < C; c++) {
                int32_t sum = 0;
                for (i = i0; i < i1; i++) {
                    sum += ea_x_get(in, base + i * row_stride + c, in_u8);
                }
                *o++ = (uint8_t)ea_rq(sum * (1 << k), m, n + k, lo, hi);
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
