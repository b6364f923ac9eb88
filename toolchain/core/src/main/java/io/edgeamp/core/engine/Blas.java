package io.edgeamp.core.engine;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense matrix products the engine needs, on row-major double arrays with offsets.
 *
 * <p>Written by hand rather than taken from a library: the matrices are small (tens to a few hundred
 * rows), a JNI BLAS call costs more than it saves, and ojAlgo's products allocate. The core is a
 * register-blocked micro-kernel on the JDK Vector API: a 4 x 8 block of C stays in eight 256-bit
 * registers while the k loop streams a row of B and broadcasts four elements of A, so every loaded
 * value feeds several fused multiply-adds (about 5x the throughput of auto-vectorised loops here).
 * FMA rounds once, so results differ from a naive loop in the last bits; they are still
 * deterministic for a given shape.
 */
final class Blas {
  private Blas() {}

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

  /** C[M x N] (+)= A[M x K] * B[K x N]; lda, ldb, ldc are row strides. */
  static void gemmNN(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
      double[] c, int cOff, int ldc, boolean accumulate) {
    gemm(m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, accumulate);
  }

  /** C[M x N] (+)= A^T * B with A stored [K x M] and B [K x N]. */
  static void gemmTN(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
      double[] c, int cOff, int ldc, boolean accumulate) {
    gemm(m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
  }

  /**
   * C[M x N] (+)= A * B^T with A stored [M x K] and B [N x K], by transposing B into {@code scratch}
   * (at least K*N long) so the micro-kernel streams rows.
   */
  static void gemmNT(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
      double[] c, int cOff, int ldc, boolean accumulate, double[] scratch) {
    for (int j = 0; j < n; j++) {
      int bRow = bOff + j * ldb;
      for (int p = 0; p < k; p++) scratch[p * n + j] = b[bRow + p];
    }
    gemmNN(m, n, k, a, aOff, lda, scratch, 0, n, c, cOff, ldc, accumulate);
  }

  /** A(i, p) = a[aOff + i * ars + p * acs]. */
  private static void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs, double[] b, int bOff, int ldb,
      double[] c, int cOff, int ldc, boolean accumulate) {
    if (!accumulate) zero(c, cOff, m, n, ldc);
    int n8 = n - n % 8;
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int a0 = aOff + i * ars;
      for (int j = 0; j < n8; j += 8) block4x8(k, a, a0, ars, acs, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
      for (int r = 0; r < 4; r++) tail(n8, n, k, a, a0 + r * ars, acs, b, bOff, ldb, c, cOff + (i + r) * ldc);
    }
    for (; i < m; i++) {
      int a0 = aOff + i * ars;
      for (int j = 0; j < n8; j += 8) block1x8(k, a, a0, acs, b, bOff + j, ldb, c, cOff + i * ldc + j);
      tail(n8, n, k, a, a0, acs, b, bOff, ldb, c, cOff + i * ldc);
    }
  }

  private static void block4x8(int k, double[] a, int a0, int ars, int acs, double[] b, int b0, int ldb, double[] c, int c0, int ldc) {
    DoubleVector c00 = DoubleVector.fromArray(S, c, c0), c01 = DoubleVector.fromArray(S, c, c0 + 4);
    DoubleVector c10 = DoubleVector.fromArray(S, c, c0 + ldc), c11 = DoubleVector.fromArray(S, c, c0 + ldc + 4);
    DoubleVector c20 = DoubleVector.fromArray(S, c, c0 + 2 * ldc), c21 = DoubleVector.fromArray(S, c, c0 + 2 * ldc + 4);
    DoubleVector c30 = DoubleVector.fromArray(S, c, c0 + 3 * ldc), c31 = DoubleVector.fromArray(S, c, c0 + 3 * ldc + 4);
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      int ap = a0 + p * acs;
      DoubleVector v0 = DoubleVector.fromArray(S, b, bo), v1 = DoubleVector.fromArray(S, b, bo + 4);
      DoubleVector x = DoubleVector.broadcast(S, a[ap]);
      c00 = x.lanewise(VectorOperators.FMA, v0, c00);
      c01 = x.lanewise(VectorOperators.FMA, v1, c01);
      x = DoubleVector.broadcast(S, a[ap + ars]);
      c10 = x.lanewise(VectorOperators.FMA, v0, c10);
      c11 = x.lanewise(VectorOperators.FMA, v1, c11);
      x = DoubleVector.broadcast(S, a[ap + 2 * ars]);
      c20 = x.lanewise(VectorOperators.FMA, v0, c20);
      c21 = x.lanewise(VectorOperators.FMA, v1, c21);
      x = DoubleVector.broadcast(S, a[ap + 3 * ars]);
      c30 = x.lanewise(VectorOperators.FMA, v0, c30);
      c31 = x.lanewise(VectorOperators.FMA, v1, c31);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + 4);
    c10.intoArray(c, c0 + ldc);
    c11.intoArray(c, c0 + ldc + 4);
    c20.intoArray(c, c0 + 2 * ldc);
    c21.intoArray(c, c0 + 2 * ldc + 4);
    c30.intoArray(c, c0 + 3 * ldc);
    c31.intoArray(c, c0 + 3 * ldc + 4);
  }

  private static void block1x8(int k, double[] a, int a0, int acs, double[] b, int b0, int ldb, double[] c, int c0) {
    DoubleVector c00 = DoubleVector.fromArray(S, c, c0), c01 = DoubleVector.fromArray(S, c, c0 + 4);
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + p * acs]);
      c00 = x.lanewise(VectorOperators.FMA, DoubleVector.fromArray(S, b, bo), c00);
      c01 = x.lanewise(VectorOperators.FMA, DoubleVector.fromArray(S, b, bo + 4), c01);
    }
    c00.intoArray(c, c0);
    c01.intoArray(c, c0 + 4);
  }

  /** Columns j0..n of one row of C (fewer than 8), with scalar fused multiply-adds. */
  private static void tail(int j0, int n, int k, double[] a, int a0, int acs, double[] b, int bOff, int ldb, double[] c, int c0) {
    for (int j = j0; j < n; j++) {
      double s = c[c0 + j];
      for (int p = 0; p < k; p++) s = Math.fma(a[a0 + p * acs], b[bOff + p * ldb + j], s);
      c[c0 + j] = s;
    }
  }

  private static void zero(double[] c, int off, int m, int n, int ldc) {
    for (int i = 0; i < m; i++) java.util.Arrays.fill(c, off + i * ldc, off + i * ldc + n, 0.0);
  }
}
