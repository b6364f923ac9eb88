package io.edgeamp.core.engine;

import io.edgeamp.core.engine.Float32Inference.Step;
import io.edgeamp.core.engine.Float32Inference.Unsupported;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 steps of {@link Float32Inference}: each runs one (possibly fused) node over a chunk of
 * the batch whose shapes were fixed at planning. Semantics follow the double kernels of the same ops
 * (same padding, rounding and coordinate rules); sums over many terms (pool averages, softmax
 * denominators) accumulate in double.
 */
final class Float32Steps {
  private Float32Steps() {}

  private static final VectorSpecies<Float> S = SGemm.S;
  private static final int L = SGemm.L;

  // ---------------------------------------------------------------------------------------------
  // Conv

  /** Conv geometry for one plan (1-D convs as 2-D with width 1, as {@link ConvKernel} does). */
  static final class ConvGeo {
    int n, c, h, w, m, g, cg, mg, kh, kw, sh, sw, ph, pw, phe, pwe, dh, dw, oh, ow;
    boolean oneD;

    int k() {
      return cg * kh * kw;
    }

    int p() {
      return oh * ow;
    }

    int[] outShape() {
      return oneD ? new int[] {n, m, oh} : new int[] {n, m, oh, ow};
    }

    static ConvGeo of(Op.Conv op, int[] xs, int[] ws, String where) {
      ConvGeo g = new ConvGeo();
      g.oneD = op.spatialRank() == 1;
      int want = g.oneD ? 3 : 4;
      if (xs.length != want || ws.length != want) throw new Unsupported(where + ": conv ranks");
      g.g = op.group();
      g.n = xs[0];
      g.c = xs[1];
      g.m = ws[0];
      if (g.c % g.g != 0 || g.m % g.g != 0 || ws[1] != g.c / g.g) throw new Unsupported(where + ": conv groups");
      g.cg = g.c / g.g;
      g.mg = g.m / g.g;
      g.h = xs[2];
      g.w = g.oneD ? 1 : xs[3];
      g.kh = ws[2];
      g.kw = g.oneD ? 1 : ws[3];
      g.sh = op.strides()[0];
      g.sw = g.oneD ? 1 : op.strides()[1];
      g.ph = op.padsBegin()[0];
      g.pw = g.oneD ? 0 : op.padsBegin()[1];
      g.phe = op.padsEnd()[0];
      g.pwe = g.oneD ? 0 : op.padsEnd()[1];
      g.dh = op.dilations()[0];
      g.dw = g.oneD ? 1 : op.dilations()[1];
      g.oh = (g.h + g.ph + g.phe - g.dh * (g.kh - 1) - 1) / g.sh + 1;
      g.ow = (g.w + g.pw + g.pwe - g.dw * (g.kw - 1) - 1) / g.sw + 1;
      if (g.oh <= 0 || g.ow <= 0) throw new Unsupported(where + ": input smaller than the kernel");
      return g;
    }
  }

  /**
   * Conv per sample and group as y = act(W_g B + b) by {@link SGemm}, where B's rows (one per input
   * channel and kernel tap) are found without an im2col copy where possible:
   * <ul>
   *   <li>1x1 stride-1 convs read their input rows directly;
   *   <li>convs along one axis ((k,1) kernels on width-1 inputs, and 1-D convs) split each input
   *       channel into its stride phases, x[j*s + r] -> phase r, with zero guards before and after;
   *       the row of tap a is then a contiguous slice of one phase (offset by the pad and dilation),
   *       so the split writes each input once where im2col writes it k/s times;
   *   <li>other 2-D convs gather an im2col matrix;
   *   <li>depthwise convs (one input and one output channel per group) are direct convolutions over
   *       a zero-padded copy of the channel.
   * </ul>
   */
  static final class Conv extends Step {
    final ConvGeo g;
    final float[] w;
    final float[] bias;
    final SGemm.Act act;
    final boolean pointwise;
    final boolean depthwise;
    final boolean phased;
    /** Row offsets of B: into the input (pointwise), the phase buffer, or the im2col matrix. */
    final int[] rows;
    /** Phase split: phase length with guards, front guard, data length of each phase. */
    final int phaseLen, guard;
    final int[] phaseData;
    /**
     * An input transform fused into the phase split (phased convs only), so its result is never
     * written out: a per-channel affine (an unfolded BatchNorm) or a (k,1) stride-1 max pool over a
     * source of srcH rows.
     */
    private float[] preScale, preShift;
    private int poolK, poolPb;
    private int srcH;

