package io.edgeamp.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.NetworkBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Layer planning, activation types and clamps, unsupported models, and the less common layer kinds. */
class QuantPlanTest {

  @Test
  void zooPlanNamesLayersAfterOnnxNodesAndFoldsTheInputBatchNorm() {
    Graph g = QuantFixtures.zoo("REGR_13k", 6, 128, 2, 1);
    QuantPlan plan = QuantPlan.of(g);
    List<String> expected = new ArrayList<>();
    for (Node n : g.nodes()) {
      Op op = n.op();
      if (op instanceof Op.Conv || op instanceof Op.MaxPool || op instanceof Op.GlobalAveragePool || op instanceof Op.Gemm) expected.add(n.name());
    }
    assertEquals(expected, plan.layerNames());
    assertEquals(List.of(g.nodes().get(0).name()), plan.inputTransform().nodes(), "the leading BatchNorm becomes the input transform");
    assertFalse(plan.inputTransform().isIdentity());
    QuantPlan.PlannedLayer conv = plan.layers().get(0);
    assertEquals(LayerKind.CONV, conv.kind());
    assertEquals(new Dims(128, 1, 6), conv.inputDims().get(0));
    assertEquals(new Dims(64, 1, 16), conv.outputDims());
    assertEquals(Geometry.window(3, 2, 1, 1, 1), conv.geometry());
    assertEquals(0.0, conv.actLo());
    assertTrue(conv.nodes().size() == 2 && conv.nodes().get(1).startsWith("relu"), "ReLU fused: " + conv.nodes());
    assertTrue(plan.tensors().get(conv.output()).unsigned(), "a ReLU-ending layer writes uint8");
    QuantPlan.PlannedLayer pool = plan.layers().get(1);
    assertEquals(conv.output(), plan.tensors().get(pool.output()).scaleFrom(), "max pool keeps its input's scale");
    assertTrue(plan.tensors().get(pool.output()).unsigned());
    QuantPlan.PlannedLayer last = plan.layers().get(plan.layers().size() - 1);
    assertEquals(LayerKind.DENSE, last.kind());
    assertFalse(plan.tensors().get(last.output()).unsigned());
    assertNull(plan.tensors().get(last.output()).scaleFrom());
    assertEquals(plan.outputTensor(), last.output());
  }

  @Test
  void unsupportedOpsNameTheNodeTheOpAndWhatIsSupported() {
    Graph sig = new NetworkBuilder("s", 1, 2, 16, 1).conv(4, 3, 1, 1, 1, 1, 0, 1, true).activation(new Op.Sigmoid()).build();
    QuantException e = assertThrows(QuantException.class, () -> QuantPlan.of(sig));
    assertTrue(e.getMessage().contains("sigmoid2") && e.getMessage().contains("Sigmoid") && e.getMessage().contains("The device runs"), e.getMessage());
    Graph k33 = new NetworkBuilder("k", 1, 2, 16, 4).conv(4, 3, 3, 1, 1, 1, 1, 1, true).build();
    e = assertThrows(QuantException.class, () -> QuantPlan.of(k33));
    assertTrue(e.getMessage().contains("conv1") && e.getMessage().contains("(k,1)"), e.getMessage());
    Graph grouped = new NetworkBuilder("g", 1, 4, 16, 1).conv(8, 3, 1, 1, 1, 1, 0, 2, true).build();
    e = assertThrows(QuantException.class, () -> QuantPlan.of(grouped));
    assertTrue(e.getMessage().contains("depthwise"), e.getMessage());
  }

  /** input -> conv -> Clip(0, 6) -> conv -> Clip(-1, 1) -> conv. */
  static Graph clipChain() {
    return new NetworkBuilder("clips", 3, 2, 8, 1)
        .conv(4, 3, 1, 1, 1, 1, 0, 1, true).activation(new Op.Clip(0, 6))
        .conv(4, 3, 1, 1, 1, 1, 0, 1, true).activation(new Op.Clip(-1, 1))
        .conv(2, 3, 1, 1, 1, 1, 0, 1, true)
        .build();
  }

