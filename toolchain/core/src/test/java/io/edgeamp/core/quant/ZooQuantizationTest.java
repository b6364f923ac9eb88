package io.edgeamp.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The integer model against the float engine on every zoo network (random weights, non-trivial BatchNorms). */
class ZooQuantizationTest {
  static final int CHANNELS = 3, FRAME = 64, OUTPUTS = 4;

  record Setup(Graph graph, QuantPlan plan, Calibration cal, Tensor test, Tensor reference) {}

  static Setup setup(String name) {
    Graph g = QuantFixtures.zoo(name, CHANNELS, FRAME, OUTPUTS, 5);
    QuantPlan plan = QuantPlan.of(g);
    Calibration cal = Calibration.run(plan, QuantFixtures.gaussian(1, 96, CHANNELS, FRAME, 1));
    Tensor test = QuantFixtures.gaussian(2, 48, CHANNELS, FRAME, 1);
    return new Setup(g, plan, cal, test, QuantFixtures.floatOutput(g, test));
  }

  static double error(Setup s, Map<String, Integer> bits) {
    QuantizedModel m = QuantizedModel.build(s.plan, s.cal, bits, TargetSpec.GENERIC);
    Tensor y = m.run(s.test);
    assertArrayEquals(s.reference.shape(), y.shape());
    return QuantFixtures.relativeError(y, s.reference);
  }

  @ParameterizedTest
  @ValueSource(strings = {"REGR_13k", "REGR_4k", "CLS_4k_NPU", "AD_17k", "FCST_3k"})
  void errorIsSmallAtEightBitsAndGrowsAsBitsShrink(String name) {
    Setup s = setup(name);
    double e8 = error(s, QuantizedModel.uniformBits(s.plan, 8));
    double e4 = error(s, QuantizedModel.uniformBits(s.plan, 4));
    double e2 = error(s, QuantizedModel.uniformBits(s.plan, 2));
    double e32 = error(s, QuantizedModel.uniformBits(s.plan, 32));
    System.out.printf("%-10s rel. error  32: %.5f  8: %.4f  4: %.4f  2: %.4f%n", name, e32, e8, e4, e2);
    assertTrue(e8 < 0.05, name + ": 8-bit error " + e8);
    assertTrue(e4 > e8 && e2 > e4, name + ": errors 8/4/2 bits " + e8 + " / " + e4 + " / " + e2);
    // All float: only the int8 input and output quantization remain.
    assertTrue(e32 < e8 && e32 < 0.02, name + ": all-32 error " + e32 + " vs 8-bit " + e8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"REGR_13k", "AD_17k", "CLS_4k_NPU"})
  void mixedAllocationsRunAndFloatEdgesStayFloat(String name) {
    Setup s = setup(name);
    List<String> wl = s.plan.weightLayerNames();
    int[] cycle = {8, 4, 32, 2, 32, 32, 8};
    Map<String, Integer> bits = new LinkedHashMap<>();
    for (int i = 0; i < wl.size(); i++) bits.put(wl.get(i), cycle[i % cycle.length]);
    QuantizedModel m = QuantizedModel.build(s.plan, s.cal, bits, TargetSpec.GENERIC);
    for (QLayer l : m.layers()) {
      if (l.kind().hasWeights()) {
        assertEquals(bits.get(l.name()), l.bits());
        assertEquals(l.bits() == 32, l.onCpu(), l.name());
      }
      QTensor out = m.tensor(l.output());
      if (!l.onCpu()) assertTrue(out.repr().isInteger(), l.name() + " on the NPU must write 8 bits");
    }
    // Float edges exist exactly between CPU layers.
    for (QTensor t : m.tensors().values()) {
      if (t.repr() == QTensor.Repr.FLOAT32) assertTrue(m.layers().get(t.firstLayer()).onCpu(), t.name());
    }
    double mixed = QuantFixtures.relativeError(m.run(s.test), s.reference);
    double all2 = error(s, QuantizedModel.uniformBits(s.plan, 2));
    double all8 = error(s, QuantizedModel.uniformBits(s.plan, 8));
    System.out.printf("%-10s mixed %s: %.4f (all 8: %.4f, all 2: %.4f)%n", name, bits.values(), mixed, all8, all2);
    assertTrue(mixed < all2, name + ": mixed " + mixed + " vs all-2-bit " + all2);
  }
}
