package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;

/**
 * Softmax along one axis (opset-13 semantics). With s = sum(y * v) over the axis:
 * jvp dy = y (dx - sum(y dx)); backward gx = y (g - sum(y g));
 * curvature (g fixed) = dy (g - sum(y g)) - y sum(dy g).
 */
final class SoftmaxKernel extends Kernel {
  private final int axisAttr;

  SoftmaxKernel(Node node, Op.Softmax op) {
    super(node);
    this.axisAttr = op.axis();
  }

  /** outer x len x inner decomposition around the axis. */
  private int[] split(int[] s) {
    int a = axisAttr < 0 ? axisAttr + s.length : axisAttr;
    if (a < 0 || a >= s.length) throw new EngineException(where() + ": axis " + axisAttr + " out of range for rank " + s.length);
    int outer = 1, inner = 1;
    for (int i = 0; i < a; i++) outer *= s[i];
    for (int i = a + 1; i < s.length; i++) inner *= s[i];
    return new int[] {outer, s[a], inner};
  }

  /** r = y * (v - sum_axis(y * v)) */
  private double[] project(int[] d, double[] y, double[] v) {
    double[] r = new double[y.length];
    for (int o = 0; o < d[0]; o++) {
      for (int i = 0; i < d[2]; i++) {
        int base = o * d[1] * d[2] + i;
        double s = 0;
        for (int k = 0; k < d[1]; k++) s += y[base + k * d[2]] * v[base + k * d[2]];
        for (int k = 0; k < d[1]; k++) r[base + k * d[2]] = y[base + k * d[2]] * (v[base + k * d[2]] - s);
      }
    }
    return r;
  }

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    int[] d = split(in[0].shape());
    double[] x = in[0].data(), y = new double[x.length];
    for (int o = 0; o < d[0]; o++) {
      for (int i = 0; i < d[2]; i++) {
        int base = o * d[1] * d[2] + i;
        double m = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < d[1]; k++) m = Math.max(m, x[base + k * d[2]]);
        double s = 0;
        for (int k = 0; k < d[1]; k++) {
          double e = Math.exp(x[base + k * d[2]] - m);
          y[base + k * d[2]] = e;
          s += e;
        }
        for (int k = 0; k < d[1]; k++) y[base + k * d[2]] /= s;
      }
    }
    return new Tensor(in[0].shape(), y);
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    return new Tensor[] {new Tensor(in[0].shape(), project(split(in[0].shape()), out.data(), gOut.data()))};
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    if (dIn[0] == null) return null;
    return new Tensor(in[0].shape(), project(split(in[0].shape()), out.data(), dIn[0].data()));
  }

  @Override
  Tensor[] curvature(Tensor[] in, Tensor out, Tensor dOut, Tensor gOut, Tensor[] dIn, NodeState st, boolean[] need) {
    if (dIn[0] == null || !need[0]) return null;
    int[] d = split(in[0].shape());
    double[] y = out.data(), dy = dOut.data(), g = gOut.data();
    double[] r = new double[y.length];
    for (int o = 0; o < d[0]; o++) {
      for (int i = 0; i < d[2]; i++) {
        int base = o * d[1] * d[2] + i;
        double syg = 0, sdyg = 0;
        for (int k = 0; k < d[1]; k++) {
          int e = base + k * d[2];
          syg += y[e] * g[e];
          sdyg += dy[e] * g[e];
        }
        for (int k = 0; k < d[1]; k++) {
          int e = base + k * d[2];
          r[e] = dy[e] * (g[e] - syg) - y[e] * sdyg;
        }
      }
    }
    return new Tensor[] {new Tensor(in[0].shape(), r)};
  }
}