  @Test
  void clampRangesFoldReluSixIntoUint8AndClipIntoInt8() {
    QuantPlan plan = QuantPlan.of(clipChain());
    List<QuantPlan.PlannedLayer> ls = plan.layers();
    // Hand-picked ranges: s = 10.2 / 255 = 0.04 (uint8), 2.54 / 127 = 0.02 (int8).
    Calibration cal = Calibration.ofRanges(Map.of(plan.inputTensor(), 1.27, ls.get(0).output(), 10.2, ls.get(1).output(), 2.54,
        ls.get(2).output(), 1.27), 1);
    QuantizedModel m = QuantizedModel.build(plan, cal, QuantizedModel.uniformBits(plan, 8), TargetSpec.GENERIC);
    QLayer relu6 = m.layers().get(0), clip = m.layers().get(1), none = m.layers().get(2);
    assertEquals(QTensor.Repr.UINT8, m.tensor(relu6.output()).repr());
    assertEquals(0, relu6.actMin());
    assertEquals(150, relu6.actMax());   // 6 / 0.04
    assertEquals(QTensor.Repr.INT8, m.tensor(clip.output()).repr());
    assertEquals(-50, clip.actMin());    // -1 / 0.02
    assertEquals(50, clip.actMax());
    assertEquals(-128, none.actMin());
    assertEquals(127, none.actMax());
    // On the CPU the same bounds are float clamps, and the output is quantized into the same integer range.
    QuantizedModel cpu = QuantizedModel.build(plan, cal, QuantizedModel.uniformBits(plan, 32), TargetSpec.GENERIC);
    assertEquals(0f, cpu.layers().get(0).clampLo());
    assertEquals(6f, cpu.layers().get(0).clampHi());
    assertEquals(QTensor.Repr.FLOAT32, cpu.tensor(cpu.layers().get(0).output()).repr(), "CPU -> CPU edges stay float");
    assertEquals(QTensor.Repr.INT8, cpu.tensor(cpu.outputTensor()).repr(), "the model output is always 8-bit");
  }

  @Test
  void powerOfTwoBoardsGetPowerOfTwoScalesAndUnitMultipliers() {
    Graph g = QuantFixtures.zoo("CLS_4k_NPU", 3, 64, 3, 2);
    QuantPlan plan = QuantPlan.of(g);
    Calibration cal = Calibration.run(plan, QuantFixtures.gaussian(3, 32, 3, 64, 1));
    TargetSpec ti = TargetSpec.of("ti-pow2", 1, true, List.of(2, 4, 8));
    QuantizedModel m = QuantizedModel.build(plan, cal, QuantizedModel.uniformBits(plan, 8), ti);
    for (QTensor t : m.tensors().values()) assertEquals(0, Math.getExponent(t.scale()) - Math.log(t.scale()) / Math.log(2), 1e-9, t.name());
    for (QLayer l : m.layers()) {
      if (!l.kind().hasWeights()) continue;
      for (int x : l.mult()) assertEquals(1, x, l.name());
    }
    Tensor x = QuantFixtures.gaussian(4, 32, 3, 64, 1);
    double err = QuantFixtures.relativeError(m.run(x), QuantFixtures.floatOutput(g, x));
    assertTrue(err < 0.15, "power-of-two 8-bit error " + err);
  }

