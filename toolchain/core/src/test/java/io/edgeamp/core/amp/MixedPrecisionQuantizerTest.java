package io.edgeamp.core.amp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.SyntheticDatasets;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.train.TrainedModel;
import io.edgeamp.core.train.TrainingConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every task end to end on its synthetic dataset: the chosen model passes and is no larger than uniform 8-bit. */
class MixedPrecisionQuantizerTest {
  @ParameterizedTest
  @EnumSource(Task.class)
  void everyTaskMeetsItsToleranceWithNoMoreBytesThanUniform8Bit(Task task, @TempDir Path dir) {
    SyntheticDatasets.write(task, dir, 7, 0);
    Dataset d = TrainedModel.load(dir, task);
    TrainedModel m = TrainedModel.train(d, null, TrainingConfig.defaults().withEpochs(task == Task.REGRESSION ? 8 : 5).withLearningRate(3e-3), null);
    var res = MixedPrecisionQuantizer.run(m.graph(), d, m.zooName(), MixedPrecisionQuantizer.Settings.defaults(task), new MixedPrecisionQuantizer.Listener() {
      @Override
      public void detail(String line) {
        System.out.println(task + ": " + line);
      }
    });
    var r = res.report();
    System.out.println(task + ": float " + r.floatMetrics() + " uniform8 " + r.uniform8Metrics() + " chosen " + r.chosenMetrics() + " avg bits " + r.averageBits()
        + " stages " + r.stageSeconds());
    assertTrue(r.toleranceMet(), task + ": " + r.chosenMetrics() + " vs threshold " + r.threshold());
    assertTrue(r.tolerance() > 0 && (r.chosenMetrics().get(r.metric()) >= r.threshold() == (task == Task.CLASSIFICATION || task == Task.REGRESSION)));
    assertTrue(r.weightBytesChosen() <= r.weightBytesUniform8(), r.weightBytesChosen() + " > " + r.weightBytesUniform8());
    assertFalse(r.probes().isEmpty());
    // the held-out test split is reported for float and chosen; no NaN anywhere (a NaN AUC was reported for the
    // anomaly task's validation split, which holds normal windows only)
    assertTrue(r.floatTestMetrics().containsKey(r.metric()) && r.chosenTestMetrics().containsKey(r.metric()), r.floatTestMetrics().toString());
    for (var ms : java.util.List.of(r.floatMetrics(), r.uniform8Metrics(), r.chosenMetrics(), r.floatTestMetrics(), r.chosenTestMetrics())) {
      ms.forEach((k, v) -> assertTrue(Double.isFinite(v), task + ": " + k + " = " + v));
    }
    if (task == Task.ANOMALY) {
      assertFalse(r.chosenMetrics().containsKey("roc_auc"), "validation split has no anomalies: " + r.chosenMetrics());
      double auc = r.chosenTestMetrics().get("roc_auc");
      assertTrue(auc > 0.5 && auc <= 1, "chosen model's test AUC " + auc);
    }
  }
}
