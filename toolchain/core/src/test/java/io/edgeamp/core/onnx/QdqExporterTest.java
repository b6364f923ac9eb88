package io.edgeamp.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.Split;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.metrics.TaskEvaluation;
import io.edgeamp.core.onnx.QdqFixtures.Trained;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QTensor;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import io.edgeamp.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QDQ export of trained zoo models with mixed 8/4-bit (and 32-bit) allocations: ONNX Runtime running the
 * exported model agrees with the Java integer evaluation (the device twin) on the validation split, per window
 * and in the task metric.
 *
 * <p>Tolerances. The twin requantizes with fixed-point multipliers rounding half up; ONNX Runtime computes in
 * float (or, after its QDQ fusion, integer kernels with float requantization) rounding half to even, and sums
 * in another order. So an intermediate value that lands within a rounding error of a half code rounds the
 * other way now and then; the flip moves the next layers' values by about one code each, so an output window
 * may differ by a code or two, rarely more. Per window: at most {@value #MAX_STEPS} output quantization steps.
 * Such near-ties are rare (a value must land within float rounding, ~1e-6 relative, of a half code), so at most
 * {@value #DIFFERING_WINDOWS_FRACTION} of the windows may differ at all: this is the sharpest check, a bias scale
 * off by 2% stays within 2 steps but changes most windows by a code.
 * Metrics follow from the same few codes: R^2 within {@value #R2_TOL}; accuracy within 1% of the windows (an
 * argmax changes only when the top two logits are within a code or two); SMAPE within {@value #SMAPE_TOL}
 * percentage points. A wrong scale anywhere moves outputs by many codes (see the tests at the end).
 */
class QdqExporterTest {
  static final double MAX_STEPS = 2;
  static final double R2_TOL = 0.005;
  static final double ACCURACY_TOL_FRACTION = 0.01;
  static final double SMAPE_TOL = 0.1;
  static final double DIFFERING_WINDOWS_FRACTION = 0.02;
  /** With 8-bit multipliers m/2^n has few bits, so acc * m / 2^n hits an exact half code far more often (see below). */
  static final double DIFFERING_WINDOWS_FRACTION_NARROW = 0.1;

  /** Agreement of the exported model in ORT with the integer model on the validation split. */
  record Agreement(String metric, double java, double ort, double maxSteps, long windowsOff, int windows, int outputs) {
    double delta() {
      return Math.abs(java - ort);
    }

    double metricTolerance() {
      return switch (metric) {
        case "r2" -> R2_TOL;
        case "accuracy" -> ACCURACY_TOL_FRACTION;
        case "smape" -> SMAPE_TOL;
        default -> throw new IllegalArgumentException(metric);
      };
    }

    boolean ok() {
      return maxSteps <= MAX_STEPS && windowsOff <= DIFFERING_WINDOWS_FRACTION * windows && delta() <= metricTolerance();
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s java %.5f ort %.5f |delta| %.5f (tol %.4f); per window max %.0f steps, %d of %d windows differ",
          metric, java, ort, delta(), metricTolerance(), maxSteps, windowsOff, windows);
    }
  }

  static Map<String, Integer> bits(Trained t, int... cycle) {
    List<String> names = t.plan().weightLayerNames();
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) m.put(names.get(i), cycle[i % cycle.length]);
    return m;
  }

  static Agreement agreement(Trained t, QuantizedModel reference, byte[] qdq, OptLevel level) throws Exception {
    Dataset d = t.data();
    Split val = d.val();
    String metric = TaskEvaluation.primaryMetric(d.task());
    try (QdqOrt ort = new QdqOrt(qdq, level)) {
      Tensor yJava = TaskEvaluation.predict(reference::run, val.inputs(), 256);
      Tensor yOrt = TaskEvaluation.predict(ort::run, val.inputs(), 256);
      assertArrayEquals(yJava.shape(), yOrt.shape(), "output shape");
      double step = reference.tensor(reference.outputTensor()).scale();
      int n = val.size(), per = yJava.size() / n;
      double worst = 0;
      long off = 0;
      for (int s = 0; s < n; s++) {
        boolean differs = false;
        for (int e = s * per; e < (s + 1) * per; e++) {
          double steps = Math.abs(yJava.data()[e] - yOrt.data()[e]) / step;
          worst = Math.max(worst, steps);
          differs |= steps > 0.5;
        }
        if (differs) off++;
      }
      double mj = TaskEvaluation.evaluate(reference::run, d, val).get(metric);
      double mo = TaskEvaluation.evaluate(ort::run, d, val).get(metric);
      return new Agreement(metric, mj, mo, Math.rint(worst), off, n, per);
    }
  }

  static void check(String what, Trained t, Map<String, Integer> bits) throws Exception {
    check(what, t, bits, QdqExporter.WeightStorage.INT8);
  }

  static void check(String what, Trained t, Map<String, Integer> bits, QdqExporter.WeightStorage storage) throws Exception {
    check(what, t, bits, storage, TargetSpec.GENERIC);
  }

  static void check(String what, Trained t, Map<String, Integer> bits, QdqExporter.WeightStorage storage, TargetSpec target) throws Exception {
    QuantizedModel m = QuantizedModel.build(t.plan(), t.calibration(), bits, target);
    byte[] qdq = QdqExporter.toModel(m, t.plan().floatGraph(), storage).toByteArray();
    double floatMetric = t.model().metrics().get("val").get(TaskEvaluation.primaryMetric(t.data().task()));
    for (OptLevel level : new OptLevel[] {OptLevel.ALL_OPT, OptLevel.NO_OPT}) {
      Agreement a = agreement(t, m, qdq, level);
      System.out.printf(Locale.ROOT, "QDQ %-10s %s %s %-8s bits %s (float %.4f): %s%n", what, target.board(), storage, level == OptLevel.ALL_OPT ? "ort-all" : "ort-none",
          bits.values(), floatMetric, a);
      assertTrue(a.maxSteps() <= MAX_STEPS, what + " " + level + ": " + a);
      boolean narrow = target.requantMultBits().values().stream().anyMatch(b -> b < 16);
      double differing = narrow ? DIFFERING_WINDOWS_FRACTION_NARROW : DIFFERING_WINDOWS_FRACTION;
      assertTrue(a.windowsOff() <= differing * a.windows(), what + " " + level + ": " + a);
      assertTrue(a.delta() <= a.metricTolerance(), what + " " + level + ": " + a);
    }
  }

  // ---- equivalence on trained zoo models ---------------------------------------------------------

  @Test
  void regressionMixed8And4BitRunsInOrtLikeTheIntegerModel() throws Exception {
    Trained t = QdqFixtures.regression();
    check("REGR_13k", t, bits(t, 8, 4, 8, 4, 8));
  }

  @Test
  void classificationWithAFloatCpuHeadRunsInOrtLikeTheIntegerModel() throws Exception {
    Trained t = QdqFixtures.classification();
    // conv layers 8/4/8 on the NPU, both dense layers float on the CPU: a float32 edge between them
    Map<String, Integer> b = bits(t, 8, 4, 8, 32, 32);
    QuantizedModel m = QuantizedModel.build(t.plan(), t.calibration(), b, TargetSpec.GENERIC);
    assertTrue(m.tensors().values().stream().anyMatch(x -> x.repr() == QTensor.Repr.FLOAT32), "the CPU head keeps a float edge");
    check("CLS_4k_NPU", t, b);
  }

  @Test
  void forecastingMixed4And8BitRunsInOrtLikeTheIntegerModel() throws Exception {
    Trained t = QdqFixtures.forecasting();
    check("FCST_3k", t, bits(t, 4, 8, 4, 8, 8));
  }

  /**
   * A board with 8-bit requantization multipliers: the device scales by m/2^n, up to 1/128 away from
   * s_in * s_w / s_out; the export's weight scales are the effective ones, so ORT still computes what the device does
   * (with s_in * s_w / s_out instead: up to 3 steps, 215 of 465 windows off). What remains are exact ties: with an
   * 8-bit m and a shift n of 10-20, acc * m / 2^n is a multiple of 2^-n and lands exactly on a half code now and
   * then, which the device rounds up and ORT to even (non-ties are at least 2^-n from a half code, more than float32
   * error): one code, in more windows than with 31-bit multipliers.
   */
  @Test
  void eightBitMultipliersAreExportedAsTheEffectiveScales() throws Exception {
    Trained t = QdqFixtures.regression();
    check("REGR_13k", t, bits(t, 8, 4, 8, 4, 8), QdqExporter.WeightStorage.INT8, TargetSpec.of("mult8", 8, false, List.of(2, 4, 8)));
  }

  /** 2- and 4-bit weights as ONNX INT4 (opset 21): ORT 1.22 runs them per axis, with the same results. */
  @Test
  void int4WeightStorageRunsInOrtLikeTheIntegerModel() throws Exception {
    Trained t = QdqFixtures.forecasting();
    Map<String, Integer> b = bits(t, 4, 8, 2, 8, 4);
    QuantizedModel m = QuantizedModel.build(t.plan(), t.calibration(), b, TargetSpec.GENERIC);
    ModelProto model = QdqExporter.toModel(m, t.plan().floatGraph(), QdqExporter.WeightStorage.INT4);
    assertEquals(QdqExporter.INT4_OPSET, model.getOpsetImport(0).getVersion());
    assertEquals(QdqExporter.INT4_IR_VERSION, model.getIrVersion());
    Map<String, TensorProto> inits = new HashMap<>();
    for (TensorProto x : model.getGraph().getInitializerList()) inits.put(x.getName(), x);
    for (QLayer l : m.layers()) {
      if (!l.kind().hasWeights()) continue;
      String w = t.plan().floatGraph().nodes().stream().filter(n -> n.name().equals(l.name())).findFirst().orElseThrow().input(1);
      TensorProto q = inits.get(w + "_quantized");
      assertEquals(l.bits() <= 4 ? TensorProto.DataType.INT4_VALUE : TensorProto.DataType.INT8_VALUE, q.getDataType(), l.name());
      assertEquals(q.getDataType(), inits.get(w + "_zero_point").getDataType(), l.name());
    }
    check("FCST_3k", t, b, QdqExporter.WeightStorage.INT4);
  }

  // ---- structure ---------------------------------------------------------------------------------

  @Test
  void structureMatchesTheIntegerModel() throws Exception {
    Trained t = QdqFixtures.classification();
    Map<String, Integer> b = bits(t, 8, 4, 2, 32, 8);
    QuantizedModel m = QuantizedModel.build(t.plan(), t.calibration(), b, TargetSpec.GENERIC);
    ModelProto model = QdqExporter.toModel(m, t.plan().floatGraph());
    assertEquals(17, model.getOpsetImport(0).getVersion());
    assertEquals(OnnxExporter.IR_VERSION, model.getIrVersion());
    GraphProto g = model.getGraph();
    Map<String, TensorProto> inits = new HashMap<>();
    for (TensorProto x : g.getInitializerList()) inits.put(x.getName(), x);
    Map<String, NodeProto> producer = new HashMap<>();
    for (NodeProto n : g.getNodeList()) for (String o : n.getOutputList()) producer.put(o, n);

    // One Q/DQ pair per 8-bit tensor, with its scale and signedness.
    long eightBit = m.tensors().values().stream().filter(x -> x.repr().isInteger()).count();
    List<NodeProto> qs = g.getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).toList();
    assertEquals(eightBit, qs.size());
    for (NodeProto q : qs) {
      TensorProto zp = inits.get(q.getInput(2));
      float scale = inits.get(q.getInput(1)).getFloatData(0);
      String value = q.getInput(0);
      QTensor qt = m.tensors().get(value.equals(g.getOutput(0).getName() + "_float") ? m.outputTensor() : value);
      if (qt == null) qt = m.tensor(m.inputTensor()); // the input's pair sits after the input BatchNorm
      assertEquals(qt.scale(), scale, value);
      assertEquals(qt.repr() == QTensor.Repr.UINT8 ? TensorProto.DataType.UINT8_VALUE : TensorProto.DataType.INT8_VALUE, zp.getDataType(), value);
    }
    NodeProto inQ = producer.get(qs.get(0).getOutput(0));
    assertEquals("BatchNormalization", producer.get(inQ.getInput(0)).getOpType(), "the input BatchNorm stays float before the input Q/DQ");
    // The output is 8-bit: the graph output is a DequantizeLinear's.
    assertEquals("DequantizeLinear", producer.get(g.getOutput(0).getName()).getOpType());

    // NPU weights: int8 values within the layer's range, per output channel; CPU weights float.
    for (QLayer l : m.layers()) {
      if (!l.kind().hasWeights()) continue;
      String w = t.plan().floatGraph().nodes().stream().filter(n -> n.name().equals(l.name())).findFirst().orElseThrow().input(1);
      if (l.onCpu()) {
        assertEquals(TensorProto.DataType.FLOAT_VALUE, inits.get(w).getDataType(), l.name());
        continue;
      }
      TensorProto q = inits.get(w + "_quantized");
      assertEquals(TensorProto.DataType.INT8_VALUE, q.getDataType(), l.name());
      int max = 0, limit = (1 << (l.bits() - 1)) - 1;
      for (byte v : q.getRawData().toByteArray()) max = Math.max(max, Math.abs(v));
      assertEquals(limit, max, l.name() + ": " + l.bits() + "-bit weights use their full range");
      assertEquals(l.rows(), inits.get(w + "_scale").getFloatDataCount(), l.name() + ": one scale per output channel");
      NodeProto dq = producer.get(w + "_dequantized");
      assertEquals("DequantizeLinear", dq.getOpType());
      assertEquals(1, dq.getAttributeCount());
      // int32 bias at s_in * s_w
      TensorProto bias = inits.get(t.plan().floatGraph().nodes().stream().filter(n -> n.name().equals(l.name())).findFirst().orElseThrow().input(2)
          + "_quantized");
      assertEquals(TensorProto.DataType.INT32_VALUE, bias.getDataType(), l.name());
      ByteBuffer bb = bias.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int r = 0; r < l.rows(); r++) assertEquals(l.bias()[r], bb.getInt(), l.name() + " bias " + r);
    }
    assertTrue(model.getMetadataPropsList().stream().anyMatch(p -> p.getKey().equals(QdqExporter.META_BITS) && p.getValue().contains("=2")));
    // loads in ORT
    try (QdqOrt ort = new QdqOrt(model.toByteArray(), OptLevel.ALL_OPT)) {
      assertEquals(List.of(2, m.outputShape()[1]), java.util.Arrays.stream(ort.run(t.data().val().batch(0, 2).inputs()).shape()).boxed().toList());
    }
  }

  @Test
  void writeIsAtomicAndEqualsToBytes(@TempDir Path dir) throws Exception {
    Trained t = QdqFixtures.classification();
    QuantizedModel m = QuantizedModel.build(t.plan(), t.calibration(), bits(t, 8, 4), TargetSpec.GENERIC);
    Path f = dir.resolve("art/model.qdq.onnx");
    QdqExporter.write(m, t.model().graph(), f); // the unfolded trained graph is folded by the exporter
    assertArrayEquals(QdqExporter.toBytes(m, t.plan().floatGraph()), Files.readAllBytes(f));
    QdqExporter.write(m, t.plan().floatGraph(), f);
    try (Stream<Path> s = Files.list(dir.resolve("art"))) {
      assertEquals(List.of("model.qdq.onnx"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aGraphThatIsNotTheModelsIsRejected() {
    Trained t = QdqFixtures.forecasting();
    QuantizedModel m = QuantizedModel.build(t.plan(), t.calibration(), bits(t, 8), TargetSpec.GENERIC);
    Graph other = QdqFixtures.classification().plan().floatGraph();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QdqExporter.toBytes(m, other));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
  }

  // ---- the checks catch a broken export -----------------------------------------------------------

  /** The export with one layer's weight scales off by 10%: ORT computes something else, the checks see it. */
  @Test
  void aWrongWeightScaleFailsTheChecks() throws Exception {
    Trained t = QdqFixtures.regression();
    QuantizedModel m = QuantizedModel.build(t.plan(), t.calibration(), bits(t, 8, 4, 8, 4, 8), TargetSpec.GENERIC);
    String layer = t.plan().weightLayerNames().get(1);
    String w = t.plan().floatGraph().nodes().stream().filter(n -> n.name().equals(layer)).findFirst().orElseThrow().input(1);
    byte[] broken = scaled(QdqExporter.toModel(m, t.plan().floatGraph()), w + "_scale", 1.1f);
    Agreement a = agreement(t, m, broken, OptLevel.NO_OPT);
    System.out.println("QDQ broken weight scale: " + a);
    assertFalse(a.ok(), "a 10% weight scale error must fail the agreement: " + a);
  }

  /** The export with one activation's Q/DQ scale halved (so it clips): the checks see it. */
  @Test
  void aWrongActivationScaleFailsTheChecks() throws Exception {
    Trained t = QdqFixtures.forecasting();
    QuantizedModel m = QuantizedModel.build(t.plan(), t.calibration(), bits(t, 4, 8, 4, 8, 8), TargetSpec.GENERIC);
    byte[] broken = scaled(QdqExporter.toModel(m, t.plan().floatGraph()), m.layers().get(1).output() + "_scale", 0.5f);
    Agreement a = agreement(t, m, broken, OptLevel.NO_OPT);
    System.out.println("QDQ broken activation scale: " + a);
    assertFalse(a.ok(), "a halved activation scale must fail the agreement: " + a);
  }

  /** {@code model} with the float initializer {@code name} multiplied by {@code factor}. */
  private static byte[] scaled(ModelProto model, String name, float factor) {
    GraphProto.Builder g = model.getGraph().toBuilder();
    boolean found = false;
    for (int i = 0; i < g.getInitializerCount(); i++) {
      TensorProto x = g.getInitializer(i);
      if (!x.getName().equals(name)) continue;
      TensorProto.Builder b = x.toBuilder().clearFloatData();
      for (float f : x.getFloatDataList()) b.addFloatData(f * factor);
      g.setInitializer(i, b);
      found = true;
    }
    assertTrue(found, "no initializer " + name);
    return model.toBuilder().setGraph(g).build().toByteArray();
  }
}