    Conv(ConvGeo g, float[] w, float[] bias, SGemm.Act act, int src, int dst) {
      this.g = g;
      this.w = w;
      this.bias = bias;
      this.act = act;
      this.io = new int[] {src, dst};
      this.pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0 && g.phe == 0 && g.pwe == 0;
      this.depthwise = !pointwise && g.cg == 1 && g.mg == 1;
      this.phased = !pointwise && !depthwise && g.w == 1 && g.kw == 1 && g.pw == 0 && g.pwe == 0;
      int p = g.p();
      if (phased) {
        int s = g.sh;
        int maxLen = ceilDiv(g.h, s);
        int front = 0, back = 0;
        for (int a = 0; a < g.kh; a++) {
          int q = Math.floorDiv(a * g.dh - g.ph, s);
          front = Math.max(front, -q);
          back = Math.max(back, q + p - maxLen);
        }
        guard = front;
        phaseLen = front + maxLen + back;
        phaseData = new int[s];
        for (int r = 0; r < s; r++) phaseData[r] = Math.max(0, ceilDiv(g.h - r, s));
        rows = new int[g.k()];
        for (int ci = 0, row = 0; ci < g.cg; ci++) {
          for (int a = 0; a < g.kh; a++, row++) {
            int t = a * g.dh - g.ph;
            rows[row] = (ci * s + Math.floorMod(t, s)) * phaseLen + guard + Math.floorDiv(t, s);
          }
        }
      } else {
        guard = 0;
        phaseLen = 0;
        phaseData = null;
        rows = depthwise ? null : SGemm.rows(g.k(), p);
      }
      srcH = g.h;
    }

    /** Whether an input transform can be fused (the conv splits its input into phases). */
    static boolean canFuseInput(ConvGeo g) {
      boolean pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0 && g.phe == 0 && g.pwe == 0;
      return !pointwise && !(g.cg == 1 && g.mg == 1) && g.w == 1 && g.kw == 1 && g.pw == 0 && g.pwe == 0;
    }

    /** Applies x * scale[c] + shift[c] to the input as it is split (padding stays zero, as after a BatchNorm). */
    Conv withInputAffine(float[] scale, float[] shift) {
      if (!phased) throw new IllegalStateException("input transforms need a phased conv");
      preScale = scale;
      preShift = shift;
      return this;
    }

    /** Max-pools the input (kernel k, stride 1, begin pad pb, over srcH rows) as it is split. */
    Conv withInputMaxPool(int k, int pb, int srcH) {
      if (!phased) throw new IllegalStateException("input transforms need a phased conv");
      poolK = k;
      poolPb = pb;
      this.srcH = srcH;
      return this;
    }

    @Override
    int scratch() {
      if (pointwise) return 0;
      if (depthwise) return (g.h + g.ph + g.phe) * (g.w + g.pw + g.pwe);
      if (phased) return g.cg * g.sh * phaseLen + (poolK > 0 ? g.h : 0);
      return g.k() * g.p();
    }

    @Override
    void run(float[][] buf, float[] scratch) {
      float[] x = buf[io[0]], y = buf[io[1]];
      int k = g.k(), p = g.p(), plane = g.h * g.w;
      for (int n = 0; n < g.n; n++) {
        for (int gi = 0; gi < g.g; gi++) {
          int yOff = (n * g.m + gi * g.mg) * p;
          int xOff = (n * g.c + gi * g.cg) * (phased ? srcH : plane);
          if (depthwise) {
            depthwise(x, (n * g.c + gi) * plane, gi, y, yOff, scratch);
            continue;
          }
          if (pointwise) {
            SGemm.gemm(g.mg, p, k, w, gi * g.mg * k, k, x, xOff, rows, y, yOff, p, bias, gi * g.mg, null, 0, act);
            continue;
          }
          if (phased) {
            splitPhases(x, xOff, gi * g.cg, scratch);
          } else {
            im2col(x, xOff, scratch);
          }
          SGemm.gemm(g.mg, p, k, w, gi * g.mg * k, k, scratch, 0, rows, y, yOff, p, bias, gi * g.mg, null, 0, act);
        }
      }
    }

