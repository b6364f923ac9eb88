package io.edgeamp.hil.suite;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** One case's outcome: pass, fail (a threshold or bit-exactness), or error (build, board, timeout). */
public final class CaseResult {
  public final Suite.Case c;
  public String status = "error";
  public final List<String> failures = new ArrayList<>();
  public String error;
  public String job;
  public JsonObject result;
  public double seconds;

  CaseResult(Suite.Case c) {
    this.c = c;
  }

  public Long median() {
    return latency("median");
  }

  public Long p95() {
    return latency("p95");
  }

  private Long latency(String k) {
    if (result == null || result.getJsonObject("latency") == null) {
      return null;
    }
    return result.getJsonObject("latency").getJsonObject("cycles").getLong(k);
  }

  public Double metric() {
    return result == null || result.getJsonObject("metric") == null ? null : result.getJsonObject("metric").getDouble("value");
  }

  public String unit() {
    return result == null ? null : result.getString("unit");
  }

  /** Checks the result against the case's thresholds; fills status and failures. */
  void evaluate() {
    Suite.Thresholds t = c.thresholds;
    if (!"done".equals(result.getString("state"))) {
      status = "error";
      error = "job failed: " + result.getString("error");
      return;
    }
    if (c.entry.model != null && !c.entry.model.equals(result.getString("model"))) {
      failures.add("model: firmware reports " + result.getString("model") + ", suite expects " + c.entry.model);
    }
    Boolean bitExact = result.getBoolean("bit_exact");
    if (Boolean.TRUE.equals(t.bitExact) && !Boolean.TRUE.equals(bitExact)) {
      failures.add("bit-exact: " + result.getInteger("mismatches") + " of " + result.getInteger("compared")
          + " vectors differ from the reference; first " + result.getValue("first_mismatch"));
    }
    if (t.maxMismatches != null && result.getInteger("mismatches", 0) > t.maxMismatches) {
      failures.add("mismatches " + result.getInteger("mismatches") + " > " + t.maxMismatches);
    }
    Double m = metric();
    if (t.metricMin != null && (m == null || m < t.metricMin)) {
      failures.add(result.getJsonObject("metric").getString("name") + " " + m + " < " + t.metricMin);
    }
    Long med = median();
    if (t.latencyMedianMax != null && (med == null || med > t.latencyMedianMax)) {
      failures.add("latency median " + med + " " + unit() + " > " + t.latencyMedianMax);
    }
    Long p = p95();
    if (t.latencyP95Max != null && (p == null || p > t.latencyP95Max)) {
      failures.add("latency p95 " + p + " " + unit() + " > " + t.latencyP95Max);
    }
    status = failures.isEmpty() ? "pass" : "fail";
  }
}
