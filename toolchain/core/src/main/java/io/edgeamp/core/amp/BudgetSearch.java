package io.edgeamp.core.amp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Binary search for the smallest average-bit budget whose quantized model passes the task's
 * tolerance. Budgets are snapped to a grid ({@code step}, default 0.25 bits) and the search stops
 * when the interval is no wider than one step. The metric is assumed to improve with the budget;
 * every probe is kept for the report's metric-against-bits plot.
 */
public final class BudgetSearch {
  private BudgetSearch() {}

  /** One evaluated budget: the requested budget, the average bits actually allocated, the metric, pass or not. */
  public record Probe<A>(double budget, double averageBits, double metric, boolean passed, A allocation) {}

  /** The chosen probe (the smallest passing budget, or the largest budget if none passes) and every probe made. */
  public record Outcome<A>(Probe<A> chosen, boolean toleranceMet, List<Probe<A>> probes) {}

  public static <A> Outcome<A> search(double lo, double hi, double step, DoubleFunction<Probe<A>> evaluate) {
    if (!(step > 0)) throw new IllegalArgumentException("budget search step must be > 0, got " + step);
    List<Probe<A>> probes = new ArrayList<>();
    lo = snap(lo, step);
    hi = snap(hi, step);
    Probe<A> top = evaluate.apply(hi);
    probes.add(top);
    if (!top.passed()) return new Outcome<>(top, false, probes);
    Probe<A> bottom = evaluate.apply(lo);
    probes.add(bottom);
    if (bottom.passed()) return new Outcome<>(bottom, true, probes);
    Probe<A> best = top;
    // Invariant: lo fails, hi passes.
    while (hi - lo > step + 1e-9) {
      double mid = snap((lo + hi) / 2, step);
      if (mid <= lo || mid >= hi) break;
      Probe<A> p = evaluate.apply(mid);
      probes.add(p);
      if (p.passed()) {
        hi = mid;
        best = p;
      } else {
        lo = mid;
      }
    }
    return new Outcome<>(best, true, probes);
  }

  static double snap(double bits, double step) {
    return Math.round(bits / step) * step;
  }
}
