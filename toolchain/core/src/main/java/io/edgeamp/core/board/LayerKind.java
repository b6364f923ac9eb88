package io.edgeamp.core.board;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The layer kinds a board profile talks about: in the NPU limits ({@link NpuSpec#whyCannotRun}) and in
 * the cost table ({@link CostTable}). The YAML name is the lower-case one ({@code depthwise_conv}).
 */
public enum LayerKind {
  /** Regular convolution (group 1), including 1x1 (pointwise). */
  CONV("conv", true),
  /** Depthwise convolution (group = input channels = output channels). */
  DEPTHWISE_CONV("depthwise_conv", true),
  /** Fully connected (Gemm/MatMul with constant weights). */
  DENSE("dense", true),
  MAX_POOL("max_pool", false),
  AVG_POOL("avg_pool", false),
  /** Element-wise addition of two activations (residual connections). */
  ADD("add", false);

  private final String yamlName;
  private final boolean hasWeights;

  LayerKind(String yamlName, boolean hasWeights) {
    this.yamlName = yamlName;
    this.hasWeights = hasWeights;
  }

  public String yamlName() {
    return yamlName;
  }

  /** True for the kinds that multiply by quantized weights (their bit width is the weights' width). */
  public boolean hasWeights() {
    return hasWeights;
  }

  /** The kind with this YAML name (case-insensitive, '-' accepted for '_'), or null. */
  public static LayerKind fromYamlName(String name) {
    if (name == null) return null;
    String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (LayerKind k : values()) if (k.yamlName.equals(n)) return k;
    return null;
  }

  /** Like {@link #fromYamlName} but throws, listing the known names, when there is no such kind. */
  public static LayerKind parse(String name) {
    LayerKind k = fromYamlName(name);
    if (k == null) throw new IllegalArgumentException("unknown layer kind '" + name + "'; known kinds: " + names());
    return k;
  }

  /** The YAML names, comma-separated, in declaration order. */
  public static String names() {
    return Arrays.stream(values()).map(LayerKind::yamlName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return yamlName;
  }
}
