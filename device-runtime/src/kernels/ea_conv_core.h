/*
 * Shared bodies of the (k_h, 1) convolution, pointwise and dense kernels (see ea_internal.h).
 *
 * A convolution output pixel is a dot product of the weight row [k_h][in_c] with the input
 * window of k_h rows x in_c channels (HWC, so for W = 1 the window is contiguous in memory),
 * zero rows where the window leaves the input. The DSP path widens the windows of four pixels
 * once and then runs every weight row over them, so each unpacked weight pair serves four
 * pixels (ea_blk_w*, ea_conv_run.c); the portable path does two pixels x two channels from the bytes.
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
#include "ea_blk.h"
#include "ea_dblk.h"
#include "ea_cw.h"

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

/* Widen one group of G = 32/wbits input bytes into G/2 halfword pairs in the weight unpack
 * order; pair j goes to col[j * stride]. */
EA_INLINE void ea_expand_group(const uint8_t *x, int in_u8, int wbits, uint32_t *col, int32_t stride)
{
    if (wbits == 8) {
        const uint32_t a = ea_ld32(x);
        col[0] = ea_ext(a, in_u8);
        col[stride] = ea_ext_r8(a, in_u8);
    } else if (wbits == 4) {
        const uint32_t a = ea_ld32(x), b = ea_ld32(x + 4);
        const uint32_t ea = ea_ext(a, in_u8), oa = ea_ext_r8(a, in_u8);
        const uint32_t eb = ea_ext(b, in_u8), ob = ea_ext_r8(b, in_u8);
        col[0] = ea_pkhbt(ea, eb);          /* x0 x4 */
        col[stride] = ea_pkhtb(eb, ea);     /* x2 x6 */
        col[2 * stride] = ea_pkhbt(oa, ob); /* x1 x5 */
        col[3 * stride] = ea_pkhtb(ob, oa); /* x3 x7 */
    } else {
        const uint32_t a = ea_ld32(x), b = ea_ld32(x + 4), c = ea_ld32(x + 8), d = ea_ld32(x + 12);
        const uint32_t ea = ea_ext(a, in_u8), oa = ea_ext_r8(a, in_u8);
        const uint32_t eb = ea_ext(b, in_u8), ob = ea_ext_r8(b, in_u8);
        const uint32_t ec = ea_ext(c, in_u8), oc = ea_ext_r8(c, in_u8);
        const uint32_t ed = ea_ext(d, in_u8), od = ea_ext_r8(d, in_u8);
        col[0] = ea_pkhbt(ea, ec);          /* x0 x8 */
        col[stride] = ea_pkhbt(eb, ed);     /* x4 x12 */
        col[2 * stride] = ea_pkhbt(oa, oc); /* x1 x9 */
        col[3 * stride] = ea_pkhbt(ob, od); /* x5 x13 */
        col[4 * stride] = ea_pkhtb(ec, ea); /* x2 x10 */
        col[5 * stride] = ea_pkhtb(ed, eb); /* x6 x14 */
        col[6 * stride] = ea_pkhtb(oc, oa); /* x3 x11 */
        col[7 * stride] = ea_pkhtb(od, ob); /* x7 x15 */
    }
}

/* Widen K input bytes into ceil(K/G) groups of pairs (pair j at col[j * stride]; stride 4: four
 * pixels interleaved pair by pair, see ea_dot1x4; stride 1: one pixel). The last group is
 * zero-padded, so the dot products need no scalar tail: whatever weight bits meet the padding
 * (the unused bits of a row, or the next row) are multiplied by zero. */
EA_INLINE void ea_expand_col(const uint8_t *x, int32_t K, int in_u8, int wbits, uint32_t *col, int32_t stride)
{
    const int32_t G = 32 / wbits;
    const int32_t ng = K / G;
    int32_t g;
    for (g = 0; g < ng; g++) {
        ea_expand_group(x, in_u8, wbits, col, stride);
        x += G;
        col += (G / 2) * stride;
    }
    if (K > ng * G) {
        uint8_t tmp[16];
        memset(tmp, 0, sizeof tmp);
        memcpy(tmp, x, (size_t)(K - ng * G));
        ea_expand_group(tmp, in_u8, wbits, col, stride);
    }
}

