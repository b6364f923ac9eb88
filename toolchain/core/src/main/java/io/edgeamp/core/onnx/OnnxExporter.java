package io.edgeamp.core.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.edgeamp.core.io.AtomicFiles;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.ValueInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Graph} as a float ONNX model that Netron displays and ONNX Runtime runs.
 *
 * <p>Opset 17: the first opset with every MCU op in its current form (Softmax on one axis and
 * Squeeze/Unsqueeze axes as inputs since 13; Resize 13 is what opset 17 uses), supported by ONNX Runtime
 * since 1.11 and the default of torch.onnx in PyTorch 2.x, so tools that read our models also read the
 * models users bring. IR version 8 goes with opset 17. Weights are written as float32.
 *
 * <p>QDQ export plugs in through an {@link OnnxExportExtension}.
 */
public final class OnnxExporter {
  public static final int OPSET = 17;
  public static final int IR_VERSION = 8;
  public static final String PRODUCER = "edgeamp";

  private final OnnxExportExtension extension;

  public OnnxExporter(OnnxExportExtension extension) {
    this.extension = extension;
  }

  /** Float ONNX to {@code file}, written to a temporary file first and renamed, so no half-written model is left. */
  public static void write(Graph g, Path file) throws IOException {
    new OnnxExporter(OnnxExportExtension.FLOAT).writeFile(g, file);
  }

  public static byte[] toBytes(Graph g) {
    return new OnnxExporter(OnnxExportExtension.FLOAT).toModel(g).toByteArray();
  }

  public void writeFile(Graph g, Path file) throws IOException {
    try {
      AtomicFiles.write(file, toModel(g).toByteArray());
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  public ModelProto toModel(Graph g) {
    Writer w = new Writer(g);
    GraphProto graph = w.run();
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName(PRODUCER)
        .setProducerVersion(version())
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph);
    g.metadata().forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build();
  }

  private static String version() {
    String v = OnnxExporter.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** One export: the graph under construction and the names in use. */
  private final class Writer implements OnnxExportContext {
    private final Graph g;
    private final GraphProto.Builder out = GraphProto.newBuilder();
    private final Set<String> used = new HashSet<>();
    private final Map<String, int[]> shapes;
    /** IR value name to the ONNX value name consumers read (differs once an extension inserts nodes). */
    private final Map<String, String> reads = new HashMap<>();

    Writer(Graph g) {
      this.g = g;
      this.shapes = ShapeInference.all(g);
      g.inputs().forEach(v -> used.add(v.name()));
      g.outputs().forEach(v -> used.add(v.name()));
      used.addAll(g.initializers().keySet());
      for (Node n : g.nodes()) {
        used.add(n.name());
        used.addAll(n.outputs());
      }
    }

    GraphProto run() {
      out.setName(g.name());
      for (ValueInfo in : g.inputs()) out.addInput(valueInfo(in.name(), in.shape(), true));
      g.initializers().forEach((name, t) -> reads.put(name, extension.weight(name, t, this)));
      for (ValueInfo in : g.inputs()) reads.put(in.name(), extension.activation(in.name(), this));
      Set<String> outputs = new HashSet<>();
      g.outputs().forEach(v -> outputs.add(v.name()));
      for (Node n : g.nodes()) {
        List<String> ins = new ArrayList<>();
        for (String in : n.inputs()) ins.add(in.isEmpty() ? "" : reads.getOrDefault(in, in));
        out.addNode(OnnxOpWriter.write(n, ins, n.inputs().isEmpty() ? null : shapes.get(n.input(0)), this));
        String o = n.output();
        reads.put(o, extension.activation(o, this));
        int[] s = shapes.get(o);
        if (s != null && !outputs.contains(o)) out.addValueInfo(valueInfo(o, s, false));
      }
      for (ValueInfo o : g.outputs()) out.addOutput(valueInfo(o.name(), o.shape(), true));
      return out.build();
    }

    /** Dynamic dims (-1): the batch axis of inputs/outputs is named N (Netron shows it); others are left unnamed. */
    private ValueInfoProto valueInfo(String name, int[] shape, boolean boundary) {
      TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
      for (int i = 0; i < shape.length; i++) {
        TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
        if (shape[i] >= 0) d.setDimValue(shape[i]);
        else if (boundary && i == 0) d.setDimParam("N");
        s.addDim(d);
      }
      TypeProto type = TypeProto.newBuilder()
          .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))
          .build();
      return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    @Override
    public Graph graph() {
      return g;
    }

    @Override
    public String freshName(String hint) {
      String name = hint;
      for (int k = 1; !used.add(name); k++) name = hint + "_" + k;
      return name;
    }

    @Override
    public int[] shape(String value) {
      int[] s = shapes.get(value);
      return s == null ? null : s.clone();
    }

    @Override
    public void addInitializer(TensorProto tensor) {
      used.add(tensor.getName());
      out.addInitializer(tensor);
    }

    @Override
    public void addNode(NodeProto node) {
      used.add(node.getName());
      used.addAll(node.getOutputList());
      out.addNode(node);
    }
  }
}
