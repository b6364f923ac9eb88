package io.edgeamp.cli;

import io.edgeamp.core.amp.FloatModelFit;
import io.edgeamp.core.amp.MixedPrecisionQuantizer;
import io.edgeamp.core.amp.TaskTolerance;
import io.edgeamp.core.amp.TensorlabConfig;
import io.edgeamp.core.artifact.ArtifactWriter;
import io.edgeamp.core.artifact.TestVectors;
import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.board.BoardProfiles;
import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.DatasetLoader;
import io.edgeamp.core.data.DatasetSpec;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.onnx.OnnxImporter;
import io.edgeamp.core.onnx.QdqExporter;
import io.edgeamp.core.quant.alloc.Allocators;
import io.edgeamp.core.report.HtmlReports;
import io.edgeamp.core.report.QuantizationReport;
import io.edgeamp.core.sensitivity.SensitivityAnalysis;
import io.edgeamp.core.sensitivity.SensitivityMethod;
import io.edgeamp.core.train.TrainedModel;
import io.edgeamp.core.train.Trainer;
import io.edgeamp.core.train.TrainingConfig;
import io.edgeamp.core.zoo.ModelZoo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code toolchain quantize}: automatic mixed precision. With no model and no data it trains the
 * task's zoo network on the task's synthetic dataset first, so {@code toolchain quantize --task regression}
 * alone runs the whole job.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
    description = {"Choose a bit width per layer (2/4/8 on the NPU, 32 = float on the CPU) so the task metric stays within tolerance",
        "of the float model at the fewest bits; write the quantized artifact and an HTML/JSON report.",
        "Without --model, trains the task's zoo network first (on a synthetic dataset unless --data is given)."})
final class QuantizeCommand implements Callable<Integer> {
  @Option(names = "--task", description = "classification, regression, anomaly or forecasting (or from --config)")
  String task;

  @Option(names = "--model", description = "float ONNX model to quantize (inputs [N, C, frame, 1])")
  Path model;

  @Option(names = "--zoo", description = "zoo network to train when no --model is given: ${COMPLETION-CANDIDATES}", completionCandidates = TrainCommand.ZooNames.class)
  String zoo;

  @Option(names = "--data", description = "dataset folder in Tensorlab's layout (default: synthetic)")
  Path data;

  @Option(names = "--config", description = "a Tensorlab config.yaml (task, data, windowing, model, epochs, tolerances)")
  Path config;

  @Option(names = "--board", description = "board profile id (board-profiles/<id>.yaml) or a profile file: its NPU widths, requantization and limits")
  String board;

  @Option(names = "--max-latency", defaultValue = "0", description = "with --board: limit on the estimated inference time, in the board's timer unit, from its cost table or --latency-table (0 = none)")
  long maxLatency;

  @Option(names = "--latency-table", description = "with --board: a HIL latency table (GET /api/v1/latency-table, schema edgeamp.latency-table v1); "
      + "its per-layer rows measured on the board replace the cost table's latency estimates where kind, shape and bits match")
  Path latencyTable;

  @Option(names = "--qat-epochs", defaultValue = "0", description = "quantization-aware fine-tuning epochs when post-training quantization misses the tolerance (default: ${DEFAULT-VALUE})")
  int qatEpochs;

  @Option(names = "--allocator", defaultValue = "greedy-ti", description = "greedy-ti, greedy-omega, ilp or dp (default: ${DEFAULT-VALUE})")
  String allocator;

  @Option(names = "--sensitivity", defaultValue = "eigenvalue", description = "eigenvalue (power iteration) or trace (Hutchinson) (default: ${DEFAULT-VALUE})")
  String sensitivity;

  @Option(names = "--tolerance", description = "the task's tolerance (relative drop for accuracy/R2, factor over float for SMAPE/MSE)")
  Double tolerance;

  @Option(names = "--epochs", description = "float training epochs when training a zoo network (default: training.training_epochs of --config, else 30)")
  Integer epochs;

