package io.edgeamp.core.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 matrix products for the inference fast path ({@link Float32Inference}), with the bias and
 * the activation fused into the epilogue: C[M x N] = act(A[M x K] * B[K x N] + rowBias + colBias).
 *
 * <p>The core is a register-blocked micro-kernel on the JDK Vector API: a 4 x (2 vectors) block of C
 * stays in eight registers while the k loop streams one row of B and broadcasts four elements of A
 * (the float twin of {@link Blas}'s double kernel); with 16-lane vectors (AVX-512, 32 registers) an
 * 8 x (2 vectors) block keeps 16 accumulators in flight, which hides the FMA latency better
 * (about 20% faster on the zoo's conv shapes). The vector width is the platform's preferred one
 * (8 lanes with AVX2, 16 with AVX-512); {@code -Dedgeamp.f32.vectorBits=256} forces 8 lanes.
 *
 * <p>Every element of C is computed the same way whichever block or tail covers it: start from the
 * bias, then one fused multiply-add per k in increasing k, then the activation. So a row's result does
 * not depend on how many rows are computed together, which keeps the batch split deterministic.
 */
final class SGemm {
  private SGemm() {}

  static final VectorSpecies<Float> S = species();
  static final int L = S.length();
  /** 8-row blocks need 16 accumulators + 3 registers: only with 16-lane (AVX-512, 32-register) vectors. */
  private static final boolean EIGHT_ROWS = L >= 16 && !"4".equals(System.getProperty("edgeamp.f32.rows"));

  private static VectorSpecies<Float> species() {
    int bits = Integer.getInteger("edgeamp.f32.vectorBits", 0);
    if (bits == 256) return FloatVector.SPECIES_256;
    if (bits == 128) return FloatVector.SPECIES_128;
    if (bits == 512) return FloatVector.SPECIES_512;
    return FloatVector.SPECIES_PREFERRED;
  }

  /** An activation fused into a producer's epilogue: Relu, Clip(lo, hi), LeakyRelu(alpha), or none. */
  static final class Act {
    static final int NONE = 0, RELU = 1, CLIP = 2, LEAKY = 3;
    static final Act IDENTITY = new Act(NONE, 0, 0, 0);

    final int kind;
    final float lo;
    final float hi;
    final float alpha;

    Act(int kind, float lo, float hi, float alpha) {
      this.kind = kind;
      this.lo = lo;
      this.hi = hi;
      this.alpha = alpha;
    }

    FloatVector apply(FloatVector v) {
      switch (kind) {
        case RELU:
          return v.max(0f);
        case CLIP:
          return v.max(lo).min(hi);
        case LEAKY:
          return v.blend(v.mul(alpha), v.compare(VectorOperators.LT, 0f));
        default:
          return v;
      }
    }

    float apply(float v) {
      switch (kind) {
        case RELU:
          return Math.max(v, 0f);
        case CLIP:
          return Math.min(hi, Math.max(lo, v));
        case LEAKY:
          return v > 0 ? v : alpha * v;
        default:
          return v;
      }
    }

    /** Applies the activation in place to a[off, off + len). */
    void applyInPlace(float[] a, int off, int len) {
      if (kind == NONE) return;
      int i = 0;
      for (int up = S.loopBound(len); i < up; i += L) apply(FloatVector.fromArray(S, a, off + i)).intoArray(a, off + i);
      for (; i < len; i++) a[off + i] = apply(a[off + i]);
    }
  }

  /** Row offsets {0, ldb, 2 ldb, ...} of a row-major B with k rows. */
  static int[] rows(int k, int ldb) {
    int[] r = new int[k];
    for (int p = 0; p < k; p++) r[p] = p * ldb;
    return r;
  }

  /**
   * C[M x N] = act(A * B + rowBias[i] + colBias[j]); A(i, p) = a[aOff + i * lda + p], B(p, j) =
   * b[bOff + bRows[p] + j], C(i, j) = c[cOff + i * ldc + j]. Either bias may be null. B's rows are
   * given by offsets so that a convolution can point them into its (phase-split) input instead of
   * copying receptive fields into an im2col matrix.
   */
  static void gemm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] bRows, float[] c, int cOff, int ldc,
      float[] rowBias, int rbOff, float[] colBias, int cbOff, Act act) {
    int nr = 2 * L;
    int n2 = n - n % nr;
    int n1 = n - n % L;
    int i = 0;
    if (EIGHT_ROWS) {
      for (; i + 8 <= m; i += 8) {
        int a0 = aOff + i * lda;
        int c0 = cOff + i * ldc;
        int j = 0;
        for (; j < n2; j += nr) block8x2(k, a, a0, lda, b, bOff + j, bRows, c, c0 + j, ldc, rowBias, rbOff + i, colBias, cbOff + j);
        // the activation in a second pass over the rows just written (still in L1): inside block8x2 its
        // 16 calls would push C2 past its inlining budget, and un-inlined vector calls box
        if (act.kind != Act.NONE) for (int r = 0; r < 8; r++) act.applyInPlace(c, c0 + r * ldc, n2);
        if (j < n) {
          // the columns left over: as two 4-row blocks
          for (int h = 0; h < 8; h += 4) tail4(i + h, j, n, n1, k, a, aOff, lda, b, bOff, bRows, c, cOff, ldc, rowBias, rbOff, colBias, cbOff, act);
        }
      }
    }
    for (; i + 4 <= m; i += 4) {
      int a0 = aOff + i * lda;
      int c0 = cOff + i * ldc;
      float r0 = 0, r1 = 0, r2 = 0, r3 = 0;
      if (rowBias != null) {
        r0 = rowBias[rbOff + i];
        r1 = rowBias[rbOff + i + 1];
        r2 = rowBias[rbOff + i + 2];
        r3 = rowBias[rbOff + i + 3];
      }
      int j = 0;
      for (; j < n2; j += nr) block4x2(k, a, a0, lda, b, bOff + j, bRows, c, c0 + j, ldc, r0, r1, r2, r3, colBias, cbOff + j, act);
      for (; j < n1; j += L) block4x1(k, a, a0, lda, b, bOff + j, bRows, c, c0 + j, ldc, r0, r1, r2, r3, colBias, cbOff + j, act);
      for (int r = 0; r < 4; r++) {
        scalarTail(j, n, k, a, a0 + r * lda, b, bOff, bRows, c, c0 + r * ldc, rowBias == null ? 0 : rowBias[rbOff + i + r], colBias, cbOff, act);
      }
    }
    for (; i < m; i++) {
      int a0 = aOff + i * lda;
      int c0 = cOff + i * ldc;
      float r0 = rowBias == null ? 0 : rowBias[rbOff + i];
      int j = 0;
      for (; j < n1; j += L) block1x1(k, a, a0, b, bOff + j, bRows, c, c0 + j, r0, colBias, cbOff + j, act);
      scalarTail(j, n, k, a, a0, b, bOff, bRows, c, c0, r0, colBias, cbOff, act);
    }
  }

  /** Columns j0..n of rows i..i+3 (fewer than two vectors' worth). */
  private static void tail4(int i, int j0, int n, int n1, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] bRows, float[] c,
      int cOff, int ldc, float[] rowBias, int rbOff, float[] colBias, int cbOff, Act act) {
    int a0 = aOff + i * lda;
    int c0 = cOff + i * ldc;
    float r0 = 0, r1 = 0, r2 = 0, r3 = 0;
    if (rowBias != null) {
      r0 = rowBias[rbOff + i];
      r1 = rowBias[rbOff + i + 1];
      r2 = rowBias[rbOff + i + 2];
      r3 = rowBias[rbOff + i + 3];
    }
    int j = j0;
    for (; j < n1; j += L) block4x1(k, a, a0, lda, b, bOff + j, bRows, c, c0 + j, ldc, r0, r1, r2, r3, colBias, cbOff + j, act);
    for (int r = 0; r < 4; r++) {
      scalarTail(j, n, k, a, a0 + r * lda, b, bOff, bRows, c, c0 + r * ldc, rowBias == null ? 0 : rowBias[rbOff + i + r], colBias, cbOff, act);
    }
  }

  /**
   * 8 x 2 vectors: 16 accumulators. Used with 16-lane vectors (AVX-512 has 32 vector registers); with
   * 8 lanes (AVX2, 16 registers) it would spill, so the 4-row block is the widest there.
   */
  private static void block8x2(int k, float[] a, int a0, int lda, float[] b, int b0, int[] rows, float[] c, int c0, int ldc,
      float[] rowBias, int rb, float[] colBias, int cb) {
    float r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0, r7 = 0;
    if (rowBias != null) {
      r0 = rowBias[rb];
      r1 = rowBias[rb + 1];
      r2 = rowBias[rb + 2];
      r3 = rowBias[rb + 3];
      r4 = rowBias[rb + 4];
      r5 = rowBias[rb + 5];
      r6 = rowBias[rb + 6];
      r7 = rowBias[rb + 7];
    }
    FloatVector c00 = init(r0, colBias, cb), c01 = init(r0, colBias, cb + L);
    FloatVector c10 = init(r1, colBias, cb), c11 = init(r1, colBias, cb + L);
    FloatVector c20 = init(r2, colBias, cb), c21 = init(r2, colBias, cb + L);
    FloatVector c30 = init(r3, colBias, cb), c31 = init(r3, colBias, cb + L);
    FloatVector c40 = init(r4, colBias, cb), c41 = init(r4, colBias, cb + L);
    FloatVector c50 = init(r5, colBias, cb), c51 = init(r5, colBias, cb + L);
    FloatVector c60 = init(r6, colBias, cb), c61 = init(r6, colBias, cb + L);
    FloatVector c70 = init(r7, colBias, cb), c71 = init(r7, colBias, cb + L);
    int ap = a0;
    for (int p = 0; p < k; p++, ap++) {
      int bo = b0 + rows[p];
      FloatVector v0 = FloatVector.fromArray(S, b, bo), v1 = FloatVector.fromArray(S, b, bo + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.lanewise(VectorOperators.FMA, v0, c00);
      c01 = x.lanewise(VectorOperators.FMA, v1, c01);
      x = FloatVector.broadcast(S, a[ap + lda]);
      c10 = x.lanewise(VectorOperators.FMA, v0, c10);
      c11 = x.lanewise(VectorOperators.FMA, v1, c11);
      x = FloatVector.broadcast(S, a[ap + 2 * lda]);
      c20 = x.lanewise(VectorOperators.FMA, v0, c20);
      c21 = x.lanewise(VectorOperators.FMA, v1, c21);
      x = FloatVector.broadcast(S, a[ap + 3 * lda]);
      c30 = x.lanewise(VectorOperators.FMA, v0, c30);
      c31 = x.lanewise(VectorOperators.FMA, v1, c31);
      x = FloatVector.broadcast(S, a[ap + 4 * lda]);
      c40 = x.lanewise(VectorOperators.FMA, v0, c40);
      c41 = x.lanewise(VectorOperators.FMA, v1, c41);
      x = FloatVector.broadcast(S, a[ap + 5 * lda]);
      c50 = x.lanewise(VectorOperators.FMA, v0, c50);
      c51 = x.lanewise(VectorOperators.FMA, v1, c51);
      x = FloatVector.broadcast(S, a[ap + 6 * lda]);
      c60 = x.lanewise(VectorOperators.FMA, v0, c60);
      c61 = x.lanewise(VectorOperators.FMA, v1, c61);
      x = FloatVector.broadcast(S, a[ap + 7 * lda]);
      c70 = x.lanewise(VectorOperators.FMA, v0, c70);
      c71 = x.lanewise(VectorOperators.FMA, v1, c71);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + L);
    c10.intoArray(c, c0 + ldc);
    c11.intoArray(c, c0 + ldc + L);
    c20.intoArray(c, c0 + 2 * ldc);
    c21.intoArray(c, c0 + 2 * ldc + L);
    c30.intoArray(c, c0 + 3 * ldc);
    c31.intoArray(c, c0 + 3 * ldc + L);
    c40.intoArray(c, c0 + 4 * ldc);
    c41.intoArray(c, c0 + 4 * ldc + L);
    c50.intoArray(c, c0 + 5 * ldc);
    c51.intoArray(c, c0 + 5 * ldc + L);
    c60.intoArray(c, c0 + 6 * ldc);
    c61.intoArray(c, c0 + 6 * ldc + L);
    c70.intoArray(c, c0 + 7 * ldc);
    c71.intoArray(c, c0 + 7 * ldc + L);
  }

  private static FloatVector init(float rb, float[] colBias, int cb) {
    FloatVector v = FloatVector.broadcast(S, rb);
    return colBias == null ? v : v.add(FloatVector.fromArray(S, colBias, cb));
  }

  private static void block4x2(int k, float[] a, int a0, int lda, float[] b, int b0, int[] rows, float[] c, int c0, int ldc,
      float r0, float r1, float r2, float r3, float[] colBias, int cb, Act act) {
    FloatVector c00 = init(r0, colBias, cb), c01 = init(r0, colBias, cb + L);
    FloatVector c10 = init(r1, colBias, cb), c11 = init(r1, colBias, cb + L);
    FloatVector c20 = init(r2, colBias, cb), c21 = init(r2, colBias, cb + L);
    FloatVector c30 = init(r3, colBias, cb), c31 = init(r3, colBias, cb + L);
    int ap = a0;
    for (int p = 0; p < k; p++, ap++) {
      int bo = b0 + rows[p];
      FloatVector v0 = FloatVector.fromArray(S, b, bo), v1 = FloatVector.fromArray(S, b, bo + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.lanewise(VectorOperators.FMA, v0, c00);
      c01 = x.lanewise(VectorOperators.FMA, v1, c01);
      x = FloatVector.broadcast(S, a[ap + lda]);
      c10 = x.lanewise(VectorOperators.FMA, v0, c10);
      c11 = x.lanewise(VectorOperators.FMA, v1, c11);
      x = FloatVector.broadcast(S, a[ap + 2 * lda]);
      c20 = x.lanewise(VectorOperators.FMA, v0, c20);
      c21 = x.lanewise(VectorOperators.FMA, v1, c21);
      x = FloatVector.broadcast(S, a[ap + 3 * lda]);
      c30 = x.lanewise(VectorOperators.FMA, v0, c30);
      c31 = x.lanewise(VectorOperators.FMA, v1, c31);
    }
    act.apply(c00).intoArray(c, c0);
    act.apply(c01).intoArray(c, c0 + L);
    act.apply(c10).intoArray(c, c0 + ldc);
    act.apply(c11).intoArray(c, c0 + ldc + L);
    act.apply(c20).intoArray(c, c0 + 2 * ldc);
    act.apply(c21).intoArray(c, c0 + 2 * ldc + L);
    act.apply(c30).intoArray(c, c0 + 3 * ldc);
    act.apply(c31).intoArray(c, c0 + 3 * ldc + L);
  }

  private static void block4x1(int k, float[] a, int a0, int lda, float[] b, int b0, int[] rows, float[] c, int c0, int ldc,
      float r0, float r1, float r2, float r3, float[] colBias, int cb, Act act) {
    FloatVector c00 = init(r0, colBias, cb), c10 = init(r1, colBias, cb);
    FloatVector c20 = init(r2, colBias, cb), c30 = init(r3, colBias, cb);
    int ap = a0;
    for (int p = 0; p < k; p++, ap++) {
      FloatVector v0 = FloatVector.fromArray(S, b, b0 + rows[p]);
      c00 = FloatVector.broadcast(S, a[ap]).lanewise(VectorOperators.FMA, v0, c00);
      c10 = FloatVector.broadcast(S, a[ap + lda]).lanewise(VectorOperators.FMA, v0, c10);
      c20 = FloatVector.broadcast(S, a[ap + 2 * lda]).lanewise(VectorOperators.FMA, v0, c20);
      c30 = FloatVector.broadcast(S, a[ap + 3 * lda]).lanewise(VectorOperators.FMA, v0, c30);
    }
    act.apply(c00).intoArray(c, c0);
    act.apply(c10).intoArray(c, c0 + ldc);
    act.apply(c20).intoArray(c, c0 + 2 * ldc);
    act.apply(c30).intoArray(c, c0 + 3 * ldc);
  }

  private static void block1x1(int k, float[] a, int a0, float[] b, int b0, int[] rows, float[] c, int c0, float r0, float[] colBias,
      int cb, Act act) {
    FloatVector acc = init(r0, colBias, cb);
    for (int p = 0; p < k; p++) {
      acc = FloatVector.broadcast(S, a[a0 + p]).lanewise(VectorOperators.FMA, FloatVector.fromArray(S, b, b0 + rows[p]), acc);
    }
    act.apply(acc).intoArray(c, c0);
  }

  /** Columns j0..n of one row of C (fewer than a vector), with scalar fused multiply-adds in the same order. */
  private static void scalarTail(int j0, int n, int k, float[] a, int a0, float[] b, int bOff, int[] rows, float[] c, int c0, float rb,
      float[] colBias, int cbOff, Act act) {
    for (int j = j0; j < n; j++) {
      float s = colBias == null ? rb : rb + colBias[cbOff + j];
      for (int p = 0; p < k; p++) s = Math.fma(a[a0 + p], b[bOff + rows[p] + j], s);
      c[c0 + j] = act.apply(s);
    }
  }
}
