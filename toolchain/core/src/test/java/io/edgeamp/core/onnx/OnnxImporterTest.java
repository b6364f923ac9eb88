package io.edgeamp.core.onnx;

import static io.edgeamp.core.onnx.OnnxModels.i;
import static io.edgeamp.core.onnx.OnnxModels.in;
import static io.edgeamp.core.onnx.OnnxModels.ints;
import static io.edgeamp.core.onnx.OnnxModels.out;
import static io.edgeamp.core.onnx.OnnxModels.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structure of imported graphs: names, shapes, folding, initializer encodings. */
class OnnxImporterTest {

  @Test
  void dynamicBatchBecomesMinusOneAndOutputShapeIsInferred() throws Exception {
    Graph g = OnnxImporter.read(OpCases.smallCnn());
    assertArrayEquals(new int[] {-1, 3, 12, 12}, g.input().shape());
    assertArrayEquals(new int[] {-1, 5}, g.output().shape());
    assertEquals(Map.of("task", "classification"), g.metadata());
  }

  @Test
  void emptyNodeNamesGetStableUniqueNames() throws Exception {
    byte[] m = OnnxModels.opset(17).input("x", 1, 4).node("Relu", in("x"), out("a")).node("Relu", in("a"), out("b"))
        .node("Relu_0", "Sigmoid", in("b"), out("c")).node("Relu", in("c"), out("y")).output("y").bytes();
    Graph g = OnnxImporter.read(m);
    assertEquals(List.of("Relu_0", "Relu_1", "Relu_0_1", "Relu_3"), g.nodes().stream().map(Node::name).toList());
    assertEquals(g.nodes().stream().map(Node::name).toList(), OnnxImporter.read(m).nodes().stream().map(Node::name).toList(), "stable across reads");
  }

  @Test
  void graphInputThatIsAlsoAnInitializerIsAWeight() throws Exception {
    OnnxModels b = OnnxModels.opset(11).input("x", 2, 3).input("w", 3, 4).weight("w", 3, 4).node("MatMul", in("x", "w"), out("y")).output("y");
    Graph g = OnnxImporter.read(b.bytes());
    assertEquals(1, g.inputs().size());
    assertEquals("x", g.input().name());
    assertTrue(g.isInitializer("w"));
  }

  @Test
  void constantShapeInputsAreFoldedIntoOpsNotKeptAsInitializers() throws Exception {
    byte[] m = OnnxModels.opset(17).input("x", 2, 6).int64s("shape", 3, 4).int64s("axes", 0)
        .node("Reshape", in("x", "shape"), out("r")).node("Unsqueeze", in("r", "axes"), out("y")).output("y").bytes();
    Graph g = OnnxImporter.read(m);
    assertTrue(g.initializers().isEmpty());
    Op.Reshape r = assertInstanceOf(Op.Reshape.class, g.nodes().get(0).op());
    assertArrayEquals(new long[] {3, 4}, r.shape());
    assertEquals(List.of("x"), g.nodes().get(0).inputs());
    assertEquals(List.of(0), ((Op.Unsqueeze) g.nodes().get(1).op()).axes());
    assertArrayEquals(new int[] {1, 3, 4}, g.output().shape());
  }

