package io.edgeamp.core.metrics;

import io.edgeamp.core.tensor.Tensor;

/**
 * Task metrics on predictions and targets of the same batch. Formulas follow Tensorlab's reports:
 * R^2 = 1 - SS_res / SS_tot over all outputs; SMAPE in percent, 2|y - p| / (|y| + |p|) averaged
 * (terms where both are 0 count as 0); accuracy of the arg-max class.
 */
public final class Metrics {
  private Metrics() {}

  public static double mse(Tensor pred, Tensor target) {
    check(pred, target);
    double s = 0;
    double[] p = pred.data(), t = target.data();
    for (int i = 0; i < p.length; i++) s += (p[i] - t[i]) * (p[i] - t[i]);
    return s / p.length;
  }

  public static double mae(Tensor pred, Tensor target) {
    check(pred, target);
    double s = 0;
    double[] p = pred.data(), t = target.data();
    for (int i = 0; i < p.length; i++) s += Math.abs(p[i] - t[i]);
    return s / p.length;
  }

  public static double r2(Tensor pred, Tensor target) {
    check(pred, target);
    double[] p = pred.data(), t = target.data();
    double mean = 0;
    for (double v : t) mean += v;
    mean /= t.length;
    double res = 0, tot = 0;
    for (int i = 0; i < p.length; i++) {
      res += (t[i] - p[i]) * (t[i] - p[i]);
      tot += (t[i] - mean) * (t[i] - mean);
    }
    return tot == 0 ? (res == 0 ? 1 : Double.NEGATIVE_INFINITY) : 1 - res / tot;
  }

  public static double smapePercent(Tensor pred, Tensor target) {
    check(pred, target);
    double[] p = pred.data(), t = target.data();
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      double den = Math.abs(t[i]) + Math.abs(p[i]);
      if (den > 0) s += 2 * Math.abs(t[i] - p[i]) / den;
    }
    return 100 * s / p.length;
  }

  /** Fraction of rows of logits [N, K] whose arg-max equals the class index in labels [N]. */
  public static double accuracy(Tensor logits, Tensor labels) {
    int n = logits.dim(0), k = logits.size() / n;
    if (labels.size() != n) throw new IllegalArgumentException("accuracy: " + n + " predictions, " + labels.size() + " labels");
    int correct = 0;
    for (int i = 0; i < n; i++) if (argmax(logits.data(), i * k, k) == (int) labels.data()[i]) correct++;
    return (double) correct / n;
  }

  /** Confusion matrix counts[true][predicted]. */
  public static int[][] confusion(Tensor logits, Tensor labels, int classes) {
    int n = logits.dim(0), k = logits.size() / n;
    int[][] m = new int[classes][classes];
    for (int i = 0; i < n; i++) m[(int) labels.data()[i]][argmax(logits.data(), i * k, k)]++;
    return m;
  }

  /** Per-sample mean squared reconstruction error of an autoencoder. */
  public static double[] reconstructionErrors(Tensor recon, Tensor input) {
    check(recon, input);
    int n = input.dim(0), per = input.size() / n;
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < per; j++) {
        double d = recon.data()[i * per + j] - input.data()[i * per + j];
        s += d * d;
      }
      e[i] = s / per;
    }
    return e;
  }

  /** Area under the ROC curve of scores against 0/1 labels (Mann-Whitney, ties counted half). */
  public static double rocAuc(double[] scores, int[] labels) {
    long pos = 0, neg = 0;
    for (int l : labels) if (l != 0) pos++; else neg++;
    if (pos == 0 || neg == 0) return Double.NaN;
    double wins = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] == 0) continue;
      for (int j = 0; j < scores.length; j++) {
        if (labels[j] != 0) continue;
        if (scores[i] > scores[j]) wins += 1;
        else if (scores[i] == scores[j]) wins += 0.5;
      }
    }
    return wins / (pos * neg);
  }

  private static int argmax(double[] d, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) if (d[off + j] > d[off + best]) best = j;
    return best;
  }

  private static void check(Tensor a, Tensor b) {
    if (a.size() != b.size()) throw new IllegalArgumentException("predictions have " + a.size() + " values, targets " + b.size());
  }
}
