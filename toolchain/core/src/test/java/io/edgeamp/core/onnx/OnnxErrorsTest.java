package io.edgeamp.core.onnx;

import static io.edgeamp.core.onnx.OnnxModels.in;
import static io.edgeamp.core.onnx.OnnxModels.ints;
import static io.edgeamp.core.onnx.OnnxModels.out;
import static io.edgeamp.core.onnx.OnnxModels.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rejected model gives an OnnxFormatException naming the file, the node and op, and the way out. */
class OnnxErrorsTest {
  @TempDir Path dir;

  /** Writes the model to a file named {@code fileName}, reads it, and returns the exception. */
  private OnnxFormatException readFails(String fileName, byte[] model) throws Exception {
    Path f = dir.resolve(fileName);
    Files.write(f, model);
    OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.read(f));
    assertTrue(e.getMessage().startsWith(f.toString() + ": "), () -> "message should start with the file: " + e.getMessage());
    assertEquals(f.toString(), e.file());
    return e;
  }

  private static void assertMentions(OnnxFormatException e, String... parts) {
    for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "'" + p + "' missing from: " + e.getMessage());
  }

  @Test
  void unsupportedOpListsTypeNodeAndSupportedSet() throws Exception {
    byte[] m = OnnxModels.opset(17).input("x", 1, 4).node("my_gelu", "Gelu", in("x"), out("y")).output("y").bytes();
    OnnxFormatException e = readFails("gelu.onnx", m);
    assertEquals("my_gelu", e.nodeName());
    assertEquals("Gelu", e.opType());
    assertMentions(e, "node 'my_gelu' (Gelu)", "operator Gelu is not supported", "Conv", "Resize", "Softmax");
    // every other unsupported operator is named in the same run, once per type, wherever the first error is
    m = OnnxModels.opset(17).input("x", 1, 4).node("gelu_1", "Gelu", in("x"), out("a")).node("lstm", "LSTM", in("a"), out("b"))
        .node("gelu_2", "Gelu", in("b"), out("c")).node("erf", "Erf", in("c"), out("y")).output("y").bytes();
    e = readFails("many.onnx", m);
    assertMentions(e, "node 'gelu_1' (Gelu)", "also uses operators EdgeAMP does not support: LSTM (node 'lstm'), Erf (node 'erf'))");
    assertTrue(!e.getMessage().contains("gelu_2"), e.getMessage());
  }

  @Test
  void customDomainOpIsUnsupported() throws Exception {
    byte[] m = OnnxModels.opset(17).input("x", 1, 4)
        .rawNode(ai.onnx.proto.OnnxMl.NodeProto.newBuilder().setName("fused").setOpType("FusedConv").setDomain("com.microsoft").addInput("x").addOutput("y").build())
        .output("y").bytes();
    assertMentions(readFails("ms.onnx", m), "node 'fused' (FusedConv)", "com.microsoft");
  }

  @Test
  void unsupportedOpsetNamesVersionAndFix() throws Exception {
    byte[] old = OnnxModels.opset(9).input("x", 1, 4).node("Relu", in("x"), out("y")).output("y").bytes();
    assertMentions(readFails("old.onnx", old), "opset 9", "11-21", "convert_version");
    byte[] future = OnnxModels.opset(22).input("x", 1, 4).node("Relu", in("x"), out("y")).output("y").bytes();
    assertMentions(readFails("future.onnx", future), "opset 22");
  }

  @Test
  void convWithRank3KernelIsRejected() throws Exception {
    byte[] m = OnnxModels.opset(17).input("x", 1, 2, 4, 4, 4).weight("w", 3, 2, 3, 3, 3)
        .node("conv3d", "Conv", in("x", "w"), out("y"), ints("kernel_shape", 3, 3, 3)).output("y").bytes();
    OnnxFormatException e = readFails("c3d.onnx", m);
    assertMentions(e, "node 'conv3d' (Conv)", "[3, 3, 3]", "1-D and 2-D");
  }

  @Test
  void attributeOutOfRangeOrUnknownIsRejected() throws Exception {
    byte[] badPad = OnnxModels.opset(17).input("x", 1, 2, 4, 4).weight("w", 3, 2, 3, 3)
        .node("c", "Conv", in("x", "w"), out("y"), ints("pads", 1, 1)).output("y").bytes();
    assertMentions(readFails("pads.onnx", badPad), "node 'c' (Conv)", "pads [1, 1] must have 4 entries");
    byte[] badAutoPad = OnnxModels.opset(17).input("x", 1, 2, 4, 4).node("p", "MaxPool", in("x"), out("y"), ints("kernel_shape", 2, 2),
        s("auto_pad", "SAME")).output("y").bytes();
    assertMentions(readFails("autopad.onnx", badAutoPad), "node 'p' (MaxPool)", "auto_pad='SAME'");
    byte[] dilatedPool = OnnxModels.opset(17).input("x", 1, 2, 6, 6).node("p", "MaxPool", in("x"), out("y"), ints("kernel_shape", 2, 2),
        ints("dilations", 2, 2)).output("y").bytes();
    assertMentions(readFails("dil.onnx", dilatedPool), "node 'p' (MaxPool)", "dilations [2, 2] are not supported");
    byte[] unknown = OnnxModels.opset(17).input("x", 1, 4).node("r", "Relu", in("x"), out("y"), OnnxModels.i("inplace", 1)).output("y").bytes();
    assertMentions(readFails("attr.onnx", unknown), "node 'r' (Relu)", "[inplace]");
    byte[] cubic = OnnxModels.opset(17).input("x", 1, 1, 4, 4).floats("sc", new long[] {4}, 1, 1, 2, 2)
        .node("up", "Resize", in("x", "", "sc"), out("y"), s("mode", "cubic")).output("y").bytes();
    assertMentions(readFails("cubic.onnx", cubic), "node 'up' (Resize)", "mode='cubic'", "nearest or linear");
  }

  @Test
  void batchedRightMatMulOperandIsRejected() throws Exception {
    byte[] m = OnnxModels.opset(17).input("a", 2, 3, 4).input("b", 2, 4, 5).node("attn", "MatMul", in("a", "b"), out("y")).output("y").bytes();
    assertMentions(readFails("bmm.onnx", m), "node 'attn' (MatMul)", "[2, 4, 5]", "2-D right operand");
  }

  @Test
  void missingInitializerNamesTheValue() throws Exception {
    byte[] m = OnnxModels.opset(17).input("x", 1, 2, 4, 4).node("conv1", "Conv", in("x", "conv1.weight"), out("y")).output("y").bytes();
    assertMentions(readFails("noweights.onnx", m), "node 'conv1' (Conv)", "'conv1.weight'", "missing initializer");
  }

  @Test
  void computedShapeInputIsRejected() throws Exception {
    byte[] m = OnnxModels.opset(17).input("x", 2, 6).input("s", 2).node("r", "Reshape", in("x", "s"), out("y")).output("y").bytes();
    assertMentions(readFails("dynshape.onnx", m), "node 'r' (Reshape)", "must be a constant");
  }

  @Test
  void nonFloatInputsAreRejected() throws Exception {
    byte[] intInput = OnnxModels.opset(17).typedInput("ids", TensorProto.DataType.INT64_VALUE, 1, 4).node("Relu", in("ids"), out("y")).output("y").bytes();
    assertMentions(readFails("ids.onnx", intInput), "graph input 'ids'", "INT64", "FLOAT");
    byte[] intWeight = OnnxModels.opset(17).input("x", 4).int64s("k", 1, 2, 3, 4).node("add", "Add", in("x", "k"), out("y")).output("y").bytes();
    assertMentions(readFails("intweight.onnx", intWeight), "node 'add' (Add)", "'k' is INT64");
  }

  @Test
  void trainingModeBatchNormAndUnsortedGraphAreRejected() throws Exception {
    byte[] bn = OnnxModels.opset(15).input("x", 1, 2, 3, 3).weight("s", 2).weight("b", 2).weight("m", 2).weight("v", 2)
        .node("bn", "BatchNormalization", in("x", "s", "b", "m", "v"), out("y"), OnnxModels.i("training_mode", 1)).output("y").bytes();
    assertMentions(readFails("bn.onnx", bn), "node 'bn' (BatchNormalization)", "eval mode");
    byte[] unsorted = OnnxModels.opset(17).input("x", 1, 4).node("second", "Relu", in("a"), out("y")).node("first", "Relu", in("x"), out("a"))
        .output("y").bytes();
    assertMentions(readFails("unsorted.onnx", unsorted), "node 'second' (Relu)", "topologically sorted");
  }

  @Test
  void truncatedAndCorruptProtobufGiveAClearError() throws Exception {
    byte[] good = OpCases.smallCnn();
    assertMentions(readFails("truncated.onnx", Arrays.copyOf(good, good.length / 2)), "truncated or corrupt");
    byte[] garbage = "this is not an onnx model at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    OnnxFormatException e = readFails("garbage.onnx", garbage);
    assertTrue(e.getMessage().length() > "garbage.onnx".length() + 10, e.getMessage());
    assertMentions(readFails("empty.onnx", new byte[0]), "opset");
  }

  @Test
  void bytesWithoutAFileAreNamedInMessages() {
    OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.read(new byte[] {8, (byte) 0x80}));
    assertTrue(e.getMessage().startsWith("<bytes>: "), e.getMessage());
  }
}
