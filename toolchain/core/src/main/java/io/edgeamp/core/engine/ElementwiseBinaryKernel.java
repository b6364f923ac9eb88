package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.tensor.Tensor;
import java.util.Arrays;

/** Add and Mul with broadcasting. Mul is bilinear, so its curvature swaps an input for its tangent. */
final class ElementwiseBinaryKernel extends Kernel {
  private final boolean multiply;

  ElementwiseBinaryKernel(Node node, boolean multiply) {
    super(node);
    this.multiply = multiply;
  }

  /** Output shape plus the read offsets of each operand (null where the operand has the output's shape). */
  private record Plan(int[] shape, int[] offA, int[] offB) {}

  private Plan plan(Tensor a, Tensor b) {
    int[] shape = Broadcast.shape(a.shape(), b.shape(), where());
    return new Plan(shape,
        Arrays.equals(a.shape(), shape) ? null : Broadcast.offsets(a.shape(), shape),
        Arrays.equals(b.shape(), shape) ? null : Broadcast.offsets(b.shape(), shape));
  }

  private static double at(double[] d, int[] off, int i) {
    return d[off == null ? i : off[i]];
  }

  /** a (op) b elementwise; either may be null, which means zero. */
  private double[] combine(Plan p, Tensor a, Tensor b, boolean mul) {
    int n = io.edgeamp.core.tensor.Shapes.size(p.shape);
    double[] out = new double[n];
    double[] ad = a == null ? null : a.data(), bd = b == null ? null : b.data();
    for (int i = 0; i < n; i++) {
      if (mul) {
        out[i] = at(ad, p.offA, i) * at(bd, p.offB, i);
      } else {
        out[i] = (ad == null ? 0 : at(ad, p.offA, i)) + (bd == null ? 0 : at(bd, p.offB, i));
      }
    }
    return out;
  }

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    Plan p = plan(in[0], in[1]);
    return new Tensor(p.shape, combine(p, in[0], in[1], multiply));
  }

  /** Gradient for operand {@code which} given the other operand's values {@code other} (for Mul). */
  private Tensor grad(Plan p, Tensor g, Tensor self, Tensor other, int[] otherOff) {
    double[] gd = g.data();
    if (!multiply) return Broadcast.reduceTo(gd, p.shape, self.shape(), 1);
    double[] od = other.data();
    double[] prod = new double[gd.length];
    for (int i = 0; i < gd.length; i++) prod[i] = gd[i] * at(od, otherOff, i);
    return Broadcast.reduceTo(prod, p.shape, self.shape(), 1);
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    Plan p = plan(in[0], in[1]);
    Tensor[] res = new Tensor[2];
    if (need[0]) res[0] = grad(p, gOut, in[0], in[1], p.offB);
    if (need[1]) res[1] = grad(p, gOut, in[1], in[0], p.offA);
    return res;
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    if (allNull(dIn)) return null;
    Plan p = plan(in[0], in[1]);
    if (!multiply) return new Tensor(p.shape, combine(p, dIn[0], dIn[1], false));
    double[] d = new double[io.edgeamp.core.tensor.Shapes.size(p.shape)];
    if (dIn[0] != null) {
      double[] x = combine(p, dIn[0], in[1], true);
      for (int i = 0; i < d.length; i++) d[i] += x[i];
    }
    if (dIn[1] != null) {
      double[] x = combine(p, in[0], dIn[1], true);
      for (int i = 0; i < d.length; i++) d[i] += x[i];
    }
    return new Tensor(p.shape, d);
  }

  @Override
  Tensor[] curvature(Tensor[] in, Tensor out, Tensor dOut, Tensor gOut, Tensor[] dIn, NodeState st, boolean[] need) {
    if (!multiply) return null;
    Plan p = plan(in[0], in[1]);
    Tensor[] res = new Tensor[2];
    if (need[0] && dIn[1] != null) res[0] = grad(p, gOut, in[0], dIn[1], p.offB);
    if (need[1] && dIn[0] != null) res[1] = grad(p, gOut, in[1], dIn[0], p.offA);
    return res;
  }
}
