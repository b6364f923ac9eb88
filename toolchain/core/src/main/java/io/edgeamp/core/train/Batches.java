package io.edgeamp.core.train;

import io.edgeamp.core.tensor.Tensor;

/** Row (sample) selection along the batch axis. */
public final class Batches {
  private Batches() {}

  /** Rows order[from..to) of t, in that order. */
  public static Tensor rows(Tensor t, int[] order, int from, int to) {
    int per = t.size() / t.dim(0);
    double[] out = new double[(to - from) * per];
    for (int i = from; i < to; i++) System.arraycopy(t.data(), order[i] * per, out, (i - from) * per, per);
    int[] s = t.shape();
    s[0] = to - from;
    return new Tensor(s, out);
  }

  /** Rows from..to of t. */
  public static Tensor slice(Tensor t, int from, int to) {
    int per = t.size() / t.dim(0);
    double[] out = new double[(to - from) * per];
    System.arraycopy(t.data(), from * per, out, 0, out.length);
    int[] s = t.shape();
    s[0] = to - from;
    return new Tensor(s, out);
  }
}
