/* ea_conv_run: the DSP path of every convolution and pointwise kernel (ea_conv_core.h), one
 * copy shared by all input types and weight widths; the width-specific parts come in as the
 * channel loop (ea_blk_w*) and the widening (ea_widen_w*), so a model links only the widths it
 * uses. */
#include "ea_conv_core.h"
#include "ea_cw.h"

#if EA_USE_DSP
int ea_rq_kmr(int32_t m, int32_t n, int32_t kmr[3])
{
    /* n' = n + j with j = max(0, 33 - n), m' = m * 2^j: k = n' - 32, r = 2^(n' - 33) */
    const int32_t j = n < 33 ? 33 - n : 0;
    const int64_t mm = (int64_t)m * ((int64_t)1 << (j < 32 ? j : 32));
    kmr[0] = 0;
    kmr[1] = m;
    kmr[2] = 0;
    if (n < 1 || mm < INT32_MIN || mm > INT32_MAX) {
        return 0;
    }
    kmr[0] = n + j - 32;
    kmr[1] = (int32_t)mm;
    kmr[2] = (int32_t)1 << (n + j - 33);
    return 1;
}

/* Channels [c0, c1) of one block of widened pixels when some table entry has no fast form
 * (kmr[0] == 0: a multiplier too wide for n <= 32, e.g. a first layer's scale >= 0.25 with a
 * 31-bit m, or most channels of a 2-bit layer) or the block is partial (nb < 4). Each run of fast
 * channels goes to the assembly loop in one call; each run of up to EA_RAW_RUN others too, in
 * raw mode (their accumulators into raw[]), then the exact 64-bit requantization (ea_rq_slow).
 * A partial block is the chunk's last, so its table may be turned raw for good. (A full block of
 * fast channels is one call in ea_conv_run.) */
#define EA_RAW_RUN 8
static void ea_run_block(ea_blk_args_t *a, ea_blk_fn blk, ea_rqtab_t *tab, int32_t c0, int32_t c1, int nb,
                         uint8_t *o, int32_t ostride, const ea_requant_t *rq)
{
    int32_t c, raw[4 * EA_RAW_RUN], lohi[2];
    lohi[0] = rq->act_min;
    lohi[1] = rq->act_max;
    for (c = c0; nb < 4 && c < c1; c++) {
        tab[c - c0].kmr[0] = 0;
    }
    for (c = c0; c < c1;) {
        const int fast = tab[c - c0].kmr[0] != 0;
        int32_t r = c + 1, q;
        while (r < c1 && (tab[r - c0].kmr[0] != 0) == fast && (fast || r - c < EA_RAW_RUN)) {
            r++;
        }
        a->out = fast ? o + c : (uint8_t *)raw;
        a->tab = tab + (c - c0);
        a->tab_end = tab + (r - c0);
        blk(a);
        if (!fast) { /* channel c's four accumulators at p */
            const int32_t *p = raw;
            for (; c < r; c++, p += 4) {
                for (q = 0; q < nb; q++) {
                    o[q * ostride + c] = (uint8_t)ea_rq_slow(p[q], rq->mult[c], rq->shift[c], lohi);
                }
            }
        }
        c = r;
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
        a.tab = tab; /* the whole chunk in one call per block when every entry is fast */
        a.tab_end = tab + (c1 - c0);
        for (p = 0; p < npix; p += 4) {
            const int nb = npix - p < 4 ? (int)(npix - p) : 4;
            int q;
            const uint8_t *xs[4];
            for (q = 0; q < 4; q++) {
                const int32_t pq = p + (q < nb ? q : nb - 1);
                xs[q] = ea_window(s, (const uint8_t *)in, pq, buf + q * kal);
            }
            widen(xs, K, in_u8, scratch);
            if (nb == 4 && all_fast) {
                a.out = o + p * cout + c0;
                blk(&a);
            } else { /* only in a chunk with a slow entry, or in the last, partial block */
                ea_run_block(&a, blk, tab, c0, c1, nb, o + p * cout, cout, rq);
            }
        }
    }
}
#else
typedef int ea_conv_run_unused; /* portable builds inline their own path (ea_conv_core.h) */
#endif
