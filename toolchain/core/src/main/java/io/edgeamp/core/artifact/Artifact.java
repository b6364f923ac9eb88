package io.edgeamp.core.artifact;

/**
 * The quantized-model artifact (DESIGN.md "Quantized model artifact"), format {@value #FORMAT}
 * version {@value #VERSION}: a folder with {@code model.json} and {@code weights.bin}; {@code toolchain quantize}
 * adds the report, the QDQ ONNX model and {@code test_vectors.bin} ({@link TestVectors}).
 *
 * <p>model.json:
 * <pre>
 * format, version, model, layout
 * target      {board, requant_mult_bits {"2": m, "4": m, "8": m} (per NPU weight width), power_of_two_scales, npu_bits}
 * input       {tensor, shape (graph, batch -1), transform {formula, scale[], offset[], nodes[], norm_mean[], norm_std[]}}
 * output      {tensor, shape, order}
 * tensors[]   {name, dims [h, w, c], type int8|uint8|float32, scale, inv_scale (float32 values), bytes,
 *              first_layer (-1: model input), last_layer (layers.length: model output, live to the end)}
 * layers[]    {index, name (ONNX node), kind, target npu|cpu, bits (2/4/8; 8 for NPU layers without
 *              weights; 32 = float on the CPU), nodes[] (ONNX nodes fused), inputs[], input_dims[], output,
 *              output_dims, geometry {k_h, stride_h, stride_w, pad_top, pad_bottom, factor_h, factor_w},
 *              act_min, act_max (integer clamp, ReLU folded), clamp_f32 [lo, hi] (CPU float clamp),
 *              requant {mult[], shift[]} (conv/dense: per channel; avg pools: one; add: mult [m_a, m_b], shift [n]),
 *              rows, row_length, weight_scales[], weights {offset, length, encoding packed_s8|packed_s4|packed_s2|f32,
 *              row_bytes}, bias {offset, length, encoding s32|f32}}   (the last five for conv/depthwise/dense only)
 * provenance  {string: string}
 * weights_file {name, length, sha256}
 * </pre>
 */
public final class Artifact {
  private Artifact() {}

  public static final String FORMAT = "edgeamp-artifact";
  public static final int VERSION = 1;
  public static final String MODEL_FILE = "model.json";
  public static final String WEIGHTS_FILE = "weights.bin";
  static final String F32 = "f32";
  static final String S32 = "s32";
}
