/*
 * EdgeAMP device runtime: float32 kernels for CPU (32-bit) layers, and the NPU/CPU boundary
 * conversions. IEEE binary32, round-to-nearest-even, no fused multiply-add (build with
 * -ffp-contract=off), no libm. Every kernel documents its exact operation order, which the Java
 * twin reproduces; a product is rounded to float before it is added.
 *
 * Clamps: y = (y < lo) ? lo : ((y > hi) ? hi : y)  (a NaN passes through unchanged);
 * use lo = -INFINITY-like bounds (e.g. -FLT_MAX) for no activation, lo = 0 for ReLU, [0, 6] for ReLU6.
 * Padded taps (outside the input) are skipped, never added as zero (so -0.0 survives as in the twin).
 */
#ifndef EDGEAMP_EA_KERNELS_F32_H
#define EDGEAMP_EA_KERNELS_F32_H

#include "edgeamp/ea_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Conv (k_h, 1), HWC, weights [c][k_h][in_c] as float.
 * Order: acc = bias[c] (0.0f if NULL); for i = 0..k_h-1 ascending (valid rows only), for ci ascending:
 * acc = acc + in*w; then clamp. */
void ea_conv_hx1_f32(const ea_conv_shape_t *s, const float *in, const float *w, const float *bias,
                     float lo, float hi, float *out);
/* Depthwise, weights [c][k_h]. Order: acc = bias[c]; for i ascending (valid rows): acc = acc + in*w; clamp. */
void ea_dw_conv_hx1_f32(const ea_conv_shape_t *s, const float *in, const float *w, const float *bias,
                        float lo, float hi, float *out);
/* Dense, weights [out][in]. Order: acc = bias[o]; for i ascending: acc = acc + in[i]*w[o][i]; clamp. */
void ea_dense_f32(int32_t in_n, int32_t out_n, const float *in, const float *w, const float *bias,
                  float lo, float hi, float *out);
/* Max over valid taps, i ascending (first tap initialises; a NaN tap is kept only if first);
 * a window with no valid tap gives 0.0f. */
void ea_maxpool_hx1_f32(const ea_pool_shape_t *s, const float *in, float *out);
/* Average: acc = 0.0f; acc = acc + in over valid taps, i ascending; out = acc / (float)k_h
 * (padded taps count in the divisor, like the integer kernel). */
void ea_avgpool_hx1_f32(const ea_pool_shape_t *s, const float *in, float *out);
/* Global average per channel: acc = 0.0f; acc = acc + in[p][c] for p ascending; out = acc / (float)n_pix. */
void ea_global_avgpool_f32(int32_t n_pix, int32_t c, const float *in, float *out);
/* out[i] = clamp(a[i] + b[i]). */
void ea_add_f32(const float *a, const float *b, int32_t len, float lo, float hi, float *out);

/* Round half to even of a float32 (no libm). Exact for every float; used by ea_quantize_f32. */
float ea_round_half_even_f32(float x);
/* Quantize at a CPU->NPU boundary: q = clamp(round_half_even(x * inv_scale), qmin, qmax), the product
 * rounded to float32 first; NaN gives 0 (then clamped). [qmin, qmax] = [-128, 127] for int8 output,
 * [0, 255] for uint8 (or narrower); stored as the low byte. */
void ea_quantize_f32(const float *in, int32_t len, float inv_scale, int32_t qmin, int32_t qmax, void *out);
/* Dequantize at an NPU->CPU boundary: out[i] = (float)q[i] * scale (one rounding). */
void ea_dequantize_s8_f32(const int8_t *in, int32_t len, float scale, float *out);
void ea_dequantize_u8_f32(const uint8_t *in, int32_t len, float scale, float *out);

#ifdef __cplusplus
}
#endif
#endif