  @Test
  void boardProfilesGiveMultiplierWidthsPerWeightWidth() {
    TargetSpec ti = TargetSpec.of(profile("launchxl-f28p55x"));
    assertTrue(ti.powerOfTwoScales(), "8-bit layers have 1-bit multipliers, so activation scales are powers of two");
    Graph g = QuantFixtures.zoo("CLS_4k_NPU", 3, 64, 3, 2);
    QuantPlan plan = QuantPlan.of(g);
    Calibration cal = Calibration.run(plan, QuantFixtures.gaussian(3, 32, 3, 64, 1));
    List<String> wl = plan.weightLayerNames();
    Map<String, Integer> bits = new java.util.HashMap<>();
    for (int i = 0; i < wl.size(); i++) bits.put(wl.get(i), i % 2 == 0 ? 8 : 4);
    QuantizedModel m = QuantizedModel.build(plan, cal, bits, ti);
    for (QLayer l : m.layers()) {
      if (!l.kind().hasWeights()) continue;
      for (int x : l.mult()) assertTrue(l.bits() == 8 ? x == 1 : x >= 1 && x <= 127, l.name() + " (" + l.bits() + " bits): m = " + x);
    }
    assertEquals(31, TargetSpec.of(profile("qemu-mps2-an386")).requantMultBits(4));
  }

  static io.edgeamp.core.board.BoardProfile profile(String id) {
    java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
    while (dir != null && !java.nio.file.Files.exists(dir.resolve("board-profiles/" + id + ".yaml"))) dir = dir.getParent();
    if (dir == null) throw new AssertionError("board-profiles/" + id + ".yaml not found above the working directory");
    return io.edgeamp.core.board.BoardProfiles.load(dir.resolve("board-profiles/" + id + ".yaml"));
  }

  /**
   * Residual block with depthwise conv, average pool, upsampling, a ReLU that cannot be fused (its
   * input has two readers), and a dense layer reading a flattened C x H tensor (columns permuted to HWC).
   */
  static Graph residual() {
    Random r = new Random(3);
    Graph.Builder b = Graph.builder("residual").input("x", -1, 4, 32, 1);
    b.initializer("w1", rand(r, 0.4, 8, 4, 3, 1)).initializer("b1", rand(r, 0.1, 8));
    b.initializer("wd", rand(r, 0.6, 8, 1, 3, 1)).initializer("bd", rand(r, 0.1, 8));
    b.initializer("w2", rand(r, 0.3, 8, 8, 1, 1));
    b.initializer("fc", rand(r, 0.1, 3, 8 * 8)).initializer("fcb", rand(r, 0.1, 3));
    int[] k3 = {3, 1}, s1 = {1, 1}, p1 = {1, 0}, p0 = {0, 0}, d1 = {1, 1};
    b.node("c1", new Op.Conv(k3, s1, p1, p1, d1, 1), List.of("x", "w1", "b1"), "c1_out");
    b.node("r1", new Op.Relu(), List.of("c1_out"), "r1_out");
    b.node("dw", new Op.Conv(k3, s1, p1, p1, d1, 8), List.of("r1_out", "wd", "bd"), "dw_out");
    b.node("pw", new Op.Conv(new int[] {1, 1}, s1, p0, p0, d1, 1), List.of("dw_out", "w2"), "pw_out");
    b.node("sum", new Op.Add(), List.of("pw_out", "r1_out"), "sum_out");
    b.node("avg", new Op.AveragePool(new int[] {4, 1}, new int[] {4, 1}, p0, p0, false, false), List.of("sum_out"), "avg_out");
    b.node("up", new Op.Resize(Op.Resize.Mode.NEAREST, new double[] {1, 1, 2, 1}, Op.Resize.CoordinateMode.ASYMMETRIC,
        Op.Resize.NearestMode.FLOOR), List.of("avg_out"), "up_out");
    b.node("mp", new Op.MaxPool(new int[] {2, 1}, new int[] {2, 1}, p0, p0, false), List.of("up_out"), "mp_out");
    b.node("act", new Op.Relu(), List.of("sum_out"), "act_out");
    b.node("gap", new Op.GlobalAveragePool(), List.of("act_out"), "gap_out");
    b.node("fl", new Op.Flatten(1), List.of("mp_out"), "fl_out");
    b.node("dense", new Op.Gemm(1, 1, false, true), List.of("fl_out", "fc", "fcb"), "y");
    b.output("y", -1, 3);
    b.node("unused_tail", new Op.Flatten(1), List.of("gap_out"), "gap_flat");
    return b.build();
  }

