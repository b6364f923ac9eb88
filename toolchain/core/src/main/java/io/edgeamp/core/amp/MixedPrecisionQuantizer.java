package io.edgeamp.core.amp;

import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.board.NpuSpec;
import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.Split;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.engine.BatchNormFolding;
import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.metrics.Metrics;
import io.edgeamp.core.metrics.TaskEvaluation;
import io.edgeamp.core.quant.Calibration;
import io.edgeamp.core.quant.QuantPlan;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import io.edgeamp.core.quant.alloc.Allocation;
import io.edgeamp.core.quant.alloc.AllocationConstraints;
import io.edgeamp.core.quant.alloc.Allocators;
import io.edgeamp.core.quant.alloc.BitAllocator;
import io.edgeamp.core.quant.alloc.InfeasibleAllocationException;
import io.edgeamp.core.quant.alloc.LayerCandidate;
import io.edgeamp.core.report.QuantizationReport;
import io.edgeamp.core.sensitivity.LayerSensitivity;
import io.edgeamp.core.sensitivity.SensitivityAnalysis;
import io.edgeamp.core.tensor.Tensor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Automatic mixed precision, end to end: fold BatchNorm, measure each layer's Hessian sensitivity,
 * allocate bit widths from {2, 4, 8, 32} under an average-bit budget, binary-search the budget until
 * the task metric of the integer model (the device-exact Java twin) stays within tolerance of the
 * float model, then try moving 32-bit layers to 8 bits, least sensitive first.
 */
public final class MixedPrecisionQuantizer {
  private MixedPrecisionQuantizer() {}

  /** What to do; {@link #defaults(Task)} gives Tensorlab's settings. */
  /**
   * @param board the board profile, or null for a generic target
   * @param maxLatency a limit on the estimated inference time in the board's timer unit (board cost table), or 0 for none
   */
  public record Settings(String allocator, SensitivityAnalysis.Settings sensitivity, TaskTolerance tolerance, double step,
      int calibrationWindows, TargetSpec target, BoardProfile board, int qatEpochs, long maxLatency, MeasuredLatency measuredLatency) {
    public static Settings defaults(Task task) {
      return new Settings(Allocators.DEFAULT_NAME, SensitivityAnalysis.Settings.defaults(), TaskTolerance.defaults(task), 0.25, 128,
          TargetSpec.GENERIC, null, 0, 0, null);
    }

    NpuSpec npu() {
      return board == null ? null : board.npu();
    }

    public Settings withAllocator(String a) {
      return new Settings(a, sensitivity, tolerance, step, calibrationWindows, target, board, qatEpochs, maxLatency, measuredLatency);
    }

    public Settings withSensitivity(SensitivityAnalysis.Settings s) {
      return new Settings(allocator, s, tolerance, step, calibrationWindows, target, board, qatEpochs, maxLatency, measuredLatency);
    }

    public Settings withTolerance(TaskTolerance t) {
      return new Settings(allocator, sensitivity, t, step, calibrationWindows, target, board, qatEpochs, maxLatency, measuredLatency);
    }

    /** The board: its requantization and widths, and its NPU limits (layers it cannot run go to the CPU). */
    public Settings withBoard(BoardProfile board) {
      return new Settings(allocator, sensitivity, tolerance, step, calibrationWindows, TargetSpec.of(board), board, qatEpochs, maxLatency, measuredLatency);
    }

    /** Quantization-aware fine-tuning epochs, used when post-training quantization misses the tolerance. */
    public Settings withQatEpochs(int epochs) {
      return new Settings(allocator, sensitivity, tolerance, step, calibrationWindows, target, board, epochs, maxLatency, measuredLatency);
    }

    /** Limit the estimated latency (board cost table, timer unit) the allocation may reach. */
    public Settings withMaxLatency(long limit) {
      return new Settings(allocator, sensitivity, tolerance, step, calibrationWindows, target, board, qatEpochs, limit, measuredLatency);
    }

    /** Per-layer latencies measured on boards (HIL latency table): used instead of the cost table's estimate where a row matches. */
    public Settings withMeasuredLatency(MeasuredLatency m) {
      return new Settings(allocator, sensitivity, tolerance, step, calibrationWindows, target, board, qatEpochs, maxLatency, m);
    }
  }

