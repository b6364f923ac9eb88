package io.edgeamp.core.amp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgeamp.core.data.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The parts of a TI Tiny ML Tensorlab {@code config.yaml} that EdgeAMP uses, so Tensorlab users can
 * reuse their configs: common.task_type, dataset.input_data_path, data_processing_feature_extraction
 * (frame_size, stride_size, variables, target_variables, forecast_horizon), training (model_name,
 * batch_size, training_epochs, learning_rate, quantization 0/1/2, auto_quantization,
 * autoquant_tolerance_*). Keys Tensorlab knows but EdgeAMP ignores, and unknown keys, become
 * warnings; a value of the wrong type or out of range is an error naming the key path.
 */
public record TensorlabConfig(Path file, Task task, String dataPath, OptionalInt frameSize, OptionalDouble strideSize,
    OptionalInt variables, List<String> targetVariables, OptionalInt forecastHorizon, String modelName, OptionalInt batchSize,
    OptionalInt epochs, OptionalDouble learningRate, int quantization, boolean autoQuantization, Map<Task, Double> tolerances,
    List<String> warnings) {

  private static final Map<String, Set<String>> USED = Map.of(
      "common", Set.of("task_type"),
      "dataset", Set.of("input_data_path", "dataset_name"),
      "data_processing_feature_extraction", Set.of("frame_size", "stride_size", "variables", "target_variables", "forecast_horizon"),
      "training", Set.of("model_name", "batch_size", "training_epochs", "learning_rate", "quantization", "auto_quantization",
          "autoquant_tolerance_classification", "autoquant_tolerance_regression", "autoquant_tolerance_forecasting",
          "autoquant_tolerance_anomaly"));
  /** Sections Tensorlab has that do not affect EdgeAMP's work. */
  private static final Set<String> IGNORED_SECTIONS = Set.of("testing", "compilation", "feature_extraction");

  /** A config that cannot be used: names the file and key path. */
  public static final class ConfigException extends IllegalArgumentException {
    public ConfigException(Path file, String keyPath, String problem) {
      super(file + ": " + keyPath + ": " + problem);
    }
  }

  public static TensorlabConfig read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(file, "(file)", "not valid YAML at " + io.edgeamp.core.io.ParseErrors.describe(e));
    } catch (IOException e) {
      throw new ConfigException(file, "(file)", "cannot be read: " + io.edgeamp.core.io.IoErrors.reason(e));
    }
    if (root == null || !root.isObject()) throw new ConfigException(file, "(top level)", "must be a mapping with sections such as common: and training:");
    List<String> warnings = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String section = it.next();
      if (IGNORED_SECTIONS.contains(section)) continue;
      Set<String> keys = USED.get(section);
      if (keys == null) {
        warnings.add(file + ": section '" + section + "' is not used by EdgeAMP (known: " + USED.keySet() + ")");
        continue;
      }
      for (Iterator<String> k = root.get(section).fieldNames(); k.hasNext(); ) {
        String key = k.next();
        if (!keys.contains(key)) warnings.add(file + ": " + section + "." + key + " is ignored by EdgeAMP");
      }
    }
    JsonNode taskNode = root.path("common").path("task_type");
    if (!taskNode.isTextual()) throw new ConfigException(file, "common.task_type", "missing; e.g. generic_timeseries_regression");
    Task task;
    try {
      task = Task.parse(taskNode.asText());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file, "common.task_type", e.getMessage());
    }
    JsonNode dp = root.path("data_processing_feature_extraction");
    JsonNode tr = root.path("training");
    String data = text(root.path("dataset").path("input_data_path"));
    int quantization = intOr(file, tr, "training", "quantization", 2, 0, 2);
    boolean auto = !tr.has("auto_quantization") || bool(file, tr.get("auto_quantization"), "training.auto_quantization");
    Map<Task, Double> tol = new java.util.EnumMap<>(Task.class);
    for (Task t : Task.values()) {
      String key = "autoquant_tolerance_" + t.cliName();
      if (!tr.has(key)) continue;
      double v = number(file, tr.get(key), "training." + key);
      try {
        TaskTolerance.defaults(t).withTolerance(v);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file, "training." + key, e.getMessage());
      }
      tol.put(t, v);
    }
    List<String> targets = new ArrayList<>();
    JsonNode tv = dp.path("target_variables");
    if (tv.isArray()) tv.forEach(n -> targets.add(n.asText()));
    else if (!tv.isMissingNode() && !tv.isNull()) targets.add(tv.asText());
    return new TensorlabConfig(file, task, data, optInt(file, dp, "data_processing_feature_extraction", "frame_size", 1, 1 << 20),
        optDouble(file, dp, "data_processing_feature_extraction.stride_size"),
        optInt(file, dp, "data_processing_feature_extraction", "variables", 1, 4096), targets,
        optInt(file, dp, "data_processing_feature_extraction", "forecast_horizon", 1, 1 << 16), text(tr.path("model_name")),
        optInt(file, tr, "training", "batch_size", 1, 1 << 16), optInt(file, tr, "training", "training_epochs", 1, 100_000),
        optDouble(file, tr, "training.learning_rate"), quantization, auto, tol, warnings);
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  private static boolean bool(Path f, JsonNode n, String path) {
    if (n.isBoolean()) return n.booleanValue();
    if (n.isTextual() && (n.asText().equalsIgnoreCase("true") || n.asText().equalsIgnoreCase("false"))) return Boolean.parseBoolean(n.asText());
    throw new ConfigException(f, path, "expected True or False, got '" + n.asText() + "'");
  }

  private static double number(Path f, JsonNode n, String path) {
    if (n.isNumber()) return n.doubleValue();
    try {
      return Double.parseDouble(n.asText());
    } catch (NumberFormatException e) {
      throw new ConfigException(f, path, "expected a number, got '" + n.asText() + "'");
    }
  }

  private static OptionalDouble optDouble(Path f, JsonNode parent, String path) {
    String key = path.substring(path.lastIndexOf('.') + 1);
    return parent.has(key) && !parent.get(key).isNull() ? OptionalDouble.of(number(f, parent.get(key), path)) : OptionalDouble.empty();
  }

  private static OptionalInt optInt(Path f, JsonNode parent, String section, String key, int min, int max) {
    if (!parent.has(key) || parent.get(key).isNull()) return OptionalInt.empty();
    return OptionalInt.of(intOr(f, parent, section, key, 0, min, max));
  }

  private static int intOr(Path f, JsonNode parent, String section, String key, int dflt, int min, int max) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) return dflt;
    String path = section + "." + key;
    if (!n.canConvertToInt() || (n.isNumber() && !n.isIntegralNumber())) {
      throw new ConfigException(f, path, "expected a whole number, got '" + n.asText() + "'");
    }
    int v = n.asInt();
    if (v < min || v > max) throw new ConfigException(f, path, v + " is outside " + min + ".." + max);
    return v;
  }

  /** The task's tolerance: the config's value, or the default. */
  /** {@code base} with the config's windowing (frame_size, stride_size, variables, target_variables, forecast_horizon) where it sets them. */
  public io.edgeamp.core.data.DatasetSpec applyTo(io.edgeamp.core.data.DatasetSpec base) {
    io.edgeamp.core.data.DatasetSpec.Builder b = base.toBuilder();
    frameSize.ifPresent(b::frameSize);
    strideSize.ifPresent(b::strideFraction);
    variables.ifPresent(b::variables);
    if (!targetVariables.isEmpty()) b.targetVariables(targetVariables);
    forecastHorizon.ifPresent(b::forecastHorizon);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file, "data_processing_feature_extraction", e.getMessage());
    }
  }

  public TaskTolerance tolerance() {
    TaskTolerance d = TaskTolerance.defaults(task);
    Double t = tolerances.get(task);
    return t == null ? d : d.withTolerance(t);
  }
}
