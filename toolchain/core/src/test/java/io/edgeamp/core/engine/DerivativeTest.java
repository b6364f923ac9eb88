package io.edgeamp.core.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients against central finite differences of the loss, and Hessian-vector products against
 * central finite differences of the gradient, on models that use every operator.
 */
class DerivativeTest {

  record Case(String name, Graph graph, Tensor input, Tensor target, Loss loss) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    Random r = new Random(42);
    Graph reg = TestModels.convRegressor();
    Graph cls = TestModels.smoothClassifier();
    Graph br = TestModels.branching();
    double[] labels = {0, 2, 1, 1};
    return Stream.of(
        Arguments.of(new Case("conv regressor, MSE", reg, TestModels.random(r, 4, 3, 16, 1), TestModels.random(r, 4, 2), Loss.MSE)),
        Arguments.of(new Case("smooth classifier, cross-entropy", cls, TestModels.random(r, 4, 4, 7, 6), new Tensor(new int[] {4}, labels), Loss.CROSS_ENTROPY)),
        Arguments.of(new Case("branching graph, MSE", br, TestModels.random(r, 3, 2, 9), TestModels.random(r, 3, 4), Loss.MSE)));
  }

  private static double loss(FloatEngine e, Case c) {
    // finite differences with h = 1e-6 need the double path, not float32 inference
    return c.loss.value(e.runDouble(Map.of(c.graph.input().name(), c.input)).get(c.graph.output().name()), c.target);
  }

  private static double relErr(double[] a, double[] b) {
    double num = 0, den = 0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - b[i]) * (a[i] - b[i]);
      den += b[i] * b[i];
    }
    return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-12);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void gradientsMatchCentralDifferences(Case c) {
    FloatEngine e = FloatEngine.compile(c.graph);
    Pass p = e.forward(c.input, false, true);
    Map<String, Tensor> grads = p.parameterGradients(c.loss.gradient(p.output(), c.target));
    double h = 1e-6;
    for (String name : e.trainableNames()) {
      double[] w = e.parameters().get(name).data();
      double[] fd = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        double keep = w[i];
        w[i] = keep + h;
        double up = loss(e, c);
        w[i] = keep - h;
        double down = loss(e, c);
        w[i] = keep;
        fd[i] = (up - down) / (2 * h);
      }
      double err = relErr(grads.get(name).data(), fd);
      assertTrue(err <= 1e-6, c + ": gradient of " + name + " differs from finite differences by " + err);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void hessianVectorProductsMatchDifferencesOfGradients(Case c) {
    FloatEngine e = FloatEngine.compile(c.graph);
    List<String> names = e.trainableNames();
    Random r = new Random(9);
    Map<String, Tensor> v = new HashMap<>();
    for (String n : names) v.put(n, TestModels.random(r, e.parameters().get(n).shape()));
    Map<String, Tensor> hv = new HessianVectorProduct(e, c.input, c.target, c.loss).apply(v);

    // Small step: with ReLU/Clip kinks in the model a larger step may cross a kink, where the gradient jumps.
    double h = 1e-6;
    Map<String, Tensor> gPlus = gradientsAt(e, c, v, h);
    Map<String, Tensor> gMinus = gradientsAt(e, c, v, -h);
    double[] exact = flatten(hv, names), fd = new double[exact.length];
    double[] gp = flatten(gPlus, names), gm = flatten(gMinus, names);
    for (int i = 0; i < fd.length; i++) fd[i] = (gp[i] - gm[i]) / (2 * h);
    double err = relErr(exact, fd);
    assertTrue(err <= 1e-5, c + ": Hessian-vector product differs from differences of gradients by " + err);
  }

  /** Gradients at w + t v (weights restored afterwards). */
  private static Map<String, Tensor> gradientsAt(FloatEngine e, Case c, Map<String, Tensor> v, double t) {
    Map<String, double[]> saved = new HashMap<>();
    for (var en : v.entrySet()) {
      double[] w = e.parameters().get(en.getKey()).data();
      saved.put(en.getKey(), w.clone());
      double[] d = en.getValue().data();
      for (int i = 0; i < w.length; i++) w[i] += t * d[i];
    }
    Pass p = e.forward(c.input, false, true);
    Map<String, Tensor> g = p.parameterGradients(c.loss.gradient(p.output(), c.target));
    for (var s : saved.entrySet()) System.arraycopy(s.getValue(), 0, e.parameters().get(s.getKey()).data(), 0, s.getValue().length);
    return g;
  }

  private static double[] flatten(Map<String, Tensor> m, List<String> order) {
    int n = 0;
    for (String k : order) n += m.get(k).size();
    double[] out = new double[n];
    int off = 0;
    for (String k : order) {
      double[] d = m.get(k).data();
      System.arraycopy(d, 0, out, off, d.length);
      off += d.length;
    }
    return out;
  }
}
