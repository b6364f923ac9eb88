/*
 * Shared bodies of the (k_h, 1) convolution, pointwise and dense kernels (see ea_internal.h).
 *
 * A convolution output pixel is a dot product of the weight row [k_h][in_c] with the input
 * window of k_h rows x in_c channels (HWC, so for W = 1 the window is contiguous in memory),
 * zero rows where the window leaves the input. Pixels are processed two at a time and output
 * channels two at a time, so each unpacked weight word serves two pixels and each widened input
 * word serves two channels.
 *
 * DSP column order. Weights of one 32-bit word unpack into halfword pairs without shuffling:
 *   int8 (G = 4 per word):  SXTB16 w -> (w0,w2), SXTB16 ror8 -> (w1,w3)
 *   int4 (G = 8):  (w<<4)&0xF0F0F0F0 -> (w0,w4),(w2,w6);  w&0xF0F0F0F0 -> (w1,w5),(w3,w7)  (x16)
 *   int2 (G = 16): (w<<(6-2t))&0xC0C0C0C0, t = 0..3 -> (wt,w8+t),(w4+t,w12+t)              (x64)
 * (the masked nibbles/crumbs sit in the top of each byte, so SXTB16 yields 16*w or 64*w exactly).
 * The input column is widened once per pixel into the same pair order; the K % G elements after
 * the last full word are kept one per 32-bit word and handled in scalar code.
 */
#ifndef EDGEAMP_EA_CONV_CORE_H
#define EDGEAMP_EA_CONV_CORE_H

#include "ea_internal.h"

/* Pointer to the natural-order input window of output pixel p (k_h*in_c bytes): straight into
 * the input when it is contiguous and inside it, else gathered with zero rows into buf. */
EA_INLINE const uint8_t *ea_window(const ea_conv_shape_t *s, const uint8_t *in, int32_t p, uint8_t *buf)
{
    const int32_t oh = p / s->out_w, ow = p - oh * s->out_w;
    const int32_t ih0 = oh * s->stride_h - s->pad_top, iw = ow * s->stride_w;
    const int32_t cin = s->in_c;
    int32_t i;
    if (s->in_w == 1 && ih0 >= 0 && ih0 + s->k_h <= s->in_h) {
        return in + ih0 * cin;
    }
    for (i = 0; i < s->k_h; i++) {
        const int32_t ih = ih0 + i;
        if (ih >= 0 && ih < s->in_h) {
            memcpy(buf + i * cin, in + ((int32_t)ih * s->in_w + iw) * cin, (size_t)cin);
        } else {
            memset(buf + i * cin, 0, (size_t)cin);
        }
    }
    return buf;
}

#if EA_USE_DSP
EA_INLINE uint32_t ea_ext(uint32_t x, int in_u8) { return in_u8 ? ea_uxtb16(x) : ea_sxtb16(x); }
EA_INLINE uint32_t ea_ext_r8(uint32_t x, int in_u8) { return in_u8 ? ea_uxtb16_r8(x) : ea_sxtb16_r8(x); }

/* Widen K input bytes into a column of halfword pairs in the weight unpack order. */
EA_INLINE void ea_expand_col(const uint8_t *x, int32_t K, int in_u8, int wbits, uint32_t *col)
{
    const int32_t G = 32 / wbits;
    const int32_t ng = K / G;
    int32_t g, k;
    for (g = 0; g < ng; g++) {
        if (wbits == 8) {
            const uint32_t a = ea_ld32(x);
            col[0] = ea_ext(a, in_u8);
            col[1] = ea_ext_r8(a, in_u8);
        } else if (wbits == 4) {
            const uint32_t a = ea_ld32(x), b = ea_ld32(x + 4);
            const uint32_t ea = ea_ext(a, in_u8), oa = ea_ext_r8(a, in_u8);
            const uint32_t eb = ea_ext(b, in_u8), ob = ea_ext_r8(b, in_u8);
            col[0] = ea_pkhbt(ea, eb); /* x0 x4 */
            col[1] = ea_pkhtb(eb, ea); /* x2 x6 */
            col[2] = ea_pkhbt(oa, ob); /* x1 x5 */
            col[3] = ea_pkhtb(ob, oa); /* x3 x7 */
        } else {
            const uint32_t a = ea_ld32(x), b = ea_ld32(x + 4), c = ea_ld32(x + 8), d = ea_ld32(x + 12);
            const uint32_t ea = ea_ext(a, in_u8), oa = ea_ext_r8(a, in_u8);
            const uint32_t eb = ea_ext(b, in_u8), ob = ea_ext_r8(b, in_u8);
            const uint32_t ec = ea_ext(c, in_u8), oc = ea_ext_r8(c, in_u8);
            const uint32_t ed = ea_ext(d, in_u8), od = ea_ext_r8(d, in_u8);
            col[0] = ea_pkhbt(ea, ec); /* x0 x8 */
            col[1] = ea_pkhbt(eb, ed); /* x4 x12 */
            col[2] = ea_pkhbt(oa, oc); /* x1 x9 */
            col[3] = ea_pkhbt(ob, od); /* x5 x13 */
            col[4] = ea_pkhtb(ec, ea); /* x2 x10 */
            col[5] = ea_pkhtb(ed, eb); /* x6 x14 */
            col[6] = ea_pkhtb(oc, oa); /* x3 x11 */
            col[7] = ea_pkhtb(od, ob); /* x7 x15 */
        }
        x += G;
        col += G / 2;
    }
    for (k = 0; k < K - ng * G; k++) {
        col[k] = (uint32_t)ea_x_get(x, k, in_u8);
    }
}

