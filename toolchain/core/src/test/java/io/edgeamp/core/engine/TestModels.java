package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.NetworkBuilder;
import java.util.List;
import java.util.Random;

/** Small graphs covering every operator, with random inputs and targets, for derivative checks. */
final class TestModels {
  private TestModels() {}

  static Tensor random(Random r, int... shape) {
    Tensor t = Tensor.zeros(shape);
    double[] d = t.data();
    for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
    return t;
  }

  /** Randomises BatchNorm statistics and affine parameters so that inference BN is not the identity. */
  static Graph perturbBatchNorm(Graph g, long seed) {
    Random r = new Random(seed);
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

  /** A TI-style 1-D conv stack: BN, conv (3,1) stride 2, BN, ReLU, max pool, GAP, two linear layers. */
  static Graph convRegressor() {
    Graph g = new NetworkBuilder("conv_regressor", 7, 3, 16, 1)
        .batchNorm()
        .conv(4, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .maxPool(3, 1, 1, 1, 1, 0)
        .conv(6, 3, 1, 2, 1, 1, 0, 1, true).relu()
        .globalAveragePool().flatten()
        .linear(5).activation(new Op.Tanh())
        .linear(2)
        .build();
    return perturbBatchNorm(g, 11);
  }

  /** 2-D convs with groups, dilation and asymmetric stride, smooth activations, avg pool, softmax head. */
  static Graph smoothClassifier() {
    return new NetworkBuilder("smooth_classifier", 3, 4, 7, 6)
        .conv(4, 3, 2, 1, 2, 1, 1, 2, true).activation(new Op.Sigmoid())
        .conv(6, 1, 1, 1, 1, 0, 0, 1, false).activation(new Op.LeakyRelu(0.1))
        .avgPool(2, 2, 1, 1)
        .upsample(2, 1)
        .flatten()
        .linear(3)
        .build();
  }

  /** Branching graph: conv features concatenated with a scaled copy (Mul by a weight), Add residual, softmax. */
  static Graph branching() {
    Random r = new Random(5);
    var b = Graph.builder("branching");
    b.input("x", -1, 2, 9);
    b.initializer("w1", random(r, 3, 2, 3));
    b.initializer("b1", random(r, 3));
    b.initializer("scale", random(r, 1, 2, 1));
    b.initializer("w2", random(r, 5, 5, 1));
    b.initializer("shift", random(r, 5, 1));
    b.initializer("fc", random(r, 5 * 9, 4));
    b.node("c1", new Op.Conv(new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, new int[] {1}, 1), List.of("x", "w1", "b1"), "h1");
    b.node("m", new Op.Mul(), List.of("x", "scale"), "h2");
    b.node("cat", new Op.Concat(1), List.of("h1", "h2"), "h3");
    b.node("clip", new Op.Clip(-1.5, 1.5), List.of("h3"), "h4");
    b.node("c2", new Op.Conv(new int[] {1}, new int[] {1}, new int[] {0}, new int[] {0}, new int[] {1}, 1), List.of("h4", "w2"), "h5");
    b.node("res", new Op.Add(), List.of("h5", "h3"), "h6");
    b.node("sh", new Op.Add(), List.of("h6", "shift"), "h7");
    b.node("fl", new Op.Reshape(new long[] {0, -1}, false), List.of("h7"), "h8");
    b.node("mm", new Op.MatMul(), List.of("h8", "fc"), "h9");
    b.node("sm", new Op.Softmax(-1), List.of("h9"), "y");
    b.output("y", -1, 4);
    return b.build();
  }
}
