package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;

/**
 * Conv (1-D and 2-D, strides, pads, dilations, groups) by im2col and matrix products, NCHW.
 * A 1-D conv on [N, C, L] runs as a 2-D conv on [N, C, L, 1] with a (k, 1) kernel: same memory.
 *
 * <p>Per sample and group: col[K x P] gathers the receptive fields (K = Cin/group * kh * kw,
 * P = output positions), y = W_g col + b. The im2col buffers of a retained forward pass are kept,
 * so backward and every Hessian-vector product reuse them instead of gathering again.
 */
final class ConvKernel extends Kernel {
  private final Op.Conv op;

  ConvKernel(Node node, Op.Conv op) {
    super(node);
    this.op = op;
  }

  /** Geometry of one call, from the actual input and weight shapes. */
  private record Geo(int n, int c, int h, int w, int m, int g, int cg, int mg, int kh, int kw, int sh, int sw,
      int ph, int pw, int dh, int dw, int oh, int ow, boolean oneD) {
    int k() {
      return cg * kh * kw;
    }

    int p() {
      return oh * ow;
    }

    int[] outShape() {
      return oneD ? new int[] {n, m, oh} : new int[] {n, m, oh, ow};
    }
  }

  private Geo geo(Tensor x, Tensor wt) {
    boolean oneD = op.spatialRank() == 1;
    int[] xs = x.shape();
    int[] ws = wt.shape();
    int want = oneD ? 3 : 4;
    if (xs.length != want || ws.length != want) {
      throw new EngineException(where() + ": expects input and weight of rank " + want + ", got input "
          + java.util.Arrays.toString(xs) + " and weight " + java.util.Arrays.toString(ws));
    }
    int g = op.group();
    int c = xs[1];
    int m = ws[0];
    if (c % g != 0 || m % g != 0 || ws[1] != c / g) {
      throw new EngineException(where() + ": input channels " + c + ", weight " + java.util.Arrays.toString(ws)
          + " and group " + g + " do not fit (need Cin % group == 0, Cout % group == 0, W.shape[1] == Cin/group)");
    }
    int h = xs[2], w = oneD ? 1 : xs[3];
    int kh = ws[2], kw = oneD ? 1 : ws[3];
    int sh = op.strides()[0], sw = oneD ? 1 : op.strides()[1];
    int ph = op.padsBegin()[0], pw = oneD ? 0 : op.padsBegin()[1];
    int phe = op.padsEnd()[0], pwe = oneD ? 0 : op.padsEnd()[1];
    int dh = op.dilations()[0], dw = oneD ? 1 : op.dilations()[1];
    int oh = (h + ph + phe - dh * (kh - 1) - 1) / sh + 1;
    int ow = (w + pw + pwe - dw * (kw - 1) - 1) / sw + 1;
    if (oh <= 0 || ow <= 0) {
      throw new EngineException(where() + ": input " + java.util.Arrays.toString(xs) + " is smaller than the kernel");
    }
    return new Geo(xs[0], c, h, w, m, g, c / g, m / g, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, oneD);
  }

  /** Gathers sample n, group gi of x into col[K x P]. */
  private static void im2col(Geo geo, double[] x, int n, int gi, double[] col) {
    int p = geo.p();
    int plane = geo.h * geo.w;
    int base = (n * geo.c + gi * geo.cg) * plane;
    int row = 0;
    for (int ci = 0; ci < geo.cg; ci++) {
      int chan = base + ci * plane;
      for (int a = 0; a < geo.kh; a++) {
        for (int b = 0; b < geo.kw; b++, row++) {
          int dst = row * p;
          for (int oy = 0; oy < geo.oh; oy++) {
            int iy = oy * geo.sh - geo.ph + a * geo.dh;
            if (iy < 0 || iy >= geo.h) {
              java.util.Arrays.fill(col, dst, dst + geo.ow, 0.0);
              dst += geo.ow;
              continue;
            }
            int src = chan + iy * geo.w;
            for (int ox = 0; ox < geo.ow; ox++, dst++) {
              int ix = ox * geo.sw - geo.pw + b * geo.dw;
              col[dst] = (ix >= 0 && ix < geo.w) ? x[src + ix] : 0.0;
            }
          }
        }
      }
    }
  }