  static Tensor rand(Random r, double scale, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) t.data()[i] = scale * r.nextGaussian();
    return t;
  }

  @Test
  void residualDepthwisePoolingUpsamplingAndFlattenMatchTheFloatModel() {
    Graph g = residual();
    QuantPlan plan = QuantPlan.of(g);
    List<LayerKind> kinds = new ArrayList<>();
    for (QuantPlan.PlannedLayer l : plan.layers()) kinds.add(l.kind());
    assertEquals(List.of(LayerKind.CONV, LayerKind.DEPTHWISE_CONV, LayerKind.CONV, LayerKind.ADD, LayerKind.AVG_POOL,
        LayerKind.RESIZE_NEAREST, LayerKind.MAX_POOL, LayerKind.CLAMP, LayerKind.GLOBAL_AVG_POOL, LayerKind.DENSE), kinds);
    assertArrayEquals(new int[] {-1, 3}, plan.outputShape());
    Calibration cal = Calibration.run(plan, QuantFixtures.gaussian(5, 64, 4, 32, 1));
    Tensor x = QuantFixtures.gaussian(6, 32, 4, 32, 1);
    Tensor ref = QuantFixtures.floatOutput(g, x);
    double e8 = QuantFixtures.relativeError(QuantizedModel.build(plan, cal, QuantizedModel.uniformBits(plan, 8), TargetSpec.GENERIC).run(x), ref);
    double e32 = QuantFixtures.relativeError(QuantizedModel.build(plan, cal, QuantizedModel.uniformBits(plan, 32), TargetSpec.GENERIC).run(x), ref);
    // The 3 outputs partly cancel (sums of 64 products), so the relative error is larger than per tensor (~2%).
    assertTrue(e8 < 0.08, "8-bit error " + e8);
    double e4 = QuantFixtures.relativeError(QuantizedModel.build(plan, cal, QuantizedModel.uniformBits(plan, 4), TargetSpec.GENERIC).run(x), ref);
    assertTrue(e4 > e8, "4-bit error " + e4 + " vs 8-bit " + e8);
    assertTrue(e32 < e8, "all-float error " + e32 + " (only the int8 input and output remain) vs 8-bit " + e8);
    // Layers without weights follow their producer unless told otherwise.
    Map<String, Integer> bits = new java.util.HashMap<>(QuantizedModel.uniformBits(plan, 32));
    bits.put("avg", 8);
    QuantizedModel mixed = QuantizedModel.build(plan, cal, bits, TargetSpec.GENERIC);
    assertTrue(mixed.layer("sum").onCpu() && !mixed.layer("avg").onCpu() && !mixed.layer("up").onCpu() && mixed.layer("gap").onCpu());
    assertTrue(QuantFixtures.relativeError(mixed.run(x), ref) < 0.08);
  }

  @Test
  void badAllocationsAreRejected() {
    QuantPlan plan = QuantPlan.of(clipChain());
    Calibration cal = Calibration.run(plan, QuantFixtures.gaussian(1, 8, 2, 8, 1));
    String first = plan.weightLayerNames().get(0);
    QuantException e = assertThrows(QuantException.class, () -> QuantizedModel.build(plan, cal, Map.of(first, 8), TargetSpec.GENERIC));
    assertTrue(e.getMessage().contains("no bit width"), e.getMessage());
    Map<String, Integer> three = new java.util.HashMap<>(QuantizedModel.uniformBits(plan, 8));
    three.put(first, 3);
    e = assertThrows(QuantException.class, () -> QuantizedModel.build(plan, cal, three, TargetSpec.GENERIC));
    assertTrue(e.getMessage().contains(first) && e.getMessage().contains("3 bits"), e.getMessage());
    TargetSpec only8 = TargetSpec.of("b8", 31, false, List.of(8));
    e = assertThrows(QuantException.class, () -> QuantizedModel.build(plan, cal, QuantizedModel.uniformBits(plan, 4), only8));
    assertTrue(e.getMessage().contains("b8"), e.getMessage());
  }
}
