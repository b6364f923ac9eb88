package io.edgeamp.core.amp;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.train.WeightFakeQuant;

/**
 * ||W - Q_b(W)||^2 of a layer's weights under the device's weight quantization (per output channel,
 * symmetric; {@link WeightFakeQuant}). The allocators' greedy-omega and ilp objectives use it.
 */
public final class WeightErrors {
  private WeightErrors() {}

  /** The axis of the weight that indexes output channels: 0 for Conv and Gemm with transB, else 1. */
  public static int outputAxis(Node layer) {
    if (layer.op() instanceof Op.Conv) return 0;
    if (layer.op() instanceof Op.Gemm g) return g.transB() ? 0 : 1;
    return 1; // MatMul: [K, N]
  }

  public static double squaredError(Tensor w, int outputAxis, int bits) {
    Tensor q = w.copy();
    WeightFakeQuant.quantizeInPlace(q, outputAxis, bits);
    double err = 0;
    for (int i = 0; i < q.size(); i++) {
      double d = w.data()[i] - q.data()[i];
      err += d * d;
    }
    return err;
  }
}
