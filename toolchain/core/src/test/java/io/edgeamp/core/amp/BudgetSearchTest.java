package io.edgeamp.core.amp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.data.Task;
import org.junit.jupiter.api.Test;

class BudgetSearchTest {
  /** A metric that passes from {@code threshold} bits up. */
  private static BudgetSearch.Outcome<String> searchWithThreshold(double threshold, double lo, double hi) {
    return BudgetSearch.search(lo, hi, 0.25, b -> new BudgetSearch.Probe<>(b, b, b, b >= threshold, "alloc@" + b));
  }

  @Test
  void findsTheSmallestPassingBudgetOnTheGrid() {
    for (double t = 4.0; t <= 8.0; t += 0.25) {
      var o = searchWithThreshold(t, 4, 8);
      assertTrue(o.toleranceMet());
      assertEquals(t, o.chosen().budget(), 1e-12, "threshold " + t);
      // log2(16 intervals) + the two ends
      assertTrue(o.probes().size() <= 7, o.probes().size() + " probes for threshold " + t);
    }
  }

  @Test
  void reportsWhenEvenTheLargestBudgetFails() {
    var o = searchWithThreshold(9, 4, 8);
    assertFalse(o.toleranceMet());
    assertEquals(8, o.chosen().budget());
    assertEquals(1, o.probes().size());
  }

  @Test
  void tolerancesFollowTheTaskMetricDirection() {
    TaskTolerance cls = TaskTolerance.defaults(Task.CLASSIFICATION);
    assertTrue(cls.passes(0.951, 1.0));
    assertFalse(cls.passes(0.949, 1.0));
    TaskTolerance ad = TaskTolerance.defaults(Task.ANOMALY);
    assertTrue(ad.passes(2.9, 1.0));
    assertFalse(ad.passes(3.1, 1.0));
    assertFalse(ad.passes(Double.NaN, 1.0));
  }

  @Test
  void tolerancesOutsideTheirRangeAreRejectedByName() {
    var e = assertThrows(IllegalArgumentException.class, () -> TaskTolerance.defaults(Task.REGRESSION).withTolerance(1.5));
    assertTrue(e.getMessage().contains("autoquant_tolerance_regression"), e.getMessage());
    var f = assertThrows(IllegalArgumentException.class, () -> TaskTolerance.defaults(Task.FORECASTING).withTolerance(-1));
    assertTrue(f.getMessage().contains("autoquant_tolerance_forecasting"), f.getMessage());
  }
}
