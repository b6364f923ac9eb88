package io.edgeamp.core.amp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.data.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensorlab config.yaml files: the documented regression example, warnings, and errors by key path. */
class TensorlabConfigTest {
  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    Path f = dir.resolve("config.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void readsTensorlabsWashingMachineExample() throws Exception {
    TensorlabConfig c = TensorlabConfig.read(write("""
        common:
          task_type: generic_timeseries_regression
          target_device: F28P55
        dataset:
          dataset_name: washing_machine_load_weighing
        data_processing_feature_extraction:
          stride_size: 0.1
          data_proc_transforms:
            - SimpleWindow
          frame_size: 512
          variables: 6
        training:
          model_name: REGR_13k
          batch_size: 128
          training_epochs: 100
          quantization: 2
          auto_quantization: True
          autoquant_tolerance_regression: 0.02
        testing: {}
        compilation: {}
        """));
    assertEquals(Task.REGRESSION, c.task());
    assertEquals(512, c.frameSize().getAsInt());
    assertEquals(0.1, c.strideSize().getAsDouble());
    assertEquals(6, c.variables().getAsInt());
    assertEquals("REGR_13k", c.modelName());
    assertEquals(100, c.epochs().getAsInt());
    assertTrue(c.autoQuantization());
    assertEquals(0.02, c.tolerance().tolerance());
    assertTrue(c.warnings().stream().anyMatch(w -> w.contains("common.target_device")), c.warnings().toString());
    assertTrue(c.warnings().stream().anyMatch(w -> w.contains("data_proc_transforms")), c.warnings().toString());
  }

  @Test
  void unknownSectionsWarnAndInvalidValuesFailWithTheKeyPath() throws Exception {
    TensorlabConfig c = TensorlabConfig.read(write("common:\n  task_type: timeseries_anomalydetection\nfancy: {a: 1}\n"));
    assertEquals(Task.ANOMALY, c.task());
    assertFalse(c.warnings().isEmpty());
    var e1 = assertThrows(TensorlabConfig.ConfigException.class, () -> TensorlabConfig.read(write(
        "common:\n  task_type: generic_timeseries_classification\ntraining:\n  autoquant_tolerance_classification: 1.5\n")));
    assertTrue(e1.getMessage().contains("training.autoquant_tolerance_classification"), e1.getMessage());
    var e2 = assertThrows(TensorlabConfig.ConfigException.class, () -> TensorlabConfig.read(write(
        "common:\n  task_type: generic_timeseries_regression\ndata_processing_feature_extraction:\n  frame_size: big\n")));
    assertTrue(e2.getMessage().contains("data_processing_feature_extraction.frame_size") && e2.getMessage().contains("config.yaml"), e2.getMessage());
    var e3 = assertThrows(TensorlabConfig.ConfigException.class, () -> TensorlabConfig.read(write("training:\n  quantization: 2\n")));
    assertTrue(e3.getMessage().contains("common.task_type"), e3.getMessage());
    var e4 = assertThrows(TensorlabConfig.ConfigException.class, () -> TensorlabConfig.read(write(
        "common:\n  task_type: generic_timeseries_regression\ntraining:\n  quantization: 5\n")));
    assertTrue(e4.getMessage().contains("training.quantization"), e4.getMessage());
    var e5 = assertThrows(TensorlabConfig.ConfigException.class, () -> TensorlabConfig.read(write("common:\n  task_type: [\n")));
    assertTrue(e5.getMessage().contains("not valid YAML at line 2, column 15: while parsing a flow node; expected the node content, but found '<stream end>'") && !e5.getMessage().contains("REDACTED"), e5.getMessage());
  }
}
