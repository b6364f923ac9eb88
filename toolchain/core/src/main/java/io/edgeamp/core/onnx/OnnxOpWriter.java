package io.edgeamp.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.google.protobuf.ByteString;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import java.util.List;
import java.util.Locale;

/**
 * The export table: each {@link Op} record as an opset-17 ONNX node. Folded attributes go back to where
 * opset 17 wants them: constant int64 inputs for Reshape shape and Squeeze/Unsqueeze axes, float scalar
 * inputs for Clip bounds, a scales (or sizes) input for Resize. The inverse of {@link OnnxOpReader}.
 */
final class OnnxOpWriter {
  private OnnxOpWriter() {}

  /**
   * @param inputs the node's input value names as the consumers should read them
   * @param dataShape the shape of the first input, or null if unknown (Resize may need it)
   */
  static NodeProto write(Node node, List<String> inputs, int[] dataShape, OnnxExportContext ctx) {
    Op op = node.op();
    NodeProto.Builder b = NodeProto.newBuilder().setName(node.name()).setOpType(op.onnxType());
    b.addAllInput(inputs).addOutput(node.output());
    if (op instanceof Op.Conv c) {
      window(b, c.kernel(), c.strides(), c.padsBegin(), c.padsEnd());
      b.addAttribute(ints("dilations", c.dilations())).addAttribute(i("group", c.group()));
    } else if (op instanceof Op.BatchNorm bn) {
      b.addAttribute(f("epsilon", bn.epsilon())).addAttribute(f("momentum", bn.momentum()));
    } else if (op instanceof Op.Gemm g) {
      b.addAttribute(f("alpha", g.alpha())).addAttribute(f("beta", g.beta()))
          .addAttribute(i("transA", g.transA() ? 1 : 0)).addAttribute(i("transB", g.transB() ? 1 : 0));
    } else if (op instanceof Op.Clip c) {
      // Infinite bounds are "no bound": the optional input is left out.
      b.clearInput().addInput(inputs.get(0));
      b.addInput(Double.isInfinite(c.min()) ? "" : scalar(ctx, node.name() + "_min", c.min()));
      b.addInput(Double.isInfinite(c.max()) ? "" : scalar(ctx, node.name() + "_max", c.max()));
    } else if (op instanceof Op.LeakyRelu l) {
      b.addAttribute(f("alpha", l.alpha()));
    } else if (op instanceof Op.MaxPool p) {
      window(b, p.kernel(), p.strides(), p.padsBegin(), p.padsEnd());
      b.addAttribute(i("ceil_mode", p.ceilMode() ? 1 : 0));
    } else if (op instanceof Op.AveragePool p) {
      window(b, p.kernel(), p.strides(), p.padsBegin(), p.padsEnd());
      b.addAttribute(i("ceil_mode", p.ceilMode() ? 1 : 0)).addAttribute(i("count_include_pad", p.countIncludePad() ? 1 : 0));
    } else if (op instanceof Op.Flatten fl) {
      b.addAttribute(i("axis", fl.axis()));
    } else if (op instanceof Op.Reshape r) {
      b.addInput(int64s(ctx, node.name() + "_shape", r.shape()));
      if (r.allowZero()) b.addAttribute(i("allowzero", 1));
    } else if (op instanceof Op.Squeeze s) {
      if (!s.axes().isEmpty()) b.addInput(int64s(ctx, node.name() + "_axes", s.axes().stream().mapToLong(Integer::longValue).toArray()));
    } else if (op instanceof Op.Unsqueeze u) {
      b.addInput(int64s(ctx, node.name() + "_axes", u.axes().stream().mapToLong(Integer::longValue).toArray()));
    } else if (op instanceof Op.Concat c) {
      b.addAttribute(i("axis", c.axis()));
    } else if (op instanceof Op.Softmax s) {
      b.addAttribute(i("axis", s.axis())); // opset >= 13: normalizes along this one axis, as in the IR
    } else if (op instanceof Op.Resize r) {
      resize(b, node, r, dataShape, ctx);
    }
    // MatMul, Add, Mul, Relu, Sigmoid, Tanh, GlobalAveragePool: no attributes.
    return b.build();
  }

  private static void window(NodeProto.Builder b, int[] kernel, int[] strides, int[] padsBegin, int[] padsEnd) {
    int[] pads = new int[2 * kernel.length];
    System.arraycopy(padsBegin, 0, pads, 0, kernel.length);
    System.arraycopy(padsEnd, 0, pads, kernel.length, kernel.length);
    b.addAttribute(ints("kernel_shape", kernel)).addAttribute(ints("strides", strides)).addAttribute(ints("pads", pads));
  }

  /**
   * Resize with scales when they are exact in float32 (2, 0.5, 1.5...), which keeps the model readable.
   * Other scales usually came from sizes (7/3); ONNX Runtime floors in * float32(scale), which could be one
   * pixel short, so those are written as sizes when the input shape is known.
   */
  private static void resize(NodeProto.Builder b, Node node, Op.Resize r, int[] x, OnnxExportContext ctx) {
    b.addInput(""); // roi: only for tf_crop_and_resize
    double[] s = r.scales();
    boolean exact = true;
    for (double v : s) exact &= (double) (float) v == v;
    boolean known = x != null && x.length == s.length;
    for (int i = 2; known && i < s.length; i++) known = x[i] > 0;
    if (exact || !known || x[0] < 0 || x[1] < 0) {
      float[] f = new float[s.length];
      for (int i = 0; i < s.length; i++) f[i] = (float) s[i];
      String name = ctx.freshName(node.name() + "_scales");
      ctx.addInitializer(TensorProtos.floats(name, new long[] {f.length}, f));
      b.addInput(name);
    } else {
      long[] sizes = new long[s.length];
      for (int i = 0; i < s.length; i++) sizes[i] = ShapeInference.resizedDim(x[i], s[i]);
      b.addInput("").addInput(int64s(ctx, node.name() + "_sizes", sizes));
    }
    b.addAttribute(str("mode", r.mode().name().toLowerCase(Locale.ROOT)));
    b.addAttribute(str("coordinate_transformation_mode", r.coordinateMode().name().toLowerCase(Locale.ROOT)));
    b.addAttribute(str("nearest_mode", r.nearestMode().name().toLowerCase(Locale.ROOT)));
  }

  private static String scalar(OnnxExportContext ctx, String hint, double v) {
    String name = ctx.freshName(hint);
    ctx.addInitializer(TensorProtos.floats(name, new long[0], (float) v));
    return name;
  }

  private static String int64s(OnnxExportContext ctx, String hint, long[] v) {
    String name = ctx.freshName(hint);
    ctx.addInitializer(TensorProtos.int64s(name, v));
    return name;
  }

  private static AttributeProto i(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
  }

  private static AttributeProto f(String name, double v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF((float) v).build();
  }

  private static AttributeProto str(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build();
  }

  private static AttributeProto ints(String name, int[] v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (int x : v) b.addInts(x);
    return b.build();
  }
}
