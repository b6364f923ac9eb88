package io.edgeamp.core.quant;

import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.ModelZoo;
import java.util.Random;

/** Zoo models with non-trivial BatchNorms, random inputs and error measures shared by the tests. */
final class QuantFixtures {
  private QuantFixtures() {}

  static Tensor gaussian(long seed, int... shape) {
    Random r = new Random(seed);
    Tensor t = Tensor.zeros(shape);
    double[] d = t.data();
    for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
    return t;
  }

  /** A zoo network whose BatchNorm statistics and affine parameters are not the identity. */
  static Graph zoo(String name, int channels, int frame, int outputs, long seed) {
    Graph g = ModelZoo.build(name, channels, frame, outputs, seed);
    Random r = new Random(seed * 31 + 7);
    var b = g.toBuilder();
    for (var e : g.initializers().entrySet()) {
      String k = e.getKey();
      if (!k.startsWith("bn")) continue;
      double[] d = e.getValue().data().clone();
      for (int i = 0; i < d.length; i++) {
        d[i] = k.endsWith("running_var") || k.endsWith("weight") ? 0.5 + r.nextDouble() : 0.3 * r.nextGaussian();
      }
      b.initializer(k, new Tensor(e.getValue().shape(), d));
    }
    return b.build();
  }

  static Tensor floatOutput(Graph g, Tensor x) {
    return FloatEngine.compile(g).run(x);
  }

  /** ||a - b|| / ||b||. */
  static double relativeError(Tensor a, Tensor b) {
    double num = 0, den = 0;
    double[] x = a.data(), y = b.data();
    if (x.length != y.length) throw new AssertionError("sizes differ: " + x.length + " vs " + y.length);
    for (int i = 0; i < x.length; i++) {
      num += (x[i] - y[i]) * (x[i] - y[i]);
      den += y[i] * y[i];
    }
    return Math.sqrt(num / den);
  }
}
