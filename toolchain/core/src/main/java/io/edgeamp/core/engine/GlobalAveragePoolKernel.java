package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.tensor.Tensor;

/** GlobalAveragePool: mean over all spatial axes, keeping them as size 1. Linear. */
final class GlobalAveragePoolKernel extends Kernel {
  GlobalAveragePoolKernel(Node node) {
    super(node);
  }

  private static int[] outShape(int[] s) {
    int[] o = s.clone();
    for (int i = 2; i < o.length; i++) o[i] = 1;
    return o;
  }

  private static Tensor mean(Tensor x) {
    int[] s = x.shape();
    int planes = s[0] * s[1], inner = x.size() / planes;
    double[] d = x.data(), y = new double[planes];
    for (int p = 0; p < planes; p++) {
      double acc = 0;
      for (int i = 0; i < inner; i++) acc += d[p * inner + i];
      y[p] = acc / inner;
    }
    return new Tensor(outShape(s), y);
  }

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    if (in[0].rank() < 3) throw new EngineException(where() + ": expects [N, C, spatial...], got rank " + in[0].rank());
    return mean(in[0]);
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    int[] s = in[0].shape();
    int planes = s[0] * s[1], inner = in[0].size() / planes;
    double[] g = gOut.data(), gx = new double[in[0].size()];
    for (int p = 0; p < planes; p++) {
      double v = g[p] / inner;
      for (int i = 0; i < inner; i++) gx[p * inner + i] = v;
    }
    return new Tensor[] {new Tensor(s, gx)};
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    return dIn[0] == null ? null : mean(dIn[0]);
  }
}
