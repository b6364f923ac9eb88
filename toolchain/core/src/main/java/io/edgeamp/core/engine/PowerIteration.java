package io.edgeamp.core.engine;

import io.edgeamp.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The dominant eigenvalue of a Hessian block by power iteration on exact Hessian-vector products:
 * v <- Hv / |Hv|, with the Rayleigh quotient v.Hv as the estimate. Stops when the estimate's
 * relative change falls below {@code tolerance} or after {@code maxIterations}.
 */
public final class PowerIteration {
  private PowerIteration() {}

  /** The estimate, the products it took, and whether it met the tolerance. */
  public record Result(double eigenvalue, int iterations, boolean converged) {}

  public static Result topEigenvalue(HessianVectorProduct hvp, Set<String> params, double tolerance, int maxIterations, long seed) {
    Random rng = new Random(seed);
    Map<String, Tensor> v = new LinkedHashMap<>();
    for (String p : params) {
      Tensor g = hvp.gradient(p);
      double[] d = new double[g.size()];
      for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian();
      v.put(p, new Tensor(g.shape(), d));
    }
    scale(v, 1 / norm(v));
    double lambda = Double.NaN;
    for (int it = 1; it <= maxIterations; it++) {
      Map<String, Tensor> hv = hvp.apply(v, params);
      double next = dot(v, hv);
      double n = norm(hv);
      if (!Double.isFinite(next) || !Double.isFinite(n)) return new Result(next, it, false);
      if (n == 0) return new Result(0, it, true);
      boolean done = it > 1 && Math.abs(next - lambda) <= tolerance * Math.abs(next);
      lambda = next;
      if (done) return new Result(lambda, it, true);
      scale(hv, 1 / n);
      v = hv;
    }
    return new Result(lambda, maxIterations, false);
  }

  private static double dot(Map<String, Tensor> a, Map<String, Tensor> b) {
    double s = 0;
    for (var e : a.entrySet()) {
      double[] x = e.getValue().data(), y = b.get(e.getKey()).data();
      for (int i = 0; i < x.length; i++) s += x[i] * y[i];
    }
    return s;
  }

  private static double norm(Map<String, Tensor> a) {
    return Math.sqrt(dot(a, a));
  }

  private static void scale(Map<String, Tensor> a, double s) {
    for (Tensor t : a.values()) {
      double[] d = t.data();
      for (int i = 0; i < d.length; i++) d[i] *= s;
    }
  }
}
