package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds inference-mode BatchNormalization into the Conv or Gemm that feeds it:
 * W'[c] = W[c] * gamma[c] / sqrt(var[c] + eps), b'[c] = (b[c] - mean[c]) * gamma[c] / sqrt(var[c] + eps) + beta[c].
 * The folded layer is the one that is quantized (DESIGN.md). A BatchNorm with no foldable producer
 * (for example on the network input) stays as it is: folding it forward into a padded conv would
 * not be exact.
 */
public final class BatchNormFolding {
  private BatchNormFolding() {}

  public static Graph fold(Graph g) {
    Graph.Builder b = g.toBuilder().clearNodes();
    List<Node> nodes = new ArrayList<>(g.nodes());
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      Node next = i + 1 < nodes.size() ? nodes.get(i + 1) : null;
      if (next != null && next.op() instanceof Op.BatchNorm bn && foldable(g, n, next)) {
        b.node(fold(g, b, n, next, bn));
        i++;
      } else {
        b.node(n);
      }
    }
    Graph folded = b.build();
    // Drop initializers no node reads any more (the folded BatchNorm parameters).
    Graph.Builder clean = folded.toBuilder();
    for (String name : folded.initializers().keySet()) if (folded.consumers(name).isEmpty()) clean.removeInitializer(name);
    return clean.build();
  }

  private static boolean foldable(Graph g, Node producer, Node bn) {
    if (!bn.input(0).equals(producer.output())) return false;
    if (g.consumers(producer.output()).size() != 1) return false;
    for (int i = 1; i < 5; i++) if (!g.isInitializer(bn.input(i))) return false;
    if (producer.op() instanceof Op.Conv) return g.isInitializer(producer.input(1)) && (!producer.hasInput(2) || g.isInitializer(producer.input(2)));
    if (producer.op() instanceof Op.Gemm gm) {
      return !gm.transA() && gm.alpha() == 1 && g.isInitializer(producer.input(1))
          && (!producer.hasInput(2) || (gm.beta() == 1 && g.isInitializer(producer.input(2)) && g.initializer(producer.input(2)).rank() <= 1));
    }
    return false;
  }

  private static Node fold(Graph g, Graph.Builder b, Node layer, Node bnNode, Op.BatchNorm bn) {
    double[] gamma = g.initializer(bnNode.input(1)).data(), beta = g.initializer(bnNode.input(2)).data();
    double[] mean = g.initializer(bnNode.input(3)).data(), var = g.initializer(bnNode.input(4)).data();
    int c = gamma.length;
    Tensor w = g.initializer(layer.input(1));
    double[] wd = w.data().clone();
    boolean gemmTransB = layer.op() instanceof Op.Gemm gm && gm.transB();
    boolean conv = layer.op() instanceof Op.Conv;
    double[] k = new double[c];
    for (int ch = 0; ch < c; ch++) k[ch] = gamma[ch] / Math.sqrt(var[ch] + bn.epsilon());
    if (conv || gemmTransB) {
      int per = wd.length / c; // output channel is the leading axis
      for (int i = 0; i < wd.length; i++) wd[i] *= k[i / per];
    } else {
      for (int i = 0; i < wd.length; i++) wd[i] *= k[i % c]; // Gemm B [K, N]: output channel is the column
    }
    double[] bias = new double[c];
    if (layer.hasInput(2)) {
      double[] old = g.initializer(layer.input(2)).data();
      for (int ch = 0; ch < c; ch++) bias[ch] = old.length == 1 ? old[0] : old[ch];
    }
    for (int ch = 0; ch < c; ch++) bias[ch] = (bias[ch] - mean[ch]) * k[ch] + beta[ch];
    String wName = layer.input(1);
    String bName = layer.hasInput(2) ? layer.input(2) : layer.name() + ".bias";
    b.initializer(wName, new Tensor(w.shape(), wd));
    b.initializer(bName, new Tensor(new int[] {c}, bias));
    // The folded layer writes the BatchNorm's output, so downstream nodes are untouched.
    return new Node(layer.name(), layer.op(), List.of(layer.input(0), wName, bName), List.of(bnNode.output()));
  }
}
