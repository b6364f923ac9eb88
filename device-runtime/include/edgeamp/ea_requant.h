/*
 * EdgeAMP device runtime: requantization (DESIGN.md, "Integer arithmetic contract").
 *
 *   p = acc * m                                 (64-bit, exact: |acc|, |m| < 2^31 so |p| < 2^62)
 *   n > 0 :  y = (p + 2^(n-1)) >> n             (arithmetic shift = floor; i.e. round half up)
 *   n = 0 :  y = p                              (r = 0)
 *   n < 0 :  y = p * 2^(-n)                     (left shift, exact value; n >= -31)
 *   out = min(max(y, act_min), act_max)         (ReLU/ReLU6 folded into [act_min, act_max])
 *
 * Round half up means toward +infinity on ties: 2.5 -> 3, -2.5 -> -2 (floor(x + 1/2)).
 * n is limited to [-31, 62] so that p + 2^(n-1) cannot overflow int64 (|p| < 2^62).
 * For n < 0 the value is first saturated to +-2^31: any |p| >= 2^31 already lies outside every
 * 8-bit clamp range after the shift, so the result equals the exact product's clamp.
 *
 * Average pooling and residual add use the same rounding with a per-tensor (m, n), so no
 * division is ever needed:
 *   avg pool:   y = clamp(round_shift(sum_window(x) * m, n))   m/2^n ~ s_in / (s_out * window)
 *   add:        y = clamp(round_shift(a * m_a + b * m_b, n))   m_a/2^n ~ s_a/s_out, m_b/2^n ~ s_b/s_out
 *
 * Accumulator bound (why int32 accumulators are exact in every integer kernel):
 *   |x| <= 255 (uint8) and |w| <= 127 (int8; 7 for int4, 1 for int2), fan-in K <= EA_MAX_FANIN = 2^15:
 *   |sum x*w| <= 2^15 * 255 * 127 = 1 061 191 680 < 2^30, and the kernels require |bias| < 2^30,
 *   so |bias + sum| < 2^31. The DSP paths accumulate sub-byte products pre-scaled by 16 (int4)
 *   or 64 (int2): 2^15 * 255 * 7 * 16 < 2^30 and 2^15 * 255 * 1 * 64 < 2^29, also exact.
 *   Pooling sums at most EA_MAX_FANIN values of magnitude <= 255 (< 2^23). Add uses int64.
 */
#ifndef EDGEAMP_EA_REQUANT_H
#define EDGEAMP_EA_REQUANT_H

#include "edgeamp/ea_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rounding shift of a 64-bit value as defined above (before the clamp). |p| < 2^62 required. */
static inline int64_t ea_round_shift64(int64_t p, int32_t n)
{
    if (n > 0) {
        /* >> of a negative int64 is arithmetic with GCC/Clang (the test checks it). */
        return (p + ((int64_t)1 << (n - 1))) >> n;
    }
    if (n == 0) {
        return p;
    }
    if (p > ((int64_t)1 << 31)) {
        p = (int64_t)1 << 31;
    } else if (p < -((int64_t)1 << 31)) {
        p = -((int64_t)1 << 31);
    }
    return p * ((int64_t)1 << (-n));
}

static inline int32_t ea_clamp64(int64_t y, int32_t lo, int32_t hi)
{
    return y < lo ? lo : (y > hi ? hi : (int32_t)y);
}

/* y = clamp(round_shift(acc * m, n)): the per-channel requantization of the contract. */
static inline int32_t ea_requantize(int32_t acc, int32_t m, int32_t n, int32_t lo, int32_t hi)
{
    return ea_clamp64(ea_round_shift64((int64_t)acc * m, n), lo, hi);
}

/*
 * Requantize an int32 HWC tensor (n_pix pixels of ch channels) per channel into 8-bit outputs
 * (signedness from rq->act_min/act_max; the byte stored is the two's complement value).
 */
void ea_requant_s32(const int32_t *acc, int32_t n_pix, int32_t ch, const ea_requant_t *rq, void *out);

#ifdef __cplusplus
}
#endif
#endif
