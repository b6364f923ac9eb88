/*
 * Helpers of the reference kernels (*_ref.c): deliberately plain and independent of the
 * optimized paths' helpers, so a shared mistake cannot hide. The reference accumulates in int64
 * (the mathematical value) and requantizes with the contract formula of ea_requant.h.
 */
#ifndef EDGEAMP_EA_REF_COMMON_H
#define EDGEAMP_EA_REF_COMMON_H

#include "edgeamp/ea_kernels.h"

/* Element k of a packed row of b-bit two's complement values: field at bit offset k*b,
 * little-endian (byte k*b/8, bit (k*b)%8 upward). */
static inline int32_t ea_ref_weight(const uint8_t *row, int32_t k, int bits)
{
    const int32_t bit = k * bits;
    const uint32_t field = ((uint32_t)row[bit / 8] >> (bit % 8)) & ((1u << bits) - 1u);
    const int32_t half = 1 << (bits - 1);
    return field >= (uint32_t)half ? (int32_t)field - 2 * half : (int32_t)field;
}

static inline int32_t ea_ref_act(const void *t, int32_t i, int is_unsigned)
{
    if (is_unsigned) {
        return ((const uint8_t *)t)[i];
    }
    return ((const int8_t *)t)[i];
}

static inline void ea_ref_store(void *out, int32_t i, int32_t v)
{
    ((uint8_t *)out)[i] = (uint8_t)(v & 0xFF);
}

#endif
