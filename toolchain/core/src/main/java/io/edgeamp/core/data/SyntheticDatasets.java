package io.edgeamp.core.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Physically plausible synthetic datasets, one per task, written in the same Tensorlab layouts as
 * real data (with annotation lists), so the whole pipeline runs without a download:
 *
 * <ul>
 *   <li>regression: {@link WashingMachineLoadGenerator} (load in kg from Vd, Id, Vq, Iq, Iqref, speed);
 *   <li>classification: {@link MotorFaultGenerator} (healthy / bearing_fault / imbalance / misalignment);
 *   <li>anomaly: {@link VibrationAnomalyGenerator} (normal fan vibration vs injected faults);
 *   <li>forecasting: {@link ThermalForecastGenerator} (indoor temperature of a heated zone).
 * </ul>
 *
 * Each generator's physics is described in its class comment. Output is a pure function of (task,
 * seed, files). A {@code synth.json} next to the data records how it was made and the spec it was
 * sized for ({@link #recommendedSpec(Task)}).
 */
public final class SyntheticDatasets {
  /** Marks a folder as written by this class, so it may be overwritten by the next run. */
  public static final String MARKER = "synth.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SyntheticDatasets() {}

  /** What {@link #write} produced. */
  public record Result(Task task, Path root, int files, long rows, Duration elapsed, DatasetSpec spec) {}

  /** Files written when {@code files <= 0} is passed. */
  public static int defaultFiles(Task task) {
    switch (task) {
      case REGRESSION:
        return WashingMachineLoadGenerator.DEFAULT_FILES;
      case CLASSIFICATION:
        return MotorFaultGenerator.DEFAULT_FILES;
      case ANOMALY:
        return VibrationAnomalyGenerator.DEFAULT_FILES;
      case FORECASTING:
        return ThermalForecastGenerator.DEFAULT_FILES;
      default:
        throw new IllegalStateException(task.toString());
    }
  }

  /** The spec the synthetic dataset of {@code task} is sized for (defaults, plus target and horizon for forecasting). */
  public static DatasetSpec recommendedSpec(Task task) {
    if (task == Task.FORECASTING) {
      return DatasetSpec.builder(task).frameSize(64).strideFraction(0.1).forecastHorizon(4)
          .targetVariables(ThermalForecastGenerator.TARGET).build();
    }
    return DatasetSpec.defaults(task);
  }

  /** The spec recorded in {@code dir/synth.json}, if {@code dir} is a synthetic dataset. */
  public static Optional<DatasetSpec> recommendedSpec(Path dir) {
    Path marker = dir.resolve(MARKER);
    if (!Files.isRegularFile(marker)) return Optional.empty();
    try {
      return Optional.of(JSON.treeToValue(JSON.readTree(marker.toFile()).get("spec"), DatasetSpec.class));
    } catch (IOException | RuntimeException e) {
      throw new DatasetException(marker, 0, "cannot be read as a synthetic dataset description (" + e.getMessage() + ").",
          "delete the folder and generate the dataset again.", e);
    }
  }

  /**
   * Writes the synthetic dataset for {@code task} into {@code out} (created if needed). {@code out}
   * must be empty or a previous synthetic dataset, whose data folders are replaced.
   *
   * @param files number of data files; {@code <= 0} for {@link #defaultFiles}
   */
  public static Result write(Task task, Path out, long seed, int files) {
    long t0 = System.nanoTime();
    int n = files <= 0 ? defaultFiles(task) : files;
    int min = task == Task.CLASSIFICATION ? MotorFaultGenerator.CLASSES.size() : task == Task.ANOMALY ? 2 : 1;
    if (n < min) {
      throw new IllegalArgumentException("--files " + n + " is too few for " + task + "; use at least " + min
          + (task == Task.CLASSIFICATION ? " (one per class)" : task == Task.ANOMALY ? " (Normal and Anomaly)" : ""));
    }
    prepare(out);
    long rows;
    switch (task) {
      case REGRESSION:
        WashingMachineLoadGenerator.write(out, seed, n);
        rows = (long) n * WashingMachineLoadGenerator.ROWS;
        break;
      case CLASSIFICATION:
        MotorFaultGenerator.write(out, seed, n);
        rows = (long) n * MotorFaultGenerator.ROWS;
        break;
      case ANOMALY:
        VibrationAnomalyGenerator.write(out, seed, n);
        rows = (long) n * VibrationAnomalyGenerator.ROWS;
        break;
      case FORECASTING:
        ThermalForecastGenerator.write(out, seed, n);
        rows = (long) n * ThermalForecastGenerator.ROWS;
        break;
      default:
        throw new IllegalStateException(task.toString());
    }
    DatasetSpec spec = recommendedSpec(task).toBuilder().seed(seed).build();
    writeAnnotations(out, spec);
    writeMarker(out, task, seed, n, rows, spec);
    return new Result(task, out, n, rows, Duration.ofNanos(System.nanoTime() - t0), spec);
  }

  /** Tensorlab requires annotation lists for regression and forecasting; we write them for every task. */
  private static void writeAnnotations(Path out, DatasetSpec spec) {
    Map<String, List<String>> split = DatasetLoader.plannedSplit(out, spec);
    Path ann = out.resolve(DatasetLoader.ANNOTATIONS);
    SynthCsv.writeLines(ann.resolve(DatasetLoader.TRAIN_LIST), split.get("train"));
    SynthCsv.writeLines(ann.resolve(DatasetLoader.VAL_LIST), split.get("val"));
    SynthCsv.writeLines(ann.resolve(DatasetLoader.TEST_LIST), split.get("test"));
    List<String> all = new ArrayList<>();
    for (List<String> l : split.values()) all.addAll(l);
    all.sort(null);
    SynthCsv.writeLines(ann.resolve("file_list.txt"), all);
  }

  private static void writeMarker(Path out, Task task, long seed, int files, long rows, DatasetSpec spec) {
    ObjectNode root = JSON.createObjectNode();
    root.put("generator", "edgeamp synthetic " + task.cliName());
    root.put("task", task.cliName());
    root.put("seed", seed);
    root.put("files", files);
    root.put("rows", rows);
    root.set("spec", JSON.valueToTree(spec));
    try {
      JSON.writeValue(out.resolve(MARKER).toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out.resolve(MARKER), e);
    }
  }

  private static void prepare(Path out) {
    try {
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw new DatasetException(out, 0, "exists and is not a folder.", "choose a folder for the dataset.");
      }
      Files.createDirectories(out);
      boolean empty;
      try (Stream<Path> s = Files.list(out)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty) {
        if (!Files.isRegularFile(out.resolve(MARKER))) {
          throw new DatasetException(out, 0, "is not empty and was not written by 'dataset synth', so it is left alone.",
              "choose an empty or new folder.");
        }
        for (String d : new String[] {"files", "classes", DatasetLoader.ANNOTATIONS}) deleteTree(out.resolve(d));
        Files.deleteIfExists(out.resolve(MARKER));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + out + " (" + io.edgeamp.core.io.IoErrors.reason(e) + "); choose a folder you can write to", e);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      List<Path> all = new ArrayList<>();
      s.forEach(all::add);
      all.sort(Comparator.reverseOrder());
      for (Path q : all) Files.delete(q);
    }
  }
}
