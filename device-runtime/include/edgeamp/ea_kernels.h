/*
 * EdgeAMP device runtime: integer (NPU-path) kernels.
 *
 * Naming: ea_<op>_<layout>_<input type>_w<weight bits>, like CMSIS-NN (op, layout, types).
 *   input type  s8 = int8 activations, u8 = uint8 activations (producer ends in ReLU)
 *   w8/w4/w2    signed symmetric per-output-channel weights, packed rows (ea_types.h)
 * Outputs are 8-bit; their signedness is given by the clamp range of the requantization
 * (int8: within [-128, 127], uint8: within [0, 255]); the byte stored is the value's low 8 bits.
 * Every optimized kernel has a plain, type-generic reference (..._ref) computing the same
 * contract with int64 accumulation; the two must agree bit for bit (tests/kernels).
 *
 * Preconditions (not checked on the device): fan-in K <= EA_MAX_FANIN, |bias| < 2^30,
 * shift in [-31, 62], shapes consistent; bias may be NULL (zero). Output must not alias input.
 * Scratch buffers are uint32_t arrays of at least the ..._scratch_bytes() size; the size does not
 * depend on the target, so generated code can size its arena once.
 */
#ifndef EDGEAMP_EA_KERNELS_H
#define EDGEAMP_EA_KERNELS_H

#include "edgeamp/ea_types.h"
#include "edgeamp/ea_requant.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Convolution with a (k_h, 1) kernel, HWC, stride and zero padding (1-D when in_w = 1).
 * out[oh][ow][c] = requant_c(bias[c] + sum_{i<k_h, ci<in_c} in[oh*sh-pad+i][ow*sw][ci] * w[c][i][ci]) */
size_t ea_conv_hx1_scratch_bytes(const ea_conv_shape_t *s);
#define EA_CONV_HX1_DECL(IN, INT)                                                                   \
    void ea_conv_hx1_##IN##_w8(const ea_conv_shape_t *s, const INT *in, const uint8_t *w,             \
                               const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out); \
    void ea_conv_hx1_##IN##_w4(const ea_conv_shape_t *s, const INT *in, const uint8_t *w,             \
                               const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out); \
    void ea_conv_hx1_##IN##_w2(const ea_conv_shape_t *s, const INT *in, const uint8_t *w,             \
                               const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out);
EA_CONV_HX1_DECL(s8, int8_t)
EA_CONV_HX1_DECL(u8, uint8_t)
void ea_conv_hx1_ref(const ea_conv_shape_t *s, const void *in, int in_unsigned, const uint8_t *w,
                     int w_bits, const int32_t *bias, const ea_requant_t *rq, void *out);

/* ---- Pointwise (1x1) convolution over n_pix pixels: out[p][c] = requant_c(bias[c] + sum_ci in[p][ci] * w[c][ci]) */
size_t ea_pointwise_scratch_bytes(int32_t in_c);
#define EA_POINTWISE_DECL(IN, INT)                                                                    \
    void ea_pointwise_##IN##_w8(int32_t n_pix, int32_t in_c, int32_t out_c, const INT *in, const uint8_t *w, \
                                const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out);  \
    void ea_pointwise_##IN##_w4(int32_t n_pix, int32_t in_c, int32_t out_c, const INT *in, const uint8_t *w, \
                                const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out);  \
    void ea_pointwise_##IN##_w2(int32_t n_pix, int32_t in_c, int32_t out_c, const INT *in, const uint8_t *w, \
                                const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out);
EA_POINTWISE_DECL(s8, int8_t)
EA_POINTWISE_DECL(u8, uint8_t)
void ea_pointwise_ref(int32_t n_pix, int32_t in_c, int32_t out_c, const void *in, int in_unsigned,
                      const uint8_t *w, int w_bits, const int32_t *bias, const ea_requant_t *rq, void *out);

/* ---- Depthwise (k_h, 1) convolution, channel multiplier 1 (s->out_c == s->in_c); weights one row per channel [k_h].
 * out[oh][ow][c] = requant_c(bias[c] + sum_{i<k_h} in[oh*sh-pad+i][ow*sw][c] * w[c][i]) */
#define EA_DW_DECL(IN, INT)                                                                          \
    void ea_dw_conv_hx1_##IN##_w8(const ea_conv_shape_t *s, const INT *in, const uint8_t *w,         \
                                  const int32_t *bias, const ea_requant_t *rq, void *out);           \
    void ea_dw_conv_hx1_##IN##_w4(const ea_conv_shape_t *s, const INT *in, const uint8_t *w,         \
                                  const int32_t *bias, const ea_requant_t *rq, void *out);           \
    void ea_dw_conv_hx1_##IN##_w2(const ea_conv_shape_t *s, const INT *in, const uint8_t *w,         \
                                  const int32_t *bias, const ea_requant_t *rq, void *out);
EA_DW_DECL(s8, int8_t)
EA_DW_DECL(u8, uint8_t)
void ea_dw_conv_hx1_ref(const ea_conv_shape_t *s, const void *in, int in_unsigned, const uint8_t *w,
                        int w_bits, const int32_t *bias, const ea_requant_t *rq, void *out);

