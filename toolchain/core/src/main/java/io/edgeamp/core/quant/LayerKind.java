package io.edgeamp.core.quant;

/** The device layer kinds; each maps to one kernel family of the C runtime ({@code ea_kernels.h}). */
public enum LayerKind {
  /** (k_h, 1) convolution over HWC (pointwise when k_h = 1), weights [cout][k_h][cin]. */
  CONV,
  /** Depthwise (k_h, 1) convolution, channel multiplier 1, weights [c][k_h]. */
  DEPTHWISE_CONV,
  /** Fully connected, weights [out][in] with inputs in the device's HWC order. */
  DENSE,
  /** Max over (k_h, 1) windows; no requantization (output scale = input scale). */
  MAX_POOL,
  /** Average over (k_h, 1) windows; requantized with one (m, n) that folds 1/k_h and the scales. */
  AVG_POOL,
  /** Average over all pixels per channel; requantized like AVG_POOL with 1/(h*w). */
  GLOBAL_AVG_POOL,
  /** Residual add of two tensors at different scales (shared shift n, multipliers m_a, m_b). */
  ADD,
  /** Nearest-neighbour upsampling by integer factors; copies values (output scale = input scale). */
  RESIZE_NEAREST,
  /** Standalone ReLU / clip that could not be fused into its producer; output scale = input scale. */
  CLAMP;

  public boolean hasWeights() {
    return this == CONV || this == DEPTHWISE_CONV || this == DENSE;
  }

  /** Whether the output keeps the input's scale (no requantization). */
  public boolean inheritsScale() {
    return this == MAX_POOL || this == RESIZE_NEAREST || this == CLAMP;
  }

  /** The name used in model.json ("conv", "depthwise_conv", ...). */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static LayerKind fromJson(String s) {
    for (LayerKind k : values()) if (k.jsonName().equals(s)) return k;
    throw new IllegalArgumentException("unknown layer kind '" + s + "'");
  }
}
