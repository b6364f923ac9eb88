package io.edgeamp.core.onnx;

import static io.edgeamp.core.onnx.TestSupport.assertClose;
import static io.edgeamp.core.onnx.TestSupport.assertSameGraph;
import static io.edgeamp.core.onnx.TestSupport.randomInputs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported op and attribute variant ({@link OpCases}) against ONNX Runtime, the oracle:
 * the imported graph run in the Java engine, and the imported graph exported again and run in ORT, must
 * both match ORT on the original file; exporting and re-importing must give the identical graph.
 */
class OpOrtTest {

  static Object[][] cases() {
    return OpCases.all().stream().map(a -> a.get()).toArray(Object[][]::new);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void engineMatchesOnnxRuntime(String name, OpCases.Case c) throws Throwable {
    byte[] model = c.model().get();
    Graph g = OnnxImporter.read(model, name);
    Map<String, Tensor> inputs = randomInputs(g, name.hashCode());
    Map<String, Tensor> expected = OrtRunner.run(model, inputs);
    Map<String, Tensor> engine = EngineOracle.run(g, inputs);
    assertClose(expected, engine, name + " (Java engine vs ORT)");
    // export + import gives the same graph, so the engine must give bit-identical outputs
    Map<String, Tensor> again = EngineOracle.run(OnnxImporter.read(OnnxExporter.toBytes(g)), inputs);
    for (String out : engine.keySet()) assertArrayEquals(engine.get(out).data(), again.get(out).data(), name + ": output " + out + " after a round trip");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exportedModelMatchesOnnxRuntimeOnOriginal(String name, OpCases.Case c) throws Exception {
    byte[] model = c.model().get();
    Graph g = OnnxImporter.read(model, name);
    Map<String, Tensor> inputs = randomInputs(g, name.hashCode());
    Map<String, Tensor> expected = OrtRunner.run(model, inputs);
    byte[] exported = OnnxExporter.toBytes(g);
    assertSameGraph(g, OnnxImporter.read(exported, name + " (exported)"));
    Assumptions.assumeFalse(name.equals(OpCases.AVGPOOL_CEIL_INCLUDE_PAD),
        "ORT's opset-17 AveragePool divides overhanging ceil_mode windows by the kernel size (onnxruntime#16203)");
    assertClose(expected, OrtRunner.run(exported, inputs), name + " (exported model in ORT vs original in ORT)");
  }
}