  @Test
  void doubleFloat16AndBfloat16InitializersAreDecoded() throws Exception {
    ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-2.5);
    TensorProto dbl = TensorProto.newBuilder().setName("d").setDataType(DataType.DOUBLE_VALUE).addDims(2).setRawData(ByteString.copyFrom(d.array())).build();
    TensorProto dblTyped = TensorProto.newBuilder().setName("dt").setDataType(DataType.DOUBLE_VALUE).addDims(2).addDoubleData(0.1).addDoubleData(3).build();
    // 1.0 = 0x3C00, -2.0 = 0xC000 in IEEE half; bfloat16 1.5 = 0x3FC0
    ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3C00).putShort((short) 0xC000);
    TensorProto half = TensorProto.newBuilder().setName("h").setDataType(DataType.FLOAT16_VALUE).addDims(2).setRawData(ByteString.copyFrom(h.array())).build();
    TensorProto halfTyped = TensorProto.newBuilder().setName("ht").setDataType(DataType.FLOAT16_VALUE).addDims(2).addInt32Data(0x3555).addInt32Data(0x0001).build();
    TensorProto bf = TensorProto.newBuilder().setName("bf").setDataType(DataType.BFLOAT16_VALUE).addDims(2).addInt32Data(0x3FC0).addInt32Data(0xC020).build();
    byte[] m = OnnxModels.opset(17).input("x", 2).initializer(dbl).initializer(dblTyped).initializer(half).initializer(halfTyped).initializer(bf)
        .node("Add", in("x", "d"), out("a")).node("Add", in("a", "dt"), out("b")).node("Mul", in("b", "h"), out("c"))
        .node("Mul", in("c", "ht"), out("e")).node("Add", in("e", "bf"), out("y")).output("y").bytes();
    Graph g = OnnxImporter.read(m);
    assertArrayEquals(new double[] {0.1, -2.5}, g.initializer("d").data());
    assertArrayEquals(new double[] {0.1, 3}, g.initializer("dt").data());
    assertArrayEquals(new double[] {1.0, -2.0}, g.initializer("h").data());
    assertArrayEquals(new double[] {0.333251953125, Math.pow(2, -24)}, g.initializer("ht").data());
    assertArrayEquals(new double[] {1.5, -2.5}, g.initializer("bf").data());
  }

  @Test
  void identityGraphOutputRenamesTheProducer() throws Exception {
    byte[] m = OnnxModels.opset(13).input("x", 2, 3).node("Relu", in("x"), out("r")).node("Identity", in("r"), out("y"))
        .node("Dropout", in("y"), out("z", "mask")).output("y").output("z").bytes();
    // z is a copy of y (itself a graph output): an IR graph cannot express that, so it is a clear error
    OnnxFormatException e = org.junit.jupiter.api.Assertions.assertThrows(OnnxFormatException.class, () -> OnnxImporter.read(m));
    assertTrue(e.getMessage().contains("'z'"), e.getMessage());
    byte[] ok = OnnxModels.opset(13).input("x", 2, 3).node("Relu", in("x"), out("r")).node("Identity", in("r"), out("y")).output("y").bytes();
    Graph g = OnnxImporter.read(ok);
    assertEquals(1, g.nodes().size());
    assertEquals(List.of("y"), g.nodes().get(0).outputs());
    assertArrayEquals(new int[] {2, 3}, g.output().shape());
  }

  @Test
  void autoPadSameWithDilationComputesExplicitPads() throws Exception {
    // ORT cannot run dilated SAME convolutions, so check the pads against the ONNX formula directly:
    // span = (3-1)*2+1 = 5, out = ceil(7/2) = 4, total = (4-1)*2 + 5 - 7 = 4 -> 2/2; SAME_LOWER on width 6, k 2, s 1: total 1 -> 1/0
    byte[] m = OnnxModels.opset(17).input("x", 1, 1, 7, 6).weight("w", 1, 1, 3, 2)
        .node("Conv", in("x", "w"), out("y"), s("auto_pad", "SAME_LOWER"), ints("dilations", 2, 1), ints("strides", 2, 1)).output("y").bytes();
    Op.Conv c = (Op.Conv) OnnxImporter.read(m).nodes().get(0).op();
    assertArrayEquals(new int[] {2, 1}, c.padsBegin());
    assertArrayEquals(new int[] {2, 0}, c.padsEnd());
  }

  @Test
  void softmaxBeforeOpset13OverInnerAxesBecomesFlattenSoftmaxReshape() throws Exception {
    Graph g = OnnxImporter.read(OpCases.unary(11, new long[] {2, 3, 4}, "Softmax", i("axis", 1)));
    assertEquals(List.of("Flatten", "Softmax", "Reshape"), g.nodes().stream().map(n -> n.op().onnxType()).toList());
    assertEquals(new Op.Softmax(1), g.nodes().get(1).op());
    Graph last = OnnxImporter.read(OpCases.unary(11, new long[] {2, 3, 4}, "Softmax", i("axis", 2)));
    assertEquals(List.of(new Op.Softmax(2)), last.nodes().stream().map(Node::op).toList());
  }

  @Test
  void resizeSizesBecomeScales() throws Exception {
    byte[] m = OnnxModels.opset(13).input("x", 1, 2, 5, 4).int64s("sz", 1, 2, 7, 8)
        .node("Resize", in("x", "", "", "sz"), out("y"), s("mode", "linear")).output("y").bytes();
    Graph g = OnnxImporter.read(m);
    Op.Resize r = (Op.Resize) g.nodes().get(0).op();
    assertArrayEquals(new double[] {1, 1, 7 / 5.0, 2}, r.scales());
    assertEquals(Op.Resize.CoordinateMode.HALF_PIXEL, r.coordinateMode());
    assertArrayEquals(new int[] {1, 2, 7, 8}, g.output().shape());
  }

  @Test
  void readsFromAFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("cnn.onnx");
    Files.write(f, OpCases.smallCnn());
    Graph g = OnnxImporter.read(f);
    assertEquals(11, g.nodes().size());
    assertFalse(g.isInitializer("flat"), "int64 shape constants are folded");
  }
}
