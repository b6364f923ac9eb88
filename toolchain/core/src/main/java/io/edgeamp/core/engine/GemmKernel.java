package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;

/**
 * Gemm (Y = alpha * A' B' + beta * C, A' and B' optionally transposed) and MatMul (rows of a rank >= 2
 * A times a rank-2 B). Operands are brought to row-major A' [M x K] and B' [K x N] first.
 */
final class GemmKernel extends Kernel {
  private final double alpha;
  private final double beta;
  private final boolean transA;
  private final boolean transB;
  private final boolean matMul;

  GemmKernel(Node node, Op.Gemm op) {
    super(node);
    this.alpha = op.alpha();
    this.beta = op.beta();
    this.transA = op.transA();
    this.transB = op.transB();
    this.matMul = false;
  }

  GemmKernel(Node node, Op.MatMul op) {
    super(node);
    this.alpha = 1;
    this.beta = 1;
    this.transA = false;
    this.transB = false;
    this.matMul = true;
  }

  private record Dims(int m, int k, int n, int[] outShape) {}

  private Dims dims(Tensor a, Tensor b) {
    int[] as = a.shape(), bs = b.shape();
    if (matMul) {
      if (as.length < 2 || bs.length != 2) {
        throw new EngineException(where() + ": supports A of rank >= 2 and B of rank 2, got "
            + java.util.Arrays.toString(as) + " x " + java.util.Arrays.toString(bs));
      }
      int k = as[as.length - 1];
      if (k != bs[0]) throw new EngineException(where() + ": inner dimensions differ: " + java.util.Arrays.toString(as) + " x " + java.util.Arrays.toString(bs));
      int[] out = as.clone();
      out[out.length - 1] = bs[1];
      return new Dims(a.size() / k, k, bs[1], out);
    }
    if (as.length != 2 || bs.length != 2) {
      throw new EngineException(where() + ": Gemm needs rank-2 A and B, got " + java.util.Arrays.toString(as) + " and " + java.util.Arrays.toString(bs));
    }
    int m = transA ? as[1] : as[0], k = transA ? as[0] : as[1];
    int kb = transB ? bs[1] : bs[0], n = transB ? bs[0] : bs[1];
    if (k != kb) throw new EngineException(where() + ": inner dimensions differ (" + k + " vs " + kb + ")");
    return new Dims(m, k, n, new int[] {m, n});
  }

  private static double[] transpose(double[] src, int rows, int cols) {
    double[] t = new double[src.length];
    for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = src[i * cols + j];
    return t;
  }

  /** A' as [M x K]. */
  private double[] aRows(Tensor a, Dims d) {
    return transA ? transpose(a.data(), d.k, d.m) : a.data();
  }

  /** B' as [K x N]. */
  private double[] bRows(Tensor b, Dims d) {
    return transB ? transpose(b.data(), d.n, d.k) : b.data();
  }

  /** out (+)= alpha * A' B'. */
  private void product(Dims d, double[] a, double[] b, double[] out) {
    double[] tmp = alpha == 1 ? out : new double[out.length];
    Parallel.forChunks(d.m, Math.max(1, Math.min(d.m, (int) Math.max(1, 100_000L / Math.max(1, (long) d.k * d.n)))),
        (c, from, to) -> Blas.gemmNN(to - from, d.n, d.k, a, from * d.k, d.k, b, 0, d.n, tmp, from * d.n, d.n, true));
    if (alpha != 1) for (int i = 0; i < out.length; i++) out[i] += alpha * tmp[i];
  }

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    Dims d = dims(in[0], in[1]);
    double[] out = new double[d.m * d.n];
    product(d, aRows(in[0], d), bRows(in[1], d), out);
    if (!matMul && in.length > 2 && in[2] != null) Broadcast.addScaled(in[2], beta, out, d.outShape, where());
    return new Tensor(d.outShape, out);
  }

  /** Gradients of alpha * A' B' contracted with gy: uses ca for B's gradient and cb for A's. */
  private Tensor[] backprop(Tensor a, Tensor b, Tensor ca, Tensor cb, Tensor gy, boolean needA, boolean needB, int arity) {
    Dims d = dims(a, b);
    Tensor[] res = new Tensor[arity];
    double[] g = gy.data();
    if (needA && cb != null) {
      double[] ga = new double[d.m * d.k];
      // gA' [M x K] = alpha * gY [M x N] * B'^T
      Blas.gemmNT(d.m, d.k, d.n, g, 0, d.n, bRows(cb, d), 0, d.n, ga, 0, d.k, false, new double[d.k * d.n]);
      scale(ga, alpha);
      res[0] = new Tensor(a.shape(), transA ? transpose(ga, d.m, d.k) : ga);
    }
    if (needB && ca != null) {
      double[] gb = new double[d.k * d.n];
      // gB' [K x N] = alpha * A'^T gY
      Blas.gemmTN(d.k, d.n, d.m, aRows(ca, d), 0, d.k, g, 0, d.n, gb, 0, d.n, false);
      scale(gb, alpha);
      res[1] = new Tensor(b.shape(), transB ? transpose(gb, d.k, d.n) : gb);
    }
    return res;
  }

  private static void scale(double[] v, double s) {
    if (s != 1) for (int i = 0; i < v.length; i++) v[i] *= s;
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    Tensor[] res = backprop(in[0], in[1], in[0], in[1], gOut, need[0], need[1], in.length);
    if (!matMul && in.length > 2 && in[2] != null && need[2]) {
      res[2] = Broadcast.reduceTo(gOut.data(), gOut.shape(), in[2].shape(), beta);
    }
    return res;
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    if (allNull(dIn)) return null;
    Dims d = dims(in[0], in[1]);
    double[] dy = new double[d.m * d.n];
    if (dIn[0] != null) product(d, aRows(dIn[0], d), bRows(in[1], d), dy);
    if (dIn[1] != null) product(d, aRows(in[0], d), bRows(dIn[1], d), dy);
    if (!matMul && dIn.length > 2 && dIn[2] != null) Broadcast.addScaled(dIn[2], beta, dy, d.outShape, where());
    return new Tensor(d.outShape, dy);
  }

  @Override
  Tensor[] curvature(Tensor[] in, Tensor out, Tensor dOut, Tensor gOut, Tensor[] dIn, NodeState st, boolean[] need) {
    // Bilinear in (A, B): A's gradient varies with dB, B's with dA.
    boolean needA = need[0] && dIn[1] != null;
    boolean needB = need[1] && dIn[0] != null;
    if (!needA && !needB) return null;
    return backprop(in[0], in[1], dIn[0], dIn[1], gOut, needA, needB, in.length);
  }
}
