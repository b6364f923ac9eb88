package io.edgeamp.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.DatasetLoader;
import io.edgeamp.core.data.DatasetSpec;
import io.edgeamp.core.data.SyntheticDatasets;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.io.AtomicFiles;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.metrics.TaskEvaluation;
import io.edgeamp.core.onnx.OnnxExporter;
import io.edgeamp.core.zoo.ModelZoo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A zoo network trained on a dataset, with its provenance: which data (and spec), which network,
 * which settings, the training history and the metrics per split. {@link #write} saves it as
 * {@code model.onnx} (float, with the normalization and task in its metadata), {@code normalization.json}
 * and {@code training.json}.
 */
public record TrainedModel(Graph graph, Dataset data, String zooName, TrainingConfig config, Trainer.Result result,
    Map<String, Map<String, Double>> metrics) {

  /** The data folder to use: the given one, or a synthetic dataset for the task written under {@code workDir}. */
  public static Path dataOrSynthetic(Path data, Task task, Path workDir, long seed) {
    if (data != null) return data;
    Path dir = workDir.resolve("data");
    // regenerated when missing or written for another task (an earlier run of another task into the same folder)
    if (!Files.isDirectory(dir) || SyntheticDatasets.recommendedSpec(dir).filter(s -> s.task() == task).isEmpty()) {
      SyntheticDatasets.write(task, dir, seed, SyntheticDatasets.defaultFiles(task));
    }
    return dir;
  }

  /** Loads the dataset with the spec a synthetic set recommends, or the task's defaults. */
  public static Dataset load(Path dataDir, Task task) {
    return DatasetLoader.load(dataDir, spec(dataDir, task));
  }

  /** The windowing a synthetic set recommends, or the task's defaults. */
  public static DatasetSpec spec(Path dataDir, Task task) {
    return SyntheticDatasets.recommendedSpec(dataDir).filter(s -> s.task() == task).orElse(DatasetSpec.defaults(task));
  }

  /** Number of network outputs the task needs on this dataset. */
  public static int outputsFor(Dataset d) {
    if (d.task() == Task.CLASSIFICATION) return d.numClasses();
    int n = 1;
    for (int s : d.targetShape()) n *= s;
    return n;
  }

  /** Builds the zoo network for the dataset and trains it. */
  public static TrainedModel train(Dataset d, String zooName, TrainingConfig cfg, Trainer.Listener listener) {
    String zoo = zooName != null ? zooName : ModelZoo.defaultFor(d.task().cliName());
    int[] in = d.inputShape();
    Graph g = ModelZoo.build(zoo, in[0], in[1], outputsFor(d), cfg.seed());
    FloatEngine e = FloatEngine.compile(g);
    var loss = TaskEvaluation.lossFor(d.task());
    Trainer.Result r = Trainer.train(e, d.train().inputs(), d.train().targets(), d.val().inputs(), d.val().targets(), loss, cfg, listener);
    Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
    metrics.put("val", TaskEvaluation.evaluate(e::run, d, d.val()));
    metrics.put("test", TaskEvaluation.evaluate(e::run, d, d.test()));
    Graph trained = e.toGraph().toBuilder()
        .metadata("task", d.task().cliName())
        .metadata("normalization", d.normalization().toJson())
        .metadata("dataset", d.root().toString())
        .build();
    return new TrainedModel(trained, d, zoo, cfg, r, metrics);
  }

  /** Writes model.onnx, normalization.json and training.json into {@code out}, each atomically. */
  public void write(Path out) {
    try {
      Files.createDirectories(out);
      AtomicFiles.write(out.resolve("model.onnx"), OnnxExporter.toBytes(graph));
      AtomicFiles.writeString(out.resolve("normalization.json"), data.normalization().toJson());
      AtomicFiles.writeString(out.resolve("training.json"), reportJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the trained model to " + out + ": " + e.getMessage(), e);
    }
  }

  /** Provenance and results as JSON. */
  public String reportJson() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("format", "edgeamp-training/1");
    r.put("created", Instant.now().toString());
    r.put("task", data.task().cliName());
    r.put("model", zooName);
    r.put("parameters", graph.parameterCount());
    r.put("dataset", Map.of("path", data.root().toString(), "spec", data.spec().toString(),
        "windows", Map.of("train", data.train().size(), "val", data.val().size(), "test", data.test().size())));
    r.put("config", config);
    r.put("best_epoch", result.bestEpoch());
    r.put("best_val_loss", result.bestValLoss());
    r.put("stopped_early", result.stoppedEarly());
    r.put("seconds", result.seconds());
    r.put("history", result.history());
    r.put("metrics", metrics);
    r.put("java", System.getProperty("java.version"));
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Trainer.EpochStats> history() {
    return result.history();
  }
}
