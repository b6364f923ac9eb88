package io.edgeamp.core.engine;

import io.edgeamp.core.tensor.Tensor;

/** A training loss on the model output, with the derivatives the engine needs. */
public interface Loss {
  /** The loss value (a mean over the batch). */
  double value(Tensor output, Tensor target);

  /** dL/d(output). */
  Tensor gradient(Tensor output, Tensor target);

  /** d2L/d(output)2 applied to {@code direction} (the loss's part of a Hessian-vector product). */
  Tensor hessianTimes(Tensor output, Tensor target, Tensor direction);

  /** Mean squared error over all elements, as PyTorch's MSELoss. */
  Loss MSE = new Loss() {
    @Override
    public double value(Tensor y, Tensor t) {
      check(y, t);
      double s = 0;
      double[] a = y.data(), b = t.data();
      for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
      return s / a.length;
    }

    @Override
    public Tensor gradient(Tensor y, Tensor t) {
      check(y, t);
      double[] a = y.data(), b = t.data(), g = new double[a.length];
      for (int i = 0; i < a.length; i++) g[i] = 2 * (a[i] - b[i]) / a.length;
      return new Tensor(y.shape(), g);
    }

    @Override
    public Tensor hessianTimes(Tensor y, Tensor t, Tensor d) {
      double[] dd = d.data(), r = new double[dd.length];
      for (int i = 0; i < dd.length; i++) r[i] = 2 * dd[i] / dd.length;
      return new Tensor(y.shape(), r);
    }

    private void check(Tensor y, Tensor t) {
      if (y.size() != t.size()) {
        throw new EngineException("MSE: output has " + y.size() + " values per batch, target " + t.size());
      }
    }

    @Override
    public String toString() {
      return "mse";
    }
  };

  /**
   * Cross-entropy on logits [N, K] against class indices [N] (stored as doubles), mean over the batch,
   * as PyTorch's CrossEntropyLoss. The softmax is part of the loss, so the model outputs logits.
   */
  Loss CROSS_ENTROPY = new Loss() {
    private double[] softmaxRow(double[] z, int off, int k) {
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) m = Math.max(m, z[off + j]);
      double[] p = new double[k];
      double s = 0;
      for (int j = 0; j < k; j++) {
        p[j] = Math.exp(z[off + j] - m);
        s += p[j];
      }
      for (int j = 0; j < k; j++) p[j] /= s;
      return p;
    }

    private int label(Tensor t, int n, int k) {
      double v = t.data()[n];
      int c = (int) v;
      if (c != v || c < 0 || c >= k) throw new EngineException("cross-entropy: target " + v + " of sample " + n + " is not a class index in [0, " + k + ")");
      return c;
    }

    @Override
    public double value(Tensor y, Tensor t) {
      int n = y.dim(0), k = y.size() / n;
      double s = 0;
      for (int i = 0; i < n; i++) s -= Math.log(Math.max(softmaxRow(y.data(), i * k, k)[label(t, i, k)], Double.MIN_NORMAL));
      return s / n;
    }

    @Override
    public Tensor gradient(Tensor y, Tensor t) {
      int n = y.dim(0), k = y.size() / n;
      double[] g = new double[y.size()];
      for (int i = 0; i < n; i++) {
        double[] p = softmaxRow(y.data(), i * k, k);
        int c = label(t, i, k);
        for (int j = 0; j < k; j++) g[i * k + j] = (p[j] - (j == c ? 1 : 0)) / n;
      }
      return new Tensor(y.shape(), g);
    }

    @Override
    public Tensor hessianTimes(Tensor y, Tensor t, Tensor d) {
      int n = y.dim(0), k = y.size() / n;
      double[] r = new double[y.size()], dd = d.data();
      for (int i = 0; i < n; i++) {
        double[] p = softmaxRow(y.data(), i * k, k);
        double pd = 0;
        for (int j = 0; j < k; j++) pd += p[j] * dd[i * k + j];
        for (int j = 0; j < k; j++) r[i * k + j] = p[j] * (dd[i * k + j] - pd) / n;
      }
      return new Tensor(y.shape(), r);
    }

    @Override
    public String toString() {
      return "cross-entropy";
    }
  };
}
