/* ea_dense_run: the DSP path of every dense kernel (ea_conv_core.h, ea_dense_body), one copy
 * shared by both input types and all weight widths; the width parts come in as the row-pair loop
 * (ea_dblk_w*) and the input widening (ea_dwiden_w*), so a model links only the widths it uses. */
#include "ea_dblk.h"

#if EA_USE_DSP
/* Rows c0 .. c1-1 (at least one), row c0 at w, a->rowb bytes apart (a->delta set to match): the
 * pairs go to the assembly in one call; an odd last row runs as a pair of itself (rowb 0) with its
 * parameters copied twice, keeping the first output. */
static void ea_dense_rows(ea_dense_args_t *a, ea_dblk_fn blk, const uint8_t *w, int32_t c0, int32_t c1,
                          const int32_t *bias, const ea_requant_t *rq, uint8_t *o)
{
    const int32_t n = c1 - c0, rowb = a->rowb;
    a->w = w;
    if (n >= 2) {
        a->mult = rq->mult + c0;
        a->shift = rq->shift + c0;
        a->out = o + c0;
        a->out_end = a->out + (n & ~1);
        a->bias = bias ? bias + c0 : NULL;
        blk(a);
    }
    if (n & 1) {
        const int32_t c = c1 - 1;
        int32_t b2[2], m2[2];
        int8_t n2[2];
        uint8_t o2[2];
        b2[0] = b2[1] = bias ? bias[c] : 0;
        m2[0] = m2[1] = rq->mult[c];
        n2[0] = n2[1] = rq->shift[c];
        a->mult = m2;
        a->shift = n2;
        a->out = o2;
        a->out_end = o2 + 2;
        a->bias = b2;
        a->w = w + (n - 1) * rowb;
        a->rowb = 0;
        blk(a);
        a->rowb = rowb;
        o[c] = o2[0];
    }
}

/* The input is widened once (pair order of the width, zero-padded to whole passes of the MAC
 * loop: 32 elements for int4, 16 otherwise), then every row pair runs against it. Rows are
 * read in place as whole words (LDR: any alignment) including up to rb - rowb bytes past their
 * end, which meet zero inputs; the last rows, whose read would leave the weight array, run from
 * a zero-padded copy.
 *   scratch: widened input, 2*Kp bytes with its zero padding | copy of the last rows,
 *            (u - 1)*rowb + rb < 2*rb <= 2*Kp bytes; 4*kp32(K) >= 4*Kp in all
 *            (ea_dense_scratch_bytes) */
void ea_dense_run(int32_t K, int32_t out_n, const void *in, const uint8_t *w, const int32_t *bias,
                  const ea_requant_t *rq, uint32_t *scratch, void *out, const ea_dense_ops_t *ops)
{
    const int wbits = ops->wbits;
    const ea_dblk_fn blk = ops->blk;
    uint8_t *o = (uint8_t *)out;
    const int32_t Kp = wbits == 4 ? (K + 31) & ~31 : (K + 15) & ~15; /* whole MAC loop passes: 32 / 16 elements */
    const int32_t rb = (Kp >> 3) * wbits;
    const int32_t rowb = (K * wbits + 7) >> 3; /* ea_packed_row_bytes for 0 < K <= EA_MAX_FANIN */
    const int32_t over = rb - rowb;
    uint8_t *tail = (uint8_t *)(scratch + Kp / 2);
    int32_t nsafe = out_n, sum;
    ea_dense_args_t a;
    if (K <= 0 || out_n <= 0) { /* no products: y = requant(bias) */
        int32_t c, lohi[2];
        lohi[0] = rq->act_min;
        lohi[1] = rq->act_max;
        for (c = 0; c < out_n; c++) {
            o[c] = (uint8_t)ea_rq_slow(bias ? bias[c] : 0, rq->mult[c], rq->shift[c], lohi);
        }
        return;
    }
    sum = ops->widen((const uint8_t *)in, K, scratch);
    a.corr = wbits == 2 ? 2 * sum : 0;
    a.x = scratch;
    a.nloop = Kp >> 4;
    if (wbits == 4) { /* passes of 32 in chunks of at most 8, the short one first (ea_dblk.h) */
        const int32_t p = Kp >> 5;
        a.nloop = ((((p - 1) & 7) + 1) << 26) - 2 * ((p - 1) >> 3);
    }
    a.lo = rq->act_min;
    a.hi = rq->act_max;
    a.mode = (a.lo == 0 && a.hi == 255) ? EA_DMODE_U8 : ((a.lo == -128 && a.hi == 127) ? EA_DMODE_S8 : EA_DMODE_ANY);
    if (over > 0) {
        nsafe = out_n - (over + rowb - 1) / rowb;
        if (nsafe < 0) {
            nsafe = 0;
        }
    }
    a.rowb = rowb;
    a.delta = 2 * rowb - rb;
    if (nsafe >= 2) { /* the row pairs read in place, straight to the assembly (the common case) */
        a.w = w;
        a.bias = bias;
        a.mult = rq->mult;
        a.shift = rq->shift;
        a.out = o;
        a.out_end = o + (nsafe & ~1);
        blk(&a);
    }
    if (nsafe & 1) { /* an odd last row read in place */
        ea_dense_rows(&a, blk, w + (nsafe - 1) * rowb, nsafe - 1, nsafe, bias, rq, o);
    }
    if (nsafe < out_n) {
        const int32_t u = out_n - nsafe;
        memset(tail, 0, (size_t)((u - 1) * rowb + rb));
        memcpy(tail, w + nsafe * rowb, (size_t)(u * rowb));
        ea_dense_rows(&a, blk, tail, nsafe, out_n, bias, rq, o);
    }
}
#else
typedef int ea_dense_run_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
