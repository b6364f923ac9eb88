/*
 * Convolution with widened weights ("cw"), the DSP path for convolutions with a small fan-in and
 * a small weight matrix (REGR_13k conv1: 16 rows of 18 weights): every weight row is widened once
 * per call to exact 16-bit pairs (any width: int4/int2 are decoded, not pre-scaled), so the MAC
 * code is the same for int8, int4 and int2 and no row is padded beyond whole groups of four; the
 * input is widened once per chunk of output pixels (not once per window), and each pixel's window
 * is read straight from it.
 *
 * Applies (ea_cw_applies) when in_w == 1 (windows are contiguous), stride_h * in_c is a multiple
 * of four (every window starts on a group of four widened elements), K <= 32 (the MAC code is
 * fully unrolled for eight groups) and out_c * kp4(K) <= 1024 (the widened weights stay under
 * 2 KB). ea_cw_run returns 0, and the caller takes the general path, when a requantization has no
 * SMMLA form (ea_rq_kmr) or the clamp is not the full uint8/int8 range.
 *
 * Widened input: element pairs (x[4g], x[4g+2]), (x[4g+1], x[4g+3]) per group of four (SXTB16 /
 * UXTB16 order), zero outside the input. The window of output pixel p starts at element
 * (p * stride_h - pad_top) * in_c - e of the chunk buffer (e: the chunk's first input element).
 *
 * Stream (built per call): for each pair of output channels a = 2i, b = 2i+1 (for an odd out_c
 * the last pair has b = a and only a's outputs are stored):
 *   init:   b_a, b_a, b_b, b_b, entry            (accumulator start values; MAC code entry)
 *   groups: per group g of four weights: (wa_4g, wa_4g+2), (wa_4g+1, wa_4g+3), same for b
 *   a:      k_a, m_a, r_a                         (ea_rq_kmr: y = SMMLA(acc, m, r) >> k)
 *   b:      ctl, k_b, m_b, r_b
 * ctl: EA_CW_LAST (last pair of the channel loop), EA_CW_ODD (store a only), EA_CW_S8 (SSAT
 * instead of USAT). Pairs with ctl == 0 take the fast path.
 *
 * The block loop (ea_cw_blk, assembly on DSP cores, C emulation on the host) runs blocks of two
 * output pixels: for every channel pair, four accumulators
 *   a0 = (a, pixel 0)  a1 = (a, pixel 1)  b0 = (b, pixel 0)  b1 = (b, pixel 1)
 * over the groups (one LDM of four weight words, two LDRD of input at fixed offsets from the
 * windows' ends, eight SMLAD: 16 MACs in 11 instructions; the entry word jumps to the first of the
 * eight unrolled groups that the fan-in needs), then four SMMLA/ASR/USAT and four STRB. Outputs of
 * a block at out, out + out_c.
 */
#ifndef EDGEAMP_EA_CW_H
#define EDGEAMP_EA_CW_H

#include "ea_blk.h"

#define EA_CW_MAXK 32   /* fan-in at most (eight groups of four) */
#define EA_CW_MAXW 1024 /* out_c * kp4(K) widened weights at most */
#define EA_CW_CPIX 32   /* output pixels per widened input chunk */

enum { EA_CW_LAST = 1, EA_CW_ODD = 2, EA_CW_S8 = 4 };

/* Arguments; copied to the routine's stack frame (offsets fixed on Cortex-M). */
typedef struct {
    uint8_t *out;           /*  0: outputs of the first block's pixel 0 (pixel 1's at out + cout) */
    int32_t cout;           /*  4 */
    const uint32_t *e0;     /*  8: end of the first block's pixel-0 window (its kp4(K) elements) */
    const uint32_t *e1;     /* 12: end of its pixel-1 window */
    int32_t d2;             /* 16: bytes from one block's windows to the next block's */
    const uint32_t *eend;   /* 20: e0 after the last block */
    const uint32_t *stream; /* 24 */
    int32_t steps;          /* 28: groups per window (used by the C emulation) */
} ea_cw_args_t;

void ea_cw_blk(const ea_cw_args_t *a);

/* MAC code entries for 1..8 groups (Cortex-M; 0 on the host). */
extern const uint32_t ea_cw_entry[9];

/* Row c widened: steps = ceil(K/4) groups, group g at d[4g], d[4g+1] (ea_widen_w*.c). */
void ea_cw_row_w8(const uint8_t *row, int32_t K, uint32_t *d);
void ea_cw_row_w4(const uint8_t *row, int32_t K, uint32_t *d);
void ea_cw_row_w2(const uint8_t *row, int32_t K, uint32_t *d);

/* n16 groups of sixteen bytes widened (ea_x16.c). */
void ea_x16_s8(const uint8_t *x, uint32_t *c, int32_t n16);
void ea_x16_u8(const uint8_t *x, uint32_t *c, int32_t n16);

/* 1 when the shape takes this path (the condition is mirrored in ea_scratch.c and CModel). */
EA_INLINE int ea_cw_applies(const ea_conv_shape_t *s)
{
    const int32_t K = s->k_h * s->in_c;
    return s->in_w == 1 && s->out_w == 1 && (s->stride_h * s->in_c) % 4 == 0 && s->out_h >= 1 && K >= 1 &&
           K <= EA_CW_MAXK && s->out_c * ((K + 3) & ~3) <= EA_CW_MAXW;
}

/* Scratch layout (bytes): stream, then the widened input chunk, then 2*out_c output bytes for a
 * single-pixel layer. */
EA_INLINE int32_t ea_cw_stream_words(const ea_conv_shape_t *s)
{
    return ((s->out_c + 1) / 2) * (12 + 4 * ((s->k_h * s->in_c + 3) / 4));
}
EA_INLINE int32_t ea_cw_chunk_pix(const ea_conv_shape_t *s)
{
    return s->out_h < EA_CW_CPIX ? s->out_h : EA_CW_CPIX;
}
/* Groups of four widened elements in a chunk: the rows of its windows (window starts are
 * multiples of four, so the last window's kp4(K) elements end inside the last group), rounded up
 * to a multiple of four (the input is widened sixteen elements at a time). */
EA_INLINE int32_t ea_cw_chunk_groups(const ea_conv_shape_t *s)
{
    return ((((ea_cw_chunk_pix(s) - 1) * s->stride_h + s->k_h) * s->in_c + 15) / 16) * 4;
}

/* The path itself (ea_cw_run.c); 0 when the requantization needs the general path. */
int ea_cw_run(const ea_conv_shape_t *s, const void *in, int in_u8, const uint8_t *w, int wbits, const int32_t *bias,
              const ea_requant_t *rq, uint32_t *scratch, void *out, ea_cw_row_fn rowfn);

#endif
