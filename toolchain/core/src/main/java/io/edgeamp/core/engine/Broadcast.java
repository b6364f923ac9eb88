package io.edgeamp.core.engine;

import io.edgeamp.core.tensor.Shapes;
import io.edgeamp.core.tensor.Tensor;
import java.util.Arrays;

/** Numpy-style multidirectional broadcasting, as ONNX defines it for Add, Mul and Gemm's C. */
final class Broadcast {
  private Broadcast() {}

  static int[] shape(int[] a, int[] b, String where) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
      int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
      if (da != db && da != 1 && db != 1) {
        throw new EngineException(where + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
      }
      out[i] = Math.max(da, db);
    }
    return out;
  }

  /** For every element of {@code outShape}, the offset of the element of {@code src} it reads. */
  static int[] offsets(int[] src, int[] outShape) {
    int r = outShape.length;
    int[] srcStrides = new int[r];
    int[] full = Shapes.strides(src);
    for (int i = 0; i < r; i++) {
      int si = i - (r - src.length);
      srcStrides[i] = si >= 0 && src[si] != 1 ? full[si] : 0;
    }
    int n = Shapes.size(outShape);
    int[] off = new int[n];
    int[] idx = new int[r];
    int cur = 0;
    for (int e = 0; e < n; e++) {
      off[e] = cur;
      for (int d = r - 1; d >= 0; d--) {
        idx[d]++;
        cur += srcStrides[d];
        if (idx[d] < outShape[d]) break;
        cur -= srcStrides[d] * idx[d];
        idx[d] = 0;
      }
    }
    return off;
  }

  /** out += scale * broadcast(c). */
  static void addScaled(Tensor c, double scale, double[] out, int[] outShape, String where) {
    int[] bs = shape(c.shape(), outShape, where);
    if (!Arrays.equals(bs, outShape)) {
      throw new EngineException(where + ": " + Arrays.toString(c.shape()) + " does not broadcast to " + Arrays.toString(outShape));
    }
    int[] off = offsets(c.shape(), outShape);
    double[] cd = c.data();
    for (int i = 0; i < out.length; i++) out[i] += scale * cd[off[i]];
  }

  /** Sums g (shaped gShape) down to targetShape, the transpose of broadcasting; times scale. */
  static Tensor reduceTo(double[] g, int[] gShape, int[] targetShape, double scale) {
    double[] r = new double[Shapes.size(targetShape)];
    if (Arrays.equals(gShape, targetShape)) {
      for (int i = 0; i < g.length; i++) r[i] = scale * g[i];
    } else {
      int[] off = offsets(targetShape, gShape);
      for (int i = 0; i < g.length; i++) r[off[i]] += g[i];
      if (scale != 1) for (int i = 0; i < r.length; i++) r[i] *= scale;
    }
    return new Tensor(targetShape, r);
  }
}
