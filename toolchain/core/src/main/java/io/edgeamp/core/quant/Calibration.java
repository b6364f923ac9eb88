package io.edgeamp.core.quant;

import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.engine.Pass;
import io.edgeamp.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Observed activation ranges of a plan's device tensors over a calibration batch, run through the
 * float engine (the plan's BN-folded graph, double precision). The range of a tensor is the max
 * |x| of its float value (after the fused activation), or the p-th percentile of |x| (a 4096-bin
 * histogram over [0, max|x|], upper bin edge). Scales follow at {@link QuantizedModel#build} time
 * (range / 127 for int8, range / 255 for uint8), so one calibration serves every bit allocation.
 */
public final class Calibration {
  public enum Method { MAX_ABS, PERCENTILE }

  static final int BINS = 4096;
  static final int CHUNK = 128;

  private final Method method;
  private final double percentile;
  private final int samples;
  private final Map<String, Double> ranges;

  private Calibration(Method method, double percentile, int samples, Map<String, Double> ranges) {
    this.method = method;
    this.percentile = percentile;
    this.samples = samples;
    this.ranges = Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
  }

  /** Max-abs calibration on {@code batch} ([N, ...] as the graph input, dataset-normalized). */
  public static Calibration run(QuantPlan plan, Tensor batch) {
    return run(plan, batch, Method.MAX_ABS, 100);
  }

  /** Calibration with the given method; {@code percentile} in (0, 100] is used by PERCENTILE. */
  public static Calibration run(QuantPlan plan, Tensor batch, Method method, double percentile) {
    if (!(percentile > 0 && percentile <= 100)) throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
    int n = batch.dim(0);
    if (n < 1) throw new IllegalArgumentException("calibration needs at least one sample");
    FloatEngine engine = FloatEngine.compile(plan.floatGraph());
    Map<String, String> valueOf = new LinkedHashMap<>();
    for (QuantPlan.PlannedTensor t : plan.tensors().values()) if (t.scaleFrom() == null) valueOf.put(t.name(), t.calibrationValue());
    Map<String, Double> max = new LinkedHashMap<>();
    for (String t : valueOf.keySet()) max.put(t, 0.0);
    forChunks(engine, batch, p -> {
      for (var e : valueOf.entrySet()) max.merge(e.getKey(), p.value(e.getValue()).maxAbs(), Math::max);
    });
    Map<String, Double> ranges = new LinkedHashMap<>(max);
    if (method == Method.PERCENTILE && percentile < 100) {
      Map<String, long[]> hist = new LinkedHashMap<>();
      for (String t : valueOf.keySet()) hist.put(t, new long[BINS]);
      forChunks(engine, batch, p -> {
        for (var e : valueOf.entrySet()) {
          double m = max.get(e.getKey());
          if (m == 0) continue;
          long[] h = hist.get(e.getKey());
          for (double v : p.value(e.getValue()).data()) h[Math.min(BINS - 1, (int) (Math.abs(v) / m * BINS))]++;
        }
      });
      for (var e : hist.entrySet()) {
        double m = max.get(e.getKey());
        if (m == 0) continue;
        long total = Arrays.stream(e.getValue()).sum();
        long need = (long) Math.ceil(total * percentile / 100.0), seen = 0;
        int bin = 0;
        for (; bin < BINS; bin++) {
          seen += e.getValue()[bin];
          if (seen >= need) break;
        }
        ranges.put(e.getKey(), m * Math.min(BINS, bin + 1) / BINS);
      }
    }
    return new Calibration(method, percentile, n, ranges);
  }

  private interface PassBody {
    void accept(Pass p);
  }

  private static void forChunks(FloatEngine engine, Tensor batch, PassBody body) {
    int n = batch.dim(0);
    int[] shape = batch.shape();
    int per = batch.size() / n;
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      shape[0] = to - from;
      Tensor chunk = new Tensor(shape.clone(), Arrays.copyOfRange(batch.data(), from * per, to * per));
      body.accept(engine.forward(chunk, false, false));
    }
  }

  /** Calibration from known ranges (tests, or ranges read back from elsewhere). */
  public static Calibration ofRanges(Map<String, Double> ranges, int samples) {
    return new Calibration(Method.MAX_ABS, 100, samples, ranges);
  }

  public Method method() {
    return method;
  }

  public double percentile() {
    return percentile;
  }

  public int samples() {
    return samples;
  }

  /** Observed range of each tensor with its own scale (tensors that share a scale are absent). */
  public Map<String, Double> ranges() {
    return ranges;
  }

  public double range(String tensor) {
    Double r = ranges.get(tensor);
    if (r == null) throw new IllegalArgumentException("no calibration range for tensor '" + tensor + "'");
    return r;
  }
}