  /** Scatters col[K x P] back into sample n, group gi of gx (accumulating). */
  private static void col2im(Geo geo, double[] col, int n, int gi, double[] gx) {
    int p = geo.p();
    int plane = geo.h * geo.w;
    int base = (n * geo.c + gi * geo.cg) * plane;
    int row = 0;
    for (int ci = 0; ci < geo.cg; ci++) {
      int chan = base + ci * plane;
      for (int a = 0; a < geo.kh; a++) {
        for (int b = 0; b < geo.kw; b++, row++) {
          int src = row * p;
          for (int oy = 0; oy < geo.oh; oy++) {
            int iy = oy * geo.sh - geo.ph + a * geo.dh;
            if (iy < 0 || iy >= geo.h) {
              src += geo.ow;
              continue;
            }
            int dst = chan + iy * geo.w;
            for (int ox = 0; ox < geo.ow; ox++, src++) {
              int ix = ox * geo.sw - geo.pw + b * geo.dw;
              if (ix >= 0 && ix < geo.w) gx[dst + ix] += col[src];
            }
          }
        }
      }
    }
  }

  /** Retained im2col buffers of the forward input, one per (sample, group). */
  private static final class Cols {
    final double[][] cols;

    Cols(int count) {
      cols = new double[count][];
    }
  }

  private double[] colsOf(Geo geo, Tensor x, int n, int gi, NodeState st, double[] scratch) {
    if (st != null && st.cache instanceof Cols cached && cached.cols[n * geo.g + gi] != null) {
      return cached.cols[n * geo.g + gi];
    }
    im2col(geo, x.data(), n, gi, scratch);
    return scratch;
  }

  /**
   * out (+)= conv(x, w) for every sample. With {@code keep}, the im2col buffers of x are stored in st.
   */
  private void convolve(Geo geo, Tensor x, NodeState xCols, Tensor w, double[] out, boolean keep, NodeState st) {
    int k = geo.k(), p = geo.p();
    double[] wd = w.data();
    if (keep) st.cache = new Cols(geo.n * geo.g);
    Parallel.forChunks(geo.n, Parallel.chunkSize(geo.n, (long) geo.m * k * p), (chunk, from, to) -> {
      double[] scratch = keep ? null : new double[k * p];
      for (int n = from; n < to; n++) {
        for (int gi = 0; gi < geo.g; gi++) {
          double[] col;
          if (keep) {
            col = new double[k * p];
            im2col(geo, x.data(), n, gi, col);
            ((Cols) st.cache).cols[n * geo.g + gi] = col;
          } else {
            col = colsOf(geo, x, n, gi, xCols, scratch);
          }
          int yOff = (n * geo.m + gi * geo.mg) * p;
          Blas.gemmNN(geo.mg, p, k, wd, gi * geo.mg * k, k, col, 0, p, out, yOff, p, true);
        }
      }
    });
  }