  /** Progress callbacks (terminal, MQTT). */
  public interface Listener {
    default void stage(String name) {}

    default void detail(String line) {}
  }

  /** The chosen integer model, its bit width per layer, and what led to it. */
  public record Result(QuantizedModel model, Map<String, Integer> bits, QuantizationReport report) {}

  public static Result run(Graph floatGraph, Dataset data, String modelName, Settings s, Listener listener) {
    Listener l = listener != null ? listener : new Listener() {};
    Map<String, Double> stages = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    Task task = data.task();
    String metric = s.tolerance().metric();
    Split eval = data.val().isEmpty() ? data.test() : data.val();
    if (eval.isEmpty()) throw new IllegalArgumentException(data.root() + ": the dataset has no validation or test windows to evaluate quantized models on");
    if (eval != data.val()) warnings.add("the validation split is empty: the budget search evaluates on the test split");

    long t = System.nanoTime();
    l.stage("fold");
    Graph folded = BatchNormFolding.fold(floatGraph);
    FloatEngine engine = FloatEngine.compile(folded);
    Map<String, Double> floatMetrics = TaskEvaluation.evaluate(engine::run, data, eval);
    double floatMetric = floatMetrics.get(metric);
    stages.put("float evaluation", lap(t));

    // Calibration batch: the first windows of the training split, in file order (reproducible).
    Split cal = data.train().batch(0, Math.min(s.calibrationWindows(), data.train().size()));
    t = System.nanoTime();
    l.stage("sensitivity");
    List<LayerSensitivity> sens = SensitivityAnalysis.run(folded, cal.inputs(), cal.targets(), TaskEvaluation.lossFor(task), s.sensitivity(),
        r -> l.detail(String.format(java.util.Locale.ROOT, "%-12s %8d params  sensitivity %.4g  (%d iterations%s)", r.layer(), r.parameters(),
            r.value(), r.iterations(), r.converged() ? "" : ", not converged")));
    stages.put("sensitivity", lap(t));
    String fallback = null;
    for (LayerSensitivity r : sens) {
      if (!r.usable()) {
        fallback = "sensitivity of layer " + r.layer() + " is " + r.value() + (r.converged() ? "" : " (not converged after " + r.iterations() + " iterations)")
            + "; fell back to uniform 8-bit as Tensorlab does";
        warnings.add(fallback);
        break;
      }
    }

    t = System.nanoTime();
    l.stage("calibration");
    QuantPlan plan = QuantPlan.of(folded);
    Calibration calibration = Calibration.run(plan, cal.inputs());
    stages.put("calibration", lap(t));

    NpuPlacement placement = s.npu() == null ? new NpuPlacement(Map.of(), Map.of()) : NpuPlacement.of(plan, s.npu());
    for (String layer : placement.cpuOnly().keySet()) warnings.add("layer " + layer + " runs on the CPU: " + placement.cpuOnly().get(layer));
    Map<String, Node> nodes = new HashMap<>();
    for (Node n : folded.nodes()) nodes.put(n.name(), n);
    List<LayerCandidate> candidates = new ArrayList<>();
    List<String> measuredNotes = new ArrayList<>();
    Map<String, LayerSensitivity> byLayer = new LinkedHashMap<>();
    for (LayerSensitivity r : sens) byLayer.put(r.layer(), r);
    for (LayerSensitivity r : sens) {
      Node n = nodes.get(r.layer());
      Tensor w = folded.initializer(r.weight());
      int axis = WeightErrors.outputAxis(n);
      LayerCandidate.Builder b = LayerCandidate.builder(r.layer(), r.parameters(), Math.max(Math.abs(r.value()), 1e-12))
          .errors(WeightErrors.squaredError(w, axis, 2), WeightErrors.squaredError(w, axis, 4), WeightErrors.squaredError(w, axis, 8));
      for (int bits : new int[] {2, 4, 8}) {
        if (!s.target().npuBits().contains(bits) || placement.refusedWidths().getOrDefault(r.layer(), Map.of()).containsKey(bits)) b.disallow(bits);
      }
      if (placement.forcedToCpu(r.layer())) b.forceFloat(placement.reason(r.layer()));
      if (s.board() != null) {
        List<Integer> measured = BoardCosts.add(b, plan.layer(r.layer()), s.board(), s.measuredLatency());
        if (!measured.isEmpty()) {
          measuredNotes.add(r.layer() + " " + measured.stream().map(x -> "w" + x).collect(java.util.stream.Collectors.joining("/")));
        }
      }
      candidates.add(b.build());
    }
    if (s.measuredLatency() != null && s.board() != null) {
      String note = measuredNotes.isEmpty()
          ? "latency table " + s.measuredLatency().source() + ": no measured row matches a layer of " + modelName + " on board " + s.board().id()
              + "; every LATENCY cost is the cost table's estimate"
          : "LATENCY costs measured (latency table " + s.measuredLatency().source() + ", board " + s.board().id() + ") for "
              + String.join(", ", measuredNotes) + "; all other layers and widths use the cost table's estimate";
      warnings.add(note);
      l.detail(note);
    }
    if (!candidates.isEmpty() && candidates.stream().allMatch(LayerCandidate::isForcedFloat)) {
      StringBuilder why = new StringBuilder();
      for (LayerCandidate c : candidates) why.append("\n  ").append(c.name()).append(": ").append(c.forcedReason().orElse(""));
      throw new IllegalArgumentException("board " + s.target().board() + ": its NPU can run none of " + modelName + "'s layers:" + why);
    }
    Map<String, Integer> cpuOnly = new LinkedHashMap<>();
    placement.cpuOnly().keySet().forEach(k -> cpuOnly.put(k, 32));

    Function<Map<String, Integer>, QuantizedModel> build = bits -> QuantizedModel.build(plan, calibration, completeBits(plan, bits, cpuOnly), s.target());
    Function<QuantizedModel, Map<String, Double>> evaluate = m -> TaskEvaluation.evaluate(m::run, data, eval);

    t = System.nanoTime();
    l.stage("uniform 8-bit");
    Map<String, Integer> uniform8 = new LinkedHashMap<>();
    for (LayerCandidate c : candidates) uniform8.put(c.name(), c.isForcedFloat() ? 32 : 8);
    QuantizedModel u8 = build.apply(uniform8);
    Map<String, Double> uniform8Metrics = evaluate.apply(u8);
    stages.put("uniform 8-bit evaluation", lap(t));

    List<QuantizationReport.Probe> probes = new ArrayList<>();
    Map<String, Integer> chosenBits;
    boolean met;
    double threshold = s.tolerance().threshold(floatMetric);
    if (fallback != null) {
      chosenBits = uniform8;
      met = s.tolerance().passes(uniform8Metrics.get(metric), floatMetric);
    } else {
      t = System.nanoTime();
      l.stage("budget search");
      BitAllocator allocator = Allocators.byName(s.allocator());
      String[] infeasible = {null};
      BudgetSearch.Outcome<Map<String, Integer>> outcome = BudgetSearch.search(s.tolerance().minBits(), s.tolerance().maxBits(), s.step(), budget -> {
        Allocation a;
        try {
          a = allocator.allocate(candidates, BoardCosts.constraints(budget, s.board(), s.maxLatency()));
        } catch (InfeasibleAllocationException e) {
          l.detail(String.format(java.util.Locale.ROOT, "budget %5.2f: infeasible (%s)", budget, e.getMessage()));
          infeasible[0] = e.getMessage();
          return new BudgetSearch.Probe<>(budget, Double.NaN, Double.NaN, false, null);
        }
        double v = evaluate.apply(build.apply(a.widths())).get(metric);
        boolean pass = s.tolerance().passes(v, floatMetric);
        l.detail(String.format(java.util.Locale.ROOT, "budget %5.2f -> %5.2f bits: %s %.4f %s", budget, a.averageBits(), metric, v, pass ? "passes" : "fails"));
        return new BudgetSearch.Probe<>(budget, a.averageBits(), v, pass, a.widths());
      });
      for (var p : outcome.probes()) probes.add(new QuantizationReport.Probe("search", p.budget(), p.averageBits(), p.metric(), p.passed()));
      stages.put("budget search", lap(t));
      if (outcome.chosen().allocation() == null) {
        throw new IllegalArgumentException("no allocation of " + modelName + " fits even at " + s.tolerance().maxBits()
            + " bits per weight: " + infeasible[0]);
      }
      met = outcome.toleranceMet();
      chosenBits = outcome.chosen().allocation() != null ? new LinkedHashMap<>(outcome.chosen().allocation()) : uniform8;
      if (!met) {
        warnings.add(String.format(java.util.Locale.ROOT, "no budget up to %.2f bits keeps %s within tolerance (float %.4f, threshold %.4f); "
            + "kept the largest budget's allocation. Fine-tuning with --qat-epochs or a looser tolerance may help.", s.tolerance().maxBits(), metric,
            floatMetric, threshold));
      }
      // Promotion: 32-bit layers to 8 bits, least sensitive first, while the metric passes.
      t = System.nanoTime();
      l.stage("promote");
      List<LayerCandidate> floats = new ArrayList<>();
      for (LayerCandidate c : candidates) if (chosenBits.get(c.name()) == 32 && !c.isForcedFloat() && c.allows(8)) floats.add(c);
      floats.sort(Comparator.comparingDouble(LayerCandidate::sensitivity));
      for (LayerCandidate c : floats) {
        Map<String, Integer> trial = new LinkedHashMap<>(chosenBits);
        trial.put(c.name(), 8);
        double v = evaluate.apply(build.apply(trial)).get(metric);
        boolean pass = s.tolerance().passes(v, floatMetric);
        probes.add(new QuantizationReport.Probe("promote", averageBits(candidates, trial), averageBits(candidates, trial), v, pass));
        l.detail(String.format(java.util.Locale.ROOT, "promote %s 32 -> 8: %s %.4f %s", c.name(), metric, v, pass ? "kept" : "reverted"));
        if (pass) {
          chosenBits = trial;
          met = true;
        }
      }
      stages.put("promote", lap(t));
    }

    final Map<String, Integer> finalBits = chosenBits;
    QuantizedModel chosen = build.apply(finalBits);
    Map<String, Double> chosenMetrics = evaluate.apply(chosen);
    if (!s.tolerance().passes(chosenMetrics.get(metric), floatMetric) && s.qatEpochs() > 0) {
      t = System.nanoTime();
      l.stage("quantization-aware training");
      Graph tuned = QuantizationAwareTraining.fineTune(folded, data, finalBits, s.qatEpochs(), s.sensitivity().seed(), l);
      QuantPlan tunedPlan = QuantPlan.of(tuned);
      Calibration tunedCal = Calibration.run(tunedPlan, cal.inputs());
      QuantizedModel qat = QuantizedModel.build(tunedPlan, tunedCal, completeBits(tunedPlan, finalBits, cpuOnly), s.target());
      Map<String, Double> qatMetrics = evaluate.apply(qat);
      l.detail(String.format(java.util.Locale.ROOT, "after %d QAT epochs: %s %.4f (before %.4f)", s.qatEpochs(), metric, qatMetrics.get(metric),
          chosenMetrics.get(metric)));
      boolean better = TaskTolerance.higherIsBetter(task) ? qatMetrics.get(metric) > chosenMetrics.get(metric) : qatMetrics.get(metric) < chosenMetrics.get(metric);
      if (better) {
        chosen = qat;
        chosenMetrics = qatMetrics;
      } else {
        warnings.add("quantization-aware training did not improve " + metric + "; kept the post-training model");
      }
      stages.put("quantization-aware training", lap(t));
    }
    met = s.tolerance().passes(chosenMetrics.get(metric), floatMetric);

    List<QuantizationReport.Layer> rows = new ArrayList<>();
    for (LayerCandidate c : candidates) {
      LayerSensitivity r = byLayer.get(c.name());
      int b = chosenBits.get(c.name());
      String reason = c.forcedReason().orElse(null);
      rows.add(new QuantizationReport.Layer(c.name(), nodes.get(c.name()).op().onnxType(), c.paramCount(), r.value(), r.iterations(),
          r.converged(), b, b == 32 ? "cpu" : "npu", weightBytes(c.paramCount(), b), reason));
    }
    double[] predicted = null, actual = null;
    int[][] confusion = null;
    Tensor pred = TaskEvaluation.predict(chosen::run, eval.inputs(), 256);
    if (task == Task.REGRESSION) {
      predicted = data.normalization().denormalizeTargets(pred).data();
      actual = data.normalization().denormalizeTargets(eval.targets()).data();
    } else if (task == Task.CLASSIFICATION) {
      confusion = Metrics.confusion(pred, eval.targets(), data.numClasses());
    }
    // The held-out test split, once per model: what the search's validation figures cannot show (overfitting the
    // budget to the validation windows; anomaly detection quality, since only the test split has anomalies).
    Map<String, Double> floatTest = Map.of(), chosenTest = Map.of();
    if (eval != data.test() && !data.test().isEmpty()) {
      floatTest = TaskEvaluation.evaluate(engine::run, data, data.test());
      chosenTest = TaskEvaluation.evaluate(chosen::run, data, data.test());
    }
    long params = candidates.stream().mapToLong(LayerCandidate::paramCount).sum();
    QuantizationReport report = new QuantizationReport(QuantizationReport.FORMAT, Instant.now().toString(), task.cliName(), modelName,
        s.target().board(), s.allocator(), s.sensitivity().method().name().toLowerCase(java.util.Locale.ROOT), metric, s.tolerance().tolerance(),
        threshold, floatMetrics, uniform8Metrics, chosenMetrics, averageBits(candidates, chosenBits), met,
        candidates.stream().mapToLong(c -> weightBytes(c.paramCount(), finalBits.get(c.name()))).sum(),
        candidates.stream().mapToLong(c -> weightBytes(c.paramCount(), uniform8.get(c.name()))).sum(), params * 4, rows, probes, stages,
        warnings, fallback, predicted, actual, confusion, task == Task.CLASSIFICATION ? data.classNames() : null, floatTest, chosenTest);
    return new Result(chosen, Map.copyOf(chosenBits), report);
  }

  /** Every planned weight layer gets a width (layers the allocation does not name keep 8); CPU-only layers get 32. */
  private static Map<String, Integer> completeBits(QuantPlan plan, Map<String, Integer> bits, Map<String, Integer> cpuOnly) {
    Map<String, Integer> all = new LinkedHashMap<>(cpuOnly);
    for (String layer : plan.weightLayerNames()) all.put(layer, bits.getOrDefault(layer, 8));
    return all;
  }

  static double averageBits(List<LayerCandidate> cs, Map<String, Integer> bits) {
    double num = 0, den = 0;
    for (LayerCandidate c : cs) {
      num += (double) c.paramCount() * bits.get(c.name());
      den += c.paramCount();
    }
    return num / den;
  }

  /** Weight bytes on the device: packed rows for 2/4/8 bits (byte-aligned rows ignored here), float32 for 32. */
  static long weightBytes(long params, int bits) {
    return bits == 32 ? params * 4 : (params * bits + 7) / 8;
  }

  private static double lap(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
