package io.edgeamp.core.engine;

/**
 * The few dense matrix products the engine needs, on row-major double arrays with offsets.
 *
 * <p>Written by hand rather than taken from a BLAS library: the matrices here are small (tens to a
 * few hundred rows) and a JNI BLAS call costs more than it saves; ojAlgo's products allocate. Every
 * inner loop is an "axpy" over a contiguous row ({@code c[j] += a * b[j]}), the form the JIT
 * vectorises; dot-product forms are avoided because floating-point reductions are not vectorised.
 */
final class Blas {
  private Blas() {}

  /** Columns processed per block so that a C row block and the B rows it touches stay in cache. */
  private static final int COL_BLOCK = 512;

  /** C[M x N] (+)= A[M x K] * B[K x N]; lda, ldb, ldc are row strides. */
  static void gemmNN(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
      double[] c, int cOff, int ldc, boolean accumulate) {
    if (!accumulate) zero(c, cOff, m, n, ldc);
    for (int j0 = 0; j0 < n; j0 += COL_BLOCK) {
      int j1 = Math.min(n, j0 + COL_BLOCK);
      for (int i = 0; i < m; i++) {
        int cRow = cOff + i * ldc;
        int aRow = aOff + i * lda;
        for (int p = 0; p < k; p++) {
          double av = a[aRow + p];
          if (av == 0) continue;
          int bRow = bOff + p * ldb;
          for (int j = j0; j < j1; j++) c[cRow + j] += av * b[bRow + j];
        }
      }
    }
  }

  /** C[M x N] (+)= A^T * B with A stored [K x M] and B [K x N]. */
  static void gemmTN(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
      double[] c, int cOff, int ldc, boolean accumulate) {
    if (!accumulate) zero(c, cOff, m, n, ldc);
    for (int j0 = 0; j0 < n; j0 += COL_BLOCK) {
      int j1 = Math.min(n, j0 + COL_BLOCK);
      for (int p = 0; p < k; p++) {
        int aRow = aOff + p * lda;
        int bRow = bOff + p * ldb;
        for (int i = 0; i < m; i++) {
          double av = a[aRow + i];
          if (av == 0) continue;
          int cRow = cOff + i * ldc;
          for (int j = j0; j < j1; j++) c[cRow + j] += av * b[bRow + j];
        }
      }
    }
  }

  /**
   * C[M x N] (+)= A * B^T with A stored [M x K] and B [N x K]. Implemented as A * (B^T) after
   * transposing B into {@code scratch} (at least K*N long), to keep the inner loop an axpy.
   */
  static void gemmNT(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
      double[] c, int cOff, int ldc, boolean accumulate, double[] scratch) {
    for (int j = 0; j < n; j++) {
      int bRow = bOff + j * ldb;
      for (int p = 0; p < k; p++) scratch[p * n + j] = b[bRow + p];
    }
    gemmNN(m, n, k, a, aOff, lda, scratch, 0, n, c, cOff, ldc, accumulate);
  }

  private static void zero(double[] c, int off, int m, int n, int ldc) {
    for (int i = 0; i < m; i++) java.util.Arrays.fill(c, off + i * ldc, off + i * ldc + n, 0.0);
  }

  static void axpy(int n, double a, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) y[yOff + i] += a * x[xOff + i];
  }
}
