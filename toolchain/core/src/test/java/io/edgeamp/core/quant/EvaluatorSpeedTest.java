package io.edgeamp.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The bit-width search evaluates many allocations: REGR_13k over 1000 windows of 6 x 512 must take seconds. */
class EvaluatorSpeedTest {
  @Test
  void regr13kOverAThousandWindowsIsFastAndDeterministic() {
    Graph g = QuantFixtures.zoo("REGR_13k", 6, 512, 2, 8);
    QuantPlan plan = QuantPlan.of(g);
    Calibration cal = Calibration.run(plan, QuantFixtures.gaussian(1, 64, 6, 512, 1));
    QuantizedModel m = QuantizedModel.build(plan, cal, QuantizedModel.uniformBits(plan, 8), TargetSpec.GENERIC);
    Tensor x = QuantFixtures.gaussian(2, 1000, 6, 512, 1);
    Tensor first = m.run(x); // warm-up (JIT)
    long t0 = System.nanoTime();
    Tensor y = m.run(x);
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("REGR_13k integer evaluation: 1000 windows of 6x512 in %.2f s on %d cores%n", s, Runtime.getRuntime().availableProcessors());
    assertArrayEquals(first.data(), y.data(), 0.0, "parallel evaluation is deterministic");
    assertTrue(s < 20, "took " + s + " s");
  }
}
