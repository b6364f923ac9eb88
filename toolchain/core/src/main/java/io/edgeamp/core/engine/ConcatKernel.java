package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import java.util.Arrays;

/** Concat along one axis; backward splits the gradient. Linear. */
final class ConcatKernel extends Kernel {
  private final int axisAttr;

  ConcatKernel(Node node, Op.Concat op) {
    super(node);
    this.axisAttr = op.axis();
  }

  private int axis(int rank) {
    int a = axisAttr < 0 ? axisAttr + rank : axisAttr;
    if (a < 0 || a >= rank) throw new EngineException(where() + ": axis " + axisAttr + " out of range for rank " + rank);
    return a;
  }

  /** Concatenates parts (a null part is zeros of the matching primal input's shape). */
  private Tensor concat(Tensor[] primal, Tensor[] parts) {
    int[] s0 = primal[0].shape();
    int axis = axis(s0.length);
    int outer = 1;
    for (int i = 0; i < axis; i++) outer *= s0[i];
    int total = 0;
    int[] inner = new int[primal.length];
    for (int p = 0; p < primal.length; p++) {
      int[] s = primal[p].shape();
      if (s.length != s0.length) throw new EngineException(where() + ": inputs have different ranks");
      for (int i = 0; i < s.length; i++) {
        if (i != axis && s[i] != s0[i]) throw new EngineException(where() + ": shapes " + Arrays.toString(s0) + " and " + Arrays.toString(s) + " differ off the concat axis");
      }
      inner[p] = primal[p].size() / outer;
      total += s[axis];
    }
    int[] outShape = s0.clone();
    outShape[axis] = total;
    int rowLen = Arrays.stream(inner).sum();
    double[] y = new double[outer * rowLen];
    for (int o = 0; o < outer; o++) {
      int dst = o * rowLen;
      for (int p = 0; p < primal.length; p++) {
        if (parts[p] != null) System.arraycopy(parts[p].data(), o * inner[p], y, dst, inner[p]);
        dst += inner[p];
      }
    }
    return new Tensor(outShape, y);
  }

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    return concat(in, in);
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    int axis = axis(in[0].rank());
    int outer = 1;
    for (int i = 0; i < axis; i++) outer *= in[0].dim(i);
    int rowLen = gOut.size() / outer;
    Tensor[] res = new Tensor[in.length];
    int start = 0;
    for (int p = 0; p < in.length; p++) {
      int inner = in[p].size() / outer;
      if (need[p]) {
        double[] g = new double[in[p].size()];
        for (int o = 0; o < outer; o++) System.arraycopy(gOut.data(), o * rowLen + start, g, o * inner, inner);
        res[p] = new Tensor(in[p].shape(), g);
      }
      start += inner;
    }
    return res;
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    return allNull(dIn) ? null : concat(in, dIn);
  }
}
