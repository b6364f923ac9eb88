package io.edgeamp.core.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an op mapping sees of one ONNX node: its attributes, its inputs (after Identity/Constant
 * folding), their shapes where known, and the constant tensors behind constant inputs (shape, axes,
 * Clip bounds, Resize scales) that are folded into the op record.
 */
final class NodeView {
  final NodeProto proto;
  final String name;
  final int opset;
  final NodeAttributes attrs;
  private final List<String> inputs;
  private final Map<String, int[]> shapes;
  private final Map<String, TensorProto> constants;

  NodeView(NodeProto proto, String name, int opset, List<String> inputs, Map<String, int[]> shapes, Map<String, TensorProto> constants)
      throws ImportProblem {
    this.proto = proto;
    this.name = name;
    this.opset = opset;
    this.attrs = new NodeAttributes(proto);
    this.inputs = inputs;
    this.shapes = shapes;
    this.constants = constants;
  }

  String opType() {
    return proto.getOpType();
  }

  int inputCount() {
    return inputs.size();
  }

  boolean hasInput(int i) {
    return i < inputs.size() && !inputs.get(i).isEmpty();
  }

  String input(int i) {
    return hasInput(i) ? inputs.get(i) : "";
  }

  String output() {
    return proto.getOutput(0);
  }

  /** The shape of input i, or null when it is absent or unknown. */
  int[] shape(int i) {
    return hasInput(i) ? shapes.get(inputs.get(i)) : null;
  }

  int[] requireShape(int i, String why) throws ImportProblem {
    int[] s = shape(i);
    if (s == null) throw new ImportProblem("the shape of input '" + input(i) + "' is unknown but is needed " + why
        + "; give the graph inputs static shapes (e.g. onnxsim --overwrite-input-shape)");
    return s;
  }

  void requireInputs(int min, int max) throws ImportProblem {
    if (!hasInput(0)) throw new ImportProblem("has no data input");
    for (int i = 0; i < min; i++) if (!hasInput(i)) throw new ImportProblem("needs input " + i + " but it is missing");
    if (inputs.size() > max) throw new ImportProblem("has " + inputs.size() + " inputs; at most " + max + " are allowed");
  }

  boolean isConstant(int i) {
    return hasInput(i) && constants.containsKey(inputs.get(i));
  }

  private TensorProto constant(int i, String what) throws ImportProblem {
    TensorProto t = hasInput(i) ? constants.get(inputs.get(i)) : null;
    if (t == null) {
      throw new ImportProblem("input " + i + " ('" + input(i) + "', the " + what + ") must be a constant (initializer or Constant node);"
          + " computed " + what + " are not supported: fold constants first (onnxsim)");
    }
    return t;
  }

  /** An int64 constant input such as Reshape's shape or Squeeze's axes. */
  long[] int64Constant(int i, String what) throws ImportProblem {
    TensorProto t = constant(i, what);
    if (!TensorProtos.isIntegerType(t.getDataType())) throw new ImportProblem("the " + what + " ('" + input(i) + "') must be INT64, got " + TensorProtos.typeName(t.getDataType()));
    return TensorProtos.toLongs(t);
  }

  /** A float constant input such as Clip's bounds or Resize's scales. */
  Tensor floatConstant(int i, String what) throws ImportProblem {
    TensorProto t = constant(i, what);
    if (!TensorProtos.isFloatType(t.getDataType())) throw new ImportProblem("the " + what + " ('" + input(i) + "') must be a float tensor, got " + TensorProtos.typeName(t.getDataType()));
    return TensorProtos.toTensor(t);
  }

  /** The op as one IR node reading the first {@code tensorInputs} inputs (the rest were folded into the op). */
  List<Node> single(Op op, int tensorInputs) {
    List<String> in = new ArrayList<>();
    for (int i = 0; i < Math.min(tensorInputs, inputs.size()); i++) in.add(inputs.get(i));
    while (!in.isEmpty() && in.get(in.size() - 1).isEmpty()) in.remove(in.size() - 1);
    return List.of(new Node(name, op, in, List.of(output())));
  }

  List<Node> single(Op op) {
    return single(op, inputs.size());
  }
}