    /**
     * Phase r of channel ci at (ci * s + r) * phaseLen: guard zeros, in[j*s + r] for j < phaseData[r],
     * zeros; in is the input channel, or its max pool / affine transform (channels from c0).
     */
    private void splitPhases(float[] x, int base, int c0, float[] ph) {
      int s = g.sh;
      int tmp = g.cg * s * phaseLen;
      for (int ci = 0; ci < g.cg; ci++) {
        float[] in = x;
        int chan = base + ci * srcH;
        if (poolK > 0) {
          if (s == 1) {
            int off = ci * phaseLen;
            Arrays.fill(ph, off, off + guard, 0f);
            maxRow(x, chan, srcH, poolK, poolPb, ph, off + guard, g.h);
            Arrays.fill(ph, off + guard + g.h, off + phaseLen, 0f);
            continue;
          }
          maxRow(x, chan, srcH, poolK, poolPb, ph, tmp, g.h);
          in = ph;
          chan = tmp;
        }
        float a = preScale == null ? 1f : preScale[c0 + ci], b = preScale == null ? 0f : preShift[c0 + ci];
        for (int r = 0; r < s; r++) {
          int off = (ci * s + r) * phaseLen;
          int len = phaseData[r];
          Arrays.fill(ph, off, off + guard, 0f);
          int dst = off + guard;
          if (preScale != null) {
            for (int j = 0, src = chan + r; j < len; j++, src += s) ph[dst + j] = Math.fma(in[src], a, b);
          } else if (s == 1) {
            System.arraycopy(in, chan, ph, dst, len);
          } else {
            for (int j = 0, src = chan + r; j < len; j++, src += s) ph[dst + j] = in[src];
          }
          Arrays.fill(ph, dst + len, off + phaseLen, 0f);
        }
      }
    }

    /** Gathers the receptive fields of one sample's group (channels from {@code base}) into col[K x P]. */
    private void im2col(float[] x, int base, float[] col) {
      int p = g.p(), plane = g.h * g.w;
      int row = 0;
      for (int ci = 0; ci < g.cg; ci++) {
        int chan = base + ci * plane;
        for (int a = 0; a < g.kh; a++) {
          for (int b = 0; b < g.kw; b++, row++) {
            int dst = row * p;
            for (int oy = 0; oy < g.oh; oy++) {
              int iy = oy * g.sh - g.ph + a * g.dh;
              if (iy < 0 || iy >= g.h) {
                Arrays.fill(col, dst, dst + g.ow, 0f);
                dst += g.ow;
                continue;
              }
              int src = chan + iy * g.w;
              for (int ox = 0; ox < g.ow; ox++, dst++) {
                int ix = ox * g.sw - g.pw + b * g.dw;
                col[dst] = (ix >= 0 && ix < g.w) ? x[src + ix] : 0f;
              }
            }
          }
        }
      }
    }

    /** One channel of a depthwise conv over a zero-padded copy; taps accumulate in (a, b) order. */
    private void depthwise(float[] x, int src, int ch, float[] y, int yOff, float[] pad) {
      int hp = g.h + g.ph + g.phe, wp = g.w + g.pw + g.pwe;
      Arrays.fill(pad, 0, hp * wp, 0f);
      for (int iy = 0; iy < g.h; iy++) System.arraycopy(x, src + iy * g.w, pad, (iy + g.ph) * wp + g.pw, g.w);
      int taps = g.kh * g.kw, w0 = ch * taps;
      float b0 = bias == null ? 0f : bias[ch];
      if (g.ow == 1 && wp == 1 && g.sh == 1) {
        // a 1-D (k,1) depthwise conv: vectorise along time
        int oy = 0;
        for (int up = S.loopBound(g.oh); oy < up; oy += L) {
          FloatVector acc = FloatVector.broadcast(S, b0);
          for (int a = 0; a < g.kh; a++) {
            acc = FloatVector.broadcast(S, w[w0 + a]).lanewise(VectorOperators.FMA, FloatVector.fromArray(S, pad, oy + a * g.dh), acc);
          }
          act.apply(acc).intoArray(y, yOff + oy);
        }
        for (; oy < g.oh; oy++) {
          float acc = b0;
          for (int a = 0; a < g.kh; a++) acc = Math.fma(w[w0 + a], pad[oy + a * g.dh], acc);
          y[yOff + oy] = act.apply(acc);
        }
        return;
      }
      for (int oy = 0; oy < g.oh; oy++) {
        int ox = 0;
        int dst = yOff + oy * g.ow;
        if (g.sw == 1) {
          for (int up = S.loopBound(g.ow); ox < up; ox += L) {
            FloatVector acc = FloatVector.broadcast(S, b0);
            for (int a = 0; a < g.kh; a++) {
              int row = (oy * g.sh + a * g.dh) * wp + ox;
              for (int b = 0; b < g.kw; b++) {
                acc = FloatVector.broadcast(S, w[w0 + a * g.kw + b]).lanewise(VectorOperators.FMA, FloatVector.fromArray(S, pad, row + b * g.dw), acc);
              }
            }
            act.apply(acc).intoArray(y, dst + ox);
          }
        }
        for (; ox < g.ow; ox++) {
          float acc = b0;
          for (int a = 0; a < g.kh; a++) {
            int row = (oy * g.sh + a * g.dh) * wp + ox * g.sw;
            for (int b = 0; b < g.kw; b++) acc = Math.fma(w[w0 + a * g.kw + b], pad[row + b * g.dw], acc);
          }
          y[dst + ox] = act.apply(acc);
        }
      }
    }
  }

