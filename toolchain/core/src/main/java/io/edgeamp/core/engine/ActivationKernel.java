package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;

/**
 * Elementwise y = f(x) with f' and f'' for backward, jvp and curvature: Relu, Clip, LeakyRelu,
 * Sigmoid, Tanh. Each function has its own loop (a switch outside the loop, not a call per element)
 * so the JIT can inline and vectorise it.
 */
final class ActivationKernel extends Kernel {
  private enum Kind { RELU, CLIP, LEAKY_RELU, SIGMOID, TANH }

  private final Kind kind;
  private final double lo;
  private final double hi;
  private final double alpha;

  ActivationKernel(Node node) {
    super(node);
    Op op = node.op();
    double l = Double.NEGATIVE_INFINITY, h = Double.POSITIVE_INFINITY, a = 0;
    if (op instanceof Op.Relu) {
      kind = Kind.RELU;
    } else if (op instanceof Op.Clip c) {
      kind = Kind.CLIP;
      l = c.min();
      h = c.max();
    } else if (op instanceof Op.LeakyRelu lr) {
      kind = Kind.LEAKY_RELU;
      a = lr.alpha();
    } else if (op instanceof Op.Sigmoid) {
      kind = Kind.SIGMOID;
    } else if (op instanceof Op.Tanh) {
      kind = Kind.TANH;
    } else {
      throw new IllegalArgumentException("not an activation: " + op);
    }
    lo = l;
    hi = h;
    alpha = a;
  }

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    double[] x = in[0].data();
    double[] y = new double[x.length];
    switch (kind) {
      // Math.max/min are branch-free; the sign of real-valued data is unpredictable.
      case RELU -> VectorOps.relu(x, y);
      case CLIP -> {
        for (int i = 0; i < x.length; i++) y[i] = Math.min(hi, Math.max(lo, x[i]));
      }
      case LEAKY_RELU -> {
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : alpha * x[i];
      }
      case SIGMOID -> {
        for (int i = 0; i < x.length; i++) {
          double v = x[i];
          y[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
        }
      }
      case TANH -> {
        for (int i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
      }
    }
    return new Tensor(in[0].shape(), y);
  }

  /** out[i] = v[i] * f'(x[i]); the derivative at a kink is 0 (ReLU) or 1 inside the clip range, as in PyTorch. */
  private double[] timesFirstDerivative(double[] x, double[] y, double[] v) {
    double[] out = new double[x.length];
    switch (kind) {
      case RELU -> {
        for (int i = 0; i < x.length; i++) out[i] = x[i] > 0 ? v[i] : 0;
      }
      case CLIP -> {
        for (int i = 0; i < x.length; i++) out[i] = x[i] > lo && x[i] < hi ? v[i] : 0;
      }
      case LEAKY_RELU -> {
        for (int i = 0; i < x.length; i++) out[i] = x[i] > 0 ? v[i] : alpha * v[i];
      }
      case SIGMOID -> {
        for (int i = 0; i < x.length; i++) out[i] = v[i] * y[i] * (1 - y[i]);
      }
      case TANH -> {
        for (int i = 0; i < x.length; i++) out[i] = v[i] * (1 - y[i] * y[i]);
      }
    }
    return out;
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    return new Tensor[] {new Tensor(in[0].shape(), timesFirstDerivative(in[0].data(), out.data(), gOut.data()))};
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    if (dIn[0] == null) return null;
    return new Tensor(in[0].shape(), timesFirstDerivative(in[0].data(), out.data(), dIn[0].data()));
  }

  /** g * f''(x) * dx; zero for the piecewise-linear functions. */
  @Override
  Tensor[] curvature(Tensor[] in, Tensor out, Tensor dOut, Tensor gOut, Tensor[] dIn, NodeState st, boolean[] need) {
    if (dIn[0] == null || !need[0] || (kind != Kind.SIGMOID && kind != Kind.TANH)) return null;
    double[] y = out.data(), dx = dIn[0].data(), g = gOut.data();
    double[] r = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      double d2 = kind == Kind.SIGMOID ? y[i] * (1 - y[i]) * (1 - 2 * y[i]) : -2 * y[i] * (1 - y[i] * y[i]);
      r[i] = g[i] * d2 * dx[i];
    }
    return new Tensor[] {new Tensor(in[0].shape(), r)};
  }
}
