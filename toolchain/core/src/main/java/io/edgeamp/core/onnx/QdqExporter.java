package io.edgeamp.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.edgeamp.core.engine.BatchNormFolding;
import io.edgeamp.core.io.AtomicFiles;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.ir.ValueInfo;
import io.edgeamp.core.quant.Dims;
import io.edgeamp.core.quant.LayerKind;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QTensor;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link QuantizedModel} as an ONNX QDQ model: its BN-folded float graph with
 * QuantizeLinear/DequantizeLinear nodes where the integer model quantizes, so that ONNX Runtime (or any
 * QDQ-aware tool, and Netron for reading) computes what the device computes, up to rounding.
 *
 * <ul>
 *   <li><b>NPU weights</b> (2, 4 or 8 bits): {@code DequantizeLinear(q, s_w', 0, axis = output channel)} with
 *       {@code q} the integer weights of the model in the ONNX layout, stored as INT8, and {@code s_w'} the weight
 *       scale the device effectively applies through its requantization multiplier,
 *       {@code s_w'[c] = m[c] 2^-n[c] s_out / s_in} (equal to s_w[c] within 2^-30 with 31-bit multipliers; on a
 *       board with narrow multipliers it differs from model.json's s_w by the multiplier's rounding). A 4-bit weight is an int8
 *       value in [-7, 7], a 2-bit weight one in [-1, 1]: numerically identical to ONNX INT4/INT2 storage. That is the
 *       default ({@link WeightStorage#INT8}), at opset 17. {@link WeightStorage#INT4} stores 2- and 4-bit layers as
 *       ONNX INT4 (two per byte, low nibble first), which needs opset 21 and IR version 10 (ONNX Runtime 1.22 runs
 *       it, per-axis scale included; the other ops keep their opset-17 form, which opset 21 accepts unchanged).
 *       ONNX has no INT2 before opset 25, so 2-bit weights are INT4 values in [-1, 1]. The bit width of each layer
 *       is in the metadata either way.
 *   <li><b>NPU biases</b>: {@code DequantizeLinear(int32 bias, s_in * s_w[c], 0, axis = channel)}, the integer
 *       bias of the device (DESIGN.md: int32 at scale s_in * s_w[c], here s_in * s_w'[c]), the form ONNX Runtime's QDQ fusion turns
 *       into the bias of QLinearConv / QGemm. Where the bias was merged from a separate Add of a constant, the
 *       float bias values are kept instead.
 *   <li><b>8-bit activations</b>: a QuantizeLinear/DequantizeLinear pair on every int8/uint8 tensor of the model
 *       (scale = the tensor's scale, zero point 0 of type int8, or uint8 for unsigned tensors), including the model
 *       input after a leading BatchNorm (the {@code InputTransform}, which stays a float BatchNorm) and the model
 *       output, which is the DequantizeLinear's output.
 *   <li><b>CPU layers</b> (32 bits): float weights and float math; float32 edges between CPU layers carry no Q/DQ.
 * </ul>
 *
 * Opset 17 and IR 8 as {@link OnnxExporter}: per-axis Q/DQ exists since opset 13.
 */
public final class QdqExporter {
  private QdqExporter() {}

  /** Metadata key with the bit width of each layer (name=bits, comma separated). */
  public static final String META_BITS = "edgeamp.qdq.bits";
  /** Metadata key describing the representation. */
  public static final String META_FORMAT = "edgeamp.qdq.format";

  /** How NPU weights of 2 and 4 bits are stored (8-bit weights are always INT8). */
  public enum WeightStorage {
    /** INT8 values within +-(2^(b-1)-1); opset 17, IR 8: what every QDQ consumer reads. */
    INT8,
    /** ONNX INT4 for 2- and 4-bit layers; opset 21, IR 10 (ONNX Runtime 1.18+). */
    INT4
  }

  /** Opset and IR version of {@link WeightStorage#INT4} models (INT4 in QuantizeLinear/DequantizeLinear). */
  public static final int INT4_OPSET = 21;
  public static final int INT4_IR_VERSION = 10;

  /** Writes the QDQ model (INT8 weights, opset 17) to {@code file} atomically (temporary file, then rename). */
  public static void write(QuantizedModel model, Graph floatGraph, Path file) throws IOException {
    write(model, floatGraph, file, WeightStorage.INT8);
  }

  public static void write(QuantizedModel model, Graph floatGraph, Path file, WeightStorage storage) throws IOException {
    byte[] bytes = toModel(model, floatGraph, storage).toByteArray();
    try {
      AtomicFiles.write(file, bytes);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The QDQ model as bytes (for an artifact's extra files, e.g. {@code model.qdq.onnx}). */
  public static byte[] toBytes(QuantizedModel model, Graph floatGraph) {
    return toModel(model, floatGraph, WeightStorage.INT8).toByteArray();
  }

  /** The QDQ model with INT8 weight storage, opset 17. */
  public static ModelProto toModel(QuantizedModel model, Graph floatGraph) {
    return toModel(model, floatGraph, WeightStorage.INT8);
  }

  /**
   * The QDQ model. {@code floatGraph} is the float graph the model was quantized from, BN-folded or not
   * ({@code QuantPlan.floatGraph()} or the trained graph; it is folded here, which leaves a folded graph as it is).
   *
   * @throws IllegalArgumentException if the graph's nodes and values do not match the model's layers and tensors
   */
  public static ModelProto toModel(QuantizedModel model, Graph floatGraph, WeightStorage storage) {
    Graph g = BatchNormFolding.fold(floatGraph);
    Extension ext = new Extension(model, g, storage);
    ModelProto m = new OnnxExporter(ext).toModel(g);
    m = ext.outputFromDequantize(m);
    ModelProto.Builder b = m.toBuilder();
    if (storage == WeightStorage.INT4) {
      b.setIrVersion(INT4_IR_VERSION).clearOpsetImport().addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(INT4_OPSET));
    }
    b.addMetadataProps(meta(META_FORMAT, "QDQ: NPU weights " + (storage == WeightStorage.INT4 ? "int4 (2/4-bit layers) or int8" : "int8")
        + " values within +-(2^(b-1)-1) per output channel (zero point 0), "
        + "NPU biases int32 at s_in*s_w, 8-bit activations Q/DQ with zero point 0 (int8, or uint8 after ReLU), CPU layers float32"));
    StringBuilder bits = new StringBuilder();
    for (QLayer l : model.layers()) bits.append(bits.length() == 0 ? "" : ",").append(l.name()).append('=').append(l.bits());
    b.addMetadataProps(meta(META_BITS, bits.toString()));
    b.setDocString("EdgeAMP quantized model " + model.name() + " (QDQ)");
    return b.build();
  }

  private static StringStringEntryProto meta(String k, String v) {
    return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
  }

  /** Which layer an initializer belongs to, and as what. */
  private record WeightUse(QLayer layer, Node node, boolean bias) {}

  private static final class Extension implements OnnxExportExtension {
    private final QuantizedModel model;
    private final Graph g;
    /** Graph value -> the 8-bit tensor of the model it holds (Q/DQ goes after it). */
    private final Map<String, QTensor> quantized = new HashMap<>();
    private final Map<String, WeightUse> weights = new HashMap<>();
    private final WeightStorage storage;
    private String outputDequantized;

    Extension(QuantizedModel model, Graph g, WeightStorage storage) {
      this.model = model;
      this.g = g;
      this.storage = storage;
      Map<String, Node> nodes = new HashMap<>();
      Set<String> values = new HashSet<>();
      for (ValueInfo v : g.inputs()) values.add(v.name());
      for (Node n : g.nodes()) {
        nodes.put(n.name(), n);
        values.add(n.output());
      }
      List<String> transform = model.inputTransform().nodes();
      for (String n : transform) {
        if (!nodes.containsKey(n)) throw mismatch(model, g, "the input transform node '" + n + "'");
      }
      for (QLayer l : model.layers()) {
        for (String n : l.nodes()) if (!nodes.containsKey(n)) throw mismatch(model, g, "node '" + n + "' of layer " + l.name());
        if (l.onCpu() || !l.kind().hasWeights()) continue;
        Node n = nodes.get(l.nodes().get(0));
        boolean addsBias = false;
        for (String other : l.nodes()) addsBias |= nodes.get(other).op() instanceof Op.Add;
        claim(n.input(1), new WeightUse(l, n, false), model, g);
        if (n.hasInput(2) && !addsBias) claim(n.input(2), new WeightUse(l, n, true), model, g);
      }
      for (QTensor t : model.tensors().values()) {
        if (!t.repr().isInteger()) continue;
        String value = t.name();
        if (value.equals(model.inputTensor()) && !transform.isEmpty()) value = nodes.get(transform.get(transform.size() - 1)).output();
        if (!values.contains(value)) throw mismatch(model, g, "tensor '" + value + "'");
        quantized.put(value, t);
      }
      if (!g.output().name().equals(model.outputTensor())) {
        throw mismatch(model, g, "the output tensor '" + model.outputTensor() + "' (the graph's output is '" + g.output().name() + "')");
      }
    }

    private void claim(String init, WeightUse use, QuantizedModel model, Graph g) {
      if (!g.isInitializer(init)) throw mismatch(model, g, "the constant '" + init + "' of layer " + use.layer().name());
      if (g.consumers(init).size() != 1) {
        throw new IllegalArgumentException("model " + model.name() + ": the constant '" + init + "' of layer " + use.layer().name()
            + " is read by " + g.consumers(init).size() + " nodes; a QDQ export needs one weight tensor per layer");
      }
      weights.put(init, use);
    }

    private static IllegalArgumentException mismatch(QuantizedModel model, Graph g, String what) {
      return new IllegalArgumentException("graph " + g.name() + " does not match quantized model " + model.name() + ": " + what
          + " is missing; pass the float graph the model was quantized from (QuantPlan.floatGraph())");
    }

    @Override
    public String weight(String name, Tensor value, OnnxExportContext ctx) {
      WeightUse use = weights.get(name);
      if (use == null) return OnnxExportExtension.super.weight(name, value, ctx);
      return use.bias() ? bias(name, value, use, ctx) : weights(name, value, use, ctx);
    }

    @Override
    public String activation(String name, OnnxExportContext ctx) {
      QTensor t = quantized.get(name);
      if (t == null) return name;
      boolean unsigned = t.repr() == QTensor.Repr.UINT8;
      String scale = ctx.freshName(name + "_scale"), zero = ctx.freshName(name + "_zero_point");
      ctx.addInitializer(TensorProtos.floats(scale, new long[0], t.scale()));
      ctx.addInitializer(TensorProto.newBuilder().setName(zero).setDataType(unsigned ? DataType.UINT8_VALUE : DataType.INT8_VALUE)
          .addInt32Data(0).build());
      String q = ctx.freshName(name + "_quantized"), dq = ctx.freshName(name + "_dequantized");
      ctx.addNode(NodeProto.newBuilder().setName(ctx.freshName(name + "_QuantizeLinear")).setOpType("QuantizeLinear")
          .addInput(name).addInput(scale).addInput(zero).addOutput(q).build());
      ctx.addNode(NodeProto.newBuilder().setName(ctx.freshName(name + "_DequantizeLinear")).setOpType("DequantizeLinear")
          .addInput(q).addInput(scale).addInput(zero).addOutput(dq).build());
      if (name.equals(g.output().name())) outputDequantized = dq;
      return dq;
    }

    /** Integer weights of an NPU layer back in the ONNX layout of {@code value}, per output channel. */
    private String weights(String name, Tensor value, WeightUse use, OnnxExportContext ctx) {
      QLayer l = use.layer();
      int rows = l.rows(), k = l.rowLength();
      if (value.size() != rows * k) {
        throw new IllegalArgumentException("layer " + l.name() + ": weight '" + name + "' has " + value.size() + " values, the model " + rows + " x " + k);
      }
      int[] q = l.weights();
      byte[] onnx = new byte[q.length];
      int axis;
      double alpha = 1;
      Op op = use.node().op();
      if (l.kind() == LayerKind.CONV) {
        // device [cout][kh][cin], ONNX [cout][cin][kh](x1)
        int cin = l.inputDims().get(0).c(), kh = k / cin;
        for (int o = 0; o < rows; o++) {
          for (int i = 0; i < kh; i++) for (int ci = 0; ci < cin; ci++) onnx[(o * cin + ci) * kh + i] = (byte) q[(o * kh + i) * cin + ci];
        }
        axis = 0;
      } else if (l.kind() == LayerKind.DEPTHWISE_CONV) {
        for (int e = 0; e < q.length; e++) onnx[e] = (byte) q[e]; // [c][kh] = [c][1][kh](x1)
        axis = 0;
      } else {
        // device [out][HWC], ONNX [out][CHW] (Gemm transB) or [CHW][out] (Gemm, MatMul)
        Dims d = l.inputDims().get(0);
        int hw = d.pixels(), c = d.c();
        boolean transB = op instanceof Op.Gemm gm && gm.transB();
        if (op instanceof Op.Gemm gm) alpha = gm.alpha();
        for (int o = 0; o < rows; o++) {
          for (int p = 0; p < hw; p++) {
            for (int ch = 0; ch < c; ch++) {
              int j = ch * hw + p;
              onnx[transB ? o * k + j : j * rows + o] = (byte) q[o * k + p * c + ch];
            }
          }
        }
        axis = transB ? 0 : 1;
      }
      // The device weights are alpha * W (alpha folded in by the plan); the Gemm multiplies by alpha again.
      double[] sw = effectiveWeightScales(l);
      float[] scales = new float[rows];
      for (int r = 0; r < rows; r++) scales[r] = (float) (sw[r] / alpha);
      if (storage == WeightStorage.INT4 && l.bits() <= 4) {
        byte[] packed = new byte[(onnx.length + 1) / 2];
        for (int e = 0; e < onnx.length; e++) packed[e / 2] |= (byte) ((onnx[e] & 0xf) << (4 * (e % 2)));
        return dequantize(name, value.shape(), DataType.INT4_VALUE, packed, scales, axis, ctx);
      }
      return dequantize(name, value.shape(), DataType.INT8_VALUE, onnx, scales, axis, ctx);
    }

    /** The int32 bias of an NPU layer at scale s_in * s_w[c] (divided by Gemm's beta, which the plan folded in). */
    private String bias(String name, Tensor value, WeightUse use, OnnxExportContext ctx) {
      QLayer l = use.layer();
      int rows = l.rows();
      int[] shape = value.shape();
      double beta = use.node().op() instanceof Op.Gemm gm ? gm.beta() : 1;
      int axis = -1;
      for (int i = shape.length - 1; i >= 0 && axis < 0; i--) if (shape[i] == rows) axis = i;
      if (value.size() != rows || axis < 0 || beta == 0) return OnnxExportExtension.super.weight(name, value, ctx); // broadcast: keep float
      double sIn = model.tensor(l.inputs().get(0)).scale();
      double[] sw = effectiveWeightScales(l);
      ByteBuffer buf = ByteBuffer.allocate(4 * rows).order(ByteOrder.LITTLE_ENDIAN);
      for (int b : l.bias()) buf.putInt(b);
      float[] scales = new float[rows];
      for (int r = 0; r < rows; r++) scales[r] = (float) (sIn * sw[r] / beta);
      return dequantize(name, shape, DataType.INT32_VALUE, buf.array(), scales, axis, ctx);
    }

    /**
     * The weight scales the device effectively applies: it requantizes with {@code m[c] / 2^n[c]} in place of
     * {@code s_in * s_w[c] / s_out}, so {@code s_w'[c] = m[c] * 2^-n[c] * s_out / s_in}. With 31-bit multipliers
     * this is s_w[c] to about 2^-30; with narrow ones (8-bit: up to 1/128 off) only this makes the float math of
     * the QDQ model compute what the device computes.
     */
    private double[] effectiveWeightScales(QLayer l) {
      double sIn = model.tensor(l.inputs().get(0)).scale(), sOut = model.tensor(l.output()).scale();
      double[] s = new double[l.rows()];
      for (int r = 0; r < s.length; r++) s[r] = Math.scalb((double) l.mult()[r], -l.shift()[r]) * sOut / sIn;
      return s;
    }

    private static String dequantize(String name, int[] shape, int type, byte[] raw, float[] scales, int axis, OnnxExportContext ctx) {
      String q = ctx.freshName(name + "_quantized"), s = ctx.freshName(name + "_scale"), z = ctx.freshName(name + "_zero_point");
      TensorProto.Builder qt = TensorProto.newBuilder().setName(q).setDataType(type).setRawData(ByteString.copyFrom(raw));
      for (int d : shape) qt.addDims(d);
      ctx.addInitializer(qt.build());
      ctx.addInitializer(TensorProtos.floats(s, new long[] {scales.length}, scales));
      int bytes = type == DataType.INT32_VALUE ? 4 * scales.length : type == DataType.INT4_VALUE ? (scales.length + 1) / 2 : scales.length;
      ctx.addInitializer(TensorProto.newBuilder().setName(z).setDataType(type).addDims(scales.length)
          .setRawData(ByteString.copyFrom(new byte[bytes])).build());
      String out = ctx.freshName(name + "_dequantized");
      ctx.addNode(NodeProto.newBuilder().setName(ctx.freshName(name + "_DequantizeLinear")).setOpType("DequantizeLinear")
          .addInput(q).addInput(s).addInput(z).addOutput(out)
          .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeType.INT).setI(axis)).build());
      return out;
    }

    /**
     * The graph output keeps its name but becomes the output of its DequantizeLinear (the device's output is
     * 8-bit): the float value the last layer computes is renamed {@code <output>_float}.
     */
    ModelProto outputFromDequantize(ModelProto m) {
      String out = g.output().name();
      if (outputDequantized == null) throw new IllegalStateException("no QuantizeLinear/DequantizeLinear on the output " + out);
      GraphProto graph = m.getGraph();
      Set<String> names = new HashSet<>();
      for (NodeProto n : graph.getNodeList()) {
        names.addAll(n.getOutputList());
        names.addAll(n.getInputList());
      }
      for (TensorProto t : graph.getInitializerList()) names.add(t.getName());
      String renamed = out + "_float";
      for (int k = 1; names.contains(renamed); k++) renamed = out + "_float_" + k;
      Map<String, String> rename = new LinkedHashMap<>();
      rename.put(out, renamed);
      rename.put(outputDequantized, out);
      GraphProto.Builder gb = graph.toBuilder().clearNode();
      for (NodeProto n : graph.getNodeList()) {
        NodeProto.Builder nb = n.toBuilder().clearInput().clearOutput();
        for (String i : n.getInputList()) nb.addInput(rename.getOrDefault(i, i));
        for (String o : n.getOutputList()) nb.addOutput(rename.getOrDefault(o, o));
        gb.addNode(nb);
      }
      gb.clearValueInfo();
      for (ValueInfoProto v : graph.getValueInfoList()) {
        String name = v.getName().equals(outputDequantized) ? out : v.getName().equals(out) ? renamed : v.getName();
        gb.addValueInfo(v.toBuilder().setName(name));
      }
      return m.toBuilder().setGraph(gb).build();
    }
  }
}
