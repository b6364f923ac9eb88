package io.edgeamp.core.amp;

import io.edgeamp.core.data.Task;

/**
 * When a quantized model is good enough, per task, as Tensorlab's auto-quantization defines it:
 * classification by accuracy and regression by R^2 allow a relative drop (default 0.05);
 * forecasting by SMAPE and anomaly detection by reconstruction MSE allow a ceiling of
 * float * (1 + tolerance) (default 2.0). Each task also has the range of average bits searched.
 */
public record TaskTolerance(Task task, String metric, double tolerance, double minBits, double maxBits) {

  public TaskTolerance {
    if (higherIsBetter(task)) {
      if (!(tolerance > 0 && tolerance < 1)) {
        throw new IllegalArgumentException("autoquant_tolerance_" + task.cliName() + " is a relative drop of " + metric
            + " and must be in (0, 1), e.g. 0.05; got " + tolerance);
      }
    } else if (!(tolerance > 0 && tolerance <= 100)) {
      throw new IllegalArgumentException("autoquant_tolerance_" + task.cliName() + " is a factor over the float " + metric
          + " (ceiling float * (1 + tolerance)) and must be in (0, 100], e.g. 2.0; got " + tolerance);
    }
    if (!(minBits >= 2 && maxBits <= 32 && minBits <= maxBits)) {
      throw new IllegalArgumentException("budget range [" + minBits + ", " + maxBits + "] must lie within [2, 32]");
    }
  }

  public static TaskTolerance defaults(Task task) {
    return switch (task) {
      case CLASSIFICATION -> new TaskTolerance(task, "accuracy", 0.05, 4, 8);
      case REGRESSION -> new TaskTolerance(task, "r2", 0.05, 4, 12);
      case FORECASTING -> new TaskTolerance(task, "smape", 2.0, 4, 32);
      case ANOMALY -> new TaskTolerance(task, "reconstruction_mse", 2.0, 4, 8);
    };
  }

  public TaskTolerance withTolerance(double t) {
    return new TaskTolerance(task, metric, t, minBits, maxBits);
  }

  static boolean higherIsBetter(Task task) {
    return task == Task.CLASSIFICATION || task == Task.REGRESSION;
  }

  /** The worst acceptable metric value given the float model's. */
  public double threshold(double floatMetric) {
    return higherIsBetter(task) ? floatMetric - tolerance * Math.abs(floatMetric) : floatMetric * (1 + tolerance);
  }

  public boolean passes(double metricValue, double floatMetric) {
    if (!Double.isFinite(metricValue)) return false;
    return higherIsBetter(task) ? metricValue >= threshold(floatMetric) : metricValue <= threshold(floatMetric);
  }
}
