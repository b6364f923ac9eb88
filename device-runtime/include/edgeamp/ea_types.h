/*
 * EdgeAMP device runtime: shared types of the kernel library.
 *
 * Layout contract (see device-runtime/README.md, mirrored by the code generator and the Java twin):
 *  - batch 1; activations channel-last (HWC), a 1-D tensor is H x 1 x C;
 *  - conv weights: one row per output channel, elements in [kh][kw][cin] order (kw = 1 here);
 *    depthwise: one row per channel, [kh]; dense: one row per output, [in];
 *  - integer weights are packed per row: element k at bit offset k*b (b = 8, 4, 2), low bits first,
 *    little-endian within a byte; every row starts on a byte boundary, so a row is
 *    ceil(K*b/8) bytes long and may end mid-byte (the unused high bits are ignored).
 */
#ifndef EDGEAMP_EA_TYPES_H
#define EDGEAMP_EA_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest fan-in (K = k_h * in_c for conv, in for dense, window size for pools) that the
 * integer kernels accept: it keeps the int32 accumulators exact (proof in ea_requant.h). */
#define EA_MAX_FANIN 32768

/*
 * Shape of a convolution with a (k_h, 1) kernel over an H x W x C input (1-D: W = 1).
 * Output row oh reads input rows oh*stride_h - pad_top + i, i = 0..k_h-1; rows outside
 * [0, in_h) are zero (zero padding; no zero point exists, so padding contributes nothing).
 * Bottom padding is implied by out_h. Output column ow reads input column ow*stride_w.
 * For depthwise convolution out_c == in_c (channel multiplier 1).
 */
typedef struct {
    int32_t in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t k_h;
    int32_t stride_h, stride_w;
    int32_t pad_top;
} ea_conv_shape_t;

/* Shape of a (k_h, 1) pooling window over H x W x C; same indexing as ea_conv_shape_t with
 * out_c == in_c == c. */
typedef struct {
    int32_t in_h, in_w, c;
    int32_t out_h, out_w;
    int32_t k_h;
    int32_t stride_h, stride_w;
    int32_t pad_top;
} ea_pool_shape_t;

/*
 * Per-output-channel requantization (see ea_requant.h for the exact formula):
 *   y[c] = clamp(round_half_up(acc * mult[c] / 2^shift[c]), act_min, act_max)
 * The clamp range also selects the output type: [-128, 127] or narrower for int8 output,
 * [0, 255] or narrower for uint8 output; ReLU / ReLU6 are folded into it.
 */
typedef struct {
    const int32_t *mult;   /* m[c], signed */
    const int8_t *shift;   /* n[c] in [-31, 62]; n < 0 multiplies by 2^-n */
    int32_t act_min;
    int32_t act_max;
} ea_requant_t;

/* Bytes of one packed row of k elements of b bits (rows start on byte boundaries). */
static inline int32_t ea_packed_row_bytes(int32_t k, int32_t bits)
{
    return (int32_t)(((int64_t)k * bits + 7) / 8);
}

#ifdef __cplusplus
}
#endif
#endif
