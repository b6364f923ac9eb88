package io.edgeamp.cli;

import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.train.TrainedModel;
import io.edgeamp.core.train.Trainer;
import io.edgeamp.core.train.TrainingConfig;
import io.edgeamp.core.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code toolchain train}: trains a zoo network (on a synthetic dataset unless --data is given) and exports it. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a zoo network on a dataset and export it as ONNX.",
        "Without --data, a synthetic dataset for the task is generated under OUT/data first."})
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--task", required = true, description = "classification, regression, anomaly or forecasting")
  String task;

  @Option(names = "--data", description = "dataset folder in Tensorlab's layout (default: synthetic)")
  Path data;

  @Option(names = "--zoo", description = "zoo network: ${COMPLETION-CANDIDATES} (default: the task's)", completionCandidates = ZooNames.class)
  String zoo;

  @Option(names = "--out", description = "output folder (default: runs/<task>)")
  Path out;

  @Option(names = "--epochs", defaultValue = "30", description = "maximum epochs (default: ${DEFAULT-VALUE})")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128", description = "mini-batch size (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0.003", description = "learning rate (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd (default: ${DEFAULT-VALUE})")
  String optimizer;

  @Option(names = "--patience", defaultValue = "8", description = "early-stopping patience in epochs (default: ${DEFAULT-VALUE})")
  int patience;

  @Option(names = "--seed", defaultValue = "1", description = "seed for weights, shuffling and synthetic data (default: ${DEFAULT-VALUE})")
  long seed;

  static final class ZooNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return ModelZoo.NAMES.iterator();
    }
  }

  @Override
  public Integer call() {
    Task t = Task.parse(task);
    if (zoo != null && !ModelZoo.NAMES.contains(zoo)) throw new UserError("--zoo: unknown network '" + zoo + "'; known: " + ModelZoo.NAMES);
    TrainingConfig.Optimizer opt;
    try {
      opt = TrainingConfig.Optimizer.valueOf(optimizer.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError("--optimizer: expected adam or sgd, got '" + optimizer + "'");
    }
    TrainingConfig cfg = new TrainingConfig(opt, learningRate, epochs, batchSize, patience, 0, seed);
    Path outDir = out != null ? out : Path.of("runs", t.cliName());

    Path dataDir = TrainedModel.dataOrSynthetic(data, t, outDir, seed);
    Dataset d = TrainedModel.load(dataDir, t);
    System.err.printf("data   %s: %d/%d/%d windows (train/val/test), input %s%n", dataDir, d.train().size(), d.val().size(),
        d.test().size(), java.util.Arrays.toString(d.inputShape()));
    TrainedModel m;
    try (Progress progress = Progress.start("train", epochs)) {
      m = TrainedModel.train(d, zoo, cfg, new Trainer.Listener() {
        @Override
        public void batchDone(int epoch, int batch, int batches, double loss) {
          progress.step(epoch - 1 + (double) batch / batches, String.format(Locale.ROOT, "epoch %d loss %.4f", epoch, loss));
        }

        @Override
        public void epochDone(Trainer.EpochStats s) {
          progress.log(String.format(Locale.ROOT, "epoch %3d  train %.5f  val %.5f  %.1fs%s", s.epoch(), s.trainLoss(), s.valLoss(),
              s.seconds(), s.improved() ? "  *" : ""));
        }
      });
    }
    m.write(outDir);
    System.out.printf("model  %s (%d parameters), best epoch %d of %d, %.1f s%n", m.zooName(), m.graph().parameterCount(),
        m.result().bestEpoch(), m.history().size(), m.result().seconds());
    for (Map.Entry<String, Map<String, Double>> split : m.metrics().entrySet()) {
      StringBuilder sb = new StringBuilder();
      split.getValue().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
      System.out.printf("%-6s%s%n", split.getKey(), sb);
    }
    System.out.printf("wrote  %s%n", outDir.resolve("model.onnx"));
    return 0;
  }
}
