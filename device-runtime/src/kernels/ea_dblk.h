/*
 * The row loop of the DSP dense path: pairs of weight rows against the input vector widened once
 * per call, dot products and requantization together (ea_dblk_w8/w4/w2, one per weight width,
 * shared by the s8/u8 dense kernels; driver in ea_dense_run.c).
 *
 * On Cortex-M with the DSP extension this is a naked function in assembly (ea_dblk_w*.c), written
 * from the Armv7-M / Armv8-M architecture reference: both accumulators, the row pointer, the
 * unpacked weights and four widened input words stay in registers for the whole row pair, and the
 * requantization reads m and n straight from the caller's arrays. On the host (EA_EMULATE_DSP)
 * the same algorithm is C with emulated instructions (ea_dblk_emulated), so the sanitizers see
 * exactly what the assembly does.
 *
 * Weight unpack (no shuffling; the widened input is stored in the matching pair order):
 *   int8 (4 per word):  SXTB16 w -> (w0,w2), SXTB16 w ror 8 -> (w1,w3)
 *   int4 (8 per word):  (w << (12 - 4j)) & 0xF000F000 -> (4096*w_j, 4096*w_j+4), j = 0..3: the
 *                       nibble at the top of each halfword is its signed value times 4096, so no
 *                       offset. A chunk of at most 256 elements sums to a multiple of 4096 below
 *                       2^31 in magnitude (256 * 8 * 255 * 4096 < 2^31), so acc/4096 (ASR) is exact;
 *                       the chunks' quotients add up in the frame (T), and the bias joins in the
 *                       tail. Passes are 32 elements (four steps); nloop encodes the chunks:
 *                       (passes of the first chunk, 1..8) * 2^26 - 2 * (further chunks of 8
 *                       passes), so a row of at most 256 elements never leaves the loop early.
 *   int2 (16 per word): u = w ^ 0xAAAAAAAA (every crumb holds w+2 in [0,3]),
 *                       (u >> 2j) & 0x00030003 -> (w_j+2, w_j+8+2), j = 0..7
 * so one AND with a shifted operand per pair. The int2 offset adds 2*sum(x) to every dot product;
 * it is computed once per call (corr) and subtracted from the accumulators' start values. Every
 * product is exact (|(w+2)*x| <= 3*255), the sums stay below 2^31 for K <= EA_MAX_FANIN
 * (2^15 * 3 * 255 < 2^25), and garbage bits past a row's end meet zero inputs.
 *
 * Per row pair c, c+1 (rows at w + 2p*rowb and one rowb further):
 *   acc = (bias ? bias[c] : 0) - corr + dot(row, x)
 *   n >= 33:  v = (SMMUL(acc, m) >> (n-33)) + 1          (ASR; SMMUL = floor(acc*m / 2^32))
 *   n <  33:  v = 2 * ea_requantize(acc, m, n, lo, hi)   (exact 64-bit path, a C call)
 *   out = clamp(v >> 1)   U8: USAT, S8: SSAT, else [lo, hi]
 * For n >= 33, ((h >> (n-33)) + 1) >> 1 = floor((h + 2^(n-33)) / 2^(n-32)) with h = floor(p/2^32),
 * which is the contract's floor((p + 2^(n-1)) / 2^n) (identity in ea_internal.h, ea_rq).
 */
#ifndef EDGEAMP_EA_DBLK_H
#define EDGEAMP_EA_DBLK_H

#include "ea_internal.h"

/* Arguments; the first twelve words are copied to the routine's stack frame (offsets fixed on
 * Cortex-M, where pointers are 4 bytes). */
