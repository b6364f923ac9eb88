package io.edgeamp.core.data;

import java.util.Locale;

/**
 * What a network learns from a dataset. Each task has its own dataset layout (TI Tiny ML Tensorlab's
 * "bring your own data" layouts): classification and anomaly detection read {@code classes/<label>/},
 * regression and forecasting read {@code files/}.
 */
public enum Task {
  CLASSIFICATION("classification", "classes"),
  REGRESSION("regression", "files"),
  FORECASTING("forecasting", "files"),
  ANOMALY("anomaly", "classes");

  private final String cliName;
  private final String dataDir;

  Task(String cliName, String dataDir) {
    this.cliName = cliName;
    this.dataDir = dataDir;
  }

  /** The name used on the command line ({@code --task regression}). */
  public String cliName() {
    return cliName;
  }

  /** The folder under the dataset root that holds the data files: {@code classes} or {@code files}. */
  public String dataDir() {
    return dataDir;
  }

  /** True for the tasks whose labels come from folder names under {@code classes/}. */
  public boolean usesClassFolders() {
    return dataDir.equals("classes");
  }

  /**
   * Parses our CLI names and Tensorlab's names: the {@code task_type} values
   * ({@code generic_timeseries_classification|regression|forecasting|anomalydetection}, plus the
   * application task types that are classifications: {@code motor_fault}, {@code arc_fault},
   * {@code ecg_classification}, {@code blower_imbalance}, {@code pir_detection}) and the
   * {@code task_category} values ({@code timeseries_classification} ...). Case, '-' and '_' variants
   * are accepted ({@code anomaly_detection}, {@code timeseries_anomaly_detection}).
   */
  public static Task parse(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("no task given; expected one of " + names());
    }
    String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    // Tensorlab writes both "anomalydetection" and (in prose) "anomaly_detection".
    n = n.replace("anomaly_detection", "anomalydetection");
    for (String prefix : new String[] {"generic_timeseries_", "generic_ts_", "timeseries_", "ts_"}) {
      if (n.startsWith(prefix)) {
        n = n.substring(prefix.length());
        break;
      }
    }
    switch (n) {
      case "classification":
      case "motor_fault":
      case "arc_fault":
      case "ecg_classification":
      case "blower_imbalance":
      case "pir_detection":
        return CLASSIFICATION;
      case "regression":
        return REGRESSION;
      case "forecasting":
      case "forecast":
        return FORECASTING;
      case "anomaly":
      case "anomalydetection":
        return ANOMALY;
      default:
        throw new IllegalArgumentException(
            "unknown task '" + name + "'; expected one of " + names()
                + " (Tensorlab names such as generic_timeseries_regression are accepted too)");
    }
  }

  private static String names() {
    StringBuilder sb = new StringBuilder();
    for (Task t : values()) {
      if (sb.length() > 0) sb.append(", ");
      sb.append(t.cliName);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return cliName;
  }
}
