package io.edgeamp.core.ir;

import java.util.Arrays;
import java.util.List;

/**
 * The operators of the MCU layer set, one small immutable record each. Attributes that ONNX passes as
 * constant inputs (Reshape's shape, Squeeze axes, Clip bounds, Resize scales) are folded into the
 * record on import, so a node's inputs are only real tensors: activations and initializers (weights).
 *
 * <p>Spatial attributes ({@code kernel}, {@code strides}, pads, dilations) have one entry per spatial
 * axis: one for 1-D ops on [N, C, L] tensors, two for 2-D ops on [N, C, H, W].
 */
public sealed interface Op {

  /** The ONNX op_type this record maps to. */
  String onnxType();

  /** Conv: inputs X, W [Cout, Cin/group, k...], optional B [Cout]. */
  record Conv(int[] kernel, int[] strides, int[] padsBegin, int[] padsEnd, int[] dilations, int group) implements Op {
    public Conv {
      int r = kernel.length;
      if (r < 1 || r > 2) throw new IllegalArgumentException("Conv supports 1-D and 2-D kernels, got " + Arrays.toString(kernel));
      if (strides.length != r || padsBegin.length != r || padsEnd.length != r || dilations.length != r) {
        throw new IllegalArgumentException("Conv attribute ranks differ from the kernel rank " + r);
      }
      if (group < 1) throw new IllegalArgumentException("Conv group must be >= 1, got " + group);
    }

    public int spatialRank() {
      return kernel.length;
    }

    @Override
    public String onnxType() {
      return "Conv";
    }

    @Override
    public String toString() {
      return "Conv(kernel=" + Arrays.toString(kernel) + ", strides=" + Arrays.toString(strides) + ", pads="
          + Arrays.toString(padsBegin) + "/" + Arrays.toString(padsEnd) + ", dilations=" + Arrays.toString(dilations)
          + ", group=" + group + ")";
    }
  }

  /** BatchNormalization in inference form: inputs X, scale, bias, mean, var. */
  record BatchNorm(double epsilon, double momentum) implements Op {
    @Override
    public String onnxType() {
      return "BatchNormalization";
    }
  }

  /** Gemm: Y = alpha * A' B' + beta * C, A' = transA ? A^T : A. Inputs A, B, optional C. */
  record Gemm(double alpha, double beta, boolean transA, boolean transB) implements Op {
    @Override
    public String onnxType() {
      return "Gemm";
    }
  }

  /** MatMul with numpy semantics for rank >= 2 left operand and a rank-2 right operand. */
  record MatMul() implements Op {
    @Override
    public String onnxType() {
      return "MatMul";
    }
  }

  /** Elementwise add with multidirectional (numpy) broadcasting. */
  record Add() implements Op {
    @Override
    public String onnxType() {
      return "Add";
    }
  }

  /** Elementwise multiply with multidirectional (numpy) broadcasting. */
  record Mul() implements Op {
    @Override
    public String onnxType() {
      return "Mul";
    }
  }

  record Relu() implements Op {
    @Override
    public String onnxType() {
      return "Relu";
    }
  }

  /** Clip to [min, max]; ReLU6 is Clip(0, 6). Infinite bounds mean no bound. */
  record Clip(double min, double max) implements Op {
    @Override
    public String onnxType() {
      return "Clip";
    }
  }

  record LeakyRelu(double alpha) implements Op {
    @Override
    public String onnxType() {
      return "LeakyRelu";
    }
  }

  record Sigmoid() implements Op {
    @Override
    public String onnxType() {
      return "Sigmoid";
    }
  }

  record Tanh() implements Op {
    @Override
    public String onnxType() {
      return "Tanh";
    }
  }

  /** MaxPool (padding with -inf, i.e. padded cells never win). */
  record MaxPool(int[] kernel, int[] strides, int[] padsBegin, int[] padsEnd, boolean ceilMode) implements Op {
    @Override
    public String onnxType() {
      return "MaxPool";
    }
  }

  /** AveragePool; countIncludePad as in ONNX (default false: divide by the cells inside the input). */
  record AveragePool(int[] kernel, int[] strides, int[] padsBegin, int[] padsEnd, boolean ceilMode, boolean countIncludePad)
      implements Op {
    @Override
    public String onnxType() {
      return "AveragePool";
    }
  }

  record GlobalAveragePool() implements Op {
    @Override
    public String onnxType() {
      return "GlobalAveragePool";
    }
  }

  /** Flatten to 2-D: dims before {@code axis} become rows, the rest columns. */
  record Flatten(int axis) implements Op {
    @Override
    public String onnxType() {
      return "Flatten";
    }
  }

  /** Reshape to {@code shape} with ONNX semantics (0 copies the input dim unless allowZero, -1 infers). */
  record Reshape(long[] shape, boolean allowZero) implements Op {
    @Override
    public String onnxType() {
      return "Reshape";
    }

    @Override
    public String toString() {
      return "Reshape(" + Arrays.toString(shape) + ")";
    }
  }

  /** Squeeze the given axes (empty list: all axes of size 1). */
  record Squeeze(List<Integer> axes) implements Op {
    public Squeeze {
      axes = List.copyOf(axes);
    }

    @Override
    public String onnxType() {
      return "Squeeze";
    }
  }

  record Unsqueeze(List<Integer> axes) implements Op {
    public Unsqueeze {
      axes = List.copyOf(axes);
    }

    @Override
    public String onnxType() {
      return "Unsqueeze";
    }
  }

  record Concat(int axis) implements Op {
    @Override
    public String onnxType() {
      return "Concat";
    }
  }

  record Softmax(int axis) implements Op {
    @Override
    public String onnxType() {
      return "Softmax";
    }
  }

  /**
   * Resize of the spatial axes by per-axis scale factors (batch and channel scales are 1).
   * Mode nearest or linear; coordinate transformation and nearest rounding as in ONNX.
   */
  record Resize(Mode mode, double[] scales, CoordinateMode coordinateMode, NearestMode nearestMode) implements Op {
    public enum Mode { NEAREST, LINEAR }

    public enum CoordinateMode { HALF_PIXEL, ASYMMETRIC, ALIGN_CORNERS, PYTORCH_HALF_PIXEL }

    public enum NearestMode { ROUND_PREFER_FLOOR, ROUND_PREFER_CEIL, FLOOR, CEIL }

    @Override
    public String onnxType() {
      return "Resize";
    }

    @Override
    public String toString() {
      return "Resize(" + mode + ", scales=" + Arrays.toString(scales) + ", " + coordinateMode + ", " + nearestMode + ")";
    }
  }
}
