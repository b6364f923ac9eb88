package io.edgeamp.core.sensitivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.engine.BatchNormFolding;
import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.engine.HessianVectorProduct;
import io.edgeamp.core.engine.Loss;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.NetworkBuilder;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.R064Store;

/** Per-layer sensitivities against the spectrum of each layer's dense Hessian block (ojAlgo). */
class SensitivityAnalysisTest {
  private static Tensor random(Random r, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) t.data()[i] = r.nextGaussian();
    return t;
  }

  private static final Graph MODEL = BatchNormFolding.fold(new NetworkBuilder("tiny", 5, 2, 12, 1)
      .conv(3, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
      .conv(4, 3, 1, 1, 1, 1, 0, 1, true).relu()
      .globalAveragePool().flatten().linear(3).relu().linear(1).build());

  /** Eigenvalues of the dense Hessian block of weight w, from exact products with basis vectors. */
  private static double[] spectrum(HessianVectorProduct hvp, FloatEngine e, String w) {
    int n = e.parameters().get(w).size();
    R064Store h = R064Store.FACTORY.make(n, n);
    for (int j = 0; j < n; j++) {
      Tensor basis = Tensor.zeros(e.parameters().get(w).shape());
      basis.data()[j] = 1;
      double[] col = hvp.apply(Map.of(w, basis), Set.of(w)).get(w).data();
      for (int i = 0; i < n; i++) h.set(i, j, col[i]);
    }
    Eigenvalue<Double> eig = Eigenvalue.R064.make(h, true);
    assertTrue(eig.decompose(h));
    double[] ev = new double[n];
    int i = 0;
    for (var c : eig.getEigenvalues()) ev[i++] = c.getReal();
    return ev;
  }

  @Test
  void eigenvalueAndTraceMatchTheDenseBlocks() {
    Random r = new Random(8);
    Tensor x = random(r, 16, 2, 12, 1), t = random(r, 16, 1);
    FloatEngine e = FloatEngine.compile(MODEL);
    HessianVectorProduct hvp = new HessianVectorProduct(e, x, t, Loss.MSE);

    var eig = SensitivityAnalysis.run(MODEL, x, t, Loss.MSE, new SensitivityAnalysis.Settings(SensitivityMethod.EIGENVALUE, 1e-10, 3000, 1), null);
    var trace = SensitivityAnalysis.run(MODEL, x, t, Loss.MSE, new SensitivityAnalysis.Settings(SensitivityMethod.TRACE, 1e-4, 4000, 1), null);
    assertEquals(List.copyOf(SensitivityAnalysis.quantizableLayers(MODEL).keySet()), eig.stream().map(LayerSensitivity::layer).toList());
    for (int i = 0; i < eig.size(); i++) {
      double[] ev = spectrum(hvp, e, eig.get(i).weight());
      double top = 0, sum = 0, sumAbs = 0;
      for (double v : ev) {
        if (Math.abs(v) > Math.abs(top)) top = v;
        sum += v;
        sumAbs += Math.abs(v);
      }
      LayerSensitivity s = eig.get(i);
      assertTrue(s.usable(), s + " did not converge");
      assertEquals(top, s.value(), 1e-6 * Math.abs(top), s.layer() + " eigenvalue");
      LayerSensitivity tr = trace.get(i);
      assertTrue(tr.usable(), tr + " did not converge");
      // Hutchinson is stochastic (standard error driven to 5% of E|v'Hv|): allow three standard errors.
      assertEquals(sum / ev.length, tr.value(), 0.15 * Math.max(Math.abs(sum / ev.length), sumAbs / ev.length), tr.layer() + " mean eigenvalue (trace / n)");
    }
  }

  @Test
  void anIterationCapTooSmallIsReportedAsNotConverged() {
    Random r = new Random(9);
    Tensor x = random(r, 8, 2, 12, 1), t = random(r, 8, 1);
    var res = SensitivityAnalysis.run(MODEL, x, t, Loss.MSE, new SensitivityAnalysis.Settings(SensitivityMethod.EIGENVALUE, 1e-12, 2, 1), null);
    assertTrue(res.stream().anyMatch(s -> !s.converged()), "two iterations cannot meet a 1e-12 tolerance");
  }
}