/* Multiply-accumulate one packed weight word against the matching words of two columns. */
EA_INLINE void ea_mac_word(uint32_t w, int wbits, const uint32_t *x0, const uint32_t *x1, int32_t *s0, int32_t *s1)
{
    uint32_t t;
    int i;
    if (wbits == 8) {
        t = ea_sxtb16(w);
        *s0 = ea_smlad(t, x0[0], *s0);
        *s1 = ea_smlad(t, x1[0], *s1);
        t = ea_sxtb16_r8(w);
        *s0 = ea_smlad(t, x0[1], *s0);
        *s1 = ea_smlad(t, x1[1], *s1);
    } else {
        const uint32_t mask = wbits == 4 ? 0xF0F0F0F0u : 0xC0C0C0C0u;
        const int parts = 8 / wbits; /* 2 or 4 masked copies of the word */
        for (i = 0; i < parts; i++) {
            const uint32_t v = (w << (8 - wbits * (i + 1))) & mask;
            t = ea_sxtb16(v);
            *s0 = ea_smlad(t, x0[2 * i], *s0);
            *s1 = ea_smlad(t, x1[2 * i], *s1);
            t = ea_sxtb16_r8(v);
            *s0 = ea_smlad(t, x0[2 * i + 1], *s0);
            *s1 = ea_smlad(t, x1[2 * i + 1], *s1);
        }
    }
}

/* acc[ch*2 + pix] = dot(row ch, column pix) for rows wa, wb and columns x0, x1 (DSP order). */
EA_INLINE void ea_dot2x2(const uint32_t *x0, const uint32_t *x1, const uint8_t *wa, const uint8_t *wb,
                         int32_t K, int wbits, int32_t acc[4])
{
    const int32_t G = 32 / wbits, ng = K / G;
    const int sh = wbits == 8 ? 0 : (wbits == 4 ? 4 : 6); /* unpacked sub-byte weights are x16 / x64 */
    const uint8_t *pa = wa, *pb = wb;
    int32_t s00 = 0, s01 = 0, s10 = 0, s11 = 0;
    int32_t g, k;
    for (g = 0; g < ng; g++) {
        ea_mac_word(ea_ld32(pa), wbits, x0, x1, &s00, &s01);
        ea_mac_word(ea_ld32(pb), wbits, x0, x1, &s10, &s11);
        pa += 4;
        pb += 4;
        x0 += G / 2;
        x1 += G / 2;
    }
    s00 >>= sh; /* exact: every term is a multiple of 2^sh; >> is arithmetic with GCC */
    s01 >>= sh;
    s10 >>= sh;
    s11 >>= sh;
    for (k = ng * G; k < K; k++) {
        const int32_t a = ea_w_get(wa, k, wbits), b = ea_w_get(wb, k, wbits);
        const int32_t v0 = (int32_t)*x0++, v1 = (int32_t)*x1++;
        s00 += a * v0;
        s01 += a * v1;
        s10 += b * v0;
        s11 += b * v1;
    }
    acc[0] = s00;
    acc[1] = s01;
    acc[2] = s10;
    acc[3] = s11;
}

