package io.edgeamp.core.quant;

import java.util.List;

/**
 * One layer of a quantized model, with everything the device (and the Java twin) needs.
 *
 * <p>NPU layers ({@code target = NPU}): {@code weights} are the signed b-bit integers in the device
 * layout (rows of {@code rowLength}: conv [cout][k_h][cin], depthwise [c][k_h], dense [out][in in HWC
 * order]), {@code bias} int32 at scale s_in * s_w[c], {@code weightScales} s_w[c]. Requantization
 * {@code mult/shift}: conv/dense one (m, n) per output channel; avg/global-avg pool one (m, n); add
 * {@code mult = [m_a, m_b]}, {@code shift = [n]}; max pool, resize, clamp none. {@code actMin..actMax}
 * is the integer output clamp with ReLU/ReLU6 folded in.
 *
 * <p>CPU layers ({@code bits = 32}): {@code weightsF/biasF} float32 in the same layout,
 * {@code clampLo/clampHi} the float activation bounds (+-Float.MAX_VALUE: none); if the output tensor is
 * 8-bit, it is quantized with round-half-to-even into {@code [actMin, actMax]}.
 */
public record QLayer(String name, LayerKind kind, List<String> inputs, String output, List<Dims> inputDims, Dims outputDims,
    Geometry geometry, List<String> nodes, int bits, Target target, int rowLength, int[] weights, int[] bias,
    double[] weightScales, int[] mult, int[] shift, int actMin, int actMax, float[] weightsF, float[] biasF, float clampLo,
    float clampHi) {
  public enum Target {
    NPU, CPU;

    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Target fromJson(String s) {
      for (Target t : values()) if (t.jsonName().equals(s)) return t;
      throw new IllegalArgumentException("unknown target '" + s + "' (npu or cpu)");
    }
  }

  public QLayer {
    inputs = List.copyOf(inputs);
    inputDims = List.copyOf(inputDims);
    nodes = List.copyOf(nodes);
  }

  public boolean onCpu() {
    return target == Target.CPU;
  }

  /** Number of weight rows (output channels) of a conv/depthwise/dense layer. */
  public int rows() {
    return outputDims.c();
  }
}
