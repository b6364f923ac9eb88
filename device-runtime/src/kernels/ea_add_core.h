/* Body of the residual add: y = clamp(round_shift(a * m_a + b * m_b, n), lo, hi) in int64
 * (|a*m_a + b*m_b| < 2^40, far from overflow). See ea_requant.h. */
#ifndef EDGEAMP_EA_ADD_CORE_H
#define EDGEAMP_EA_ADD_CORE_H

#include "ea_internal.h"

EA_INLINE void ea_add_body(const void *a, int a_u8, const void *b, int b_u8, int32_t len, int32_t m_a, int32_t m_b,
                           int32_t n, int32_t lo, int32_t hi, void *out)
{
    uint8_t *o = (uint8_t *)out;
    int32_t i;
    for (i = 0; i < len; i++) {
        const int64_t p = (int64_t)ea_x_get(a, i, a_u8) * m_a + (int64_t)ea_x_get(b, i, b_u8) * m_b;
        o[i] = (uint8_t)ea_clamp64(ea_round_shift64(p, n), lo, hi);
    }
}

#endif