/* Dense: two rows against one column (DSP order). */
EA_INLINE void ea_dot2x1(const uint32_t *x, const uint8_t *wa, const uint8_t *wb, int32_t K, int wbits, int32_t acc[2])
{
    const int32_t G = 32 / wbits, ng = K / G;
    const int sh = wbits == 8 ? 0 : (wbits == 4 ? 4 : 6);
    const uint8_t *pa = wa, *pb = wb;
    int32_t s0 = 0, s1 = 0;
    int32_t g, k;
    for (g = 0; g < ng; g++) {
        const uint32_t A = ea_ld32(pa), B = ea_ld32(pb);
        uint32_t t;
        int i;
        if (wbits == 8) {
            t = ea_sxtb16(A);
            s0 = ea_smlad(t, x[0], s0);
            t = ea_sxtb16_r8(A);
            s0 = ea_smlad(t, x[1], s0);
            t = ea_sxtb16(B);
            s1 = ea_smlad(t, x[0], s1);
            t = ea_sxtb16_r8(B);
            s1 = ea_smlad(t, x[1], s1);
        } else {
            const uint32_t mask = wbits == 4 ? 0xF0F0F0F0u : 0xC0C0C0C0u;
            for (i = 0; i < 8 / wbits; i++) {
                const int l = 8 - wbits * (i + 1);
                const uint32_t va = (A << l) & mask, vb = (B << l) & mask;
                s0 = ea_smlad(ea_sxtb16(va), x[2 * i], s0);
                s0 = ea_smlad(ea_sxtb16_r8(va), x[2 * i + 1], s0);
                s1 = ea_smlad(ea_sxtb16(vb), x[2 * i], s1);
                s1 = ea_smlad(ea_sxtb16_r8(vb), x[2 * i + 1], s1);
            }
        }
        pa += 4;
        pb += 4;
        x += G / 2;
    }
    s0 >>= sh;
    s1 >>= sh;
    for (k = ng * G; k < K; k++) {
        const int32_t v = (int32_t)*x++;
        s0 += ea_w_get(wa, k, wbits) * v;
        s1 += ea_w_get(wb, k, wbits) * v;
    }
    acc[0] = s0;
    acc[1] = s1;
}
#endif /* EA_USE_DSP */

/* Portable: acc[ch*2 + pix] for rows wa, wb and natural-order byte windows x0, x1. Each packed
 * byte is unpacked once and used for both pixels. */
EA_INLINE void ea_dot2x2_c(const uint8_t *x0, const uint8_t *x1, const uint8_t *wa, const uint8_t *wb,
                           int32_t K, int wbits, int in_u8, int32_t acc[4])
{
    const int32_t per = 8 / wbits; /* elements per byte */
    const int32_t full = K / per;
    int32_t s00 = 0, s01 = 0, s10 = 0, s11 = 0;
    int32_t j, k;
    for (j = 0; j < full; j++) {
        const uint32_t A = wa[j], B = wb[j];
        int e;
        for (e = 0; e < per; e++) {
            /* sign-extend field e: move it to the top of a byte, then arithmetic shift down */
            const int32_t a = (int32_t)(int8_t)(uint8_t)(A << (8 - wbits * (e + 1))) >> (8 - wbits);
            const int32_t b = (int32_t)(int8_t)(uint8_t)(B << (8 - wbits * (e + 1))) >> (8 - wbits);
            const int32_t v0 = ea_x_get(x0, j * per + e, in_u8), v1 = ea_x_get(x1, j * per + e, in_u8);
            s00 += a * v0;
            s01 += a * v1;
            s10 += b * v0;
            s11 += b * v1;
        }
    }
    for (k = full * per; k < K; k++) {
        const int32_t a = ea_w_get(wa, k, wbits), b = ea_w_get(wb, k, wbits);
        const int32_t v0 = ea_x_get(x0, k, in_u8), v1 = ea_x_get(x1, k, in_u8);
        s00 += a * v0;
        s01 += a * v1;
        s10 += b * v0;
        s11 += b * v1;
    }
    acc[0] = s00;
    acc[1] = s01;
    acc[2] = s10;
    acc[3] = s11;
}

/* Bias, requantization and store of one output value. */
EA_INLINE void ea_store(uint8_t *o, int32_t acc, const ea_requant_t *rq, int32_t c)
{
    *o = (uint8_t)ea_rq(acc, rq->mult[c], rq->shift[c], rq->act_min, rq->act_max);
}

/* Body of ea_conv_hx1_* and ea_pointwise_*. Scratch layout: column 0 (K words), column 1
 * (K words), window buffer (K bytes); the portable path keeps its two windows there. */
