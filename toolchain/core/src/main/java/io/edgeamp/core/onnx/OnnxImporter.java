package io.edgeamp.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.onnx.OnnxOpReader.Mapping;
import io.edgeamp.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX model (opsets 11-21, the MCU layer set) into an EdgeAMP {@link Graph}.
 *
 * <p>Constant inputs that are really attributes (Reshape's shape, Squeeze/Unsqueeze axes, Clip bounds,
 * Resize scales/sizes) are folded into the op records; Constant, Identity and inference-mode Dropout
 * nodes disappear. Float initializers that nodes read become the graph's initializers. Every problem is
 * reported as an {@link OnnxFormatException} naming the file, the node and the fix.
 */
public final class OnnxImporter {
  public static final int MIN_OPSET = 11;
  public static final int MAX_OPSET = 21;
  /** Protobuf cannot represent messages of 2 GiB or more; larger files need external data. */
  private static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

  private OnnxImporter() {}

  public static Graph read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) throw new OnnxFormatException(file.toString(), "file is " + size + " bytes; ONNX files must be under 2 GiB");
    return read(Files.readAllBytes(file), file.toString());
  }

  public static Graph read(byte[] bytes) throws OnnxFormatException {
    return read(bytes, "<bytes>");
  }

  /** Reads from memory; {@code source} names the model in error messages. */
  public static Graph read(byte[] bytes, String source) throws OnnxFormatException {
    ModelProto model = parse(bytes, source);
    try {
      return new Conversion(model, source).run();
    } catch (OnnxFormatException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // Defensive: whatever a malformed model trips over is still reported as a format problem.
      throw new OnnxFormatException(source, null, null, "invalid model: " + e, e);
    }
  }

  /** Parses the protobuf. CodedInputStream checks every declared length against the bytes present. */
  static ModelProto parse(byte[] bytes, String source) throws OnnxFormatException {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setSizeLimit(bytes.length);
      return ModelProto.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxFormatException(source, null, null, "not a valid ONNX protobuf (truncated or corrupt file?): " + e.getMessage(), e);
    } catch (IOException e) {
      throw new OnnxFormatException(source, null, null, "cannot read the ONNX protobuf: " + e.getMessage(), e);
    } catch (RuntimeException | StackOverflowError e) {
      throw new OnnxFormatException(source, null, null, "not a valid ONNX protobuf: " + e, e);
    }
  }

  /** One model's conversion; holds the symbol tables while walking the nodes in order. */
  private static final class Conversion {
    private final ModelProto model;
    private final String source;
    private final GraphProto g;
    /** Constant tensors by value name: initializers and Constant outputs. */
    private final Map<String, TensorProto> constants = new HashMap<>();
    /** Identity/Dropout outputs mapped to the value they copy. */
    private final Map<String, String> alias = new HashMap<>();
    /** Known shapes (-1 = unknown dimension) of every value defined so far. */
    private final Map<String, int[]> shapes = new HashMap<>();
    /** Activations defined so far: graph inputs and node outputs. */
    private final Set<String> activations = new HashSet<>();
    /** Secondary outputs we drop (MaxPool indices, BatchNorm running stats, Dropout mask), by value, with their node. */
    private final Map<String, String> dropped = new HashMap<>();
    private final Set<String> nodeNames = new HashSet<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private int opset;

    Conversion(ModelProto model, String source) {
      this.model = model;
      this.source = source;
      this.g = model.getGraph();
    }

    private OnnxFormatException fail(String problem) {
      return new OnnxFormatException(source, problem);
    }

    Graph run() throws OnnxFormatException {
      opset = defaultOpset();
      if (!model.hasGraph()) throw fail("the model has no graph");
      if (g.getSparseInitializerCount() > 0) throw fail("sparse initializers are not supported; densify them before export");
      for (TensorProto t : g.getInitializerList()) {
        if (t.getName().isEmpty()) throw fail("an initializer has no name");
        if (constants.put(t.getName(), t) != null) throw fail("initializer '" + t.getName() + "' is defined twice");
        try {
          shapes.put(t.getName(), TensorProtos.dims(t));
        } catch (ImportProblem e) {
          throw fail(e.getMessage());
        }
      }
      Graph.Builder b = Graph.builder(g.getName().isEmpty() ? "model" : g.getName());
      for (ValueInfoProto in : g.getInputList()) {
        if (constants.containsKey(in.getName())) continue; // old exporters list initializers as inputs too
        int[] shape = declaredShape(in, "graph input");
        if (shape == null) {
          throw fail("graph input '" + in.getName() + "' has no shape; export the model with a fixed input shape");
        }
        b.input(in.getName(), shape);
        shapes.put(in.getName(), shape);
        activations.add(in.getName());
      }
      Set<String> laterOutputs = new HashSet<>();
      for (NodeProto n : g.getNodeList()) laterOutputs.addAll(n.getOutputList());
      for (int i = 0; i < g.getNodeCount(); i++) convertNode(g.getNode(i), i, laterOutputs);
      List<Node> finalNodes = nameGraphOutputs();
      for (Node n : finalNodes) b.node(n);
      initializers.forEach(b::initializer);
      for (ValueInfoProto out : g.getOutputList()) {
        int[] inferred = shapes.get(resolve(out.getName()));
        int[] declared = declaredShape(out, "graph output");
        int[] shape = merge(declared, inferred);
        if (shape == null) throw fail("the shape of graph output '" + out.getName() + "' is neither declared nor inferable");
        b.output(out.getName(), shape);
      }
      for (StringStringEntryProto p : model.getMetadataPropsList()) b.metadata(p.getKey(), p.getValue());
      try {
        return b.build();
      } catch (IllegalArgumentException e) {
        throw new OnnxFormatException(source, null, null, "the graph is inconsistent: " + e.getMessage(), e);
      }
    }

    private int defaultOpset() throws OnnxFormatException {
      Long version = null;
      for (OperatorSetIdProto o : model.getOpsetImportList()) {
        if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) version = o.getVersion();
      }
      if (version == null) throw fail("the model imports no opset of the default ONNX domain; is this an ONNX model?");
      if (version < MIN_OPSET || version > MAX_OPSET) {
        throw fail("uses ONNX opset " + version + "; EdgeAMP reads opsets " + MIN_OPSET + "-" + MAX_OPSET
            + ". Convert it, e.g. onnx.version_converter.convert_version(model, 17)");
      }
      return version.intValue();
    }

    /** A value's declared float tensor shape, null when it has none; -1 for symbolic or missing dims. */
    private int[] declaredShape(ValueInfoProto v, String what) throws OnnxFormatException {
      TypeProto type = v.getType();
      if (!type.hasTensorType()) {
        if (what.equals("graph output") && !v.hasType()) return null;
        throw fail(what + " '" + v.getName() + "' is not a tensor");
      }
      TypeProto.Tensor tt = type.getTensorType();
      if (tt.hasElemType() && !TensorProtos.isFloatType(tt.getElemType())) {
        throw fail(what + " '" + v.getName() + "' has element type " + TensorProtos.typeName(tt.getElemType())
            + "; EdgeAMP models take and produce float tensors (FLOAT)");
      }
      if (!tt.hasShape()) return null;
      TensorShapeProto s = tt.getShape();
      int[] shape = new int[s.getDimCount()];
      for (int i = 0; i < shape.length; i++) {
        TensorShapeProto.Dimension d = s.getDim(i);
        if (d.hasDimValue()) {
          long dv = d.getDimValue();
          if (dv < 1 || dv > Integer.MAX_VALUE) throw fail(what + " '" + v.getName() + "' has invalid dimension " + dv);
          shape[i] = (int) dv;
        } else {
          shape[i] = -1; // dim_param (dynamic batch) or unknown
        }
      }
      return shape;
    }

    private static int[] merge(int[] declared, int[] inferred) {
      if (declared == null) return inferred;
      if (inferred == null || inferred.length != declared.length) return declared;
      int[] out = declared.clone();
      for (int i = 0; i < out.length; i++) if (out[i] < 0) out[i] = inferred[i];
      return out;
    }

    private String resolve(String value) {
      String v = value;
      for (int hops = 0; alias.containsKey(v) && hops < 10_000; hops++) v = alias.get(v);
      return v;
    }

    private String uniqueNodeName(String wanted) {
      String name = wanted;
      for (int k = 1; !nodeNames.add(name); k++) name = wanted + "_" + k;
      return name;
    }

    private void convertNode(NodeProto p, int index, Set<String> allOutputs) throws OnnxFormatException {
      String op = p.getOpType();
      String name = uniqueNodeName(p.getName().isEmpty() ? (op.isEmpty() ? "node" : op) + "_" + index : p.getName());
      try {
        if (!p.getDomain().isEmpty() && !p.getDomain().equals("ai.onnx")) {
          throw new ImportProblem("operator domain '" + p.getDomain() + "' is not supported; EdgeAMP supports the default ONNX domain ops "
              + OnnxOpReader.supported());
        }
        if (p.getOutputCount() == 0 || p.getOutput(0).isEmpty()) throw new ImportProblem("has no output");
        List<String> inputs = new ArrayList<>();
        for (String in : p.getInputList()) {
          String r = in.isEmpty() ? "" : resolve(in);
          if (!r.isEmpty() && !activations.contains(r) && !constants.containsKey(r)) {
            if (dropped.containsKey(r)) {
              throw new ImportProblem("reads '" + r + "', a secondary output of node '" + dropped.get(r) + "' that EdgeAMP does not compute"
                  + " (training statistics, pooling indices or dropout mask)");
            }
            if (allOutputs.contains(in)) {
              throw new ImportProblem("reads '" + in + "' before the node computing it; the graph is not topologically sorted (onnx.utils / onnxsim sort it)");
            }
            throw new ImportProblem("reads '" + in + "', which is not a graph input, an initializer, or an earlier node's output (missing initializer?)");
          }
          inputs.add(r);
        }
        for (String out : p.getOutputList()) {
          if (!out.isEmpty() && (activations.contains(out) || constants.containsKey(out) || alias.containsKey(out))) {
            throw new ImportProblem("writes '" + out + "', which is already defined");
          }
        }
        switch (op) {
          case "Constant" -> constant(p);
          case "Identity" -> {
            requireInputs(inputs, 1);
            new NodeAttributes(p).checkAllRead();
            alias.put(p.getOutput(0), inputs.get(0));
            dropExtraOutputs(p, name);
          }
          case "Dropout" -> dropout(p, inputs, name);
          default -> mapped(p, name, inputs);
        }
      } catch (ImportProblem e) {
        throw new OnnxFormatException(source, name, op, e.getMessage() + unsupportedElsewhere(p), null);
      } catch (RuntimeException e) {
        throw new OnnxFormatException(source, name, op, "cannot be converted: " + e.getMessage(), e);
      }
    }

    /**
     * The other nodes of the graph whose operator EdgeAMP has no mapping for, so one run names every operator
     * the export must change, not only the first node that failed.
     */
    private String unsupportedElsewhere(NodeProto failed) {
      Map<String, String> firstNode = new java.util.LinkedHashMap<>();
      for (NodeProto n : g.getNodeList()) {
        String t = n.getOpType();
        boolean known = (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))
            && (t.equals("Constant") || t.equals("Identity") || t.equals("Dropout") || OnnxOpReader.lookup(t) != null);
        if (!known && n != failed && !(t.equals(failed.getOpType()) && n.getDomain().equals(failed.getDomain()))) {
          firstNode.putIfAbsent((n.getDomain().isEmpty() ? "" : n.getDomain() + ".") + t, n.getName());
        }
      }
      if (firstNode.isEmpty()) return "";
      List<String> parts = new ArrayList<>();
      firstNode.forEach((t, n) -> parts.add(t + (n.isEmpty() ? "" : " (node '" + n + "')")));
      return " (the model also uses operators EdgeAMP does not support: " + String.join(", ", parts) + ")";
    }

    private static void requireInputs(List<String> inputs, int n) throws ImportProblem {
      if (inputs.isEmpty() || inputs.get(0).isEmpty()) throw new ImportProblem("has no data input");
      if (inputs.size() > n) throw new ImportProblem("has " + inputs.size() + " inputs; at most " + n + " are allowed");
    }

    private void mapped(NodeProto p, String name, List<String> inputs) throws ImportProblem {
      Mapping mapping = OnnxOpReader.lookup(p.getOpType());
      if (mapping == null) {
        throw new ImportProblem("operator " + p.getOpType() + " is not supported. EdgeAMP supports " + OnnxOpReader.supported()
            + "; replace it in the model (e.g. onnxsim, or a different layer in the training code)");
      }
      NodeView view = new NodeView(p, name, opset, inputs, shapes, constants);
      List<Node> emitted = mapping.convert(view);
      view.attrs.checkAllRead();
      for (Node n : emitted) {
        if (!n.name().equals(name)) n = new Node(uniqueNodeName(n.name()), n.op(), n.inputs(), n.outputs());
        List<int[]> inShapes = new ArrayList<>();
        for (String in : n.inputs()) {
          if (!in.isEmpty() && !activations.contains(in)) weight(in);
          inShapes.add(in.isEmpty() ? null : shapes.get(in));
        }
        int[] outShape = ShapeInference.infer(n.op(), inShapes);
        if (outShape != null) shapes.put(n.output(), outShape);
        activations.add(n.output());
        nodes.add(n);
      }
      dropExtraOutputs(p, name);
    }

    /** A constant that a node reads as a tensor becomes a graph initializer; it must be float. */
    private void weight(String value) throws ImportProblem {
      if (initializers.containsKey(value)) return;
      TensorProto t = constants.get(value);
      if (!TensorProtos.isFloatType(t.getDataType())) {
        throw new ImportProblem("input '" + value + "' is " + TensorProtos.typeName(t.getDataType())
            + "; EdgeAMP computes in float, so weights and activations must be FLOAT, DOUBLE or FLOAT16");
      }
      initializers.put(value, TensorProtos.toTensor(t));
    }

    /** Outputs after the first (MaxPool indices, BatchNorm training outputs, Dropout mask) are not computed. */
    private void dropExtraOutputs(NodeProto p, String name) throws ImportProblem {
      for (int i = 1; i < p.getOutputCount(); i++) {
        String out = p.getOutput(i);
        if (out.isEmpty()) continue;
        for (ValueInfoProto go : g.getOutputList()) {
          if (go.getName().equals(out)) throw new ImportProblem("output " + i + " ('" + out + "') is a graph output, but EdgeAMP computes only the first output of " + p.getOpType());
        }
        dropped.put(out, name);
      }
    }

    private void constant(NodeProto p) throws ImportProblem {
      if (p.getAttributeCount() != 1) throw new ImportProblem("must have exactly one value attribute");
      AttributeProto a = p.getAttribute(0);
      String out = p.getOutput(0);
      TensorProto t = switch (a.getName()) {
        case "value" -> a.getT().toBuilder().setName(out).build();
        case "value_float" -> TensorProtos.floats(out, new long[0], a.getF());
        case "value_floats" -> {
          float[] f = new float[a.getFloatsCount()];
          for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
          yield TensorProtos.floats(out, new long[] {f.length}, f);
        }
        case "value_int" -> TensorProtos.int64s(out, a.getI()).toBuilder().clearDims().build();
        case "value_ints" -> TensorProtos.int64s(out, a.getIntsList().stream().mapToLong(Long::longValue).toArray());
        default -> throw new ImportProblem("attribute '" + a.getName() + "' is not supported; use value, value_float(s) or value_int(s)");
      };
      constants.put(out, t);
      shapes.put(out, TensorProtos.dims(t));
    }

    private void dropout(NodeProto p, List<String> inputs, String name) throws ImportProblem {
      requireInputs(inputs, 3);
      NodeAttributes attrs = new NodeAttributes(p);
      attrs.i("seed", 0);
      attrs.f("ratio", 0.5); // opset < 12 attribute
      attrs.checkAllRead();
      if (inputs.size() > 2 && !inputs.get(2).isEmpty()) {
        TensorProto mode = constants.get(inputs.get(2));
        if (mode == null) throw new ImportProblem("training_mode must be a constant false for inference");
        // BOOL is stored as int32_data or a raw byte.
        boolean training = mode.hasRawData() ? mode.getRawData().byteAt(0) != 0 : mode.getInt32DataCount() > 0 && mode.getInt32Data(0) != 0;
        if (training) throw new ImportProblem("training_mode is true; export the model in eval mode");
      }
      alias.put(p.getOutput(0), inputs.get(0));
      dropExtraOutputs(p, name);
    }

    /**
     * A graph output produced by Identity/Dropout aliases another value; IR graphs have no copy node, so
     * the producer's output is renamed to the graph output's name instead.
     */
    private List<Node> nameGraphOutputs() throws OnnxFormatException {
      Map<String, String> rename = new HashMap<>();
      Set<String> graphOutputs = new HashSet<>();
      for (ValueInfoProto out : g.getOutputList()) graphOutputs.add(out.getName());
      for (ValueInfoProto out : g.getOutputList()) {
        String name = out.getName();
        if (dropped.containsKey(name)) {
          throw fail("graph output '" + name + "' is a secondary output of node '" + dropped.get(name) + "', which EdgeAMP does not compute");
        }
        String target = resolve(name);
        if (target.equals(name)) {
          if (!activations.contains(name)) throw fail("graph output '" + name + "' is never computed");
          continue;
        }
        boolean producedByNode = activations.contains(target) && isNodeOutput(target);
        if (!producedByNode || graphOutputs.contains(target) || rename.containsKey(target)) {
          throw fail("graph output '" + name + "' is only a copy of '" + target + "' (Identity); remove the Identity or the extra output");
        }
        rename.put(target, name);
        if (shapes.containsKey(target)) shapes.put(name, shapes.get(target));
      }
      if (rename.isEmpty()) return nodes;
      List<Node> out = new ArrayList<>();
      for (Node n : nodes) {
        List<String> ins = n.inputs().stream().map(v -> rename.getOrDefault(v, v)).toList();
        List<String> outs = n.outputs().stream().map(v -> rename.getOrDefault(v, v)).toList();
        out.add(new Node(n.name(), n.op(), ins, outs));
      }
      return out;
    }

    private boolean isNodeOutput(String value) {
      for (Node n : nodes) if (n.outputs().contains(value)) return true;
      return false;
    }
  }

  /** Op types the importer accepts. */
  public static Set<String> supportedOps() {
    return OnnxOpReader.supported();
  }
}
