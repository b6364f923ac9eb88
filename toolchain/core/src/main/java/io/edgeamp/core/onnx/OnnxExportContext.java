package io.edgeamp.core.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.edgeamp.core.ir.Graph;

/** What an {@link OnnxExportExtension} may add to the ONNX graph being written. */
public interface OnnxExportContext {
  /** The graph being exported. */
  Graph graph();

  /** A value or node name not used anywhere in the exported model yet, derived from {@code hint}. */
  String freshName(String hint);

  /** The inferred shape of a value (-1 for a dynamic dimension), or null if unknown. */
  int[] shape(String value);

  void addInitializer(TensorProto tensor);

  /** Appends a node at the current position of the (topologically ordered) node list. */
  void addNode(NodeProto node);
}
