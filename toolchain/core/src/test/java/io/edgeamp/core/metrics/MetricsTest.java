package io.edgeamp.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgeamp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Hand-computed values for each metric. */
class MetricsTest {
  private static Tensor t(double... v) {
    return new Tensor(new int[] {v.length}, v);
  }

  @Test
  void regressionMetrics() {
    Tensor y = t(1, 2, 3, 4), p = t(1, 2, 3, 5);
    assertEquals(0.25, Metrics.mse(p, y), 1e-15);
    assertEquals(0.25, Metrics.mae(p, y), 1e-15);
    // SS_tot = 5, SS_res = 1
    assertEquals(0.8, Metrics.r2(p, y), 1e-15);
    // one term 2*1/9, the rest 0, mean over 4, percent
    assertEquals(100 * (2.0 / 9) / 4, Metrics.smapePercent(p, y), 1e-12);
  }

  @Test
  void classificationMetrics() {
    Tensor logits = new Tensor(new int[] {3, 2}, new double[] {2, 1, 0, 3, 5, 4});
    Tensor labels = t(0, 1, 1);
    assertEquals(2.0 / 3, Metrics.accuracy(logits, labels), 1e-15);
    int[][] c = Metrics.confusion(logits, labels, 2);
    assertArrayEquals(new int[] {1, 0}, c[0]);
    assertArrayEquals(new int[] {1, 1}, c[1]);
  }

  @Test
  void anomalyMetrics() {
    assertEquals(0.75, Metrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}), 1e-15);
    Tensor in = new Tensor(new int[] {2, 2}, new double[] {0, 0, 1, 1});
    Tensor rec = new Tensor(new int[] {2, 2}, new double[] {1, 1, 1, 3});
    assertArrayEquals(new double[] {1, 2}, Metrics.reconstructionErrors(rec, in), 1e-15);
  }
}
