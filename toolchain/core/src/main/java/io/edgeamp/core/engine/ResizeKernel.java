package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;

/**
 * Resize of the spatial axes (nearest or linear, ONNX coordinate transformations). Separable: per
 * spatial axis each output index reads two input indices with weights (nearest: one with weight 1).
 * Linear in the input, so backward is the transposed interpolation and curvature is zero.
 */
final class ResizeKernel extends Kernel {
  private final Op.Resize op;

  ResizeKernel(Node node, Op.Resize op) {
    super(node);
    this.op = op;
  }

  /** For one axis: input indices i0, i1 and weights w0, w1 per output index. */
  private record Axis(int in, int out, int[] i0, int[] i1, double[] w0, double[] w1) {}

  private Axis axis(int len, double scale) {
    int out = (int) Math.floor(len * scale);
    if (out < 1) throw new EngineException(where() + ": scale " + scale + " leaves no output along an axis of length " + len);
    int[] i0 = new int[out], i1 = new int[out];
    double[] w0 = new double[out], w1 = new double[out];
    for (int o = 0; o < out; o++) {
      double x = switch (op.coordinateMode()) {
        case HALF_PIXEL -> (o + 0.5) / scale - 0.5;
        case PYTORCH_HALF_PIXEL -> out > 1 ? (o + 0.5) / scale - 0.5 : 0;
        case ALIGN_CORNERS -> out > 1 ? o * (len - 1) / (double) (out - 1) : 0;
        case ASYMMETRIC -> o / scale;
      };
      if (op.mode() == Op.Resize.Mode.NEAREST) {
        int idx = switch (op.nearestMode()) {
          case ROUND_PREFER_FLOOR -> x - Math.floor(x) == 0.5 ? (int) Math.floor(x) : (int) Math.round(x);
          case ROUND_PREFER_CEIL -> (int) Math.round(x);
          case FLOOR -> (int) Math.floor(x);
          case CEIL -> (int) Math.ceil(x);
        };
        idx = Math.max(0, Math.min(len - 1, idx));
        i0[o] = i1[o] = idx;
        w0[o] = 1;
      } else {
        double c = Math.max(0, Math.min(len - 1, x));
        int a = (int) Math.floor(c);
        int b = Math.min(a + 1, len - 1);
        i0[o] = a;
        i1[o] = b;
        w1[o] = c - a;
        w0[o] = 1 - w1[o];
      }
    }
    return new Axis(len, out, i0, i1, w0, w1);
  }

  private record Plan(int planes, Axis h, Axis w, int[] outShape) {}

  private Plan plan(int[] s) {
    double[] sc = op.scales();
    if (sc.length != s.length) throw new EngineException(where() + ": " + sc.length + " scales for an input of rank " + s.length);
    if (s.length < 3 || s.length > 4 || sc[0] != 1 || sc[1] != 1) {
      throw new EngineException(where() + ": only spatial resizing of [N, C, L] or [N, C, H, W] is supported (batch and channel scales must be 1)");
    }
    Axis h = axis(s[2], sc[2]);
    Axis w = s.length == 4 ? axis(s[3], sc[3]) : axis(1, 1);
    int[] out = s.length == 4 ? new int[] {s[0], s[1], h.out, w.out} : new int[] {s[0], s[1], h.out};
    return new Plan(s[0] * s[1], h, w, out);
  }

  private static double[] apply(Plan p, double[] x) {
    Axis h = p.h, w = p.w;
    double[] y = new double[p.planes * h.out * w.out];
    for (int pl = 0; pl < p.planes; pl++) {
      int ib = pl * h.in * w.in, ob = pl * h.out * w.out;
      for (int oy = 0; oy < h.out; oy++) {
        int r0 = ib + h.i0[oy] * w.in, r1 = ib + h.i1[oy] * w.in;
        for (int ox = 0; ox < w.out; ox++) {
          double top = w.w0[ox] * x[r0 + w.i0[ox]] + w.w1[ox] * x[r0 + w.i1[ox]];
          double bot = w.w0[ox] * x[r1 + w.i0[ox]] + w.w1[ox] * x[r1 + w.i1[ox]];
          y[ob + oy * w.out + ox] = h.w0[oy] * top + h.w1[oy] * bot;
        }
      }
    }
    return y;
  }

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    Plan p = plan(in[0].shape());
    return new Tensor(p.outShape, apply(p, in[0].data()));
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    Plan p = plan(in[0].shape());
    Axis h = p.h, w = p.w;
    double[] g = gOut.data(), gx = new double[in[0].size()];
    for (int pl = 0; pl < p.planes; pl++) {
      int ib = pl * h.in * w.in, ob = pl * h.out * w.out;
      for (int oy = 0; oy < h.out; oy++) {
        int r0 = ib + h.i0[oy] * w.in, r1 = ib + h.i1[oy] * w.in;
        for (int ox = 0; ox < w.out; ox++) {
          double v = g[ob + oy * w.out + ox];
          double t = h.w0[oy] * v, b = h.w1[oy] * v;
          gx[r0 + w.i0[ox]] += w.w0[ox] * t;
          gx[r0 + w.i1[ox]] += w.w1[ox] * t;
          gx[r1 + w.i0[ox]] += w.w0[ox] * b;
          gx[r1 + w.i1[ox]] += w.w1[ox] * b;
        }
      }
    }
    return new Tensor[] {new Tensor(in[0].shape(), gx)};
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    if (dIn[0] == null) return null;
    Plan p = plan(in[0].shape());
    return new Tensor(p.outShape, apply(p, dIn[0].data()));
  }
}
