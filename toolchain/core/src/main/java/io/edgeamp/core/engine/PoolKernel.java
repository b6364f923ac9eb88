package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;

/**
 * MaxPool and AveragePool, 1-D or 2-D, NCHW. Both are linear once the max's winners are known, so
 * the forward pass records, per output, which input cells it reads and with what weight; backward,
 * jvp and the R-backward pass all reuse that routing (curvature is zero).
 */
final class PoolKernel extends Kernel {
  private final boolean max;
  private final int[] kernel;
  private final int[] strides;
  private final int[] padsBegin;
  private final int[] padsEnd;
  private final boolean ceilMode;
  private final boolean countIncludePad;

  PoolKernel(Node node) {
    super(node);
    if (node.op() instanceof Op.MaxPool m) {
        max = true;
        kernel = m.kernel();
        strides = m.strides();
        padsBegin = m.padsBegin();
        padsEnd = m.padsEnd();
        ceilMode = m.ceilMode();
        countIncludePad = false;
    } else if (node.op() instanceof Op.AveragePool a) {
        max = false;
        kernel = a.kernel();
        strides = a.strides();
        padsBegin = a.padsBegin();
        padsEnd = a.padsEnd();
        ceilMode = a.ceilMode();
        countIncludePad = a.countIncludePad();
    } else {
      throw new IllegalArgumentException("not a pool: " + node.op());
    }
  }

  private int outLen(int len, int axis) {
    int span = len + padsBegin[axis] + padsEnd[axis] - kernel[axis];
    if (span < 0) throw new EngineException(where() + ": input length " + len + " is smaller than the kernel " + kernel[axis]);
    int out = (ceilMode ? (span + strides[axis] - 1) / strides[axis] : span / strides[axis]) + 1;
    // With ceil mode the last window must start inside the input or its begin padding.
    if (ceilMode && (out - 1) * strides[axis] >= len + padsBegin[axis]) out--;
    return out;
  }