/* ---- Dense (fully connected), batch 1: out[o] = requant_o(bias[o] + sum_i in[i] * w[o][i]) */
size_t ea_dense_scratch_bytes(int32_t in_n);
#define EA_DENSE_DECL(IN, INT)                                                                         \
    void ea_dense_##IN##_w8(int32_t in_n, int32_t out_n, const INT *in, const uint8_t *w,              \
                            const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out); \
    void ea_dense_##IN##_w4(int32_t in_n, int32_t out_n, const INT *in, const uint8_t *w,              \
                            const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out); \
    void ea_dense_##IN##_w2(int32_t in_n, int32_t out_n, const INT *in, const uint8_t *w,              \
                            const int32_t *bias, const ea_requant_t *rq, uint32_t *scratch, void *out);
EA_DENSE_DECL(s8, int8_t)
EA_DENSE_DECL(u8, uint8_t)
void ea_dense_ref(int32_t in_n, int32_t out_n, const void *in, int in_unsigned, const uint8_t *w,
                  int w_bits, const int32_t *bias, const ea_requant_t *rq, void *out);

/* ---- Pooling over (k_h, 1) windows, HWC. Padded taps: skipped by max, count as zero in the average.
 * max:  out = clamp(max over valid taps, lo, hi), same scale as the input (no requantization);
 *       a window with no valid tap yields clamp(0).
 * avg:  out = clamp(round_shift(sum over valid taps * m, n), lo, hi); (m, n) fold 1/(k_h) and the scales.
 * global avg over all n_pix pixels per channel: out[c] = clamp(round_shift(sum_p in[p][c] * m, n), lo, hi). */
void ea_maxpool_hx1_s8(const ea_pool_shape_t *s, const int8_t *in, int32_t lo, int32_t hi, void *out);
void ea_maxpool_hx1_u8(const ea_pool_shape_t *s, const uint8_t *in, int32_t lo, int32_t hi, void *out);
void ea_maxpool_hx1_ref(const ea_pool_shape_t *s, const void *in, int in_unsigned, int32_t lo, int32_t hi, void *out);
void ea_avgpool_hx1_s8(const ea_pool_shape_t *s, const int8_t *in, int32_t m, int32_t n, int32_t lo, int32_t hi, void *out);
void ea_avgpool_hx1_u8(const ea_pool_shape_t *s, const uint8_t *in, int32_t m, int32_t n, int32_t lo, int32_t hi, void *out);
void ea_avgpool_hx1_ref(const ea_pool_shape_t *s, const void *in, int in_unsigned, int32_t m, int32_t n,
                        int32_t lo, int32_t hi, void *out);
void ea_global_avgpool_s8(int32_t n_pix, int32_t c, const int8_t *in, int32_t m, int32_t n, int32_t lo, int32_t hi, void *out);
void ea_global_avgpool_u8(int32_t n_pix, int32_t c, const uint8_t *in, int32_t m, int32_t n, int32_t lo, int32_t hi, void *out);
void ea_global_avgpool_ref(int32_t n_pix, int32_t c, const void *in, int in_unsigned, int32_t m, int32_t n,
                           int32_t lo, int32_t hi, void *out);

/* ---- Elementwise add of two tensors at different scales (residual):
 * out[i] = clamp(round_shift(a[i] * m_a + b[i] * m_b, n), lo, hi), 64-bit arithmetic.
 * A uint8 + int8 sum passes the uint8 tensor as b (ea_add_s8_u8). */
void ea_add_s8_s8(const int8_t *a, const int8_t *b, int32_t len, int32_t m_a, int32_t m_b, int32_t n,
                  int32_t lo, int32_t hi, void *out);
void ea_add_u8_u8(const uint8_t *a, const uint8_t *b, int32_t len, int32_t m_a, int32_t m_b, int32_t n,
                  int32_t lo, int32_t hi, void *out);
void ea_add_s8_u8(const int8_t *a, const uint8_t *b, int32_t len, int32_t m_a, int32_t m_b, int32_t n,
                  int32_t lo, int32_t hi, void *out);
void ea_add_ref(const void *a, int a_unsigned, const void *b, int b_unsigned, int32_t len, int32_t m_a,
                int32_t m_b, int32_t n, int32_t lo, int32_t hi, void *out);

/* ---- Activation clamp (a standalone ReLU/ReLU6 at the same scale): out[i] = clamp(in[i], lo, hi). */
void ea_clamp_s8(const int8_t *in, int32_t len, int32_t lo, int32_t hi, void *out);
void ea_clamp_u8(const uint8_t *in, int32_t len, int32_t lo, int32_t hi, void *out);

/* ---- 256-entry lookup (int8/uint8 sigmoid, tanh, ...; the toolchain computes the table):
 * out[i] = table[byte of in[i]], i.e. an int8 input x indexes table[(uint8_t)x] (x = -1 -> 255). */
void ea_lut_8(const void *in, int32_t len, const uint8_t table[256], void *out);

#ifdef __cplusplus
}
#endif
#endif