  /**
   * A (k,1) stride-1 max pool of one row in one pass: y[ob + o] = max of x[ib + o - pb + t] over the
   * taps t < k inside [0, h) (-inf if none). Outputs whose window lies inside the input take the max
   * of k shifted vectors; the few at the edges skip the padded cells.
   */
  static void maxRow(float[] x, int ib, int h, int k, int pb, float[] y, int ob, int oh) {
    int lo = Math.min(oh, pb), hi = Math.max(lo, Math.min(oh, h - k + pb + 1));
    for (int o = 0; o < lo; o++) y[ob + o] = edgeMax(x, ib, h, k, pb, o);
    int o = lo;
    int src = ib - pb;
    for (int up = lo + S.loopBound(hi - lo); o < up; o += L) {
      FloatVector m = FloatVector.fromArray(S, x, src + o);
      for (int t = 1; t < k; t++) m = m.max(FloatVector.fromArray(S, x, src + o + t));
      m.intoArray(y, ob + o);
    }
    for (; o < hi; o++) {
      float m = x[src + o];
      for (int t = 1; t < k; t++) m = Math.max(m, x[src + o + t]);
      y[ob + o] = m;
    }
    for (; o < oh; o++) y[ob + o] = edgeMax(x, ib, h, k, pb, o);
  }

  private static float edgeMax(float[] x, int ib, int h, int k, int pb, int o) {
    float m = Float.NEGATIVE_INFINITY;
    for (int t = 0; t < k; t++) {
      int i = o - pb + t;
      if (i >= 0 && i < h) m = Math.max(m, x[ib + i]);
    }
    return m;
  }

  static int sizeOf(int[] shape) {
    return io.edgeamp.core.tensor.Shapes.size(shape);
  }

