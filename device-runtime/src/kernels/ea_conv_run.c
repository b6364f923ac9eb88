/* ea_conv_run: the DSP path of every convolution and pointwise kernel (ea_conv_core.h), one
 * copy shared by all input types and weight widths; the width-specific parts come in as the
 * channel loop (ea_blk_w*) and the widening (ea_widen_w*), so a model links only the widths it
 * uses. */
#include "ea_conv_core.h"
#include "ea_cw.h"

#if EA_USE_DSP
/* ea_clamp_mode() (ea_conv_core.h) returns the assembly's EA_MODE_* values directly */
#define EA_SAME(a, b) ((int)(a) == (int)(b))
typedef char ea_clamp_mode_check[EA_SAME(EA_CLAMP_U8, EA_MODE_U8) && EA_SAME(EA_CLAMP_S8, EA_MODE_S8) &&
                                 EA_SAME(EA_CLAMP_ANY, EA_MODE_ANY) ? 1 : -1];

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

/* Channels [c0, c1) of one block of widened pixels when some table entry has no fast form even
 * with doubled accumulators (kmr[0] == 0; rare: see ea_conv_run) or the block is partial (nb < 4):
 * one assembly call per channel, a fast one straight to the output, a slow one in raw mode (its
 * four accumulators into raw[]) and then the exact 64-bit requantization (ea_rq_slow; the
 * accumulators are 2^dbl times the contract's, hence n + dbl). A partial block is the chunk's
 * last, so its entries may be turned raw for good. */
static void ea_run_block(ea_blk_args_t *a, ea_blk_fn blk, ea_rqtab_t *tab, int32_t c0, int32_t c1, int nb,
                         uint8_t *o, int32_t ostride, const ea_requant_t *rq)
{
    int32_t c, q, raw[4], lohi[2];
    lohi[0] = rq->act_min;
    lohi[1] = rq->act_max;
    for (c = c0; c < c1; c++) {
        ea_rqtab_t *e = &tab[c - c0];
        if (nb < 4) {
            e->kmr[0] = 0;
        }
        a->out = e->kmr[0] != 0 ? o + c : (uint8_t *)raw;
        a->tab = e;
        a->tab_end = e + 1;
        blk(a);
        for (q = 0; e->kmr[0] == 0 && q < nb; q++) {
            o[q * ostride + c] = (uint8_t)ea_rq_slow(raw[q], rq->mult[c], rq->shift[c] + a->dbl, lohi);
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
    a.mode = ea_clamp_mode(rq);
    a.lo = rq->act_min;
    a.hi = rq->act_max;
    for (c0 = 0; c0 < cout; c0 += tabcap) {
        const int32_t c1 = cout - c0 < tabcap ? cout : c0 + tabcap;
        /* j = 1: the accumulators doubled (the widened input is, and the bias) and n + 1: the
         * same values, and channels with n = 31 (a scale in [0.25, 0.5) with a 31-bit m: first
         * layers, 2-bit layers) get the fast form. Tried only when some channel is slow with
         * j = 0, and kept if the doubled sums stay below 2^31 (K <= 2^13: |sum| < K * 2^15 before;
         * every |bias| < 2^29); channels still slow take ea_run_block's way (with n + j). */
        int32_t c, j, all_fast;
        for (j = 0;; j++) {
            int ok1 = K <= 8192; /* j = 1 allowed: the fan-in and every bias small enough */
            all_fast = 1;
            for (c = c0; c < c1; c++) {
                const uint8_t *row = c < nsafe ? w + c * rowb : tail + (c - nsafe) * rowb;
                const int32_t b = bias ? bias[c] : 0;
                ok1 &= (uint32_t)(b + (1 << 29)) < (1u << 30);
                all_fast &= ea_rq_entry(&tab[c - c0], row, wbits, b * (1 << j), rq->mult[c], rq->shift[c] + j);
            }
            if (all_fast || j == 1 || !ok1) { /* (ok1 is known from j = 0) */
                break;
            }
        }
        a.dbl = j;
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
            for (q = 0; q < 2 * kp * j; q++) { /* j = 1: double every lane of the column block */
                scratch[q] = ea_sadd16(scratch[q], scratch[q]);
            }
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
