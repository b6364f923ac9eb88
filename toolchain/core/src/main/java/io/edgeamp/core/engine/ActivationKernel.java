package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;

/** Elementwise y = f(x) with f', f'' for backward, jvp and curvature: Relu, Clip, LeakyRelu, Sigmoid, Tanh. */
final class ActivationKernel extends Kernel {
  /** f and its first two derivatives, given x and y = f(x) (sigmoid and tanh are cheapest from y). */
  private interface Fn {
    double f(double x);

    double d1(double x, double y);

    double d2(double x, double y);
  }

  private final Fn fn;

  ActivationKernel(Node node) {
    super(node);
    this.fn = fnFor(node.op());
  }

  private static Fn fnFor(Op op) {
    {
      // Derivative at the kink taken as 0 (ReLU) / 1 inside the clip range, as in PyTorch.
      if (op instanceof Op.Relu) return new Fn() {
        public double f(double x) {
          return x > 0 ? x : 0;
        }

        public double d1(double x, double y) {
          return x > 0 ? 1 : 0;
        }

        public double d2(double x, double y) {
          return 0;
        }
      };
      if (op instanceof Op.Clip c) return new Fn() {
        public double f(double x) {
          return Math.min(c.max(), Math.max(c.min(), x));
        }

        public double d1(double x, double y) {
          return x > c.min() && x < c.max() ? 1 : 0;
        }

        public double d2(double x, double y) {
          return 0;
        }
      };
      if (op instanceof Op.LeakyRelu l) return new Fn() {
        public double f(double x) {
          return x > 0 ? x : l.alpha() * x;
        }

        public double d1(double x, double y) {
          return x > 0 ? 1 : l.alpha();
        }

        public double d2(double x, double y) {
          return 0;
        }
      };
      if (op instanceof Op.Sigmoid) return new Fn() {
        public double f(double x) {
          return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        }

        public double d1(double x, double y) {
          return y * (1 - y);
        }

        public double d2(double x, double y) {
          return y * (1 - y) * (1 - 2 * y);
        }
      };
      if (op instanceof Op.Tanh) return new Fn() {
        public double f(double x) {
          return Math.tanh(x);
        }

        public double d1(double x, double y) {
          return 1 - y * y;
        }

        public double d2(double x, double y) {
          return -2 * y * (1 - y * y);
        }
      };
      throw new IllegalArgumentException("not an activation: " + op);
    }
  }

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    double[] x = in[0].data();
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) y[i] = fn.f(x[i]);
    return new Tensor(in[0].shape(), y);
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    double[] x = in[0].data(), y = out.data(), g = gOut.data();
    double[] gx = new double[x.length];
    for (int i = 0; i < x.length; i++) gx[i] = g[i] * fn.d1(x[i], y[i]);
    return new Tensor[] {new Tensor(in[0].shape(), gx)};
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    if (dIn[0] == null) return null;
    double[] x = in[0].data(), y = out.data(), dx = dIn[0].data();
    double[] dy = new double[x.length];
    for (int i = 0; i < x.length; i++) dy[i] = dx[i] * fn.d1(x[i], y[i]);
    return new Tensor(in[0].shape(), dy);
  }

  @Override
  Tensor[] curvature(Tensor[] in, Tensor out, Tensor dOut, Tensor gOut, Tensor[] dIn, NodeState st, boolean[] need) {
    if (dIn[0] == null || !need[0]) return null;
    double[] x = in[0].data(), y = out.data(), dx = dIn[0].data(), g = gOut.data();
    double[] r = new double[x.length];
    boolean any = false;
    for (int i = 0; i < x.length; i++) {
      double d2 = fn.d2(x[i], y[i]);
      if (d2 != 0) {
        r[i] = g[i] * d2 * dx[i];
        any = true;
      }
    }
    return any ? new Tensor[] {new Tensor(in[0].shape(), r)} : null;
  }
}
