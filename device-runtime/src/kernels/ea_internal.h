/*
 * Internal helpers of the kernel library (not installed): DSP primitives, packed-weight access,
 * the fast requantization and the shared bodies of the convolution/dense kernels. The bodies
 * are always-inline functions taking the input signedness and the weight width as parameters;
 * each kernel file calls them with constants, so every public kernel is a separate,
 * fully specialised function (and the linker keeps only the ones a model uses).
 *
 * Two code paths, identical results:
 *  - DSP (Cortex-M4/M7/M33/M55, __ARM_FEATURE_DSP; on the host with EA_EMULATE_DSP, where the
 *    instructions are emulated in C so the algorithm runs under the sanitizers): inputs are
 *    widened to 16-bit pairs once per output pixel ("column"), in the order the weights unpack,
 *    and two output channels x two pixels are accumulated with SMLAD (2 MACs per instruction).
 *  - portable C (Cortex-M0+/M3, host): byte windows, one weight unpack feeding two pixels.
 */
#ifndef EDGEAMP_EA_INTERNAL_H
#define EDGEAMP_EA_INTERNAL_H

#include <string.h>
#include "edgeamp/ea_kernels.h"

#if defined(__GNUC__)
#define EA_INLINE static inline __attribute__((always_inline))
#else
#define EA_INLINE static inline
#endif

#if defined(__ARM_FEATURE_DSP) || defined(EA_EMULATE_DSP)
#define EA_USE_DSP 1
#else
#define EA_USE_DSP 0
#endif

/* Channel table entries (ea_rqtab_t, 9 words) in the pointwise scratch, whose size cannot depend
 * on out_c: pointwise layers with more output channels run in chunks of this many. */
#define EA_PW_TABCAP 16

