package io.edgeamp.core.data;

import java.util.List;
import java.util.Objects;

/**
 * How to turn a dataset folder into windows: Tensorlab's {@code data_processing_feature_extraction}
 * settings for {@code SimpleWindow} plus the file-level split used when the dataset has no annotations.
 *
 * @param task what is learnt; selects the layout ({@code files/} or {@code classes/})
 * @param frameSize rows per window (Tensorlab {@code frame_size})
 * @param strideFraction step between windows as a fraction of the frame (Tensorlab {@code stride_size});
 *     the step is {@link #stride()} = max(1, round(frameSize * strideFraction))
 * @param variables number of input channels, taken as the first columns after time columns are dropped
 *     (Tensorlab {@code variables}); 0 = automatic: every column, except the last (the target) for regression
 * @param inputColumns explicit input columns by header name or 0-based index (after time columns are
 *     dropped), as Tensorlab's list form of {@code variables}; empty = use {@code variables}
 * @param targetVariables forecasting targets by header name or 0-based index (after time columns are
 *     dropped); empty = every column, as in Tensorlab
 * @param forecastHorizon forecasting: number of future rows predicted after each window
 * @param seed seed of the file-level split used when annotations are missing
 * @param trainFraction share of files for training when annotations are missing (val and test likewise)
 */
public record DatasetSpec(
    Task task,
    int frameSize,
    double strideFraction,
    int variables,
    List<String> inputColumns,
    List<String> targetVariables,
    int forecastHorizon,
    long seed,
    double trainFraction,
    double valFraction,
    double testFraction) {

  public DatasetSpec {
    Objects.requireNonNull(task, "task");
    inputColumns = inputColumns == null ? List.of() : List.copyOf(inputColumns);
    targetVariables = targetVariables == null ? List.of() : List.copyOf(targetVariables);
    if (frameSize < 1) throw new IllegalArgumentException("frame_size must be at least 1, got " + frameSize);
    if (!(strideFraction > 0) || Double.isInfinite(strideFraction)) {
      throw new IllegalArgumentException("stride_size must be a positive fraction of the frame (e.g. 0.25), got " + strideFraction);
    }
    if (variables < 0) throw new IllegalArgumentException("variables must be >= 0 (0 = automatic), got " + variables);
    if (!inputColumns.isEmpty() && variables != 0 && variables != inputColumns.size()) {
      throw new IllegalArgumentException(
          "variables=" + variables + " disagrees with the " + inputColumns.size() + " input columns " + inputColumns);
    }
    if (forecastHorizon < 1) throw new IllegalArgumentException("forecast_horizon must be at least 1, got " + forecastHorizon);
    if (!(trainFraction > 0) || !(valFraction >= 0) || !(testFraction >= 0)) {
      throw new IllegalArgumentException(
          "split fractions must be train > 0, val >= 0, test >= 0; got " + trainFraction + "/" + valFraction + "/" + testFraction);
    }
    double sum = trainFraction + valFraction + testFraction;
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw new IllegalArgumentException(
          "split fractions must add up to 1, got " + trainFraction + "+" + valFraction + "+" + testFraction + "=" + sum);
    }
  }

  /**
   * Defaults per task. Regression follows Tensorlab's washing-machine example (frame 512, stride 0.25);
   * classification and anomaly detection use frame 256 with half-overlapping windows; forecasting a
   * 64-row look-back, stride 0.1, one step ahead (Tensorlab's default horizon). Split 0.6/0.2/0.2, seed 42.
   */
  public static DatasetSpec defaults(Task task) {
    return builder(task).build();
  }

  public static Builder builder(Task task) {
    return new Builder(task);
  }

  public Builder toBuilder() {
    return new Builder(task)
        .frameSize(frameSize)
        .strideFraction(strideFraction)
        .variables(variables)
        .inputColumns(inputColumns)
        .targetVariables(targetVariables)
        .forecastHorizon(forecastHorizon)
        .seed(seed)
        .splitFractions(trainFraction, valFraction, testFraction);
  }

  /** Rows between the starts of consecutive windows: max(1, round(frameSize * strideFraction)). */
  public int stride() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(frameSize * strideFraction)));
  }

  /** Builder with the per-task defaults filled in. */
  public static final class Builder {
    private final Task task;
    private int frameSize;
    private double strideFraction;
    private int variables = 0;
    private List<String> inputColumns = List.of();
    private List<String> targetVariables = List.of();
    private int forecastHorizon = 1;
    private long seed = 42;
    private double train = 0.6;
    private double val = 0.2;
    private double test = 0.2;

    private Builder(Task task) {
      this.task = Objects.requireNonNull(task, "task");
      switch (task) {
        case REGRESSION:
          frameSize = 512;
          strideFraction = 0.25;
          break;
        case FORECASTING:
          frameSize = 64;
          strideFraction = 0.1;
          break;
        default:
          frameSize = 256;
          strideFraction = 0.5;
          break;
      }
    }

    public Builder frameSize(int v) {
      frameSize = v;
      return this;
    }

    public Builder strideFraction(double v) {
      strideFraction = v;
      return this;
    }

    public Builder variables(int v) {
      variables = v;
      return this;
    }

    public Builder inputColumns(List<String> v) {
      inputColumns = v;
      return this;
    }

    public Builder targetVariables(List<String> v) {
      targetVariables = v;
      return this;
    }

    public Builder targetVariables(String... v) {
      targetVariables = List.of(v);
      return this;
    }

    public Builder forecastHorizon(int v) {
      forecastHorizon = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder splitFractions(double trainFraction, double valFraction, double testFraction) {
      train = trainFraction;
      val = valFraction;
      test = testFraction;
      return this;
    }

    public DatasetSpec build() {
      return new DatasetSpec(task, frameSize, strideFraction, variables, inputColumns, targetVariables,
          forecastHorizon, seed, train, val, test);
    }
  }
}
