package io.edgeamp.cli;

import io.edgeamp.core.bench.EngineBenchmark;
import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.train.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code toolchain bench}: prints the speed figures docs/BENCHMARKS.md records. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure the toolchain's speed: engine (forward, backward, Hessian-vector products vs ONNX Runtime), training and the",
        "sensitivity stage."})
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", defaultValue = "engine", description = "what to measure: engine, train or sensitivity (default: ${DEFAULT-VALUE})")
  String what;

  @Option(names = "--model", defaultValue = "REGR_13k", description = "zoo network (default: ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--batch", defaultValue = "128", description = "batch size (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--runs", defaultValue = "15", description = "timed runs per figure; the median is printed (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--epochs", defaultValue = "3", description = "train: epochs to time (default: ${DEFAULT-VALUE})")
  int epochs;

  @Override
  public Integer call() throws Exception {
    System.out.printf(Locale.ROOT, "machine: %s, %d cores, Java %s%n", cpuModel(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    switch (what) {
      case "engine" -> EngineBenchmark.run(model, batch, 6, 512, runs, System.out);
      case "train" -> {
        Path dir = Files.createTempDirectory("edgeamp-bench");
        Path data = TrainedModel.dataOrSynthetic(null, Task.REGRESSION, dir, 1);
        Dataset d = TrainedModel.load(data, Task.REGRESSION);
        double s = EngineBenchmark.trainingEpochSeconds(d, model, epochs);
        System.out.printf(Locale.ROOT, "%s training epoch over %d windows (6x512, batch 128, Adam, incl. validation of %d): %.2f s (goal <= 3 s)%n",
            model, d.train().size(), d.val().size(), s);
      }
      case "sensitivity" -> sensitivity();
      default -> throw new UserError("bench: unknown figure set '" + what + "'; use engine, train or sensitivity");
    }
    return 0;
  }

  /**
   * The sensitivity stage on a REGR_13k trained for a few epochs on the synthetic regression set:
   * default settings (tolerance 1e-4, at most 100 iterations), timed, against a reference run of
   * exactly 100 iterations.
   */
  private void sensitivity() throws Exception {
    Path dir = Files.createTempDirectory("edgeamp-bench");
    Dataset d = TrainedModel.load(TrainedModel.dataOrSynthetic(null, Task.REGRESSION, dir, 1), Task.REGRESSION);
    TrainedModel m = TrainedModel.train(d, model, io.edgeamp.core.train.TrainingConfig.defaults().withEpochs(epochs), null);
    var folded = io.edgeamp.core.engine.BatchNormFolding.fold(m.graph());
    int[] first = new int[Math.min(batch, d.train().size())];
    for (int i = 0; i < first.length; i++) first[i] = i;
    var cal = d.train().select(first);
    var loss = io.edgeamp.core.metrics.TaskEvaluation.lossFor(Task.REGRESSION);
    io.edgeamp.core.sensitivity.SensitivityAnalysis.run(folded, cal.inputs(), cal.targets(), loss,
        io.edgeamp.core.sensitivity.SensitivityAnalysis.Settings.defaults(), null); // warm-up (JIT)
    long t0 = System.nanoTime();
    var fast = io.edgeamp.core.sensitivity.SensitivityAnalysis.run(folded, cal.inputs(), cal.targets(), loss,
        io.edgeamp.core.sensitivity.SensitivityAnalysis.Settings.defaults(), null);
    double seconds = (System.nanoTime() - t0) / 1e9;
    var ref = io.edgeamp.core.sensitivity.SensitivityAnalysis.run(folded, cal.inputs(), cal.targets(), loss,
        new io.edgeamp.core.sensitivity.SensitivityAnalysis.Settings(io.edgeamp.core.sensitivity.SensitivityMethod.EIGENVALUE, 1e-15, 100, 1), null);
    System.out.printf(Locale.ROOT, "%s sensitivity stage, batch %d, input 6x512: %.2f s (goal <= 3 s)%n", model, cal.size(), seconds);
    System.out.printf(Locale.ROOT, "  %-10s %8s %6s %14s %14s %9s%n", "layer", "params", "iters", "eigenvalue", "100-iter ref", "rel.diff");
    for (int i = 0; i < fast.size(); i++) {
      var f = fast.get(i);
      var r = ref.get(i);
      System.out.printf(Locale.ROOT, "  %-10s %8d %6d %14.6g %14.6g %9.2e  %.2fs%n", f.layer(), f.parameters(), f.iterations(), f.value(), r.value(),
          Math.abs(f.value() - r.value()) / Math.abs(r.value()), f.seconds());
    }
  }

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (Exception e) {
      return "unknown CPU";
    }
  }
}
