package io.edgeamp.core.onnx;

import static io.edgeamp.core.onnx.TestSupport.assertClose;
import static io.edgeamp.core.onnx.TestSupport.assertSameGraph;
import static io.edgeamp.core.onnx.TestSupport.randomInputs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export: model-level fields, file writing, round trips of graphs built in Java, the QDQ extension point. */
class OnnxExporterTest {

  /** A graph as the model zoo builds it: weights float32-representable so the float export is lossless. */
  static Graph javaBuiltGraph() {
    Random r = new Random(7);
    return Graph.builder("zoo-mlp")
        .input("x", -1, 1, 16)
        .initializer("c.w", weights(r, 4, 1, 3)).initializer("c.b", weights(r, 4))
        .initializer("fc.w", weights(r, 3, 64)).initializer("fc.b", weights(r, 3))
        .node("conv", new Op.Conv(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {1}, 1), List.of("x", "c.w", "c.b"), "c")
        .node("act", new Op.Clip(0, 6), List.of("c"), "a")
        .node("lrelu", new Op.LeakyRelu((float) 0.1), List.of("a"), "l")
        .node("up", new Op.Resize(Op.Resize.Mode.NEAREST, new double[] {1, 1, 2}, Op.Resize.CoordinateMode.ASYMMETRIC,
            Op.Resize.NearestMode.FLOOR), List.of("l"), "u")
        .node("flat", new Op.Flatten(1), List.of("u"), "f")
        .node("fc", new Op.Gemm(1, 1, false, true), List.of("f", "fc.w", "fc.b"), "logits")
        .node("sm", new Op.Softmax(1), List.of("logits"), "probs")
        .output("probs", -1, 3)
        .metadata("task", "classification").metadata("normalization", "mean=0.5,std=0.25")
        .build();
  }

  static Tensor weights(Random r, int... shape) {
    double[] d = new double[java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * 0.5);
    return new Tensor(shape, d);
  }

