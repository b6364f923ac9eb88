package io.edgeamp.core.onnx;

import static io.edgeamp.core.onnx.TestSupport.assertClose;
import static io.edgeamp.core.onnx.TestSupport.assertSameGraph;
import static io.edgeamp.core.onnx.TestSupport.randomInputs;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.ModelZoo;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every model-zoo network, as the toolchain writes it to model.onnx, runs in ORT like in the Java engine. */
class ZooExportTest {

  static Iterable<String> zoo() {
    return ModelZoo.NAMES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("zoo")
  void zooModelExportRunsInOrtLikeTheEngine(String name) throws Exception {
    Graph built = ModelZoo.build(name, 3, 64, 4, 11);
    byte[] exported = OnnxExporter.toBytes(built);
    // The export rounds weights to float32; from then on export and import are exact.
    Graph g = OnnxImporter.read(exported, name);
    assertSameGraph(g, OnnxImporter.read(OnnxExporter.toBytes(g), name + " again"));
    Map<String, Tensor> inputs = randomInputs(g, name.hashCode());
    assertClose(OrtRunner.run(exported, inputs), EngineOracle.run(g, inputs), name + ": engine vs exported model in ORT");
  }
}
