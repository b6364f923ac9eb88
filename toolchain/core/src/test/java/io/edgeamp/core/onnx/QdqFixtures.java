package io.edgeamp.core.onnx;

import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.DatasetLoader;
import io.edgeamp.core.data.DatasetSpec;
import io.edgeamp.core.data.Split;
import io.edgeamp.core.data.SyntheticDatasets;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.quant.Calibration;
import io.edgeamp.core.quant.QuantPlan;
import io.edgeamp.core.train.TrainedModel;
import io.edgeamp.core.train.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Zoo networks trained briefly on small synthetic datasets (so task metrics mean something), planned and
 * calibrated as the toolchain does: BN folded, max-abs calibration on the first 128 training windows.
 * Trained once per JVM and shared by the QDQ tests.
 */
final class QdqFixtures {
  private QdqFixtures() {}

  record Trained(String zoo, Dataset data, TrainedModel model, QuantPlan plan, Calibration calibration) {}

  private static final Map<String, Trained> CACHE = new ConcurrentHashMap<>();

  /** REGR_13k on 6 x 512 windows of the washing-machine set. */
  static Trained regression() {
    return CACHE.computeIfAbsent("regr", k -> train(Task.REGRESSION, "REGR_13k", 24, 512, 0.25, 12));
  }

  /** CLS_4k_NPU on 128-sample windows of the motor-fault set (4 classes). */
  static Trained classification() {
    return CACHE.computeIfAbsent("cls", k -> train(Task.CLASSIFICATION, "CLS_4k_NPU", 12, 128, 0.5, 5));
  }

  /** FCST_3k on the thermal set (64-step look-back, 4 steps ahead). */
  static Trained forecasting() {
    return CACHE.computeIfAbsent("fcst", k -> train(Task.FORECASTING, "FCST_3k", 6, 64, 0.1, 6));
  }

  private static Trained train(Task task, String zoo, int files, int frame, double stride, int epochs) {
    Path dir;
    try {
      dir = Files.createTempDirectory("edgeamp-qdq-" + task.cliName());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      SyntheticDatasets.write(task, dir, 17, files);
      DatasetSpec spec = SyntheticDatasets.recommendedSpec(dir).orElseThrow().toBuilder().frameSize(frame).strideFraction(stride).build();
      Dataset d = DatasetLoader.load(dir, spec);
      TrainedModel m = TrainedModel.train(d, zoo, TrainingConfig.defaults().withEpochs(epochs).withLearningRate(3e-3), null);
      QuantPlan plan = QuantPlan.of(m.graph());
      Split cal = d.train().batch(0, Math.min(128, d.train().size()));
      return new Trained(zoo, d, m, plan, Calibration.run(plan, cal.inputs()));
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }
}
