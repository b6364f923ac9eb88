package io.edgeamp.core.onnx;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Output shapes of IR ops from their input shapes; -1 marks an unknown dimension (a dynamic batch), null
 * an unknown shape. The importer needs it where ONNX leaves sizes implicit (auto_pad with strides, Resize
 * by sizes, pre-opset-13 Softmax); the exporter writes the results as value_info so Netron shows shapes.
 */
final class ShapeInference {
  private ShapeInference() {}

  /** Shapes of every value in {@code g} that can be inferred (graph inputs, initializers, node outputs). */
  static Map<String, int[]> all(Graph g) {
    Map<String, int[]> shapes = new HashMap<>();
    g.inputs().forEach(v -> shapes.put(v.name(), v.shape()));
    g.initializers().forEach((k, t) -> shapes.put(k, t.shape()));
    for (Node n : g.nodes()) {
      List<int[]> in = new ArrayList<>();
      for (String s : n.inputs()) in.add(s.isEmpty() ? null : shapes.get(s));
      try {
        int[] out = infer(n.op(), in);
        if (out != null) shapes.put(n.output(), out);
      } catch (ImportProblem e) {
        // Leave the shape unknown; the exporter's value_info is informative only.
      }
    }
    return shapes;
  }

  static int[] infer(Op op, List<int[]> in) throws ImportProblem {
    int[] x = in.isEmpty() ? null : in.get(0);
    if (x == null) return null;
    if (op instanceof Op.Conv c) {
      int r = c.spatialRank();
      requireRank(x, r + 2, "Conv input");
      int[] w = in.size() > 1 ? in.get(1) : null;
      int[] out = new int[r + 2];
      out[0] = x[0];
      out[1] = w == null ? -1 : w[0];
      for (int i = 0; i < r; i++) {
        out[i + 2] = window(x[i + 2], c.kernel()[i], c.strides()[i], c.padsBegin()[i], c.padsEnd()[i], c.dilations()[i], false);
      }
      return out;
    }
    if (op instanceof Op.MaxPool p) return pool(x, p.kernel(), p.strides(), p.padsBegin(), p.padsEnd(), p.ceilMode());
    if (op instanceof Op.AveragePool p) return pool(x, p.kernel(), p.strides(), p.padsBegin(), p.padsEnd(), p.ceilMode());
    if (op instanceof Op.GlobalAveragePool) {
      if (x.length < 3) throw new ImportProblem("GlobalAveragePool needs a [N, C, spatial...] input, got " + Arrays.toString(x));
      int[] out = x.clone();
      for (int i = 2; i < out.length; i++) out[i] = 1;
      return out;
    }
    if (op instanceof Op.BatchNorm || op instanceof Op.Relu || op instanceof Op.Clip || op instanceof Op.LeakyRelu
        || op instanceof Op.Sigmoid || op instanceof Op.Tanh || op instanceof Op.Softmax) {
      return x.clone();
    }
    if (op instanceof Op.Add || op instanceof Op.Mul) {
      int[] y = in.size() > 1 ? in.get(1) : null;
      return y == null ? null : broadcast(x, y);
    }
    if (op instanceof Op.Gemm g) {
      int[] b = in.size() > 1 ? in.get(1) : null;
      requireRank(x, 2, "Gemm A");
      if (b == null) return null;
      requireRank(b, 2, "Gemm B");
      return new int[] {g.transA() ? x[1] : x[0], g.transB() ? b[0] : b[1]};
    }
    if (op instanceof Op.MatMul) {
      int[] b = in.size() > 1 ? in.get(1) : null;
      return b == null ? null : matmul(x, b);
    }
    if (op instanceof Op.Flatten f) {
      int axis = f.axis() < 0 ? f.axis() + x.length : f.axis();
      if (axis < 0 || axis > x.length) throw new ImportProblem("Flatten axis " + f.axis() + " is out of range for rank " + x.length);
      return new int[] {product(x, 0, axis), product(x, axis, x.length)};
    }
    if (op instanceof Op.Reshape r) return reshape(x, r.shape(), r.allowZero());
    if (op instanceof Op.Squeeze s) {
      List<Integer> axes = normalize(s.axes(), x.length);
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < x.length; i++) {
        boolean drop = axes.isEmpty() ? x[i] == 1 : axes.contains(i);
        if (drop && axes.contains(i) && x[i] != 1 && x[i] != -1) {
          throw new ImportProblem("Squeeze axis " + i + " has size " + x[i] + ", not 1");
        }
        if (!drop) out.add(x[i]);
      }
      return out.stream().mapToInt(Integer::intValue).toArray();
    }
    if (op instanceof Op.Unsqueeze u) {
      int rank = x.length + u.axes().size();
      List<Integer> axes = normalize(u.axes(), rank);
      int[] out = new int[rank];
      int k = 0;
      for (int i = 0; i < rank; i++) out[i] = axes.contains(i) ? 1 : x[k++];
      return out;
    }
    if (op instanceof Op.Concat c) {
      int axis = c.axis() < 0 ? c.axis() + x.length : c.axis();
      if (axis < 0 || axis >= x.length) throw new ImportProblem("Concat axis " + c.axis() + " is out of range for rank " + x.length);
      int[] out = x.clone();
      for (int k = 1; k < in.size(); k++) {
        int[] y = in.get(k);
        if (y == null) return null;
        requireRank(y, x.length, "Concat input " + k);
        out[axis] = out[axis] < 0 || y[axis] < 0 ? -1 : out[axis] + y[axis];
      }
      return out;
    }
    if (op instanceof Op.Resize r) {
      if (r.scales().length != x.length) throw new ImportProblem("Resize has " + r.scales().length + " scales for a rank-" + x.length + " input");
      int[] out = new int[x.length];
      for (int i = 0; i < x.length; i++) out[i] = x[i] < 0 ? -1 : resizedDim(x[i], r.scales()[i]);
      return out;
    }
    return null;
  }

  /** floor(in * scale), as ONNX defines Resize's output size (the importer chooses scales that make this exact). */
  static int resizedDim(int in, double scale) {
    return (int) Math.floor(in * scale);
  }

  /** Output length of a sliding window (conv, pool) as ONNX defines it. */
  static int window(int in, int k, int s, int pb, int pe, int d, boolean ceil) {
    if (in < 0) return -1;
    int span = (k - 1) * d + 1;
    int num = in + pb + pe - span;
    if (num < 0) return 0;
    int out = (ceil ? Math.floorDiv(num + s - 1, s) : Math.floorDiv(num, s)) + 1;
    // ONNX/ORT: with ceil_mode the last window must start inside the input or the left padding.
    if (ceil && (out - 1) * s >= in + pb) out--;
    return out;
  }

  private static int[] pool(int[] x, int[] k, int[] s, int[] pb, int[] pe, boolean ceil) throws ImportProblem {
    requireRank(x, k.length + 2, "pool input");
    int[] out = x.clone();
    for (int i = 0; i < k.length; i++) out[i + 2] = window(x[i + 2], k[i], s[i], pb[i], pe[i], 1, ceil);
    return out;
  }

  static int[] broadcast(int[] a, int[] b) throws ImportProblem {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
      int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
      if (da == db || db == 1) out[i] = da;
      else if (da == 1) out[i] = db;
      else if (da < 0 || db < 0) out[i] = Math.max(da, db) > 1 ? Math.max(da, db) : -1;
      else throw new ImportProblem("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
    }
    return out;
  }

  private static int[] matmul(int[] a, int[] b) throws ImportProblem {
    if (a.length == 0 || b.length == 0) throw new ImportProblem("MatMul operands must not be scalars");
    int[] a2 = a.length == 1 ? new int[] {1, a[0]} : a;
    int[] b2 = b.length == 1 ? new int[] {b[0], 1} : b;
    int k1 = a2[a2.length - 1], k2 = b2[b2.length - 2];
    if (k1 >= 0 && k2 >= 0 && k1 != k2) throw new ImportProblem("MatMul inner dimensions differ: " + Arrays.toString(a) + " x " + Arrays.toString(b));
    int[] batch = broadcast(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
    List<Integer> out = new ArrayList<>();
    for (int v : batch) out.add(v);
    if (a.length > 1) out.add(a2[a2.length - 2]);
    if (b.length > 1) out.add(b2[b2.length - 1]);
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] reshape(int[] x, long[] shape, boolean allowZero) throws ImportProblem {
    int[] out = new int[shape.length];
    int infer = -1;
    long known = 1;
    for (int i = 0; i < shape.length; i++) {
      long v = shape[i];
      if (v == 0 && !allowZero) {
        if (i >= x.length) throw new ImportProblem("Reshape copies dimension " + i + " (0) of a rank-" + x.length + " input");
        out[i] = x[i];
      } else if (v == -1) {
        if (infer >= 0) throw new ImportProblem("Reshape shape " + Arrays.toString(shape) + " has more than one -1");
        infer = i;
        continue;
      } else if (v < -1 || v > Integer.MAX_VALUE) {
        throw new ImportProblem("Reshape shape " + Arrays.toString(shape) + " has invalid entry " + v);
      } else {
        out[i] = (int) v;
      }
      if (out[i] < 0) known = -1;
      else if (known >= 0) known *= out[i];
    }
    if (infer >= 0) {
      long total = 1;
      for (int d : x) total = d < 0 || total < 0 ? -1 : total * d;
      out[infer] = total < 0 || known <= 0 ? -1 : (int) (total / known);
    }
    return out;
  }

  private static int product(int[] x, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      if (x[i] < 0) return -1;
      p *= x[i];
    }
    return (int) p;
  }

  private static List<Integer> normalize(List<Integer> axes, int rank) throws ImportProblem {
    List<Integer> out = new ArrayList<>();
    for (int a : axes) {
      int n = a < 0 ? a + rank : a;
      if (n < 0 || n >= rank) throw new ImportProblem("axis " + a + " is out of range for rank " + rank);
      out.add(n);
    }
    return out;
  }

  private static void requireRank(int[] s, int rank, String what) throws ImportProblem {
    if (s.length != rank) throw new ImportProblem(what + " must have rank " + rank + ", got " + Arrays.toString(s));
  }
}
