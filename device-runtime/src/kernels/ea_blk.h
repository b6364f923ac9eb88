/*
 * The channel loop of the DSP convolution path: every output channel of one block of four
 * output pixels, dot products and requantization together (ea_blk_w8/w4/w2, one per weight
 * width, shared by the s8/u8 convolution and pointwise kernels).
 *
 * On Cortex-M with the DSP extension this is a naked function in assembly (ea_blk_w*.c): the
 * four accumulators, the column and weight pointers, the loop counter and the unpacked weights
 * stay in registers for the whole channel loop, and the per-channel requantization parameters
 * come from a table built once per call (ea_rqtab_t, one LDM per channel). That removes the
 * ~95 instructions of compiled C per channel and block that dominated small fan-ins.
 * On the host (EA_EMULATE_DSP) the same algorithm is C with emulated instructions, so the
 * sanitizers see exactly what the assembly does.
 *
 * Per channel (tab[i]):
 *   acc[q] = b + dot(row, pixel q)                 (int4/int2: sum of x16/x64 products >> 4/6)
 *   k != 0:  out[q * ostride] = clamp((SMMLA(acc[q], m, r)) >> k)       q = 0..3
 *            i.e. floor((acc*m + 2^(k+31)) / 2^(k+32)) (see ea_rq_entry), then out += 1
 *   k == 0:  the four int32 accumulators are stored at out (word aligned) and out is not advanced
 *            (the caller's exact 64-bit path for parameters the table cannot express; one channel
 *            per call).
 */
#ifndef EDGEAMP_EA_BLK_H
#define EDGEAMP_EA_BLK_H

#include "ea_internal.h"

/* One output channel: the accumulators' start values, the row, the requantization in the
 * SMMLA form (k = n - 32 in [1, 30], r = 2^(n-33)); 9 words, loaded by two LDMs. */
typedef struct {
    int32_t init[4];  /* int8: the bias four times; int4/int2: zero (the bias is added after the shift) */
    const uint8_t *w; /* packed row, readable as whole words (a padded copy for the last rows) */
    int32_t b;        /* bias (0 for NULL) */
    int32_t kmr[3];   /* k, m, r; k == 0: raw accumulators (the caller requantizes) */
} ea_rqtab_t;

/* ea_scratch.c reserves 40 bytes per entry */
typedef char ea_rqtab_size_check[sizeof(ea_rqtab_t) <= 40 ? 1 : -1];

/* Clamp modes of the table path. */
enum { EA_MODE_U8 = 0, EA_MODE_S8 = 1, EA_MODE_ANY = 2 };

/* Arguments; the first nine words are copied to the routine's stack frame (offsets fixed). */
typedef struct {
    const uint32_t *col;        /*  0: widened block, pair j of pixel q at col[4j + q] */
    int32_t dbl;                /*  4: the C driver's: accumulators doubled (0/1); the assembly ignores it */
    int32_t nloop;              /*  8: int8: (words + 1) / 2 (two words per pass); else words */
    int32_t odd;                /* 12: int8: words odd (first pass does one word) */
    const ea_rqtab_t *tab_end;  /* 16 */
    int32_t ostride;            /* 20: bytes between the pixels of one channel */
    int32_t mode;               /* 24: EA_MODE_* */
    int32_t lo, hi;             /* 28, 32: clamp for EA_MODE_ANY */
    uint8_t *out;               /* 36: first channel, pixel 0 */
    const ea_rqtab_t *tab;      /* 40: first channel */
} ea_blk_args_t;

void ea_blk_w8(const ea_blk_args_t *a);
void ea_blk_w4(const ea_blk_args_t *a);
void ea_blk_w2(const ea_blk_args_t *a);

/* Column block of the four windows xs (K bytes each) at col in the pair order of the width's
 * weight unpack, zero-padded to whole weight words (ea_widen_w8.c, ea_widen_w4.c, ea_widen_w2.c). */
void ea_widen_w8(const uint8_t *const xs[4], int32_t K, int in_u8, uint32_t *col);
void ea_widen_w4(const uint8_t *const xs[4], int32_t K, int in_u8, uint32_t *col);
void ea_widen_w2(const uint8_t *const xs[4], int32_t K, int in_u8, uint32_t *col);

typedef void (*ea_blk_fn)(const ea_blk_args_t *a);
typedef void (*ea_widen_fn)(const uint8_t *const xs[4], int32_t K, int in_u8, uint32_t *col);
typedef void (*ea_cw_row_fn)(const uint8_t *row, int32_t K, uint32_t *d);

/* The width-specific parts of the DSP convolution path (one constant per width, in
 * ea_widen_w*.c, so a model links only the widths it uses): the channel loop, the column
 * widening and the weight-row widening of the widened-weight path (ea_cw.h). */
typedef struct {
    ea_blk_fn blk;
    ea_widen_fn widen;
    ea_cw_row_fn row;
    int32_t wbits;
} ea_conv_ops_t;
extern const ea_conv_ops_t ea_conv_ops_w8, ea_conv_ops_w4, ea_conv_ops_w2;

/* The DSP convolution body (ea_conv_run.c). tabcap: requantization table entries the scratch
 * holds (pointwise: EA_PW_TABCAP), or EA_CW_CONV for a convolution (all out_c, and the
 * widened-weight path when the shape allows it). */
#define EA_CW_CONV (-1)
void ea_conv_run(const ea_conv_shape_t *s, const void *in, int in_u8, const uint8_t *w, const int32_t *bias,
                 const ea_requant_t *rq, uint32_t *scratch, void *out, int32_t tabcap, const ea_conv_ops_t *ops);

/*
 * The SMMLA form (k, m', r) of the requantization (m, n), exact for every n in [1, 62]:
 *  - n >= 33: k = n - 32, m' = m, r = 2^(n-33) (the identity in ea_rq(): 2^(n-1) is a multiple of 2^32);
 *  - 1 <= n <= 32 and m * 2^(33-n) fits in int32: the same with m' = m * 2^(33-n), n' = 33, since
 *    floor((p*2^j + 2^(n-1+j)) / 2^(n+j)) = floor((p + 2^(n-1)) / 2^n);
 *  - otherwise (n <= 0, or a multiplier too wide to scale) k = 0: the caller's 64-bit path.
 * Returns 1 when the form exists (ea_conv_run.c; also used by ea_cw_run.c).
 */
int ea_rq_kmr(int32_t m, int32_t n, int32_t kmr[3]);

/* Table entry of a channel (row, bias, requantization); returns 1 when it is a fast one. */
EA_INLINE int ea_rq_entry(ea_rqtab_t *e, const uint8_t *row, int wbits, int32_t b, int32_t m, int32_t n)
{
    const int32_t init = wbits == 8 ? b : 0;
    e->init[0] = init;
    e->init[1] = init;
    e->init[2] = init;
    e->init[3] = init;
    e->w = row;
    e->b = b;
    return ea_rq_kmr(m, n, e->kmr); /* once per channel and call: no need to inline n >= 33 */
}

#endif
