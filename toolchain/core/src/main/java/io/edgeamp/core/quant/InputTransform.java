package io.edgeamp.core.quant;

import java.util.Arrays;
import java.util.List;

/**
 * The per-channel affine applied to a (dataset-normalized) input before it is quantized: a leading
 * BatchNorm on the graph input has no producer to fold into, so it runs on the host side of the
 * device boundary, fused with quantization. In float32, without fused multiply-add:
 * {@code t = (float) x * scale[c] + offset[c]; q = quantize(t, inv_scale_in)} ({@link FloatOps#quantize}).
 * {@code scale}/{@code offset} are float32 values; identity ({@code 1, 0}) when there is no such BatchNorm.
 *
 * <p>The dataset normalization {@code (raw - mean) / std} (if known) happens before, in the
 * toolchain's data layer; {@code normMean/normStd} record it (empty when unknown) so that a host with raw
 * sensor values can reproduce the whole chain.
 */
public record InputTransform(float[] scale, float[] offset, List<String> nodes, double[] normMean, double[] normStd) {
  public InputTransform {
    scale = scale.clone();
    offset = offset.clone();
    nodes = List.copyOf(nodes);
    normMean = normMean.clone();
    normStd = normStd.clone();
    if (scale.length != offset.length) throw new IllegalArgumentException("input transform: " + scale.length + " scales, " + offset.length + " offsets");
    if (normMean.length != normStd.length) throw new IllegalArgumentException("input normalization: mean/std lengths differ");
  }

  public static InputTransform identity(int channels) {
    float[] s = new float[channels];
    Arrays.fill(s, 1f);
    return new InputTransform(s, new float[channels], List.of(), new double[0], new double[0]);
  }

  public boolean isIdentity() {
    for (int c = 0; c < scale.length; c++) if (scale[c] != 1f || offset[c] != 0f) return false;
    return true;
  }

  /** The same transform with the dataset normalization recorded. */
  public InputTransform withNormalization(double[] mean, double[] std) {
    return new InputTransform(scale, offset, nodes, mean, std);
  }

  /** The transform of one normalized value of channel c, in float32. */
  public float apply(float x, int c) {
    return x * scale[c] + offset[c];
  }

  @Override
  public float[] scale() {
    return scale.clone();
  }

  @Override
  public float[] offset() {
    return offset.clone();
  }

  @Override
  public double[] normMean() {
    return normMean.clone();
  }

  @Override
  public double[] normStd() {
    return normStd.clone();
  }
}
