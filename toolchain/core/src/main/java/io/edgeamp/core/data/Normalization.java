package io.edgeamp.core.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgeamp.core.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Per-channel standardisation {@code (x - mean) / std}, fitted on the training split only and stored
 * with the model so that the device (and the test vectors) apply exactly the same transform.
 *
 * <p>Inputs have one (mean, std) per input channel. Regression and forecasting targets have one per
 * target column; a forecasting target vector is laid out horizon-major ({@code [step0: t0..tT-1,
 * step1: ...]}), so element {@code j} uses target column {@code j % T}. Classification and anomaly
 * detection have no target statistics (anomaly targets are the normalized inputs).
 *
 * <p>A channel that is constant on the training split (std below {@value #MIN_STD}) gets std 1, so
 * it is only centred rather than blown up to infinity.
 *
 * <p>JSON round-trips exactly: Jackson writes each double in its shortest exact decimal form.
 */
public final class Normalization {
  /** Smaller standard deviations are treated as a constant channel. */
  public static final double MIN_STD = 1e-12;

  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final List<String> inputNames;
  private final double[] inputMean;
  private final double[] inputStd;
  private final List<String> targetNames;
  private final double[] targetMean;
  private final double[] targetStd;

  public Normalization(List<String> inputNames, double[] inputMean, double[] inputStd,
      List<String> targetNames, double[] targetMean, double[] targetStd) {
    this.inputNames = List.copyOf(inputNames);
    this.inputMean = inputMean.clone();
    this.inputStd = inputStd.clone();
    this.targetNames = List.copyOf(targetNames);
    this.targetMean = targetMean.clone();
    this.targetStd = targetStd.clone();
    check("input", this.inputNames, this.inputMean, this.inputStd);
    check("target", this.targetNames, this.targetMean, this.targetStd);
  }

  private static void check(String what, List<String> names, double[] mean, double[] std) {
    if (names.size() != mean.length || mean.length != std.length) {
      throw new IllegalArgumentException(what + " names/mean/std lengths differ: "
          + names.size() + "/" + mean.length + "/" + std.length);
    }
    for (int i = 0; i < mean.length; i++) {
      if (!Double.isFinite(mean[i]) || !Double.isFinite(std[i]) || !(std[i] > 0)) {
        throw new IllegalArgumentException(what + " channel " + names.get(i) + " has mean " + mean[i] + ", std " + std[i]
            + "; std must be finite and positive");
      }
    }
  }

  /** Standard deviation from a variance; a (near-)constant channel gets std 1. */
  static double safeStd(double variance) {
    double s = Math.sqrt(Math.max(0, variance));
    return s < MIN_STD || !Double.isFinite(s) ? 1.0 : s;
  }

  public int inputChannels() {
    return inputMean.length;
  }

  public int targetChannels() {
    return targetMean.length;
  }

  public List<String> inputNames() {
    return inputNames;
  }

  public List<String> targetNames() {
    return targetNames;
  }

  public double[] inputMean() {
    return inputMean.clone();
  }

  public double[] inputStd() {
    return inputStd.clone();
  }

  public double[] targetMean() {
    return targetMean.clone();
  }

  public double[] targetStd() {
    return targetStd.clone();
  }

  /** Normalizes inputs of shape [N, C, frame, 1] or [C, frame, 1]; returns a new tensor. */
  public Tensor normalizeInputs(Tensor raw) {
    return mapInputs(raw, false);
  }

  /** Inverse of {@link #normalizeInputs}: back to sensor units. */
  public Tensor denormalizeInputs(Tensor normalized) {
    return mapInputs(normalized, true);
  }

  /** Normalizes targets of shape [N, L] or [L] where L is a multiple of the target channels. */
  public Tensor normalizeTargets(Tensor raw) {
    return mapTargets(raw, false);
  }

  /** Back to physical units (e.g. kg, degrees) for metrics; shape [N, L] or [L]. */
  public Tensor denormalizeTargets(Tensor normalized) {
    return mapTargets(normalized, true);
  }

  /** One target element back to physical units; {@code index} is its position in the target vector. */
  public double denormalizeTarget(int index, double value) {
    int c = index % targetMean.length;
    return value * targetStd[c] + targetMean[c];
  }

  private Tensor mapInputs(Tensor t, boolean inverse) {
    int[] shape = t.shape();
    if (shape.length < 3 || shape[shape.length - 3] != inputMean.length) {
      throw new IllegalArgumentException("expected inputs [N, " + inputMean.length + ", frame, 1] or ["
          + inputMean.length + ", frame, 1], got " + Arrays.toString(shape));
    }
    int inner = shape[shape.length - 2] * shape[shape.length - 1];
    int c = inputMean.length;
    double[] in = t.data();
    double[] out = new double[in.length];
    for (int k = 0; k < in.length; k++) {
      int ch = (k / inner) % c;
      out[k] = inverse ? in[k] * inputStd[ch] + inputMean[ch] : (in[k] - inputMean[ch]) / inputStd[ch];
    }
    return new Tensor(shape, out);
  }

  private Tensor mapTargets(Tensor t, boolean inverse) {
    int[] shape = t.shape();
    int tc = targetMean.length;
    if (tc == 0) throw new IllegalStateException("this task has no target statistics (classification or anomaly detection)");
    if (shape.length < 1 || shape[shape.length - 1] % tc != 0) {
      throw new IllegalArgumentException("expected targets [N, k*" + tc + "], got " + Arrays.toString(shape));
    }
    double[] in = t.data();
    double[] out = new double[in.length];
    for (int k = 0; k < in.length; k++) {
      int ch = k % tc; // the last dimension is a multiple of tc, so k % tc == (k % L) % tc
      out[k] = inverse ? in[k] * targetStd[ch] + targetMean[ch] : (in[k] - targetMean[ch]) / targetStd[ch];
    }
    return new Tensor(shape, out);
  }

  // ---- JSON ----

  /** The JSON form stored with the model. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(new Json(FORMAT_VERSION, inputNames, inputMean, inputStd, targetNames, targetMean, targetStd));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write normalization as JSON", e);
    }
  }

  /** Reads {@link #toJson()} output; rejects an unknown format version. */
  public static Normalization fromJson(String json) {
    Json j;
    try {
      j = JSON.readValue(json, Json.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a normalization JSON document: " + e.getOriginalMessage(), e);
    }
    if (j.version != FORMAT_VERSION) {
      throw new IllegalArgumentException("normalization format version " + j.version + " is not supported (this build reads "
          + FORMAT_VERSION + "); re-export the model with a matching toolchain");
    }
    return new Normalization(j.inputNames, j.inputMean, j.inputStd, j.targetNames, j.targetMean, j.targetStd);
  }

  public void write(Path file) {
    try {
      Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static Normalization read(Path file) {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The serialised form; field names are the JSON keys. */
  private static final class Json {
    @JsonProperty("version") int version;
    @JsonProperty("inputNames") List<String> inputNames;
    @JsonProperty("inputMean") double[] inputMean;
    @JsonProperty("inputStd") double[] inputStd;
    @JsonProperty("targetNames") List<String> targetNames;
    @JsonProperty("targetMean") double[] targetMean;
    @JsonProperty("targetStd") double[] targetStd;

    Json() {}

    Json(int version, List<String> inputNames, double[] inputMean, double[] inputStd, List<String> targetNames,
        double[] targetMean, double[] targetStd) {
      this.version = version;
      this.inputNames = inputNames;
      this.inputMean = inputMean;
      this.inputStd = inputStd;
      this.targetNames = targetNames;
      this.targetMean = targetMean;
      this.targetStd = targetStd;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Normalization)) return false;
    Normalization n = (Normalization) o;
    return inputNames.equals(n.inputNames) && Arrays.equals(inputMean, n.inputMean) && Arrays.equals(inputStd, n.inputStd)
        && targetNames.equals(n.targetNames) && Arrays.equals(targetMean, n.targetMean) && Arrays.equals(targetStd, n.targetStd);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * inputNames.hashCode() + Arrays.hashCode(inputMean)) + Arrays.hashCode(targetMean);
  }

  @Override
  public String toString() {
    return "Normalization" + inputNames + (targetNames.isEmpty() ? "" : " -> " + targetNames);
  }
}
