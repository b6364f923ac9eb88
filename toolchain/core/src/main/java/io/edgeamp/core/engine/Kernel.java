package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.tensor.Tensor;

/**
 * The math of one node: forward, vector-Jacobian product (backward), Jacobian-vector product
 * (R-forward) and the curvature term of the R-backward pass.
 *
 * <p>Exact Hessian-vector products follow Pearlmutter's R-operator: with v a direction in
 * parameter space, R{x} is the directional derivative of every value. For a node y = f(x1..xk)
 * with backward g_i = B_i(x, g_y):
 * <pre>
 *   R{y}   = sum_i J_i R{x_i}                                   (jvp)
 *   R{g_i} = B_i(x, R{g_y}) + d/dt B_i(x + t R{x}, g_y)|_0       (backward + curvature)
 * </pre>
 * The second term is zero for operators that are linear in their inputs (reshapes, pooling,
 * ReLU almost everywhere); bilinear operators (conv, gemm, mul) get it by swapping a primal input
 * for its tangent; smooth nonlinearities (sigmoid, tanh, softmax) use their second derivative.
 *
 * <p>A null tangent or gradient means zero everywhere, so a Hessian block for one layer only
 * touches the nodes downstream of that layer.
 */
abstract class Kernel {
  final Node node;

  Kernel(Node node) {
    this.node = node;
  }

  /** Computes the output; may leave what backward needs in {@code st}. */
  abstract Tensor forward(Tensor[] in, NodeState st);

  /** Gradients w.r.t. inputs i where {@code need[i]}; other entries may be null. */
  abstract Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need);

  /** The output tangent for input tangents {@code dIn} (null entries are zero); null if it is zero. */
  abstract Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st);

  /**
   * The curvature term d/dt B_i(x + t dIn, gOut) for inputs i where {@code need[i]}; null (or null
   * entries) where it is zero. {@code dOut} is the output tangent from {@link #jvp}. The default
   * suits operators that are linear in all their inputs.
   */
  Tensor[] curvature(Tensor[] in, Tensor out, Tensor dOut, Tensor gOut, Tensor[] dIn, NodeState st, boolean[] need) {
    return null;
  }

  /** Inputs that hold state rather than trainable weights (BatchNorm running mean and variance). */
  boolean isBuffer(int inputIndex) {
    return false;
  }

  static boolean allNull(Tensor[] ts) {
    for (Tensor t : ts) if (t != null) return false;
    return true;
  }

  String where() {
    return "node '" + node.name() + "' (" + node.op().onnxType() + ")";
  }
}