  private static void addBias(Geo geo, double[] bias, double[] out) {
    int p = geo.p();
    for (int n = 0; n < geo.n; n++) {
      for (int co = 0; co < geo.m; co++) {
        double b = bias[co];
        int off = (n * geo.m + co) * p;
        for (int i = 0; i < p; i++) out[off + i] += b;
      }
    }
  }

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    Geo geo = geo(in[0], in[1]);
    double[] out = new double[geo.n * geo.m * geo.p()];
    convolve(geo, in[0], null, in[1], out, st.retain, st);
    if (in.length > 2 && in[2] != null) addBias(geo, in[2].data(), out);
    return new Tensor(geo.outShape(), out);
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    Geo geo = geo(in[0], in[1]);
    return backprop(geo, in[0], st, in[1], gOut, need, in.length);
  }

  /**
   * Gradients of <y = conv(cx, cw)> contracted with gy: d/dx uses cw, d/dW uses cx (whose im2col may be
   * cached in colState). Called with primal inputs for backward and with tangents for curvature.
   */
  private Tensor[] backprop(Geo geo, Tensor cx, NodeState colState, Tensor cw, Tensor gy, boolean[] need, int arity) {
    Tensor[] res = new Tensor[arity];
    boolean needX = need[0] && cw != null;
    boolean needW = need[1] && cx != null;
    boolean needB = arity > 2 && need.length > 2 && need[2];
    int k = geo.k(), p = geo.p();
    double[] gyd = gy.data();
    double[] gx = needX ? new double[geo.n * geo.c * geo.h * geo.w] : null;
    int chunkSize = Parallel.chunkSize(geo.n, 2L * geo.m * k * p);
    int chunks = Parallel.chunks(geo.n, chunkSize);
    double[][] gwParts = needW ? new double[chunks][] : null;
    Parallel.forChunks(geo.n, chunkSize, (chunk, from, to) -> {
      double[] scratch = new double[k * p];
      double[] colT = needW ? new double[k * p] : null;
      double[] gcol = needX ? new double[k * p] : null;
      double[] gw = needW ? new double[geo.m * k] : null;
      for (int n = from; n < to; n++) {
        for (int gi = 0; gi < geo.g; gi++) {
          int yOff = (n * geo.m + gi * geo.mg) * p;
          if (needW) {
            double[] col = colsOf(geo, cx, n, gi, colState, scratch);
            Blas.gemmNT(geo.mg, k, p, gyd, yOff, p, col, 0, p, gw, gi * geo.mg * k, k, true, colT);
          }
          if (needX) {
            Blas.gemmTN(k, p, geo.mg, cw.data(), gi * geo.mg * k, k, gyd, yOff, p, gcol, 0, p, false);
            col2im(geo, gcol, n, gi, gx);
          }
        }
      }
      if (needW) gwParts[chunk] = gw;
    });
    if (needX) res[0] = new Tensor(new int[] {geo.n, geo.c, geo.h, geo.w}, gx).reshape(in0Shape(geo));
    if (needW) {
      double[] gw = gwParts[0];
      for (int c = 1; c < chunks; c++) for (int i = 0; i < gw.length; i++) gw[i] += gwParts[c][i];
      res[1] = new Tensor(weightShape(geo), gw);
    }
    if (needB) {
      double[] gb = new double[geo.m];
      for (int n = 0; n < geo.n; n++) {
        for (int co = 0; co < geo.m; co++) {
          int off = (n * geo.m + co) * p;
          double s = 0;
          for (int i = 0; i < p; i++) s += gyd[off + i];
          gb[co] += s;
        }
      }
      res[2] = new Tensor(new int[] {geo.m}, gb);
    }
    return res;
  }

  private static int[] in0Shape(Geo geo) {
    return geo.oneD ? new int[] {geo.n, geo.c, geo.h} : new int[] {geo.n, geo.c, geo.h, geo.w};
  }

  private static int[] weightShape(Geo geo) {
    return geo.oneD ? new int[] {geo.m, geo.cg, geo.kh} : new int[] {geo.m, geo.cg, geo.kh, geo.kw};
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    if (allNull(dIn)) return null;
    Geo geo = geo(in[0], in[1]);
    double[] dy = new double[geo.n * geo.m * geo.p()];
    if (dIn[0] != null) convolve(geo, dIn[0], null, in[1], dy, false, null);
    if (dIn[1] != null) convolve(geo, in[0], st, dIn[1], dy, false, null);
    if (dIn.length > 2 && dIn[2] != null) addBias(geo, dIn[2].data(), dy);
    return new Tensor(geo.outShape(), dy);
  }

  @Override
  Tensor[] curvature(Tensor[] in, Tensor out, Tensor dOut, Tensor gOut, Tensor[] dIn, NodeState st, boolean[] need) {
    // y is bilinear in (x, W): the x-gradient varies with dW and the W-gradient with dx.
    if (dIn[0] == null && dIn[1] == null) return null;
    Geo geo = geo(in[0], in[1]);
    boolean[] sub = {need[0] && dIn[1] != null, need[1] && dIn[0] != null};
    if (!sub[0] && !sub[1]) return null;
    Tensor[] r = backprop(geo, dIn[0], null, dIn[1], gOut, sub, 2);
    Tensor[] res = new Tensor[in.length];
    res[0] = r[0];
    res[1] = r[1];
    return res;
  }
}
