package io.edgeamp.core.engine;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise loops on the Vector API where the JIT does not vectorise plain Java (Math.max on
 * doubles keeps its NaN and signed-zero branches). Same results as the scalar definitions for
 * ordinary numbers.
 */
final class VectorOps {
  private VectorOps() {}

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

  /** y[yOff + i] = max(y[yOff + i], x[xOff + i]) for i in [0, len). */
  static void maxInto(double[] y, int yOff, double[] x, int xOff, int len) {
    int i = 0;
    for (int up = S.loopBound(len); i < up; i += S.length()) {
      DoubleVector.fromArray(S, y, yOff + i).lanewise(VectorOperators.MAX, DoubleVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
    }
    for (; i < len; i++) y[yOff + i] = Math.max(y[yOff + i], x[xOff + i]);
  }

  /** y[i] = max(x[i], 0). */
  static void relu(double[] x, double[] y) {
    int i = 0;
    DoubleVector zero = DoubleVector.zero(S);
    for (int up = S.loopBound(x.length); i < up; i += S.length()) {
      DoubleVector.fromArray(S, x, i).lanewise(VectorOperators.MAX, zero).intoArray(y, i);
    }
    for (; i < x.length; i++) y[i] = Math.max(x[i], 0.0);
  }

  /** y[off + i] = x[off + i] * a + b for i in [0, len). */
  static void affine(double[] x, double[] y, int off, int len, double a, double b) {
    int i = 0;
    DoubleVector va = DoubleVector.broadcast(S, a), vb = DoubleVector.broadcast(S, b);
    for (int up = S.loopBound(len); i < up; i += S.length()) {
      DoubleVector.fromArray(S, x, off + i).lanewise(VectorOperators.FMA, va, vb).intoArray(y, off + i);
    }
    for (; i < len; i++) y[off + i] = Math.fma(x[off + i], a, b);
  }
}
