package io.edgeamp.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A loaded, windowed, normalized dataset: three splits plus what the rest of the toolchain needs to
 * build and deploy a model for it (shapes, class names, the normalization to store with the model).
 * Made by {@link DatasetLoader#load}.
 */
public final class Dataset {
  private final Path root;
  private final DatasetSpec spec;
  private final Split train;
  private final Split val;
  private final Split test;
  private final Normalization normalization;
  private final List<String> classNames;
  private final List<String> inputNames;
  private final List<String> targetNames;

  Dataset(Path root, DatasetSpec spec, Split train, Split val, Split test, Normalization normalization,
      List<String> classNames, List<String> inputNames, List<String> targetNames) {
    this.root = root;
    this.spec = Objects.requireNonNull(spec);
    this.train = train;
    this.val = val;
    this.test = test;
    this.normalization = normalization;
    this.classNames = List.copyOf(classNames);
    this.inputNames = List.copyOf(inputNames);
    this.targetNames = List.copyOf(targetNames);
  }

  /** The dataset folder it was read from. */
  public Path root() {
    return root;
  }

  public Task task() {
    return spec.task();
  }

  public DatasetSpec spec() {
    return spec;
  }

  public Split train() {
    return train;
  }

  public Split val() {
    return val;
  }

  public Split test() {
    return test;
  }

  /** Fitted on the training split only; store it with the model. */
  public Normalization normalization() {
    return normalization;
  }

  /**
   * Classification: the class folder names, sorted, so that label i is classNames().get(i). Anomaly
   * detection: ["Normal", "Anomaly"] (labels 0 and 1). Empty for regression and forecasting.
   */
  public List<String> classNames() {
    return classNames;
  }

  public int numClasses() {
    return classNames.size();
  }

  /** Input channel names (header names, or "column N" for header-less files). */
  public List<String> inputNames() {
    return inputNames;
  }

  /** Regression: the target column; forecasting: the target columns (horizon-major in the target vector). */
  public List<String> targetNames() {
    return targetNames;
  }

  public int channels() {
    return inputNames.size();
  }

  /** Shape of one input window: [C, frame, 1] (NCHW without batch: TI networks use (k,1) kernels along the frame). */
  public int[] inputShape() {
    return new int[] {channels(), spec.frameSize(), 1};
  }

  /**
   * Shape of one target: regression [1]; forecasting [horizon * targets]; classification [] (a scalar
   * class index; the network's output has {@link #numClasses()} logits); anomaly detection the input shape.
   */
  public int[] targetShape() {
    switch (spec.task()) {
      case REGRESSION:
        return new int[] {1};
      case FORECASTING:
        return new int[] {spec.forecastHorizon() * targetNames.size()};
      case CLASSIFICATION:
        return new int[0];
      case ANOMALY:
        return inputShape();
      default:
        throw new IllegalStateException(spec.task().toString());
    }
  }

  @Override
  public String toString() {
    return spec.task() + " dataset " + root + ": train " + train.size() + ", val " + val.size() + ", test " + test.size()
        + " windows of " + channels() + "x" + spec.frameSize();
  }
}
