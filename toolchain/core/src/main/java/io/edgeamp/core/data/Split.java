package io.edgeamp.core.data;

import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One split (train, val or test) of a dataset: normalized input windows, their targets and, for
 * classification and anomaly detection, integer labels.
 *
 * <ul>
 *   <li>{@link #inputs()}: [N, C, frame, 1], already normalized with the training statistics;
 *   <li>{@link #targets()}: regression [N, 1] and forecasting [N, horizon * targets] (normalized with the
 *       target columns' training statistics, see {@link Normalization#denormalizeTargets}); classification
 *       [N] class index as a double; anomaly detection the inputs themselves (autoencoder);
 *   <li>{@link #labels()}: class index (classification) or 0 normal / 1 anomaly (anomaly detection).
 * </ul>
 *
 * Immutable: views ({@link #batch}, {@link #select}) copy the rows they hold.
 */
public final class Split {
  private final String name;
  private final Task task;
  private final Tensor inputs;
  private final Tensor targets;
  private final int[] labels; // null for regression and forecasting
  private final List<WindowSource> sources;

  Split(String name, Task task, Tensor inputs, Tensor targets, int[] labels, List<WindowSource> sources) {
    this.name = Objects.requireNonNull(name);
    this.task = Objects.requireNonNull(task);
    this.inputs = Objects.requireNonNull(inputs);
    this.targets = Objects.requireNonNull(targets);
    this.labels = labels;
    this.sources = List.copyOf(sources);
    int n = inputs.dim(0);
    if (targets.dim(0) != n || sources.size() != n || (labels != null && labels.length != n)) {
      throw new IllegalArgumentException("split " + name + ": inconsistent sizes");
    }
  }

  /** "train", "val" or "test". */
  public String name() {
    return name;
  }

  public Task task() {
    return task;
  }

  /** Number of windows. */
  public int size() {
    return inputs.dim(0);
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** Normalized inputs [N, C, frame, 1]. Do not write into the returned tensor's data. */
  public Tensor inputs() {
    return inputs;
  }

  /** Targets; see the class comment for the shape per task. Do not write into the data. */
  public Tensor targets() {
    return targets;
  }

  /** True for classification and anomaly detection. */
  public boolean hasLabels() {
    return labels != null;
  }

  /** Class index per window (classification) or 0 normal / 1 anomaly (anomaly detection); a copy. */
  public int[] labels() {
    if (labels == null) {
      throw new IllegalStateException(task + " windows have no labels; use targets()");
    }
    return labels.clone();
  }

  /** Where window {@code i} came from. */
  public WindowSource source(int i) {
    return sources.get(i);
  }

  public List<WindowSource> sources() {
    return sources;
  }

  /** Windows [from, to) as a new split (copies), for mini-batches in order. */
  public Split batch(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IndexOutOfBoundsException("batch [" + from + ", " + to + ") of a split of " + size());
    }
    int[] idx = new int[to - from];
    for (int i = 0; i < idx.length; i++) idx[i] = from + i;
    return select(idx);
  }

  /** The windows at {@code indices} (any order, repeats allowed), e.g. a shuffled mini-batch. */
  public Split select(int[] indices) {
    Tensor in = gather(inputs, indices);
    Tensor tg = task == Task.ANOMALY ? in : gather(targets, indices);
    int[] lb = null;
    if (labels != null) {
      lb = new int[indices.length];
      for (int i = 0; i < indices.length; i++) lb[i] = labels[indices[i]];
    }
    List<WindowSource> src = new ArrayList<>(indices.length);
    for (int i : indices) src.add(sources.get(i));
    return new Split(name, task, in, tg, lb, src);
  }

  private static Tensor gather(Tensor t, int[] indices) {
    int[] shape = t.shape();
    int n = shape[0];
    int row = n == 0 ? 0 : t.size() / n;
    if (n == 0) {
      row = 1;
      for (int d = 1; d < shape.length; d++) row *= shape[d];
    }
    double[] src = t.data();
    double[] out = new double[indices.length * row];
    for (int i = 0; i < indices.length; i++) {
      int k = indices[i];
      if (k < 0 || k >= n) throw new IndexOutOfBoundsException("window " + k + " of " + n);
      System.arraycopy(src, k * row, out, i * row, row);
    }
    shape[0] = indices.length;
    return new Tensor(shape, out);
  }

  @Override
  public String toString() {
    return name + " split: " + size() + " windows, inputs " + Arrays.toString(inputs.shape())
        + ", targets " + Arrays.toString(targets.shape());
  }
}
