package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Shapes;
import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Flatten, Reshape, Squeeze, Unsqueeze: the data stays, only the shape changes. */
final class ReshapeKernel extends Kernel {
  ReshapeKernel(Node node) {
    super(node);
  }

  int[] outShape(int[] s) {
    Op op = node.op();
    if (op instanceof Op.Flatten f) {
        int axis = f.axis() < 0 ? f.axis() + s.length : f.axis();
        if (axis < 0 || axis > s.length) throw new EngineException(where() + ": axis " + f.axis() + " out of range for rank " + s.length);
        int rows = 1;
        for (int i = 0; i < axis; i++) rows *= s[i];
        return new int[] {rows, Shapes.size(s) / Math.max(1, rows)};
    }
    if (op instanceof Op.Reshape r) return reshape(s, r);
    if (op instanceof Op.Squeeze q) {
        List<Integer> axes = normalise(q.axes(), s.length);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
          boolean drop = axes.isEmpty() ? s[i] == 1 : axes.contains(i);
          if (drop && s[i] != 1) throw new EngineException(where() + ": cannot squeeze axis " + i + " of size " + s[i]);
          if (!drop) out.add(s[i]);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
    if (op instanceof Op.Unsqueeze u) {
        int r = s.length + u.axes().size();
        List<Integer> axes = normalise(u.axes(), r);
        int[] out = new int[r];
        int j = 0;
        for (int i = 0; i < r; i++) out[i] = axes.contains(i) ? 1 : s[j++];
        return out;
    }
    throw new IllegalArgumentException("not a reshape: " + op);
  }

  private List<Integer> normalise(List<Integer> axes, int rank) {
    List<Integer> out = new ArrayList<>();
    for (int a : axes) {
      int n = a < 0 ? a + rank : a;
      if (n < 0 || n >= rank) throw new EngineException(where() + ": axis " + a + " out of range for rank " + rank);
      out.add(n);
    }
    return out;
  }

  private int[] reshape(int[] s, Op.Reshape r) {
    long[] spec = r.shape();
    int[] out = new int[spec.length];
    int infer = -1;
    long known = 1;
    for (int i = 0; i < spec.length; i++) {
      long d = spec[i];
      if (d == -1) {
        if (infer >= 0) throw new EngineException(where() + ": more than one -1 in shape " + Arrays.toString(spec));
        infer = i;
        continue;
      }
      if (d == 0 && !r.allowZero()) {
        if (i >= s.length) throw new EngineException(where() + ": 0 at axis " + i + " copies a dimension the input (rank " + s.length + ") lacks");
        d = s[i];
      }
      if (d < 0) throw new EngineException(where() + ": invalid dimension " + d + " in shape " + Arrays.toString(spec));
      out[i] = (int) d;
      known *= d;
    }
    int total = Shapes.size(s);
    if (infer >= 0) {
      if (known == 0 || total % known != 0) throw new EngineException(where() + ": cannot reshape " + Arrays.toString(s) + " to " + Arrays.toString(spec));
      out[infer] = (int) (total / known);
    } else if (known != total) {
      throw new EngineException(where() + ": cannot reshape " + Arrays.toString(s) + " (" + total + " elements) to " + Arrays.toString(spec));
    }
    return out;
  }

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    return in[0].reshape(outShape(in[0].shape()));
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    return new Tensor[] {gOut.reshape(in[0].shape())};
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    return dIn[0] == null ? null : dIn[0].reshape(out.shape());
  }
}
