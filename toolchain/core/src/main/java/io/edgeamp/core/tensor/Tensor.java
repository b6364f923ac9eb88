package io.edgeamp.core.tensor;

import java.util.Arrays;

/**
 * A dense row-major tensor of doubles. The engine computes in double so that gradients and
 * Hessian-vector products are accurate enough to check against finite differences; float32 appears
 * only at the boundaries (ONNX files, the device).
 *
 * <p>The data array is shared, not copied: a tensor handed to the engine must not be mutated
 * afterwards. {@link #copy()} makes an independent one.
 */
public final class Tensor {
  private final int[] shape;
  private final double[] data;

  public Tensor(int[] shape, double[] data) {
    this.shape = shape.clone();
    if (Shapes.size(shape) != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + Shapes.size(shape) + " elements, data has " + data.length);
    }
    this.data = data;
  }

  public static Tensor zeros(int... shape) {
    return new Tensor(shape, new double[Shapes.size(shape)]);
  }

  public static Tensor scalar(double v) {
    return new Tensor(new int[0], new double[] {v});
  }

  public static Tensor of(int[] shape, float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < d.length; i++) d[i] = values[i];
    return new Tensor(shape, d);
  }

  public int[] shape() {
    return shape.clone();
  }

  public int dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }

  public int rank() {
    return shape.length;
  }

  public int size() {
    return data.length;
  }

  /** The backing array (not a copy): read it freely, write it only while building a new tensor. */
  public double[] data() {
    return data;
  }

  public double get(int... index) {
    return data[Shapes.offset(shape, index)];
  }

  public Tensor reshape(int... newShape) {
    return new Tensor(newShape, data);
  }

  public Tensor copy() {
    return new Tensor(shape, data.clone());
  }

  public float[] toFloatArray() {
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
    return f;
  }

  /** Largest absolute value (0 for an empty tensor). */
  public double maxAbs() {
    double m = 0;
    for (double v : data) m = Math.max(m, Math.abs(v));
    return m;
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
