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
  }
}