  @Option(names = "--seed", defaultValue = "1", description = "seed for training, synthetic data and power iteration (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", description = "output folder (default: runs/<task>-quantized); the artifact goes to OUT/artifact")
  Path out;

  /** Windows in the artifact's test_vectors.bin. */
  static final int TEST_VECTORS = 16;

  @Override
  public Integer call() {
    TensorlabConfig cfg = config == null ? null : TensorlabConfig.read(config);
    if (cfg != null) cfg.warnings().forEach(w -> System.err.println("warning: " + w));
    Task t = resolveTask(cfg);
    if (!Allocators.NAMES.contains(allocator)) throw new UserError("--allocator: unknown '" + allocator + "'; use one of " + Allocators.NAMES);
    Path outDir = out != null ? out : Path.of("runs", t.cliName() + "-quantized");
    TaskTolerance tol = cfg != null ? cfg.tolerance() : TaskTolerance.defaults(t);
    if (tolerance != null) {
      try {
        tol = tol.withTolerance(tolerance);
      } catch (IllegalArgumentException e) { // the record names the config key; the user typed the flag
        throw new UserError("--tolerance " + tolerance + ": " + e.getMessage().replaceFirst("^autoquant_tolerance_\\w+ ", "for " + t.cliName() + " it "));
      }
    }
    BoardProfile profile = board == null ? null
        : board.endsWith(".yaml") || board.endsWith(".yml") ? BoardProfiles.load(Path.of(board)) : BoardProfiles.find(board);
    // Everything that can be checked without data is checked before any file is written.
    if (qatEpochs < 0) throw new UserError("--qat-epochs must be >= 0, got " + qatEpochs);
    if (maxLatency < 0) throw new UserError("--max-latency must be >= 0 (0 = no limit), got " + maxLatency);
    if (maxLatency > 0 && profile == null) throw new UserError("--max-latency needs --board: the latency estimate comes from the board's cost table");
    if (latencyTable != null && profile == null) throw new UserError("--latency-table needs --board: its rows are per board");
    checkOutFolder(outDir);
    Graph floatGraph = null;
    String z = null;
    int epochsToTrain = 0;
    if (model != null) {
      if (!java.nio.file.Files.exists(model)) throw new UserError("--model " + model + " does not exist; give a float ONNX model file");
      if (java.nio.file.Files.isDirectory(model)) throw new UserError("--model " + model + " is a folder; give the .onnx file in it");
      try {
        floatGraph = OnnxImporter.read(model);
      } catch (io.edgeamp.core.onnx.OnnxFormatException ex) {
        throw new UserError(ex.getMessage()); // names the file and node
      } catch (java.io.IOException ex) {
        throw new UserError("--model " + model + ": cannot read it (" + io.edgeamp.core.io.IoErrors.reason(ex) + ")");
      }
    } else {
      z = zoo != null ? zoo : cfg != null && cfg.modelName() != null ? cfg.modelName() : null;
      if (z != null && !ModelZoo.NAMES.contains(z)) throw new UserError("unknown zoo network '" + z + "'; known: " + ModelZoo.NAMES);
      epochsToTrain = epochs != null ? epochs : cfg != null && cfg.epochs().isPresent() ? cfg.epochs().getAsInt() : 30;
      if (epochsToTrain < 1) throw new UserError("--epochs must be >= 1, got " + epochsToTrain);
    }
    Path dataArg = data != null ? data : cfg != null && cfg.dataPath() != null ? Path.of(cfg.dataPath()) : null;
    boolean outExisted = java.nio.file.Files.exists(outDir), dataExisted = java.nio.file.Files.exists(outDir.resolve("data"));
    try {
      return run(cfg, t, tol, profile, floatGraph, z, epochsToTrain, dataArg, outDir);
    } catch (RuntimeException e) {
      // nothing half-written: the synthetic data this run made goes with it (an earlier run's is kept)
      if (dataArg == null && !dataExisted) deleteTree(outDir.resolve("data"));
      if (!outExisted) deleteIfEmpty(outDir);
      throw e;
    }
  }