  @Test
  void modelFieldsAreSetForNetronAndOrt() {
    ModelProto m = new OnnxExporter(OnnxExportExtension.FLOAT).toModel(javaBuiltGraph());
    assertEquals("edgeamp", m.getProducerName());
    assertEquals(OnnxExporter.IR_VERSION, m.getIrVersion());
    assertEquals(1, m.getOpsetImportCount());
    assertEquals(17, m.getOpsetImport(0).getVersion());
    assertEquals("", m.getOpsetImport(0).getDomain());
    assertEquals(Map.of("task", "classification", "normalization", "mean=0.5,std=0.25"),
        Map.of(m.getMetadataProps(0).getKey(), m.getMetadataProps(0).getValue(), m.getMetadataProps(1).getKey(), m.getMetadataProps(1).getValue()));
    GraphProto g = m.getGraph();
    TensorShapeProto in = g.getInput(0).getType().getTensorType().getShape();
    assertEquals("N", in.getDim(0).getDimParam());
    assertEquals(16, in.getDim(2).getDimValue());
    assertEquals(TensorProto.DataType.FLOAT_VALUE, g.getOutput(0).getType().getTensorType().getElemType());
    assertEquals(3, g.getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
    // intermediate shapes for Netron: the conv output is [N, 4, 8]
    ValueInfoProto c = g.getValueInfoList().stream().filter(v -> v.getName().equals("c")).findFirst().orElseThrow();
    assertEquals(8, c.getType().getTensorType().getShape().getDim(2).getDimValue());
  }

  @Test
  void javaBuiltGraphRoundTripsIdenticallyAndRunsInOrt() throws Exception {
    Graph g = javaBuiltGraph();
    byte[] bytes = OnnxExporter.toBytes(g);
    Graph back = OnnxImporter.read(bytes);
    assertSameGraph(g, back);
    assertSameGraph(back, OnnxImporter.read(OnnxExporter.toBytes(back)));
    Map<String, Tensor> inputs = randomInputs(g, 3);
    Map<String, Tensor> ort = OrtRunner.run(bytes, inputs);
    assertEquals(List.of(2, 3), java.util.Arrays.stream(ort.get("probs").shape()).boxed().toList());
    assertClose(ort, OrtRunner.run(OnnxExporter.toBytes(back), inputs), "re-exported");
  }

  @Test
  void javaBuiltGraphInEngineMatchesItsExportInOrt() throws Throwable {
    Graph g = javaBuiltGraph();
    Map<String, Tensor> inputs = randomInputs(g, 4);
    assertClose(OrtRunner.run(OnnxExporter.toBytes(g), inputs), EngineOracle.run(g, inputs), "engine vs exported model in ORT");
  }

  @Test
  void writeReplacesAtomicallyAndLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("sub/model.onnx");
    OnnxExporter.write(javaBuiltGraph(), f);
    Files.writeString(dir.resolve("sub/other.txt"), "keep");
    OnnxExporter.write(OnnxImporter.read(OpCases.smallCnn()), f);
    assertSameGraph(OnnxImporter.read(OpCases.smallCnn()), OnnxImporter.read(f));
    try (Stream<Path> s = Files.list(dir.resolve("sub"))) {
      assertEquals(List.of("model.onnx", "other.txt"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void resizeWithScalesFromSizesIsWrittenAsSizes() throws Exception {
    byte[] m = OnnxModels.opset(13).input("x", 1, 1, 3, 3).int64s("sz", 1, 1, 7, 7)
        .node("Resize", OnnxModels.in("x", "", "", "sz"), OnnxModels.out("y"), OnnxModels.s("mode", "nearest")).output("y").bytes();
    Graph g = OnnxImporter.read(m);
    NodeProto resize = new OnnxExporter(OnnxExportExtension.FLOAT).toModel(g).getGraph().getNode(0);
    assertEquals(4, resize.getInputCount(), "X, roi, scales, sizes");
    Map<String, Tensor> inputs = randomInputs(g, 1);
    assertClose(OrtRunner.run(m, inputs), OrtRunner.run(OnnxExporter.toBytes(g), inputs), "7/3 upsampling");
  }

  /**
   * The QDQ extension point: an extension that quantizes every activation to int8 (QuantizeLinear then
   * DequantizeLinear, scale 1/32) gives a valid model that ORT runs, close to the float model.
   */
  @Test
  void exportExtensionCanInsertQuantizeDequantizePairs() throws Exception {
    OnnxExportExtension fakeQuant = new OnnxExportExtension() {
      @Override
      public String activation(String name, OnnxExportContext ctx) {
        String scale = ctx.freshName(name + "_scale"), zero = ctx.freshName(name + "_zero");
        ctx.addInitializer(TensorProtos.floats(scale, new long[0], 1f / 32));
        ctx.addInitializer(TensorProto.newBuilder().setName(zero).setDataType(TensorProto.DataType.INT8_VALUE).addInt32Data(0).build());
        String q = ctx.freshName(name + "_q"), dq = ctx.freshName(name + "_dq");
        ctx.addNode(NodeProto.newBuilder().setName(q).setOpType("QuantizeLinear").addInput(name).addInput(scale).addInput(zero).addOutput(q).build());
        ctx.addNode(NodeProto.newBuilder().setName(dq).setOpType("DequantizeLinear").addInput(q).addInput(scale).addInput(zero).addOutput(dq).build());
        return dq;
      }
    };
    Graph g = OnnxImporter.read(OpCases.smallCnn());
    byte[] qdq = new OnnxExporter(fakeQuant).toModel(g).toByteArray();
    long qNodes = ModelProto.parseFrom(qdq).getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).count();
    assertEquals(1 + g.nodes().size(), qNodes, "one pair per activation");
    Map<String, Tensor> inputs = randomInputs(g, 9);
    Tensor fp = OrtRunner.run(OnnxExporter.toBytes(g), inputs).get("probs");
    Tensor q = OrtRunner.run(qdq, inputs).get("probs");
    double worst = 0;
    for (int k = 0; k < fp.size(); k++) worst = Math.max(worst, Math.abs(fp.data()[k] - q.data()[k]));
    assertTrue(worst > 0 && worst < 0.1, "quantized probabilities differ from float by " + worst);
  }
}
