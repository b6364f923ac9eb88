package io.edgeamp.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/** Test helper: small ONNX models built with the generated protobuf builders, as a user's exporter would write them. */
final class OnnxModels {
  private final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
  private final ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName("edgeamp-tests");
  private final Random rnd;
  private int opset;

  private OnnxModels(int opset, long seed) {
    this.opset = opset;
    this.rnd = new Random(seed);
  }

  static OnnxModels opset(int opset) {
    return new OnnxModels(opset, 42);
  }

  /** A graph input; a negative dimension becomes the symbolic batch "N". */
  OnnxModels input(String name, long... shape) {
    g.addInput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, shape));
    return this;
  }

  OnnxModels typedInput(String name, int elemType, long... shape) {
    g.addInput(valueInfo(name, elemType, shape));
    return this;
  }

  /** A graph output without a declared shape (the importer infers it). */
  OnnxModels output(String name) {
    g.addOutput(ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
    return this;
  }

  OnnxModels output(String name, long... shape) {
    g.addOutput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, shape));
    return this;
  }

  /** A float initializer with random values in [lo, hi], stored little-endian in raw_data. */
  OnnxModels weight(String name, double lo, double hi, long... dims) {
    float[] v = new float[(int) Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < v.length; i++) v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
    return initializer(rawFloats(name, dims, v));
  }

  OnnxModels weight(String name, long... dims) {
    return weight(name, -1, 1, dims);
  }

  /** Same as {@link #weight} but in the typed float_data field. */
  OnnxModels weightTyped(String name, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) t.addDims(d);
    long n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    for (int i = 0; i < n; i++) t.addFloatData((float) (rnd.nextDouble() * 2 - 1));
    return initializer(t.build());
  }

  OnnxModels floats(String name, long[] dims, float... values) {
    return initializer(rawFloats(name, dims, values));
  }

  OnnxModels scalar(String name, float value) {
    return initializer(rawFloats(name, new long[0], value));
  }

  OnnxModels int64s(String name, long... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) b.putLong(v);
    return initializer(t.setRawData(ByteString.copyFrom(b.array())).build());
  }

  OnnxModels initializer(TensorProto t) {
    g.addInitializer(t);
    return this;
  }

  OnnxModels node(String opType, String[] inputs, String[] outputs, AttributeProto... attrs) {
    return node("", opType, inputs, outputs, attrs);
  }

  OnnxModels node(String name, String opType, String[] inputs, String[] outputs, AttributeProto... attrs) {
    NodeProto.Builder n = NodeProto.newBuilder().setName(name).setOpType(opType);
    n.addAllInput(Arrays.asList(inputs)).addAllOutput(Arrays.asList(outputs));
    for (AttributeProto a : attrs) n.addAttribute(a);
    g.addNode(n);
    return this;
  }

  OnnxModels rawNode(NodeProto n) {
    g.addNode(n);
    return this;
  }

  OnnxModels metadata(String k, String v) {
    m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v));
    return this;
  }

  ModelProto model() {
    return m.clone().clearOpsetImport().addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
  }

  byte[] bytes() {
    return model().toByteArray();
  }

  static String[] in(String... names) {
    return names;
  }

  static String[] out(String... names) {
    return names;
  }

  static AttributeProto i(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
  }

  static AttributeProto f(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(v).build();
  }

  static AttributeProto s(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build();
  }

  static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (long x : v) b.addInts(x);
    return b.build();
  }

  static AttributeProto tensor(String name, TensorProto t) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(t).build();
  }

  static TensorProto rawFloats(String name, long[] dims, float... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) t.addDims(d);
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) b.putFloat(v);
    return t.setRawData(ByteString.copyFrom(b.array())).build();
  }

  static ValueInfoProto valueInfo(String name, int elemType, long... shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : shape) s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N") : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s)))
        .build();
  }
}
