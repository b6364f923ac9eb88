package io.edgeamp.core.train;

import io.edgeamp.core.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * Fake quantization of weights for quantization-aware training: each listed weight is replaced by
 * its per-output-channel symmetric quantization at its bit width (as the device stores it:
 * s[c] = max|W_c| / (2^(b-1) - 1), q = clamp(rint(W / s))), and restored afterwards.
 */
public final class WeightFakeQuant implements Trainer.WeightQuantizer {
  /** A weight to quantize: its bit width and which axis indexes output channels. */
  public record Spec(int bits, int outputAxis) {}

  private final Map<String, Spec> specs;
  private final Map<String, double[]> master = new HashMap<>();

  public WeightFakeQuant(Map<String, Spec> specs) {
    this.specs = Map.copyOf(specs);
  }

  @Override
  public void apply(Map<String, Tensor> params) {
    for (var e : specs.entrySet()) {
      Tensor w = params.get(e.getKey());
      master.put(e.getKey(), w.data().clone());
      quantizeInPlace(w, e.getValue().outputAxis(), e.getValue().bits());
    }
  }

  @Override
  public void restore(Map<String, Tensor> params) {
    for (var e : master.entrySet()) System.arraycopy(e.getValue(), 0, params.get(e.getKey()).data(), 0, e.getValue().length);
    master.clear();
  }

  /** Replaces w's values by their quantized-dequantized values. */
  public static void quantizeInPlace(Tensor w, int outputAxis, int bits) {
    if (bits >= 32) return;
    int qmax = (1 << (bits - 1)) - 1;
    int channels = w.dim(outputAxis);
    int inner = 1;
    for (int a = outputAxis + 1; a < w.rank(); a++) inner *= w.dim(a);
    double[] d = w.data();
    double[] max = new double[channels];
    for (int i = 0; i < d.length; i++) max[(i / inner) % channels] = Math.max(max[(i / inner) % channels], Math.abs(d[i]));
    for (int i = 0; i < d.length; i++) {
      int c = (i / inner) % channels;
      if (max[c] == 0) continue;
      double s = max[c] / qmax;
      d[i] = Math.max(-qmax, Math.min(qmax, Math.rint(d[i] / s))) * s;
    }
  }
}