/* Number of packed 32-bit weight words that cover K elements (the padded row length). */
EA_INLINE int32_t ea_row_words(int32_t K, int wbits)
{
    return (K * wbits + 31) / 32;
}

/*
 * One weight row against four pixels: acc[q] = dot(row, pixel q). C with the emulated
 * instructions: the host model of the assembly MAC loops in ea_blk_w*.c. The column block holds, for
 * every halfword pair j, the four pixels' pairs in consecutive words, so a pair of LDRD loads
 * feeds four SMLADs with one unpacked weight pair. Per packed word of weights this costs:
 *   int8:  1 LDR + 2 SXTB16           + 4 LDRD + 8 SMLAD  (16 MACs)
 *   int4:  1 LDR + 3 mask + 4 SXTB16  + 8 LDRD + 16 SMLAD (32 MACs)
 *   int2:  1 LDR + 7 mask + 8 SXTB16  + 16 LDRD + 32 SMLAD (64 MACs)
 * plus SUBS/BNE per word, i.e. about 1.0 instruction per MAC. Sub-byte weights come out
 * pre-multiplied by 16 (int4) or 64 (int2); the sums are shifted back exactly at the end.
 */
EA_INLINE void ea_dot1x4(const uint32_t *col, const uint8_t *w, int32_t ng, int wbits, int32_t bias, int32_t acc[4])
{
    const int sh = wbits == 8 ? 0 : (wbits == 4 ? 4 : 6);
    /* int8 products are unscaled, so the bias can start the sums; scaled sums get it at the end */
    const int32_t init = wbits == 8 ? bias : 0, late = wbits == 8 ? 0 : bias;
    int32_t s0 = init, s1 = init, s2 = init, s3 = init;
    if (ng > 0) {
        /* The same algorithm with the emulated instructions (host tests of the DSP path). */
        const uint32_t mask = wbits == 4 ? 0xF0F0F0F0u : 0xC0C0C0C0u;
        int32_t g, i;
        for (g = 0; g < ng; g++) {
            const uint32_t wd = ea_ld32(w + 4 * g);
            for (i = 0; i < 16 / wbits; i++) {
                uint32_t t;
                if (wbits == 8) {
                    t = i == 0 ? ea_sxtb16(wd) : ea_sxtb16_r8(wd);
                } else {
                    const uint32_t v = (wd << (8 - wbits * (i / 2 + 1))) & mask;
                    t = (i & 1) ? ea_sxtb16_r8(v) : ea_sxtb16(v);
                }
                s0 = ea_smlad(t, col[0], s0);
                s1 = ea_smlad(t, col[1], s1);
                s2 = ea_smlad(t, col[2], s2);
                s3 = ea_smlad(t, col[3], s3);
                col += 4;
            }
        }
    }
    /* exact: every term is a multiple of 2^sh; >> is arithmetic with GCC */
    acc[0] = (s0 >> sh) + late;
    acc[1] = (s1 >> sh) + late;
    acc[2] = (s2 >> sh) + late;
    acc[3] = (s3 >> sh) + late;
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

/* Clamp modes, chosen once per call: the full uint8 / int8 ranges compile to USAT / SSAT. */
enum { EA_CLAMP_U8 = 0, EA_CLAMP_S8 = 1, EA_CLAMP_ANY = 2 }; /* the values of ea_blk.h's EA_MODE_* */
EA_INLINE int ea_clamp_mode(const ea_requant_t *rq)
{
    if (rq->act_min == 0 && rq->act_max == 255) {
        return EA_CLAMP_U8;
    }
    return (rq->act_min == -128 && rq->act_max == 127) ? EA_CLAMP_S8 : EA_CLAMP_ANY;
}

/* Scratch: K rounded up to a whole number of int2 words (the widest padding of any width). */
EA_INLINE int32_t ea_kp16(int32_t K)
{
    return (K + 15) & ~15;
}

/* Body of ea_conv_hx1_* and ea_pointwise_* (tabcap: requantization table entries the scratch
 * holds, or EA_CW_CONV for a convolution: all out_c, and the widened-weight path of ea_cw.h when
 * the shape allows it). DSP: ea_conv_run (ea_conv_run.c). Portable: pairs of pixels and pairs of channels from the byte
 * windows (two window buffers). */
EA_INLINE void ea_conv_hx1_body(const ea_conv_shape_t *s, const void *in, int in_u8, const uint8_t *w, int wbits,
                                const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out,
                                int32_t tabcap)
{
#if EA_USE_DSP
    ea_conv_run(s, in, in_u8, w, bias, rq, scratch, out, tabcap,
                wbits == 8 ? &ea_conv_ops_w8 : (wbits == 4 ? &ea_conv_ops_w4 : &ea_conv_ops_w2));
#else
    const int32_t cout = s->out_c, K = s->k_h * s->in_c;
    const int32_t rowb = ea_packed_row_bytes(K, wbits);
    const int32_t npix = s->out_h * s->out_w;
    uint8_t *o = (uint8_t *)out;
    int32_t p, c;
    uint8_t *buf0 = (uint8_t *)scratch, *buf1 = buf0 + ((K + 3) & ~3);
    (void)tabcap;
    for (p = 0; p < npix; p += 2) {
        /* An odd last pixel is computed twice (same window) and stored once. */
        const int two = p + 1 < npix;
        uint8_t *o0 = o + p * cout, *o1 = o0 + cout;
        const uint8_t *x0 = ea_window(s, (const uint8_t *)in, p, buf0);
        const uint8_t *x1 = two ? ea_window(s, (const uint8_t *)in, p + 1, buf1) : x0;
        for (c = 0; c < cout; c += 2) {
            /* An odd last channel is likewise computed twice from the same row. */
            const int pair = c + 1 < cout;
            const uint8_t *wa = w + c * rowb, *wb = pair ? wa + rowb : wa;
            const int32_t b0 = bias ? bias[c] : 0, b1 = (bias && pair) ? bias[c + 1] : 0;
            int32_t acc[4];
            ea_dot2x2_c(x0, x1, wa, wb, K, wbits, in_u8, acc);
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
#endif
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
    ea_conv_hx1_body(&s, in, in_u8, w, wbits, bias, rq, scratch, out, EA_PW_TABCAP);
}

/* Body of ea_dense_*: DSP: ea_dense_run (ea_dense_run.c: the input widened once, row pairs in
 * assembly, ea_dblk.h). Portable: two rows at a time from the bytes. */
EA_INLINE void ea_dense_body(int32_t K, int32_t out_n, const void *in, int in_u8, const uint8_t *w, int wbits,
                             const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out)
{
#if EA_USE_DSP
    ea_dense_run(K, out_n, in, w, bias, rq, scratch, out,
                 in_u8 ? (wbits == 8 ? &ea_dense_ops_u8_w8 : (wbits == 4 ? &ea_dense_ops_u8_w4 : &ea_dense_ops_u8_w2))
                       : (wbits == 8 ? &ea_dense_ops_s8_w8 : (wbits == 4 ? &ea_dense_ops_s8_w4 : &ea_dense_ops_s8_w2)));
#else
    const int32_t rowb = ea_packed_row_bytes(K, wbits);
    uint8_t *o = (uint8_t *)out;
    int32_t c;
    (void)scratch;
    for (c = 0; c < out_n; c += 2) {
        const int pair = c + 1 < out_n;
        const uint8_t *wa = w + c * rowb, *wb = pair ? wa + rowb : wa;
        int32_t acc[4];
        ea_dot2x2_c((const uint8_t *)in, (const uint8_t *)in, wa, wb, K, wbits, in_u8, acc);
        ea_store(o + c, acc[0] + (bias ? bias[c] : 0), rq, c);
        if (pair) {
            ea_store(o + c + 1, acc[2] + (bias ? bias[c + 1] : 0), rq, c + 1);
        }
    }
#endif
}

#endif
