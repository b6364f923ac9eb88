package io.edgeamp.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.ir.ValueInfo;
import io.edgeamp.core.tensor.Tensor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/** Shared assertions: numeric closeness against the ORT oracle and structural graph equality. */
final class TestSupport {
  private TestSupport() {}

  /** Relative tolerance of the comparisons: 1e-5 of the output's scale (its max abs value, at least 1). */
  static final double TOLERANCE = 1e-5;

  /** Random inputs in [-1, 1] for the graph's inputs; a dynamic batch becomes 2. */
  static Map<String, Tensor> randomInputs(Graph g, long seed) {
    Random rnd = new Random(seed);
    Map<String, Tensor> in = new LinkedHashMap<>();
    for (ValueInfo v : g.inputs()) {
      int[] shape = v.shape();
      for (int i = 0; i < shape.length; i++) if (shape[i] < 0) shape[i] = 2;
      double[] d = new double[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
      // float-representable so that ORT (float32) and the engine (double) see the same numbers
      for (int i = 0; i < d.length; i++) d[i] = (float) (rnd.nextDouble() * 2 - 1);
      in.put(v.name(), new Tensor(shape, d));
    }
    return in;
  }

  static void assertClose(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
    for (var e : expected.entrySet()) {
      Tensor want = e.getValue();
      Tensor got = actual.get(e.getKey());
      assertNotNull(got, what + ": no output '" + e.getKey() + "' in " + actual.keySet());
      assertArrayEquals(want.shape(), got.shape(), what + ": shape of '" + e.getKey() + "'");
      double scale = Math.max(1.0, want.maxAbs());
      double worst = 0;
      int at = -1;
      for (int i = 0; i < want.size(); i++) {
        double err = Math.abs(want.data()[i] - got.data()[i]);
        if (!(err <= worst)) {
          worst = err;
          at = i;
        }
      }
      final int where = at;
      final double w = worst;
      assertTrue(worst <= TOLERANCE * scale, () -> what + ": output '" + e.getKey() + "' differs by " + w + " (scale " + scale + ") at flat index "
          + where + ": expected " + want.data()[where] + ", got " + got.data()[where]);
    }
  }

  /** Graphs are the same: names, inputs, outputs, nodes with equal op attributes, bit-equal initializers, metadata. */
  static void assertSameGraph(Graph a, Graph b) {
    assertEquals(a.name(), b.name(), "graph name");
    assertEquals(a.inputs(), b.inputs(), "inputs");
    assertEquals(a.outputs(), b.outputs(), "outputs");
    assertEquals(a.nodes().size(), b.nodes().size(), () -> "node count\n" + a + "\n" + b);
    for (int i = 0; i < a.nodes().size(); i++) {
      Node x = a.nodes().get(i), y = b.nodes().get(i);
      assertEquals(x.name(), y.name(), "node name");
      assertEquals(x.inputs(), y.inputs(), "inputs of " + x.name());
      assertEquals(x.outputs(), y.outputs(), "outputs of " + x.name());
      assertTrue(sameOp(x.op(), y.op()), () -> "op of " + x.name() + ": " + describe(x.op()) + " vs " + describe(y.op()));
    }
    assertEquals(a.initializers().keySet(), b.initializers().keySet(), "initializer names");
    for (String k : a.initializers().keySet()) {
      Tensor s = a.initializer(k), t = b.initializer(k);
      assertArrayEquals(s.shape(), t.shape(), "shape of initializer " + k);
      assertArrayEquals(s.data(), t.data(), "values of initializer " + k);
    }
    assertEquals(a.metadata(), b.metadata(), "metadata");
  }

  /** Record equality that compares array components by content (records compare arrays by identity). */
  static boolean sameOp(Op a, Op b) {
    if (a.getClass() != b.getClass()) return false;
    try {
      for (RecordComponent c : a.getClass().getRecordComponents()) {
        Object x = c.getAccessor().invoke(a), y = c.getAccessor().invoke(b);
        if (!Objects.deepEquals(x, y)) return false;
      }
      return true;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static String describe(Op op) {
    StringBuilder sb = new StringBuilder(op.getClass().getSimpleName()).append('(');
    try {
      for (RecordComponent c : op.getClass().getRecordComponents()) {
        Object v = c.getAccessor().invoke(op);
        sb.append(c.getName()).append('=').append(v instanceof int[] ia ? Arrays.toString(ia) : v instanceof long[] la ? Arrays.toString(la)
            : v instanceof double[] da ? Arrays.toString(da) : String.valueOf(v)).append(' ');
      }
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    return sb.append(')').toString();
  }
}
