/* EdgeAMP model API: the boundary between the firmware harness (harness/harness.c) and a model.
 * Generated code (codegen, one per quantized artifact) implements these functions; so does
 * harness/demo_model.c, a tiny fixed dot-product "model" used only to test the harness.
 *
 * Tensors cross this API as raw bytes. The input is exactly what the host sent with `db`
 * (int8, or uint8 reinterpreted, as the first layer expects). The output is one byte per element,
 * int8 or uint8 as said by ea_model_output_is_unsigned() (DESIGN.md: activations are unsigned
 * where the producer ends in ReLU/ReLU6). The harness prints output elements as integers.
 */
#ifndef EDGEAMP_MODEL_API_H
#define EDGEAMP_MODEL_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Short model identifier, printed by `name%` as m-name-dut-<name>. No spaces, '%' or newlines. */
const char *ea_model_name(void);

/* One-time set-up (arena layout, weight unpacking, ...) before the first inference.
 * Returns 0 on success; anything else makes the harness answer every infer with an error. */
int ea_model_init(void);

/* Size of the input tensor in bytes (what `db load N%` must announce). */
size_t ea_model_input_bytes(void);

/* Number of output elements (= bytes) written by ea_model_infer. */
size_t ea_model_output_bytes(void);

/* 1 if output bytes are uint8, 0 if int8. */
int ea_model_output_is_unsigned(void);

/* Runs one inference: reads ea_model_input_bytes() bytes from `in`, writes
 * ea_model_output_bytes() bytes to `out`. Must be deterministic. Returns 0 on success. */
int ea_model_infer(const int8_t *in, int8_t *out);

/* Optional (weak: a model need not define it). Per-layer timings of the last ea_model_infer: calls
 * emit once per layer with one complete protocol line, without line end,
 *   m-layer-<index>-[<name>,<kind>,<shape>,<bits>]-<count>
 * <count> in ea_port_timer_unit() counts, <shape> as codegen's shape key ("HxWxC>HxWxC/<row length>").
 * Generated models define it when built with -DEA_LAYER_PROFILE (CMake option EDGEAMP_LAYER_PROFILE);
 * the harness calls it after the timed runs of `infer`. */
void ea_model_report_layers(void (*emit)(const char *line)) __attribute__((weak));

#ifdef __cplusplus
}
#endif

#endif /* EDGEAMP_MODEL_API_H */