  private Integer run(TensorlabConfig cfg, Task t, TaskTolerance tol, BoardProfile profile, Graph floatGraph, String z, int epochsToTrain,
      Path dataArg, Path outDir) {
    Path dataDir = TrainedModel.dataOrSynthetic(dataArg, t, outDir, seed);
    DatasetSpec spec = TrainedModel.spec(dataDir, t);
    if (cfg != null) spec = cfg.applyTo(spec);
    Dataset d = DatasetLoader.load(dataDir, spec);
    System.err.printf("data   %s: %d/%d/%d windows (train/val/test), input %s%n", dataDir, d.train().size(), d.val().size(), d.test().size(),
        Arrays.toString(d.inputShape()));

    String modelName;
    if (floatGraph != null) {
      modelName = floatGraph.name();
      FloatModelFit.Result fit;
      try {
        fit = FloatModelFit.check(floatGraph, d);
      } catch (IllegalArgumentException e) {
        throw new UserError("--model " + model + ": " + e.getMessage());
      }
      fit.notes().forEach(n -> System.err.println("note   " + n));
      floatGraph = fit.graph();
    } else {
      TrainingConfig tc = TrainingConfig.defaults().withEpochs(epochsToTrain).withLearningRate(3e-3).withPatience(8).withSeed(seed);
      TrainedModel trained;
      try (Progress progress = Progress.start("train", epochsToTrain)) {
        trained = TrainedModel.train(d, z, tc, new Trainer.Listener() {
          @Override
          public void batchDone(int epoch, int batch, int batches, double loss) {
            progress.step(epoch - 1 + (double) batch / batches, String.format(Locale.ROOT, "epoch %d loss %.4f", epoch, loss));
          }

          @Override
          public void epochDone(Trainer.EpochStats s) {
            progress.log(String.format(Locale.ROOT, "train  epoch %3d  train %.5f  val %.5f  %.1fs%s", s.epoch(), s.trainLoss(), s.valLoss(),
                s.seconds(), s.improved() ? "  *" : ""));
          }
        });
      }
      trained.write(outDir.resolve("float"));
      floatGraph = trained.graph();
      modelName = trained.zooName();
    }

    MixedPrecisionQuantizer.Settings settings = MixedPrecisionQuantizer.Settings.defaults(t)
        .withAllocator(allocator)
        .withTolerance(tol)
        .withSensitivity(new SensitivityAnalysis.Settings(SensitivityMethod.parse(sensitivity), 1e-4, 100, seed))
        .withQatEpochs(qatEpochs);
    if (profile != null) settings = settings.withBoard(profile);
    if (maxLatency > 0) settings = settings.withMaxLatency(maxLatency);
    if (latencyTable != null) {
      try {
        settings = settings.withMeasuredLatency(io.edgeamp.core.amp.MeasuredLatency.read(latencyTable));
      } catch (IllegalArgumentException e) {
        throw new UserError("--latency-table: " + e.getMessage());
      }
    }
    MixedPrecisionQuantizer.Result res = MixedPrecisionQuantizer.run(floatGraph, d, modelName, settings, new MixedPrecisionQuantizer.Listener() {
      @Override
      public void stage(String name) {
        System.err.println("stage  " + name);
      }

      @Override
      public void detail(String line) {
        System.err.println("       " + line);
      }
    });
    QuantizationReport r = res.report();
    Map<String, byte[]> extra = new LinkedHashMap<>();
    extra.put("report.json", r.toJson().getBytes(StandardCharsets.UTF_8));
    extra.put("report.html", HtmlReports.quantization(r).getBytes(StandardCharsets.UTF_8));
    // The fake-quantized model as ONNX QDQ: open it in Netron, run it in ONNX Runtime.
    extra.put("model.qdq.onnx", QdqExporter.toBytes(res.model(), floatGraph));
    // Real windows (held-out test split) with the twin's outputs, for firmware and tools to check against (DESIGN.md).
    io.edgeamp.core.data.Split vs = d.test().isEmpty() ? d.val() : d.test();
    extra.put(TestVectors.FILE, TestVectors.of(res.model(), vs.batch(0, Math.min(TEST_VECTORS, vs.size())).inputs()).toBytes());
    Path artifact = outDir.resolve("artifact");
    ArtifactWriter.write(res.model(), artifact, extra);
    printSummary(r, artifact);
    return r.toleranceMet() ? 0 : 3;
  }