  /** Routing: for output e, input offsets src[e*k .. e*k+cnt[e]) with weights w (average) or the winner (max). */
  private record Route(int[] src, double[] w, int per, int[] outShape) {}

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    int[] s = in[0].shape();
    boolean oneD = kernel.length == 1;
    if (s.length != (oneD ? 3 : 4)) throw new EngineException(where() + ": expects rank " + (oneD ? 3 : 4) + " input, got " + s.length);
    int n = s[0], c = s[1], h = s[2], w = oneD ? 1 : s[3];
    int kh = kernel[0], kw = oneD ? 1 : kernel[1];
    int sh = strides[0], sw = oneD ? 1 : strides[1];
    int ph = padsBegin[0], pw = oneD ? 0 : padsBegin[1];
    int phe = padsEnd[0], pwe = oneD ? 0 : padsEnd[1];
    int oh = outLen(h, 0), ow = oneD ? 1 : outLen(w, 1);
    if (max) return maxForward(in[0], n, c, h, w, kh, kw, sh, sw, ph, pw, oh, ow, oneD, st);
    int per = kh * kw;
    int outCount = n * c * oh * ow;
    int[] src = new int[outCount * per];
    double[] wt = new double[outCount * per];
    double[] x = in[0].data();
    double[] y = new double[outCount];
    int e = 0;
    for (int plane = 0; plane < n * c; plane++) {
      int base = plane * h * w;
      for (int oy = 0; oy < oh; oy++) {
        int y0 = oy * sh - ph, y1 = Math.min(y0 + kh, h + phe);
        int ya = Math.max(y0, 0), yb = Math.min(y1, h);
        for (int ox = 0; ox < ow; ox++, e++) {
          int x0 = ox * sw - pw, x1 = Math.min(x0 + kw, w + pwe);
          int xa = Math.max(x0, 0), xb = Math.min(x1, w);
          int cells = countIncludePad ? (y1 - y0) * (x1 - x0) : (yb - ya) * (xb - xa);
          double inv = 1.0 / cells;
          int k = 0;
          double sum = 0;
          for (int iy = ya; iy < yb; iy++) {
            for (int ix = xa; ix < xb; ix++, k++) {
              src[e * per + k] = base + iy * w + ix;
              wt[e * per + k] = inv;
              sum += x[base + iy * w + ix];
            }
          }
          for (; k < per; k++) src[e * per + k] = -1;
          y[e] = sum * inv;
        }
      }
    }
    int[] outShape = oneD ? new int[] {n, c, oh} : new int[] {n, c, oh, ow};
    st.cache = new Route(src, wt, per, outShape);
    return new Tensor(outShape, y);
  }

  /**
   * Max pooling as a running maximum over the kernel's shifted views of each input row: for kernel
   * offset (a, b) every output reads one input cell, so the inner loop is a plain elementwise max the
   * JIT vectorises. Winners (for backward and jvp) are found afterwards only when the pass is retained.
   */
  private Tensor maxForward(Tensor xt, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow,
      boolean oneD, NodeState st) {
    double[] x = xt.data();
    int planes = n * c, outPlane = oh * ow, inPlane = h * w;
    double[] y = new double[planes * outPlane];
    java.util.Arrays.fill(y, Double.NEGATIVE_INFINITY);
    for (int pl = 0; pl < planes; pl++) {
      int ib = pl * inPlane, ob = pl * outPlane;
      if (w == 1 && kw == 1) {
        // (k,1) pooling along time: vectorise along the output rows.
        for (int a = 0; a < kh; a++) {
          int lo = Math.max(0, -Math.floorDiv(a - ph, sh)), hi = Math.min(oh, Math.floorDiv(h - 1 + ph - a, sh) + 1);
          int src = ib - ph + a;
          if (sh == 1) {
            if (hi > lo) VectorOps.maxInto(y, ob + lo, x, src + lo, hi - lo);
          } else {
            for (int oy = lo; oy < hi; oy++) y[ob + oy] = Math.max(y[ob + oy], x[src + oy * sh]);
          }
        }
        continue;
      }
      for (int a = 0; a < kh; a++) {
        for (int oy = 0; oy < oh; oy++) {
          int iy = oy * sh - ph + a;
          if (iy < 0 || iy >= h) continue;
          for (int b = 0; b < kw; b++) {
            // output columns whose input column ox*sw - pw + b lies inside [0, w)
            int lo = Math.max(0, -Math.floorDiv(b - pw, sw)), hi = Math.min(ow, Math.floorDiv(w - 1 + pw - b, sw) + 1);
            int src = ib + iy * w - pw + b, dst = ob + oy * ow;
            for (int ox = lo; ox < hi; ox++) y[dst + ox] = Math.max(y[dst + ox], x[src + ox * sw]);
          }
        }
      }
    }
    int[] outShape = oneD ? new int[] {n, c, oh} : new int[] {n, c, oh, ow};
    if (st.retain) st.cache = new Route(winners(x, y, planes, h, w, kh, kw, sh, sw, ph, pw, oh, ow), null, 1, outShape);
    return new Tensor(outShape, y);
  }

  /** For each output, the first input cell (in kernel order) that equals the maximum. */
  private static int[] winners(double[] x, double[] y, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
    int[] src = new int[y.length];
    int e = 0;
    for (int pl = 0; pl < planes; pl++) {
      int base = pl * h * w;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++, e++) {
          int found = -1;
          for (int a = 0; a < kh && found < 0; a++) {
            int iy = oy * sh - ph + a;
            if (iy < 0 || iy >= h) continue;
            for (int b = 0; b < kw; b++) {
              int ix = ox * sw - pw + b;
              if (ix >= 0 && ix < w && x[base + iy * w + ix] == y[e]) {
                found = base + iy * w + ix;
                break;
              }
            }
          }
          src[e] = found;
        }
      }
    }
    return src;
  }

  private double[] gather(Route r, double[] x) {
    int outCount = r.src.length / r.per;
    double[] y = new double[outCount];
    for (int e = 0; e < outCount; e++) {
      double s = 0;
      for (int k = 0; k < r.per; k++) {
        int i = r.src[e * r.per + k];
        if (i >= 0) s += max ? x[i] : x[i] * r.w[e * r.per + k];
      }
      y[e] = s;
    }
    return y;
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    Route r = (Route) st.cache;
    double[] g = gOut.data();
    double[] gx = new double[in[0].size()];
    for (int e = 0; e < g.length; e++) {
      for (int k = 0; k < r.per; k++) {
        int i = r.src[e * r.per + k];
        if (i >= 0) gx[i] += max ? g[e] : g[e] * r.w[e * r.per + k];
      }
    }
    return new Tensor[] {new Tensor(in[0].shape(), gx)};
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    if (dIn[0] == null) return null;
    Route r = (Route) st.cache;
    return new Tensor(r.outShape, gather(r, dIn[0].data()));
  }
}
