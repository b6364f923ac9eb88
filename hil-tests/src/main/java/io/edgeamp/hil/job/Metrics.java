package io.edgeamp.hil.job;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Bit-exactness against the expected outputs, the task metric, and latency statistics. */
public final class Metrics {
  private Metrics() {}

  /** Per-vector outcome as measured. */
  public static final class Measured {
    public final List<Integer> outputs;
    public final List<Long> cycles;
    public final List<Long> us;

    public Measured(List<Integer> outputs, List<Long> cycles, List<Long> us) {
      this.outputs = outputs;
      this.cycles = cycles;
      this.us = us;
    }
  }

  /** Index of the largest output (first on ties), as the twin's argmax does. */
  public static int argmax(List<Integer> out) {
    int best = 0;
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i) > out.get(best)) {
        best = i;
      }
    }
    return best;
  }

  /** Fills verdict, bit_exact, mismatches, metric, latency and per_vector into {@code result}. */
  public static JsonObject evaluate(JobSpec spec, List<Measured> measured, JsonObject result) {
    int compared = 0;
    int mismatches = 0;
    int correct = 0;
    JsonObject firstMismatch = null;
    JsonArray per = new JsonArray();
    List<Long> allCycles = new ArrayList<>();
    List<Long> allUs = new ArrayList<>();
    for (int i = 0; i < measured.size(); i++) {
      JobSpec.Vector v = spec.vectors.get(i);
      Measured m = measured.get(i);
      JsonObject pv = new JsonObject().put("index", i).put("outputs", new JsonArray(m.outputs))
          .put("cycles", new JsonArray(m.cycles)).put("us", new JsonArray(m.us));
      allCycles.addAll(m.cycles);
      allUs.addAll(m.us);
      if (v.expected != null) {
        compared++;
        int bad = firstDifference(m.outputs, v.expected);
        boolean match = bad < 0;
        pv.put("match", match);
        if (!match) {
          mismatches++;
          if (firstMismatch == null) {
            firstMismatch = new JsonObject().put("vector", i).put("element", bad)
                .put("got", bad < m.outputs.size() ? m.outputs.get(bad) : null)
                .put("expected", bad < v.expected.length ? v.expected[bad] : null)
                .put("got_length", m.outputs.size()).put("expected_length", v.expected.length);
          }
        }
      }
      if (v.label != null) {
        int am = argmax(m.outputs);
        pv.put("label", v.label).put("argmax", am);
        if (am == v.label) {
          correct++;
        }
      }
      per.add(pv);
    }
    Boolean bitExact = compared == 0 ? null : mismatches == 0;
    result.put("bit_exact", bitExact).put("compared", compared).put("mismatches", mismatches)
        .put("first_mismatch", firstMismatch);
    double value = "top1".equals(spec.metric) ? (double) correct / measured.size()
        : compared == 0 ? Double.NaN : (double) (compared - mismatches) / compared;
    result.put("metric", new JsonObject().put("name", "top1".equals(spec.metric) ? "top1_accuracy" : "bit_exact_rate")
        .put("value", Double.isNaN(value) ? null : value));
    result.put("verdict", bitExact == null ? "no-reference" : bitExact ? "pass" : "mismatch");
    result.put("latency", new JsonObject().put("cycles", stats(allCycles)).put("us", stats(allUs)));
    result.put("per_vector", per);
    return result;
  }

  static int firstDifference(List<Integer> got, int[] expected) {
    int n = Math.min(got.size(), expected.length);
    for (int k = 0; k < n; k++) {
      if (got.get(k) != expected[k]) {
        return k;
      }
    }
    return got.size() == expected.length ? -1 : n;
  }

  public static JsonObject stats(List<Long> xs) {
    if (xs.isEmpty()) {
      return new JsonObject().put("samples", 0);
    }
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    double sum = 0;
    for (long x : s) {
      sum += x;
    }
    return new JsonObject().put("samples", s.size()).put("min", s.get(0)).put("median", median(s))
        .put("mean", sum / s.size()).put("p95", s.get((int) Math.min(s.size() - 1, Math.ceil(0.95 * s.size()) - 1)))
        .put("max", s.get(s.size() - 1));
  }

  static long median(List<Long> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
