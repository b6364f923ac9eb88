package io.edgeamp.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.NetworkBuilder;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.R064Store;

/** Power iteration per layer against the dense Hessian block's spectrum computed by ojAlgo. */
class HessianSpectrumTest {

  @Test
  void powerIterationFindsTheTopEigenvalueOfEachLayersDenseHessianBlock() {
    Graph g = BatchNormFolding.fold(TestModels.convRegressor());
    FloatEngine e = FloatEngine.compile(g);
    Random r = new Random(3);
    Tensor x = TestModels.random(r, 8, 3, 16, 1), t = TestModels.random(r, 8, 2);
    HessianVectorProduct hvp = new HessianVectorProduct(e, x, t, Loss.MSE);
    int layers = 0;
    for (Node n : g.nodes()) {
      if (!(n.op() instanceof Op.Conv) && !(n.op() instanceof Op.Gemm)) continue;
      String w = n.input(1);
      int size = e.parameters().get(w).size();
      R064Store dense = R064Store.FACTORY.make(size, size);
      for (int j = 0; j < size; j++) {
        Tensor basis = Tensor.zeros(e.parameters().get(w).shape());
        basis.data()[j] = 1;
        double[] col = hvp.apply(Map.of(w, basis), Set.of(w)).get(w).data();
        for (int i = 0; i < size; i++) dense.set(i, j, col[i]);
      }
      // An exact Hessian is symmetric to rounding: a check of the R-backward pass in itself.
      for (int i = 0; i < size; i++) {
        for (int j = 0; j < i; j++) {
          assertEquals(dense.get(i, j), dense.get(j, i), 1e-10 * (1 + Math.abs(dense.get(i, j))), w + " Hessian block is not symmetric");
        }
      }
      Eigenvalue<Double> eig = Eigenvalue.R064.make(dense, true);
      assertTrue(eig.decompose(dense), "ojAlgo could not decompose the block of " + w);
      double top = 0;
      for (var c : eig.getEigenvalues()) if (Math.abs(c.getReal()) > Math.abs(top)) top = c.getReal();

      PowerIteration.Result res = PowerIteration.topEigenvalue(hvp, Set.of(w), 1e-12, 5000, 1);
      assertTrue(res.converged(), w + ": power iteration did not converge in " + res.iterations());
      assertEquals(top, res.eigenvalue(), 1e-6 * Math.abs(top), w + ": power iteration " + res.eigenvalue() + " vs dense " + top);
      layers++;
    }
    assertEquals(4, layers);
  }

  @Test
  void foldingBatchNormKeepsTheOutputs() {
    Graph g = TestModels.convRegressor();
    Graph folded = BatchNormFolding.fold(g);
    long bnBefore = g.nodes().stream().filter(n -> n.op() instanceof Op.BatchNorm).count();
    long bnAfter = folded.nodes().stream().filter(n -> n.op() instanceof Op.BatchNorm).count();
    assertEquals(2, bnBefore);
    assertEquals(1, bnAfter, "the input BatchNorm has no producer to fold into and must stay");
    Tensor x = TestModels.random(new Random(1), 5, 3, 16, 1);
    double[] a = runDouble(g, x), b = runDouble(folded, x);
    for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-12 * (1 + Math.abs(a[i])));
  }

  @Test
  void foldingIntoGemmWithoutTranspose() {
    Random r = new Random(2);
    Graph g = Graph.builder("gemm_bn")
        .input("x", -1, 5)
        .initializer("w", TestModels.random(r, 5, 3))
        .initializer("g", TestModels.random(r, 3)).initializer("b", TestModels.random(r, 3))
        .initializer("m", TestModels.random(r, 3)).initializer("v", new Tensor(new int[] {3}, new double[] {0.5, 1.5, 2}))
        .node("fc", new Op.Gemm(1, 1, false, false), java.util.List.of("x", "w"), "h")
        .node("bn", new Op.BatchNorm(1e-5, 0.9), java.util.List.of("h", "g", "b", "m", "v"), "y")
        .output("y", -1, 3).build();
    Graph folded = BatchNormFolding.fold(g);
    assertEquals(1, folded.nodes().size());
    Tensor x = TestModels.random(r, 4, 5);
    double[] a = runDouble(g, x), b = runDouble(folded, x);
    for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-12 * (1 + Math.abs(a[i])));
  }

  /** Folding is a double-precision identity, so it is checked on the double path (run() may use float32). */
  private static double[] runDouble(Graph g, Tensor x) {
    return FloatEngine.compile(g).runDouble(java.util.Map.of(g.input().name(), x)).get(g.output().name()).data();
  }
}
