package io.edgeamp.core.tensor;

import java.util.Arrays;

/** Small helpers for shapes (int arrays), shared by the IR and the engine. */
public final class Shapes {
  private Shapes() {}

  public static int size(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      n *= d;
      if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
    }
    return (int) n;
  }

  /** Row-major strides. */
  public static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  public static int offset(int[] shape, int[] index) {
    if (index.length != shape.length) throw new IllegalArgumentException("index rank " + index.length + " != " + shape.length);
    int off = 0;
    for (int i = 0; i < shape.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) throw new IndexOutOfBoundsException(Arrays.toString(index) + " in " + Arrays.toString(shape));
      off = off * shape[i] + index[i];
    }
    return off;
  }

  public static String str(int[] shape) {
    return Arrays.toString(shape);
  }
}
