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
    description = {"Measure the toolchain's speed: engine (forward, backward, Hessian-vector products vs ONNX Runtime) and training."})
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", defaultValue = "engine", description = "what to measure: engine or train (default: ${DEFAULT-VALUE})")
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
      default -> throw new UserError("bench: unknown figure set '" + what + "'; use engine or train");
    }
    return 0;
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
