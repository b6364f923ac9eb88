package io.edgeamp.core.zoo;

import io.edgeamp.core.ir.Graph;
import java.util.List;
import java.util.Locale;

/**
 * Built-in networks with the shapes of TI Tiny ML Tensorlab's model zoo, for inputs [C, frame, 1]
 * (channels x samples, (k,1) kernels along time). Each builder takes the dataset's channel count,
 * frame length and number of outputs, so one definition serves every dataset of its task.
 */
public final class ModelZoo {
  private ModelZoo() {}

  public static final List<String> NAMES = List.of("REGR_13k", "REGR_4k", "CLS_4k_NPU", "AD_17k", "FCST_3k");

  /** The default network for a task name (regression, classification, anomaly, forecasting). */
  public static String defaultFor(String task) {
    return switch (task.toLowerCase(Locale.ROOT)) {
      case "regression" -> "REGR_13k";
      case "classification" -> "CLS_4k_NPU";
      case "anomaly" -> "AD_17k";
      case "forecasting" -> "FCST_3k";
      default -> throw new IllegalArgumentException("no zoo model for task '" + task + "'");
    };
  }

  /**
   * Builds {@code name} for inputs of {@code channels} x {@code frame} and {@code outputs} outputs
   * (ignored by the autoencoder, whose output is its input's shape).
   */
  public static Graph build(String name, int channels, int frame, int outputs, long seed) {
    return switch (name) {
      case "REGR_13k" -> regr13k(channels, frame, outputs, seed);
      case "REGR_4k" -> regr4k(channels, frame, outputs, seed);
      case "CLS_4k_NPU" -> cls4k(channels, frame, outputs, seed);
      case "AD_17k" -> ad17k(channels, frame, seed);
      case "FCST_3k" -> fcst3k(channels, frame, outputs, seed);
      default -> throw new IllegalArgumentException("unknown zoo model '" + name + "'; known: " + NAMES);
    };
  }

  /** BN -> 3 x [Conv(3,1) stride (2,1) + BN + ReLU] with (3,1) max pools between -> GAP -> Linear 64-32-out. */
  static Graph regr13k(int c, int frame, int outputs, long seed) {
    return new NetworkBuilder("REGR_13k", seed, c, frame, 1)
        .batchNorm()
        .conv(16, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .maxPool(3, 1, 1, 1, 1, 0)
        .conv(32, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .maxPool(3, 1, 1, 1, 1, 0)
        .conv(64, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .globalAveragePool().flatten()
        .linear(32).relu()
        .linear(outputs)
        .metadata("zoo", "REGR_13k")
        .build();
  }

  /** A smaller regressor: 8, 16, 32 channels with (5,1) kernels in the deeper layers. */
  static Graph regr4k(int c, int frame, int outputs, long seed) {
    return new NetworkBuilder("REGR_4k", seed, c, frame, 1)
        .batchNorm()
        .conv(8, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .maxPool(3, 1, 1, 1, 1, 0)
        .conv(16, 5, 1, 2, 1, 2, 0, 1, true).batchNorm().relu()
        .maxPool(3, 1, 1, 1, 1, 0)
        .conv(32, 5, 1, 2, 1, 2, 0, 1, true).batchNorm().relu()
        .globalAveragePool().flatten()
        .linear(16).relu()
        .linear(outputs)
        .metadata("zoo", "REGR_4k")
        .build();
  }

  /** NPU-friendly classifier: channel counts multiples of 4, max-pool kernels <= 4, fan-ins >= 16. */
  static Graph cls4k(int c, int frame, int classes, long seed) {
    return new NetworkBuilder("CLS_4k_NPU", seed, c, frame, 1)
        .batchNorm()
        .conv(8, 5, 1, 2, 1, 2, 0, 1, true).batchNorm().relu()
        .maxPool(3, 1, 2, 1, 1, 0)
        .conv(16, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .conv(32, 5, 1, 2, 1, 2, 0, 1, true).batchNorm().relu()
        .globalAveragePool().flatten()
        .linear(16).relu()
        .linear(classes)
        .metadata("zoo", "CLS_4k_NPU")
        .build();
  }

  /** Convolutional autoencoder: three stride-2 encoder convs (16, 32, 64), three upsample+conv decoder stages. */
  static Graph ad17k(int c, int frame, long seed) {
    if (frame % 8 != 0) throw new IllegalArgumentException("AD_17k needs a frame length divisible by 8, got " + frame);
    return new NetworkBuilder("AD_17k", seed, c, frame, 1)
        .conv(16, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .conv(32, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .conv(64, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .upsample(2, 1).conv(32, 3, 1, 1, 1, 1, 0, 1, true).batchNorm().relu()
        .upsample(2, 1).conv(16, 3, 1, 1, 1, 1, 0, 1, true).batchNorm().relu()
        .upsample(2, 1).conv(c, 3, 1, 1, 1, 1, 0, 1, true)
        .metadata("zoo", "AD_17k")
        .build();
  }

  /** Small forecaster: two convs (8, 16) -> GAP -> Linear 16-32-(horizon x targets). */
  static Graph fcst3k(int c, int frame, int outputs, long seed) {
    return new NetworkBuilder("FCST_3k", seed, c, frame, 1)
        .conv(8, 3, 1, 1, 1, 1, 0, 1, true).batchNorm().relu()
        .conv(16, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .conv(32, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .globalAveragePool().flatten()
        .linear(32).relu()
        .linear(outputs)
        .metadata("zoo", "FCST_3k")
        .build();
  }
}
