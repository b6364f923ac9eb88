package io.edgeamp.core.onnx;

import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.tensor.Tensor;
import java.util.Map;

/** Runs a graph in the Java float engine: the system under test of the ORT comparisons. */
final class EngineOracle {
  private EngineOracle() {}

  static Map<String, Tensor> run(Graph g, Map<String, Tensor> inputs) {
    return FloatEngine.compile(g).run(inputs);
  }
}