EA_INLINE void ea_conv_hx1_body(const ea_conv_shape_t *s, const void *in, int in_u8, const uint8_t *w, int wbits,
                                const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out)
{
    const int32_t cout = s->out_c, K = s->k_h * s->in_c;
    const int32_t rowb = ea_packed_row_bytes(K, wbits);
    const int32_t npix = s->out_h * s->out_w;
    uint8_t *o = (uint8_t *)out;
    int32_t p, c;
#if EA_USE_DSP
    uint32_t *col0 = scratch, *col1 = scratch + K;
    uint8_t *buf = (uint8_t *)(scratch + 2 * K);
#else
    uint8_t *buf0 = (uint8_t *)scratch, *buf1 = (uint8_t *)(scratch + 2 * K);
#endif
    for (p = 0; p < npix; p += 2) {
        /* An odd last pixel is computed twice (same column) and stored once. */
        const int two = p + 1 < npix;
        uint8_t *o0 = o + p * cout, *o1 = o0 + cout;
#if EA_USE_DSP
        ea_expand_col(ea_window(s, (const uint8_t *)in, p, buf), K, in_u8, wbits, col0);
        if (two) {
            ea_expand_col(ea_window(s, (const uint8_t *)in, p + 1, buf), K, in_u8, wbits, col1);
        }
#else
        const uint8_t *x0 = ea_window(s, (const uint8_t *)in, p, buf0);
        const uint8_t *x1 = two ? ea_window(s, (const uint8_t *)in, p + 1, buf1) : x0;
#endif
        for (c = 0; c < cout; c += 2) {
            /* An odd last channel is likewise computed twice from the same row. */
            const int pair = c + 1 < cout;
            const uint8_t *wa = w + c * rowb, *wb = pair ? wa + rowb : wa;
            const int32_t b0 = bias ? bias[c] : 0, b1 = (bias && pair) ? bias[c + 1] : 0;
            int32_t acc[4];
#if EA_USE_DSP
            ea_dot2x2(col0, two ? col1 : col0, wa, wb, K, wbits, acc);
#else
            ea_dot2x2_c(x0, x1, wa, wb, K, wbits, in_u8, acc);
#endif
            ea_store(o0 + c, acc[0] + b0, rq, c);
            if (two) {
                ea_store(o1 + c, acc[1] + b0, rq, c);
            }
            if (pair) {
                ea_store(o0 + c + 1, acc[2] + b1, rq, c + 1);
                if (two) {
                    ea_store(o1 + c + 1, acc[3] + b1, rq, c + 1);
                }
            }
        }
    }
}

/* Pointwise = (1,1) convolution over n_pix contiguous pixels. */
EA_INLINE void ea_pointwise_body(int32_t n_pix, int32_t in_c, int32_t out_c, const void *in, int in_u8,
                                 const uint8_t *w, int wbits, const int32_t *bias, const ea_requant_t *rq,
                                 uint32_t *scratch, void *out)
{
    ea_conv_shape_t s;
    s.in_h = n_pix;
    s.in_w = 1;
    s.in_c = in_c;
    s.out_h = n_pix;
    s.out_w = 1;
    s.out_c = out_c;
    s.k_h = 1;
    s.stride_h = 1;
    s.stride_w = 1;
    s.pad_top = 0;
    ea_conv_hx1_body(&s, in, in_u8, w, wbits, bias, rq, scratch, out);
}

/* Body of ea_dense_*: the input vector is widened once (DSP) and shared by all rows. */
EA_INLINE void ea_dense_body(int32_t K, int32_t out_n, const void *in, int in_u8, const uint8_t *w, int wbits,
                             const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out)
{
    const int32_t rowb = ea_packed_row_bytes(K, wbits);
    uint8_t *o = (uint8_t *)out;
    int32_t c;
#if EA_USE_DSP
    ea_expand_col((const uint8_t *)in, K, in_u8, wbits, scratch);
#else
    (void)scratch;
#endif
    for (c = 0; c < out_n; c += 2) {
        const int pair = c + 1 < out_n;
        const uint8_t *wa = w + c * rowb, *wb = pair ? wa + rowb : wa;
        int32_t acc[4];
#if EA_USE_DSP
        ea_dot2x1(scratch, wa, wb, K, wbits, acc);
        acc[2] = acc[1];
#else
        ea_dot2x2_c((const uint8_t *)in, (const uint8_t *)in, wa, wb, K, wbits, in_u8, acc);
#endif
        ea_store(o + c, acc[0] + (bias ? bias[c] : 0), rq, c);
        if (pair) {
            ea_store(o + c + 1, acc[2] + (bias ? bias[c + 1] : 0), rq, c + 1);
        }
    }
}

#endif