typedef struct {
    const int32_t *bias;   /*  0: bias of the first row, or NULL (zero) */
    int32_t mode;          /*  4: EA_DMODE_* */
    uint8_t *out;          /*  8: output of the first row */
    const int32_t *mult;   /* 12: m of the first row */
    const int8_t *shift;   /* 16: n of the first row */
    const uint32_t *x;     /* 20: widened input */
    int32_t nloop;         /* 24: MAC loop passes, >= 1 (sixteen elements each: int8 4 words, int2 1 per row);
                            *     int4: 32 elements (4 words per row) each, chunk encoding above */
    int32_t delta;         /* 28: 2*rowb - 4*words (row pointer advance after a row pair) */
    uint8_t *out_end;      /* 32: out + 2 * (number of row pairs) */
    int32_t corr;          /* 36: 2*sum(x) (int2), 0 (int8, int4) */
    int32_t lo, hi;        /* 40, 44: clamp */
    const uint8_t *w;      /* 48: first row */
    int32_t rowb;          /* 52: bytes between rows (0: both rows of the pair are the same row) */
} ea_dense_args_t;

/* Clamp modes. */
enum { EA_DMODE_U8 = 0, EA_DMODE_S8 = 1, EA_DMODE_ANY = 2 };

void ea_dblk_w8(const ea_dense_args_t *a);
void ea_dblk_w4(const ea_dense_args_t *a);
void ea_dblk_w2(const ea_dense_args_t *a);

typedef void (*ea_dblk_fn)(const ea_dense_args_t *a);
typedef int32_t (*ea_dwiden_fn)(const uint8_t *x, int32_t K, uint32_t *col);

/* Zero words from c up to end: the widened input's padding to a whole MAC-loop pass (none when K
 * fills its passes). */
EA_INLINE void ea_dzero_to(uint32_t *c, const uint32_t *end)
{
    if (c < end) {
        memset(c, 0, (size_t)(end - c) * sizeof *c);
    }
}

/* One weight width and input type of the DSP dense path: its row-pair loop, its input widening
 * and the width (defined beside each width's loop, ea_dblk_w*.c). */
typedef struct {
    ea_dblk_fn blk;
    ea_dwiden_fn widen;
    int32_t wbits;
} ea_dense_ops_t;
extern const ea_dense_ops_t ea_dense_ops_s8_w8, ea_dense_ops_u8_w8, ea_dense_ops_s8_w4, ea_dense_ops_u8_w4,
    ea_dense_ops_s8_w2, ea_dense_ops_u8_w2;

/* The ops of width B for both input types, in ea_dblk_wB.c after its widening
 * int32_t ea_dwidenB(const uint8_t *x, int32_t K, int in_u8, uint32_t *c), which widens K input
 * bytes into the pair order of the width's unpack: ceil(K/G) groups of G/2 words (G = 32/B, the
 * last group zero-padded), then zero words up to a whole MAC-loop pass (16 elements for int8, 32
 * for int4; int2's group is its pass), and returns sum(x) for int2 (0 for int8 and int4). */
#define EA_DENSE_OPS_DEFINE(B)                                                      \
    static int32_t ea_dwiden_s8_w##B(const uint8_t *x, int32_t K, uint32_t *col)   \
    {                                                                               \
        return ea_dwiden##B(x, K, 0, col);                                          \
    }                                                                               \
    static int32_t ea_dwiden_u8_w##B(const uint8_t *x, int32_t K, uint32_t *col)   \
    {                                                                               \
        return ea_dwiden##B(x, K, 1, col);                                          \
    }                                                                               \
    const ea_dense_ops_t ea_dense_ops_s8_w##B = {ea_dblk_w##B, ea_dwiden_s8_w##B, B}; \
    const ea_dense_ops_t ea_dense_ops_u8_w##B = {ea_dblk_w##B, ea_dwiden_u8_w##B, B};

/* The DSP dense body (ea_dense_run.c). */
void ea_dense_run(int32_t K, int32_t out_n, const void *in, const uint8_t *w, const int32_t *bias,
                  const ea_requant_t *rq, uint32_t *scratch, void *out, const ea_dense_ops_t *ops);

#endif
