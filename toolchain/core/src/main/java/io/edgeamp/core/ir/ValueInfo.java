package io.edgeamp.core.ir;

import java.util.Arrays;

/**
 * A graph input or output: its name and shape. The first dimension is the batch; -1 marks a
 * dimension that is not fixed (usually the batch).
 */
public record ValueInfo(String name, int[] shape) {
  public ValueInfo {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The shape with the batch dimension set to {@code batch}. */
  public int[] shapeWithBatch(int batch) {
    int[] s = shape.clone();
    if (s.length > 0) s[0] = batch;
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValueInfo v && v.name.equals(name) && Arrays.equals(v.shape, shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
