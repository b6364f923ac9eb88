package io.edgeamp.core.sensitivity;

import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.engine.HessianVectorProduct;
import io.edgeamp.core.engine.Loss;
import io.edgeamp.core.engine.PowerIteration;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Per-layer Hessian sensitivity of the training loss on a calibration batch, for every quantizable
 * layer (Conv, Gemm, MatMul with a weight initializer) of a BatchNorm-folded graph.
 *
 * <p>One {@link HessianVectorProduct} holds the forward and gradient state for the whole run, so
 * each iteration only redoes the tangent passes downstream of the layer being measured.
 */
public final class SensitivityAnalysis {
  private SensitivityAnalysis() {}

  /** Settings: method, relative tolerance on the estimate, iteration cap, seed. */
  public record Settings(SensitivityMethod method, double tolerance, int maxIterations, long seed) {
    public Settings {
      if (!(tolerance > 0 && tolerance < 1)) throw new IllegalArgumentException("sensitivity tolerance must be in (0, 1), got " + tolerance);
      if (maxIterations < 2) throw new IllegalArgumentException("sensitivity iterations must be >= 2, got " + maxIterations);
    }

    public static Settings defaults() {
      return new Settings(SensitivityMethod.EIGENVALUE, 1e-4, 100, 1);
    }
  }

  /** The quantizable layers of a graph: node name -> weight initializer name, in execution order. */
  public static Map<String, String> quantizableLayers(Graph g) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Node n : g.nodes()) {
      boolean layer = n.op() instanceof Op.Conv || n.op() instanceof Op.Gemm || n.op() instanceof Op.MatMul;
      if (layer && g.isInitializer(n.input(1))) out.put(n.name(), n.input(1));
    }
    return out;
  }

  /**
   * Measures every quantizable layer of {@code folded} on the batch (x, t). {@code progress} receives
   * each layer's result as it completes (may be null).
   */
  public static List<LayerSensitivity> run(Graph folded, Tensor x, Tensor t, Loss loss, Settings s, Consumer<LayerSensitivity> progress) {
    FloatEngine e = FloatEngine.compile(folded);
    HessianVectorProduct hvp = new HessianVectorProduct(e, x, t, loss);
    List<LayerSensitivity> out = new ArrayList<>();
    for (var layer : quantizableLayers(folded).entrySet()) {
      String w = layer.getValue();
      long t0 = System.nanoTime();
      long n = e.parameters().get(w).size();
      LayerSensitivity r;
      if (s.method() == SensitivityMethod.EIGENVALUE) {
        PowerIteration.Result pi = PowerIteration.topEigenvalue(hvp, Set.of(w), s.tolerance(), s.maxIterations(), s.seed());
        r = new LayerSensitivity(layer.getKey(), w, n, pi.eigenvalue(), pi.iterations(), pi.converged(), (System.nanoTime() - t0) / 1e9);
      } else {
        double[] tr = hutchinson(hvp, w, e.parameters().get(w).shape(), s);
        r = new LayerSensitivity(layer.getKey(), w, n, tr[0] / n, (int) tr[1], tr[2] > 0, (System.nanoTime() - t0) / 1e9);
      }
      out.add(r);
      if (progress != null) progress.accept(r);
    }
    return out;
  }

  /**
   * Hutchinson's estimator tr(H) = E[v^T H v] with Rademacher v: samples are added until the running
   * mean's standard error falls below 5% of the mean |v^T H v| (at least 8 samples) or the cap is
   * reached. Measured against |v^T H v| rather than the mean, so an indefinite block whose trace is
   * near zero still converges to a useful absolute precision.
   * Returns {trace, samples, converged ? 1 : 0}.
   */
  static double[] hutchinson(HessianVectorProduct hvp, String w, int[] shape, Settings s) {
    Random rng = new Random(s.seed());
    double sum = 0, sumSq = 0, sumAbs = 0;
    int k = 0;
    boolean converged = false;
    while (k < s.maxIterations()) {
      Tensor v = Tensor.zeros(shape);
      double[] d = v.data();
      for (int i = 0; i < d.length; i++) d[i] = rng.nextBoolean() ? 1 : -1;
      double[] hv = hvp.apply(Map.of(w, v), Set.of(w)).get(w).data();
      double q = 0;
      for (int i = 0; i < d.length; i++) q += d[i] * hv[i];
      if (!Double.isFinite(q)) return new double[] {q, k + 1, 0};
      sum += q;
      sumSq += q * q;
      sumAbs += Math.abs(q);
      k++;
      if (k >= 8) {
        double mean = sum / k, var = Math.max(0, sumSq / k - mean * mean);
        double stderr = Math.sqrt(var / k);
        // A standard error of about 5% is what the allocation can use (bit widths move in factors
        // of 2 to 4); the eigenvalue tolerance (default 1e-4) would need millions of samples.
        if (stderr <= Math.max(s.tolerance() * 500, 0.05) * (sumAbs / k)) {
          converged = true;
          break;
        }
      }
    }
    return new double[] {sum / Math.max(1, k), k, converged ? 1 : 0};
  }
}