/* Unaligned little-endian 32-bit load (rows of packed weights start on any byte). */
EA_INLINE uint32_t ea_ld32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* ---- DSP primitives (Arm ARM v7-M/v8-M DSP extension semantics). */
#if defined(__ARM_FEATURE_DSP)
/* SXTB16: bytes 0 and 2 sign-extended into the two halfwords; ROR #8 selects bytes 1 and 3. */
EA_INLINE uint32_t ea_sxtb16(uint32_t x) { uint32_t r; __asm__("sxtb16 %0, %1" : "=r"(r) : "r"(x)); return r; }
EA_INLINE uint32_t ea_sxtb16_r8(uint32_t x) { uint32_t r; __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x)); return r; }
EA_INLINE uint32_t ea_uxtb16(uint32_t x) { uint32_t r; __asm__("uxtb16 %0, %1" : "=r"(r) : "r"(x)); return r; }
EA_INLINE uint32_t ea_uxtb16_r8(uint32_t x) { uint32_t r; __asm__("uxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x)); return r; }
/* SMLAD: acc + lo(a)*lo(b) + hi(a)*hi(b), halfwords signed. */
EA_INLINE int32_t ea_smlad(uint32_t a, uint32_t b, int32_t acc)
{
    int32_t r;
    __asm__("smlad %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(acc));
    return r;
}
/* SMMLA: r + high word of the 64-bit product a*b (floor). */
EA_INLINE int32_t ea_smmla(int32_t a, int32_t b, int32_t r)
{
    int32_t y;
    __asm__("smmla %0, %1, %2, %3" : "=r"(y) : "r"(a), "r"(b), "r"(r));
    return y;
}
/* SSUB16: halfword-wise a - b (wrapping). */
EA_INLINE uint32_t ea_ssub16(uint32_t a, uint32_t b) { uint32_t r; __asm__("ssub16 %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
EA_INLINE uint32_t ea_sadd16(uint32_t a, uint32_t b) { uint32_t r; __asm__("sadd16 %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
/* USADA8 x, 0, acc: acc + the four bytes of x, unsigned. */
EA_INLINE int32_t ea_usada8(uint32_t x, int32_t acc)
{
    int32_t r;
    __asm__("usada8 %0, %1, %2, %3" : "=r"(r) : "r"(x), "r"(0u), "r"(acc));
    return r;
}
/* PKHBT lo, hi LSL #16: halfword 0 of lo, halfword 0 of hi on top. */
EA_INLINE uint32_t ea_pkhbt(uint32_t lo, uint32_t hi) { uint32_t r; __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(lo), "r"(hi)); return r; }
/* PKHTB hi, lo ASR #16: halfword 1 of lo at the bottom, halfword 1 of hi on top. */
EA_INLINE uint32_t ea_pkhtb(uint32_t hi, uint32_t lo) { uint32_t r; __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(hi), "r"(lo)); return r; }
/* Byte-wise maximum of four lanes: USUB8/SSUB8 set GE per byte where a >= b, SEL picks by GE
 * (one asm statement: the compiler does not track the GE flags). */
EA_INLINE uint32_t ea_umax8(uint32_t a, uint32_t b) { uint32_t t, r; __asm__("usub8 %0, %2, %3\n\tsel %1, %2, %3" : "=&r"(t), "=r"(r) : "r"(a), "r"(b)); (void)t; return r; }
EA_INLINE uint32_t ea_smax8(uint32_t a, uint32_t b) { uint32_t t, r; __asm__("ssub8 %0, %2, %3\n\tsel %1, %2, %3" : "=&r"(t), "=r"(r) : "r"(a), "r"(b)); (void)t; return r; }
#else
EA_INLINE uint32_t ea_sxtb16(uint32_t x)
{
    return (uint32_t)(uint16_t)(int16_t)(int8_t)(x & 0xFF) | ((uint32_t)(uint16_t)(int16_t)(int8_t)((x >> 16) & 0xFF) << 16);
}
EA_INLINE uint32_t ea_sxtb16_r8(uint32_t x) { return ea_sxtb16((x >> 8) | (x << 24)); }
EA_INLINE uint32_t ea_uxtb16(uint32_t x) { return x & 0x00FF00FFu; }
EA_INLINE uint32_t ea_uxtb16_r8(uint32_t x) { return (x >> 8) & 0x00FF00FFu; }
EA_INLINE int32_t ea_smlad(uint32_t a, uint32_t b, int32_t acc)
{
    const int32_t p0 = (int32_t)(int16_t)(a & 0xFFFF) * (int16_t)(b & 0xFFFF);
    const int32_t p1 = (int32_t)(int16_t)(a >> 16) * (int16_t)(b >> 16);
    return (int32_t)((uint32_t)acc + (uint32_t)p0 + (uint32_t)p1); /* wraps like the instruction */
}
EA_INLINE int32_t ea_smmla(int32_t a, int32_t b, int32_t r)
{
    return (int32_t)(((int64_t)a * b) >> 32) + r;
}
EA_INLINE uint32_t ea_ssub16(uint32_t a, uint32_t b)
{
    return ((a - b) & 0xFFFFu) | (((a >> 16) - (b >> 16)) << 16);
}
EA_INLINE uint32_t ea_sadd16(uint32_t a, uint32_t b)
{
    return ((a + b) & 0xFFFFu) | (((a >> 16) + (b >> 16)) << 16);
}
EA_INLINE int32_t ea_usada8(uint32_t x, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (x & 0xFF) + ((x >> 8) & 0xFF) + ((x >> 16) & 0xFF) + (x >> 24));
}
EA_INLINE uint32_t ea_pkhbt(uint32_t lo, uint32_t hi) { return (lo & 0xFFFFu) | (hi << 16); }
EA_INLINE uint32_t ea_pkhtb(uint32_t hi, uint32_t lo) { return (hi & 0xFFFF0000u) | (lo >> 16); }
/* Byte-wise maximum of four lanes, unsigned or signed (USUB8/SSUB8 + SEL) */
EA_INLINE uint32_t ea_max8(uint32_t a, uint32_t b, int is_signed)
{
    uint32_t r = 0;
    int i;
    for (i = 0; i < 32; i += 8) {
        const int32_t x = is_signed ? (int32_t)(int8_t)(a >> i) : (int32_t)((a >> i) & 0xFFu);
        const int32_t y = is_signed ? (int32_t)(int8_t)(b >> i) : (int32_t)((b >> i) & 0xFFu);
        r |= ((uint32_t)(x >= y ? x : y) & 0xFFu) << i;
    }
    return r;
}
EA_INLINE uint32_t ea_umax8(uint32_t a, uint32_t b) { return ea_max8(a, b, 0); }
EA_INLINE uint32_t ea_smax8(uint32_t a, uint32_t b) { return ea_max8(a, b, 1); }
#endif

/* ---- Saturation to the full 8-bit ranges (USAT/SSAT exist on every Armv7-M/v8-M Mainline core). */
#if defined(__ARM_FEATURE_SAT)
EA_INLINE int32_t ea_usat8(int32_t x) { int32_t r; __asm__("usat %0, #8, %1" : "=r"(r) : "r"(x)); return r; }
EA_INLINE int32_t ea_ssat8(int32_t x) { int32_t r; __asm__("ssat %0, #8, %1" : "=r"(r) : "r"(x)); return r; }
#else
EA_INLINE int32_t ea_usat8(int32_t x) { return x < 0 ? 0 : (x > 255 ? 255 : x); }
EA_INLINE int32_t ea_ssat8(int32_t x) { return x < -128 ? -128 : (x > 127 ? 127 : x); }
#endif

/* ---- Packed weights: element k of a row of b-bit values, sign-extended. */
EA_INLINE int32_t ea_w_get(const uint8_t *row, int32_t k, int bits)
{
    int32_t v;
    if (bits == 8) {
        return (int8_t)row[k];
    }
    if (bits == 4) {
        v = (row[k >> 1] >> ((k & 1) * 4)) & 0xF;
        return v - ((v & 0x8) << 1);
    }
    v = (row[k >> 2] >> ((k & 3) * 2)) & 0x3;
    return v - ((v & 0x2) << 1);
}

/* The taps [*i0, *i1) of a (k_h, 1) window whose first row is input row ih0 that lie inside the
 * input's in_h rows (padded taps are skipped; *i0 >= *i1 when none is inside). */
EA_INLINE void ea_tap_range(int32_t ih0, int32_t k_h, int32_t in_h, int32_t *i0, int32_t *i1)
{
    *i0 = ih0 < 0 ? -ih0 : 0;
    *i1 = ih0 + k_h > in_h ? in_h - ih0 : k_h;
}

/* Input element i of an 8-bit activation tensor. */
EA_INLINE int32_t ea_x_get(const void *in, int32_t i, int in_u8)
{
    return in_u8 ? (int32_t)((const uint8_t *)in)[i] : (int32_t)((const int8_t *)in)[i];
}

/* The exact 64-bit requantization out of line (ea_rq_slow.c), one copy for the rare cases (n < 33
 * in ea_rq() below, the dense assembly's n < 33): ea_requantize(acc, m, n, lohi[0], lohi[1]). */
int32_t ea_rq_slow(int32_t acc, int32_t m, int32_t n, const int32_t *lohi);

/*
 * Requantization, faster but equal to ea_requantize(): for n >= 33,
 *   floor((p + 2^(n-1)) / 2^n) = floor((floor(p / 2^32) + 2^(n-33)) / 2^(n-32))
 * because 2^(n-1) is a multiple of 2^32; floor(p / 2^32) is the high word of the 64-bit product
 * (one SMULL), |high| < 2^30 and 2^(n-33) <= 2^29, so the 32-bit sum cannot overflow. Other n go
 * out of line (ea_rq_slow): inlining ea_requantize's 64-bit rounding into every kernel that
 * requantizes cost about 150 bytes of .text each.
 */
EA_INLINE int32_t ea_rq(int32_t acc, int32_t m, int32_t n, int32_t lo, int32_t hi)
{
    int32_t y;
    if (n >= 33) {
        const int32_t h = (int32_t)(((int64_t)acc * m) >> 32);
        y = (h + (1 << (n - 33))) >> (n - 32);
        return y < lo ? lo : (y > hi ? hi : y);
    } else {
        int32_t lohi[2];
        lohi[0] = lo;
        lohi[1] = hi;
        return ea_rq_slow(acc, m, n, lohi);
    }
}

/* ---- Convolution / dense bodies (ea_conv_core.h). */
#endif