  static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }

  // ---------------------------------------------------------------------------------------------
  // Gemm / MatMul

  /**
   * y = act(alpha * A' B' + beta * C). B' is a packed weight ([K x N], alpha folded in) or an
   * activation; a constant column C is the kernel's column bias, any other C is added afterwards.
   */
  static final class Gemm extends Step {
    final int m, n, k;
    final boolean transA, transB;
    final float alpha;
    final float[] colBias;
    final int[] cOff;
    final float beta;
    final SGemm.Act act;
    final int[] bRows;

    Gemm(int m, int n, int k, int a, boolean transA, int b, boolean transB, float alpha, float[] colBias, int c, int[] cOff, float beta,
        SGemm.Act act, int dst) {
      this.m = m;
      this.n = n;
      this.k = k;
      this.transA = transA;
      this.transB = transB;
      this.alpha = alpha;
      this.colBias = colBias;
      this.cOff = cOff;
      this.beta = beta;
      this.act = act;
      this.io = new int[] {a, b, c, dst};
      this.bRows = SGemm.rows(k, n);
    }

    @Override
    int scratch() {
      return (transA ? m * k : 0) + (transB ? k * n : 0);
    }

    @Override
    void run(float[][] buf, float[] scratch) {
      float[] a = buf[io[0]], b = buf[io[1]], y = buf[io[3]];
      int aOff = 0, bOff = 0;
      if (transA) {
        for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) scratch[i * k + p] = a[p * m + i];
        a = scratch;
      }
      if (transB) {
        bOff = transA ? m * k : 0;
        for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) scratch[bOff + p * n + j] = b[j * k + p];
        b = scratch;
      }
      boolean simple = alpha == 1 && cOff == null;
      SGemm.gemm(m, n, k, a, aOff, k, b, bOff, bRows, y, 0, n, null, 0, simple ? colBias : null, 0, simple ? act : SGemm.Act.IDENTITY);
      if (simple) return;
      int size = m * n;
      if (alpha != 1) for (int i = 0; i < size; i++) y[i] *= alpha;
      if (colBias != null) for (int i = 0; i < size; i++) y[i] += colBias[i % n];
      if (cOff != null) {
        float[] c = buf[io[2]];
        for (int i = 0; i < size; i++) y[i] += beta * c[cOff[i]];
      }
      act.applyInPlace(y, 0, size);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Elementwise

  /** Relu, Clip, LeakyRelu (vectorised), Sigmoid and Tanh (through double math). */
  static final class Unary extends Step {
    final int kind; // 0: piecewise linear (act), 1: sigmoid, 2: tanh
    final SGemm.Act act;
    final int size;

    Unary(Op op, int src, int dst, int size) {
      this.io = new int[] {src, dst};
      this.size = size;
      if (op instanceof Op.Relu) {
        kind = 0;
        act = new SGemm.Act(SGemm.Act.RELU, 0, 0, 0);
      } else if (op instanceof Op.Clip c) {
        kind = 0;
        act = new SGemm.Act(SGemm.Act.CLIP, (float) c.min(), (float) c.max(), 0);
      } else if (op instanceof Op.LeakyRelu l) {
        kind = 0;
        act = new SGemm.Act(SGemm.Act.LEAKY, 0, 0, (float) l.alpha());
      } else if (op instanceof Op.Sigmoid) {
        kind = 1;
        act = null;
      } else {
        kind = 2;
        act = null;
      }
    }

    @Override
    void run(float[][] buf, float[] scratch) {
      float[] x = buf[io[0]], y = buf[io[1]];
      if (kind == 0) {
        int i = 0;
        for (int up = S.loopBound(size); i < up; i += L) act.apply(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        for (; i < size; i++) y[i] = act.apply(x[i]);
      } else if (kind == 1) {
        for (int i = 0; i < size; i++) {
          double v = x[i];
          y[i] = (float) (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
        }
      } else {
        for (int i = 0; i < size; i++) y[i] = (float) Math.tanh(x[i]);
      }
    }
  }

  /** Inference BatchNormalization as y = x * scale[c] + shift[c]. */
  static final class Affine extends Step {
    final int n, c, inner;
    final float[] scale, shift;

    Affine(int src, int dst, int n, int c, int inner, float[] scale, float[] shift) {
      this.io = new int[] {src, dst};
      this.n = n;
      this.c = c;
      this.inner = inner;
      this.scale = scale;
      this.shift = shift;
    }

    @Override
    void run(float[][] buf, float[] scratch) {
      float[] x = buf[io[0]], y = buf[io[1]];
      for (int s = 0; s < n; s++) {
        for (int ch = 0; ch < c; ch++) {
          int off = (s * c + ch) * inner;
          float a = scale[ch], b = shift[ch];
          FloatVector va = FloatVector.broadcast(S, a), vb = FloatVector.broadcast(S, b);
          int i = 0;
          for (int up = S.loopBound(inner); i < up; i += L) {
            FloatVector.fromArray(S, x, off + i).lanewise(VectorOperators.FMA, va, vb).intoArray(y, off + i);
          }
          for (; i < inner; i++) y[off + i] = Math.fma(x[off + i], a, b);
        }
      }
    }
  }

  /** Add or Mul with broadcasting (offset tables from planning; a plain loop for equal shapes). */
  static final class Binary extends Step {
    final boolean mul;
    final int size;
    final int[] offA, offB;

    Binary(boolean mul, int a, int b, int dst, int[] shape, int[] offA, int[] offB) {
      this.mul = mul;
      this.io = new int[] {a, b, dst};
      this.size = sizeOf(shape);
      this.offA = offA;
      this.offB = offB;
    }

    @Override
    void run(float[][] buf, float[] scratch) {
      float[] a = buf[io[0]], b = buf[io[1]], y = buf[io[2]];
      if (offA == null && offB == null) {
        int i = 0;
        for (int up = S.loopBound(size); i < up; i += L) {
          FloatVector va = FloatVector.fromArray(S, a, i), vb = FloatVector.fromArray(S, b, i);
          (mul ? va.mul(vb) : va.add(vb)).intoArray(y, i);
        }
        for (; i < size; i++) y[i] = mul ? a[i] * b[i] : a[i] + b[i];
        return;
      }
      for (int i = 0; i < size; i++) {
        float va = a[offA == null ? i : offA[i]], vb = b[offB == null ? i : offB[i]];
        y[i] = mul ? va * vb : va + vb;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Pooling

  /** MaxPool / AveragePool, 1-D or 2-D; (k,1) max pools with stride 1 are vectorised along time. */
  static final class Pool extends Step {
    boolean max, countIncludePad, oneD;
    int planes, h, w, kh, kw, sh, sw, ph, pw, phe, pwe, oh, ow, n, c;

    int[] outShape() {
      return oneD ? new int[] {n, c, oh} : new int[] {n, c, oh, ow};
    }

    static Pool of(Node node, int[] s, int src) {
      Pool p = new Pool();
      int[] kernel, strides, pb, pe;
      boolean ceil;
      if (node.op() instanceof Op.MaxPool m) {
        p.max = true;
        kernel = m.kernel();
        strides = m.strides();
        pb = m.padsBegin();
        pe = m.padsEnd();
        ceil = m.ceilMode();
      } else {
        Op.AveragePool a = (Op.AveragePool) node.op();
        kernel = a.kernel();
        strides = a.strides();
        pb = a.padsBegin();
        pe = a.padsEnd();
        ceil = a.ceilMode();
        p.countIncludePad = a.countIncludePad();
      }
      p.oneD = kernel.length == 1;
      if (s.length != (p.oneD ? 3 : 4)) throw new Unsupported("pool rank");
      p.n = s[0];
      p.c = s[1];
      p.planes = s[0] * s[1];
      p.h = s[2];
      p.w = p.oneD ? 1 : s[3];
      p.kh = kernel[0];
      p.kw = p.oneD ? 1 : kernel[1];
      p.sh = strides[0];
      p.sw = p.oneD ? 1 : strides[1];
      p.ph = pb[0];
      p.pw = p.oneD ? 0 : pb[1];
      p.phe = pe[0];
      p.pwe = p.oneD ? 0 : pe[1];
      p.oh = outLen(p.h, p.kh, p.sh, p.ph, p.phe, ceil);
      p.ow = p.oneD ? 1 : outLen(p.w, p.kw, p.sw, p.pw, p.pwe, ceil);
      p.io = new int[] {src, -1};
      return p;
    }

    private static int outLen(int len, int k, int s, int pb, int pe, boolean ceil) {
      int span = len + pb + pe - k;
      if (span < 0) throw new Unsupported("pool input smaller than kernel");
      int out = (ceil ? (span + s - 1) / s : span / s) + 1;
      if (ceil && (out - 1) * s >= len + pb) out--;
      return out;
    }

    @Override
    void run(float[][] buf, float[] scratch) {
      float[] x = buf[io[0]], y = buf[io[1]];
      if (max) maxPool(x, y);
      else avgPool(x, y);
    }

    private void maxAlongTime(float[] x, int ib, float[] y, int ob) {
      maxRow(x, ib, h, kh, ph, y, ob, oh);
    }

    private void maxPool(float[] x, float[] y) {
      int outPlane = oh * ow, inPlane = h * w;
      if (!(w == 1 && kw == 1 && sh == 1)) Arrays.fill(y, 0, planes * outPlane, Float.NEGATIVE_INFINITY);
      for (int pl = 0; pl < planes; pl++) {
        int ib = pl * inPlane, ob = pl * outPlane;
        if (w == 1 && kw == 1 && sh == 1) {
          maxAlongTime(x, ib, y, ob);
          continue;
        }
        if (w == 1 && kw == 1) {
          for (int a = 0; a < kh; a++) {
            int lo = Math.max(0, -Math.floorDiv(a - ph, sh)), hi = Math.min(oh, Math.floorDiv(h - 1 + ph - a, sh) + 1);
            int src = ib - ph + a;
            if (sh == 1) {
              int len = hi - lo, i = 0;
              for (int up = S.loopBound(Math.max(0, len)); i < up; i += L) {
                FloatVector.fromArray(S, y, ob + lo + i).max(FloatVector.fromArray(S, x, src + lo + i)).intoArray(y, ob + lo + i);
              }
              for (; i < len; i++) y[ob + lo + i] = Math.max(y[ob + lo + i], x[src + lo + i]);
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
              int lo = Math.max(0, -Math.floorDiv(b - pw, sw)), hi = Math.min(ow, Math.floorDiv(w - 1 + pw - b, sw) + 1);
              int src = ib + iy * w - pw + b, dst = ob + oy * ow;
              for (int ox = lo; ox < hi; ox++) y[dst + ox] = Math.max(y[dst + ox], x[src + ox * sw]);
            }
          }
        }
      }
    }

    private void avgPool(float[] x, float[] y) {
      int e = 0;
      for (int pl = 0; pl < planes; pl++) {
        int base = pl * h * w;
        for (int oy = 0; oy < oh; oy++) {
          int y0 = oy * sh - ph, y1 = Math.min(y0 + kh, h + phe);
          int ya = Math.max(y0, 0), yb = Math.min(y1, h);
          for (int ox = 0; ox < ow; ox++, e++) {
            int x0 = ox * sw - pw, x1 = Math.min(x0 + kw, w + pwe);
            int xa = Math.max(x0, 0), xb = Math.min(x1, w);
            int cells = countIncludePad ? (y1 - y0) * (x1 - x0) : (yb - ya) * (xb - xa);
            double sum = 0;
            for (int iy = ya; iy < yb; iy++) for (int ix = xa; ix < xb; ix++) sum += x[base + iy * w + ix];
            y[e] = (float) (sum / cells);
          }
        }
      }
    }
  }

  /** Mean over the spatial axes of each (sample, channel) plane (float vector partial sums, reduced in double). */
  static final class GlobalAvg extends Step {
    final int planes, inner;

    GlobalAvg(int src, int dst, int planes, int inner) {
      this.io = new int[] {src, dst};
      this.planes = planes;
      this.inner = inner;
    }

    @Override
    void run(float[][] buf, float[] scratch) {
      float[] x = buf[io[0]], y = buf[io[1]];
      for (int p = 0; p < planes; p++) {
        int off = p * inner, i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int up = S.loopBound(inner); i < up; i += L) acc = acc.add(FloatVector.fromArray(S, x, off + i));
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < inner; i++) sum += x[off + i];
        y[p] = (float) (sum / inner);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Softmax, Concat, Resize

  static final class Softmax extends Step {
    final int outer, len, inner;

    Softmax(int src, int dst, int outer, int len, int inner) {
      this.io = new int[] {src, dst};
      this.outer = outer;
      this.len = len;
      this.inner = inner;
    }

    @Override
    void run(float[][] buf, float[] scratch) {
      float[] x = buf[io[0]], y = buf[io[1]];
      for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
          int base = o * len * inner + i;
          float m = Float.NEGATIVE_INFINITY;
          for (int k = 0; k < len; k++) m = Math.max(m, x[base + k * inner]);
          double s = 0;
          for (int k = 0; k < len; k++) s += Math.exp(x[base + k * inner] - (double) m);
          for (int k = 0; k < len; k++) y[base + k * inner] = (float) (Math.exp(x[base + k * inner] - (double) m) / s);
        }
      }
    }
  }

  static final class Concat extends Step {
    final int[] inner;
    final int outer;

    Concat(int[] srcs, int[] inner, int outer, int dst) {
      this.io = Arrays.copyOf(srcs, srcs.length + 1);
      this.io[srcs.length] = dst;
      this.inner = inner;
      this.outer = outer;
    }

    @Override
    void run(float[][] buf, float[] scratch) {
      float[] y = buf[io[io.length - 1]];
      int row = Arrays.stream(inner).sum();
      for (int o = 0; o < outer; o++) {
        int dst = o * row;
        for (int p = 0; p < inner.length; p++) {
          System.arraycopy(buf[io[p]], o * inner[p], y, dst, inner[p]);
          dst += inner[p];
        }
      }
    }
  }

  /** Spatial Resize (nearest or linear), separable, with the index and weight tables of {@link ResizeKernel}. */
  static final class Resize extends Step {
    int planes, hin, win, hout, wout;
    int[] hi0, hi1, wi0, wi1;
    float[] hw0, hw1, ww0, ww1;
    int[] outShape;

    static Resize of(Op.Resize op, int[] s, int src) {
      double[] sc = op.scales();
      if (sc.length != s.length || s.length < 3 || s.length > 4 || sc[0] != 1 || sc[1] != 1) throw new Unsupported("resize");
      Resize r = new Resize();
      r.planes = s[0] * s[1];
      r.hin = s[2];
      r.win = s.length == 4 ? s[3] : 1;
      double sw = s.length == 4 ? sc[3] : 1;
      r.hout = outLen(r.hin, sc[2]);
      r.wout = outLen(r.win, sw);
      r.hi0 = new int[r.hout];
      r.hi1 = new int[r.hout];
      r.hw0 = new float[r.hout];
      r.hw1 = new float[r.hout];
      table(op, r.hin, r.hout, sc[2], r.hi0, r.hi1, r.hw0, r.hw1);
      r.wi0 = new int[r.wout];
      r.wi1 = new int[r.wout];
      r.ww0 = new float[r.wout];
      r.ww1 = new float[r.wout];
      table(op, r.win, r.wout, sw, r.wi0, r.wi1, r.ww0, r.ww1);
      r.outShape = s.length == 4 ? new int[] {s[0], s[1], r.hout, r.wout} : new int[] {s[0], s[1], r.hout};
      r.io = new int[] {src, -1};
      return r;
    }

    private static int outLen(int len, double scale) {
      int out = (int) Math.floor(len * scale);
      if (out < 1) throw new Unsupported("resize to nothing");
      return out;
    }

    private static void table(Op.Resize op, int len, int out, double scale, int[] i0, int[] i1, float[] w0, float[] w1) {
      for (int o = 0; o < out; o++) {
        double x;
        switch (op.coordinateMode()) {
          case HALF_PIXEL:
            x = (o + 0.5) / scale - 0.5;
            break;
          case PYTORCH_HALF_PIXEL:
            x = out > 1 ? (o + 0.5) / scale - 0.5 : 0;
            break;
          case ALIGN_CORNERS:
            x = out > 1 ? o * (len - 1) / (double) (out - 1) : 0;
            break;
          default:
            x = o / scale;
        }
        if (op.mode() == Op.Resize.Mode.NEAREST) {
          int idx;
          switch (op.nearestMode()) {
            case ROUND_PREFER_FLOOR:
              idx = x - Math.floor(x) == 0.5 ? (int) Math.floor(x) : (int) Math.round(x);
              break;
            case ROUND_PREFER_CEIL:
              idx = (int) Math.round(x);
              break;
            case FLOOR:
              idx = (int) Math.floor(x);
              break;
            default:
              idx = (int) Math.ceil(x);
          }
          idx = Math.max(0, Math.min(len - 1, idx));
          i0[o] = i1[o] = idx;
          w0[o] = 1;
        } else {
          double c = Math.max(0, Math.min(len - 1, x));
          int a = (int) Math.floor(c);
          i0[o] = a;
          i1[o] = Math.min(a + 1, len - 1);
          w1[o] = (float) (c - a);
          w0[o] = (float) (1 - (c - a));
        }
      }
    }

    @Override
    void run(float[][] buf, float[] scratch) {
      float[] x = buf[io[0]], y = buf[io[1]];
      for (int pl = 0; pl < planes; pl++) {
        int ib = pl * hin * win, ob = pl * hout * wout;
        for (int oy = 0; oy < hout; oy++) {
          int r0 = ib + hi0[oy] * win, r1 = ib + hi1[oy] * win;
          float a0 = hw0[oy], a1 = hw1[oy];
          int dst = ob + oy * wout;
          for (int ox = 0; ox < wout; ox++) {
            float top = ww0[ox] * x[r0 + wi0[ox]] + ww1[ox] * x[r0 + wi1[ox]];
            float bot = ww0[ox] * x[r1 + wi0[ox]] + ww1[ox] * x[r1 + wi1[ox]];
            y[dst + ox] = a0 * top + a1 * bot;
          }
        }
      }
    }
  }
}