  private Task resolveTask(TensorlabConfig cfg) {
    Task fromFlag = task == null ? null : Task.parse(task);
    if (cfg != null && fromFlag != null && cfg.task() != fromFlag) {
      throw new UserError("--task " + fromFlag.cliName() + " disagrees with common.task_type in " + cfg.file() + " (" + cfg.task().cliName() + ")");
    }
    if (fromFlag != null) return fromFlag;
    if (cfg != null) return cfg.task();
    throw new UserError("--task is required (classification, regression, anomaly or forecasting), or give --config with common.task_type");
  }

  /** OUT and OUT/artifact must be folders (or not exist yet): found now, not after training and the budget search. */
  private static void checkOutFolder(Path outDir) {
    if (java.nio.file.Files.exists(outDir) && !java.nio.file.Files.isDirectory(outDir)) {
      throw new UserError("--out " + outDir + " is a file; give a folder (the artifact goes to OUT/artifact)");
    }
    Path artifact = outDir.resolve("artifact");
    if (java.nio.file.Files.exists(artifact) && !java.nio.file.Files.isDirectory(artifact)) {
      throw new UserError(artifact + " is a file, where the artifact folder goes; move it away or choose another --out");
    }
  }

  private static void deleteTree(Path p) {
    try {
      io.edgeamp.core.io.FileTrees.delete(p);
    } catch (java.io.IOException e) {
      System.err.println("warning: could not remove " + p + ": " + e.getMessage());
    }
  }

  private static void deleteIfEmpty(Path dir) {
    try (var s = java.nio.file.Files.list(dir)) {
      if (s.findAny().isEmpty()) java.nio.file.Files.delete(dir);
    } catch (java.io.IOException e) {
      // not there or not empty: nothing to tidy
    }
  }

  private static void printSummary(QuantizationReport r, Path artifact) {
    System.out.printf(Locale.ROOT, "%-8s %10s %10s %10s%n", r.metric(), "float", "uniform8", "chosen");
    System.out.printf(Locale.ROOT, "%-8s %10.4f %10.4f %10.4f   (threshold %.4f: %s)%n", "", r.floatMetrics().get(r.metric()),
        r.uniform8Metrics().get(r.metric()), r.chosenMetrics().get(r.metric()), r.threshold(), r.toleranceMet() ? "met" : "NOT met");
    if (!r.floatTestMetrics().isEmpty()) { // held out from the search; anomaly detection's AUC lives only here
      StringBuilder sb = new StringBuilder("test    ");
      for (String k : r.floatTestMetrics().keySet()) {
        if (!k.equals(r.metric()) && !k.equals("roc_auc")) continue;
        sb.append(String.format(Locale.ROOT, " %s float %.4f chosen %.4f;", k, r.floatTestMetrics().get(k), r.chosenTestMetrics().getOrDefault(k, Double.NaN)));
      }
      System.out.println(sb.substring(0, sb.length() - 1) + " (held-out test split)");
    }
    System.out.printf(Locale.ROOT, "bits     %.2f average; weights %d bytes (uniform 8-bit %d, float %d)%n", r.averageBits(), r.weightBytesChosen(),
        r.weightBytesUniform8(), r.weightBytesFloat());
    for (QuantizationReport.Layer l : r.layers()) {
      System.out.printf(Locale.ROOT, "  %-12s %-6s %7d params  sens %10.4g  %2d bits on %s%s%n", l.name(), l.kind(), l.parameters(), l.sensitivity(),
          l.bits(), l.target(), l.reason() == null ? "" : "  (" + l.reason() + ")");
    }
    r.warnings().forEach(w -> System.err.println("warning: " + w));
    System.out.println("wrote  " + artifact + " (model.json, weights.bin, test_vectors.bin, model.qdq.onnx, report.html, report.json)");
  }
}
