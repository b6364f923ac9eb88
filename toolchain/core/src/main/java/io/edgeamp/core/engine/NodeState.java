package io.edgeamp.core.engine;

/** Per-pass, per-node state a kernel keeps between forward and the passes that follow. */
final class NodeState {
  /** True in a training forward pass (BatchNorm uses batch statistics). */
  final boolean training;
  /** True when later passes (backward, Hessian-vector products) will reuse this pass. */
  final boolean retain;
  /** Kernel-specific cache: im2col buffers, argmax indices, batch statistics... */
  Object cache;

  NodeState(boolean training, boolean retain) {
    this.training = training;
    this.retain = retain;
  }
}
