/* ea_cw_run: driver of the widened-weight convolution (ea_cw.h): the per-call stream of widened
 * weights and requantization parameters, then per chunk of output pixels the widened input and
 * the block loop (ea_cw_blk). Shared by every conv kernel; the width part (ea_cw_row_w*) comes in
 * as a function pointer. */
#include "ea_cw.h"

#if EA_USE_DSP
/* ng (a multiple of four) groups of input elements from element e (may be negative) of x[0..n),
 * widened sixteen at a time; zero outside the input (those blocks are gathered into t first). */
static void ea_cw_widen(const uint8_t *x, int32_t n, int32_t e, int32_t ng, int in_u8, uint32_t *c)
{
    void (*const x16)(const uint8_t *, uint32_t *, int32_t) = in_u8 ? ea_x16_u8 : ea_x16_s8;
    int32_t left = ng >> 2;
    while (left > 0) {
        int32_t k = 1;
        if (e >= 0 && e + 16 <= n) {
            k = (n - e) >> 4;
            if (k > left) {
                k = left;
            }
            x16(x + e, c, k);
        } else {
            uint8_t t[16];
            int32_t i;
            for (i = 0; i < 16; i++) {
                t[i] = (uint8_t)(e + i >= 0 && e + i < n ? x[e + i] : 0);
            }
            x16(t, c, 1);
        }
        e += 16 * k;
        c += 8 * k;
        left -= k;
    }
}

int ea_cw_run(const ea_conv_shape_t *s, const void *in, int in_u8, const uint8_t *w, int wbits, const int32_t *bias,
              const ea_requant_t *rq, uint32_t *scratch, void *out, ea_cw_row_fn rowfn)
{
    const int32_t cout = s->out_c, K = s->k_h * s->in_c, steps = (K + 3) >> 2;
    const int32_t pw = 12 + 4 * steps, npc = (cout + 1) >> 1;
    const int32_t rowb = (K * wbits + 7) >> 3;
    const int32_t dw = (s->stride_h * s->in_c) >> 1; /* words from one window to the next */
    const int32_t npix = s->out_h, cp = ea_cw_chunk_pix(s), ng = ea_cw_chunk_groups(s);
    const int32_t nin = s->in_h * s->in_c;
    uint32_t *stream = scratch, *buf = scratch + npc * pw;
    uint8_t *tmp = (uint8_t *)(buf + 2 * ng);
    uint8_t *o = (uint8_t *)out;
    const uint32_t mode = rq->act_min == 0 && rq->act_max == 255 ? 0u : (uint32_t)EA_CW_S8;
    ea_cw_args_t a;
    int32_t i, p;
    if (mode && (rq->act_min != -128 || rq->act_max != 127)) {
        return 0; /* a narrower clamp: the general path */
    }
    for (i = 0; i < npc; i++) {
        uint32_t *e = stream + i * pw, *f = e + 5 + 4 * steps;
        int h;
        for (h = 0; h < 2; h++) { /* channels a = 2i and b = 2i+1 (a again for an odd out_c) */
            const int32_t c = 2 * i + h < cout ? 2 * i + h : 2 * i;
            if (!ea_rq_kmr(rq->mult[c], rq->shift[c], (int32_t *)f + 4 * h)) {
                return 0;
            }
            e[2 * h] = e[2 * h + 1] = (uint32_t)(bias ? bias[c] : 0);
            rowfn(w + c * rowb, K, e + 5 + 2 * h);
        }
        e[4] = ea_cw_entry[steps];
        f[3] = mode | (i == npc - 1 ? (uint32_t)EA_CW_LAST : 0u) | (2 * i + 1 == cout ? (uint32_t)EA_CW_ODD : 0u);
    }
    a.cout = cout;
    a.stream = stream;
    a.steps = steps;
    a.d2 = 8 * dw;
    for (p = 0; p < npix; p += cp) {
        const int32_t s0 = p + cp > npix ? npix - cp : p; /* the last chunk ends at npix (overlap) */
        const uint32_t *end = buf + 2 * steps;           /* end of the chunk's first window */
        ea_cw_widen((const uint8_t *)in, nin, (s0 * s->stride_h - s->pad_top) * s->in_c, ng, in_u8, buf);
        a.out = o + s0 * cout;
        a.e0 = end;
        a.e1 = end + dw;
        a.eend = end + (cp >> 1) * 2 * dw;
        if (cp >= 2) {
            ea_cw_blk(&a);
        }
        if (cp & 1) { /* odd chunk (only when npix < EA_CW_CPIX): its last two pixels once more, */
            const int32_t q = cp >= 3 ? cp - 2 : 0; /* or its one pixel twice, into tmp */
            a.out = cp >= 3 ? o + (s0 + q) * cout : tmp;
            a.e0 = end + q * dw;
            a.e1 = a.e0 + (cp >= 3 ? dw : 0);
            a.eend = a.e0 + 2 * dw;
            ea_cw_blk(&a);
            if (cp == 1) {
                memcpy(o + s0 * cout, tmp, (size_t)cout);
            }
        }
    }
    return 1;
}
#else
typedef int ea_cw_run_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
