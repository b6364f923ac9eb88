/* ea_conv_run: the DSP path of every convolution and pointwise kernel (ea_conv_core.h), one
 * copy shared by all input types and weight widths; the width-specific parts come in as the
 * channel loop (ea_blk_w*) and the widening (ea_widen_w*), so a model links only the widths it
 * uses. */
#include "ea_conv_core.h"
#include "ea_cw.h"

#if EA_USE_DSP
int ea_rq_kmr(int32_t m, int32_t n, int32_t kmr[3])
{
    kmr[0] = 0;
    kmr[1] = m;
    kmr[2] = 0;
    if (n >= 33) {
        kmr[0] = n - 32;
        kmr[2] = (int32_t)1 << (n - 33);
        return 1;
    }
    if (n >= 1) {
        const int64_t mm = (int64_t)m * ((int64_t)1 << (33 - n));
        if (mm >= INT32_MIN && mm <= INT32_MAX) {
            kmr[0] = 1;
            kmr[1] = (int32_t)mm;
            kmr[2] = 1;
            return 1;
        }
    }
    return 0;
}

/* One channel (table entry e, channel c) of a block of nb widened pixels the slow way: the raw
 * accumulators from the assembly (kmr[0] = 0 asks for them), then the exact 64-bit
 * requantization (ea_rq_slow). */
static void ea_run_channel_slow(ea_blk_args_t *a, ea_blk_fn blk, const ea_rqtab_t *tab, int32_t c, int nb,
                                uint8_t *o, int32_t ostride, const ea_requant_t *rq)
{
    int32_t q, raw[4], lohi[2];
    ea_rqtab_t e = *tab;
    lohi[0] = rq->act_min;
    lohi[1] = rq->act_max;
    e.kmr[0] = 0;
    a->out = (uint8_t *)raw;
    a->tab = &e;
    a->tab_end = &e + 1;
    blk(a);
    for (q = 0; q < nb; q++) {
        o[q * ostride + c] = (uint8_t)ea_rq_slow(raw[q], rq->mult[c], rq->shift[c], lohi);
    }
}

/* Channels [c0, c1) of one block of four widened pixels (ea_blk.h). In a full block, every run
 * of channels with fast table entries (kmr[0] != 0: the SMMLA form exists; usually all of them)
 * goes to the assembly loop in one call, and only the other channels (a multiplier too wide for
 * n <= 32, e.g. a first layer's scale >= 0.25 with a 31-bit m) take the slow way; a partial block
 * (nb < 4) takes it for every channel. */
static void ea_run_block(ea_blk_args_t *a, ea_blk_fn blk, const ea_rqtab_t *tab, int32_t c0, int32_t c1, int all_fast,
                         int nb, uint8_t *o, int32_t ostride, const ea_requant_t *rq)
{
    int32_t c = c0;
    while (c < c1) {
        int32_t r = nb == 4 && all_fast ? c1 : c; /* all_fast: one run, no scan */
        while (nb == 4 && r < c1 && tab[r - c0].kmr[0] != 0) {
            r++;
        }
        if (r > c) { /* fast run [c, r) */
            a->out = o + c;
            a->tab = tab + (c - c0);
            a->tab_end = tab + (r - c0);
            blk(a);
            c = r;
        } else {
            ea_run_channel_slow(a, blk, &tab[c - c0], c, nb, o, ostride, rq);
            c++;
        }
    }
}

/* DSP body of ea_conv_hx1_* and ea_pointwise_*: output channels in chunks of at most tabcap
 * (all of them for a convolution, whose scratch is sized by out_c); per chunk the requantization
 * table, then blocks of four output pixels: their windows widened into one interleaved,
 * zero-padded column block (a last block of fewer than four pixels repeats its last pixel),
 * then the channel loop.
 *   scratch: column block 8*kp16 bytes | four window buffers of K bytes (each aligned 4) |
 *            tail rows kp16+8 | table of tabcap ea_rqtab_t (40 bytes reserved each) */
void ea_conv_run(const ea_conv_shape_t *s, const void *in, int in_u8, const uint8_t *w, const int32_t *bias,
                 const ea_requant_t *rq, uint32_t *scratch, void *out, int32_t tabcap, const ea_conv_ops_t *ops)
{
    const int wbits = ops->wbits;
    const ea_blk_fn blk = ops->blk;
    const ea_widen_fn widen = ops->widen;
    const int32_t cout = s->out_c, K = s->k_h * s->in_c;
    const int32_t npix = s->out_h * s->out_w;
    const int32_t words = ea_row_words(K, wbits);
    const int32_t kp = ea_kp16(K);
    uint8_t *o = (uint8_t *)out;
    const int32_t kal = (K + 3) & ~3;
    uint8_t *buf = (uint8_t *)(scratch + 2 * kp);
    uint8_t *tail = buf + 4 * kal;
    ea_rqtab_t *tab = (ea_rqtab_t *)(void *)(tail + kp + 8);
    const int32_t rowb = ea_packed_row_bytes(K, wbits);
    const int32_t over = 4 * words - rowb; /* 0..3 bytes read past a row's end */
    const int mode0 = ea_clamp_mode(rq);
    ea_blk_args_t a;
    int32_t p, c0, nsafe = cout;
    if (tabcap == EA_CW_CONV) {
        if (ea_cw_applies(s) && ea_cw_run(s, in, in_u8, w, wbits, bias, rq, scratch, out, ops->row)) {
            return;
        }
        tabcap = cout;
    }
    /* rows from nsafe on would be read past the end of w: a zero-padded copy (at most 3 rows) */
    if (over > 0) {
        nsafe = cout - (over + rowb - 1) / rowb;
        if (nsafe < 0) {
            nsafe = 0;
        }
        memset(tail, 0, (size_t)(kp + 8));
        memcpy(tail, w + nsafe * rowb, (size_t)((cout - nsafe) * rowb));
    }
    a.col = scratch;
    a.unused = 0;
    a.nloop = wbits == 8 ? (words + 1) >> 1 : words;
    a.odd = wbits == 8 ? (words & 1) : 0;
    a.ostride = cout;
    a.mode = mode0 == EA_CLAMP_U8 ? EA_MODE_U8 : (mode0 == EA_CLAMP_S8 ? EA_MODE_S8 : EA_MODE_ANY);
    a.lo = rq->act_min;
    a.hi = rq->act_max;
    for (c0 = 0; c0 < cout; c0 += tabcap) {
        const int32_t c1 = cout - c0 < tabcap ? cout : c0 + tabcap;
        int all_fast = 1;
        int32_t c;
        for (c = c0; c < c1; c++) {
            const uint8_t *row = c < nsafe ? w + c * rowb : tail + (c - nsafe) * rowb;
            all_fast &= ea_rq_entry(&tab[c - c0], row, wbits, bias ? bias[c] : 0, rq->mult[c], rq->shift[c]);
        }
        for (p = 0; p < npix; p += 4) {
            const int nb = npix - p < 4 ? (int)(npix - p) : 4;
            int q;
            const uint8_t *xs[4];
            for (q = 0; q < 4; q++) {
                const int32_t pq = p + (q < nb ? q : nb - 1);
                xs[q] = ea_window(s, (const uint8_t *)in, pq, buf + q * kal);
            }
            widen(xs, K, in_u8, scratch);
            ea_run_block(&a, blk, tab, c0, c1, all_fast, nb, o + p * cout, cout, rq);
        }
    }
}
#else
typedef int ea_conv_run_unused; /* portable builds inline their own path (ea_conv_core.h) */
#endif
