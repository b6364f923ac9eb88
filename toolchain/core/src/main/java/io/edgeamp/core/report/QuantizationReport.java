package io.edgeamp.core.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * What `toolchain quantize` found and chose, for people (HTML, {@link HtmlReports}) and programs (JSON).
 *
 * @param layers one row per quantizable layer in execution order
 * @param probes every budget evaluated, in order ("search" probes, then "promote" steps)
 * @param stageSeconds wall time per pipeline stage, in order
 * @param fallback null, or why the pipeline fell back to uniform 8-bit
 * @param predicted regression: predictions on the validation split (target units), paired with {@code actual}
 * @param confusion classification: counts[true][predicted] on the validation split
 * @param floatTestMetrics the float model on the held-out test split, which the budget search never saw
 *     (anomaly detection: the only split with anomalous windows, hence its ROC AUC); empty without one
 * @param chosenTestMetrics the chosen integer model on the same test split
 */
public record QuantizationReport(String format, String created, String task, String model, String board, String allocator,
    String sensitivityMethod, String metric, double tolerance, double threshold, Map<String, Double> floatMetrics,
    Map<String, Double> uniform8Metrics, Map<String, Double> chosenMetrics, double averageBits, boolean toleranceMet,
    long weightBytesChosen, long weightBytesUniform8, long weightBytesFloat, List<Layer> layers, List<Probe> probes,
    Map<String, Double> stageSeconds, List<String> warnings, String fallback, double[] predicted, double[] actual,
    int[][] confusion, List<String> classNames, Map<String, Double> floatTestMetrics, Map<String, Double> chosenTestMetrics) {

  public static final String FORMAT = "edgeamp-quantization-report/1";

  public record Layer(String name, String kind, long parameters, double sensitivity, int iterations, boolean converged, int bits,
      String target, long weightBytes, String reason) {}

  public record Probe(String phase, double budget, double averageBits, double metric, boolean passed) {}

  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
