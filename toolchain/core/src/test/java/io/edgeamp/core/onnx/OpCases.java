package io.edgeamp.core.onnx;

import static io.edgeamp.core.onnx.OnnxModels.f;
import static io.edgeamp.core.onnx.OnnxModels.i;
import static io.edgeamp.core.onnx.OnnxModels.in;
import static io.edgeamp.core.onnx.OnnxModels.ints;
import static io.edgeamp.core.onnx.OnnxModels.out;
import static io.edgeamp.core.onnx.OnnxModels.s;

import ai.onnx.proto.OnnxMl.AttributeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One small ONNX model per supported op and attribute variant, written as an exporter would write it.
 * Every case runs through the importer, the exporter, ONNX Runtime and the Java engine in {@link OpOrtTest}.
 */
final class OpCases {
  private OpCases() {}

  record Case(String name, Supplier<byte[]> model) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Case> CASES = new ArrayList<>();

  /** The one case whose opset-17 export ONNX Runtime computes differently (see where it is added). */
  static final String AVGPOOL_CEIL_INCLUDE_PAD = "avgpool2d ceil_mode pads count_include_pad (opset 19)";

  private static void add(String name, Supplier<byte[]> model) {
    CASES.add(new Case(name, model));
  }

  static List<Arguments> all() {
    return CASES.stream().map(c -> Arguments.of(c.name(), c)).toList();
  }

  static byte[] conv(long[] x, long[] w, boolean bias, AttributeProto... attrs) {
    OnnxModels m = OnnxModels.opset(17).input("x", x).weight("w", w);
    if (bias) m.weight("b", w[0]);
    return m.node("conv", "Conv", bias ? in("x", "w", "b") : in("x", "w"), out("y"), attrs).output("y").bytes();
  }

  static byte[] unary(int opset, long[] x, String op, AttributeProto... attrs) {
    return OnnxModels.opset(opset).input("x", x).node(op, in("x"), out("y"), attrs).output("y").bytes();
  }

  static {
    // ---- Conv: 2-D ---------------------------------------------------------------------------------
    add("conv2d 3x3 pad 1", () -> conv(new long[] {1, 3, 8, 8}, new long[] {4, 3, 3, 3}, true, ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)));
    add("conv2d no bias, kernel_shape from weights", () -> conv(new long[] {2, 2, 6, 5}, new long[] {3, 2, 3, 2}, false));
    add("conv2d stride 2 asymmetric pads", () -> conv(new long[] {1, 2, 9, 8}, new long[] {4, 2, 3, 3}, true,
        ints("strides", 2, 2), ints("pads", 0, 1, 1, 0)));
    add("conv2d stride (2,1) dilation 2", () -> conv(new long[] {1, 2, 11, 10}, new long[] {3, 2, 3, 3}, true,
        ints("strides", 2, 1), ints("dilations", 2, 2), ints("pads", 2, 2, 2, 2)));
    add("conv2d group 2", () -> conv(new long[] {1, 4, 7, 7}, new long[] {6, 2, 3, 3}, true, i("group", 2), ints("pads", 1, 1, 1, 1)));
    add("conv2d depthwise stride 2", () -> conv(new long[] {1, 5, 8, 8}, new long[] {5, 1, 3, 3}, true, i("group", 5),
        ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)));
    add("conv2d depthwise multiplier 2", () -> conv(new long[] {1, 3, 6, 6}, new long[] {6, 1, 3, 3}, true, i("group", 3)));
    add("conv2d (3,1) kernel", () -> conv(new long[] {1, 2, 10, 4}, new long[] {3, 2, 3, 1}, true, ints("kernel_shape", 3, 1), ints("pads", 1, 0, 1, 0)));
    add("conv2d 1x1 pointwise", () -> conv(new long[] {1, 8, 4, 4}, new long[] {5, 8, 1, 1}, true));
    add("conv2d auto_pad SAME_UPPER stride 2 odd size", () -> conv(new long[] {1, 2, 7, 7}, new long[] {3, 2, 4, 4}, true,
        s("auto_pad", "SAME_UPPER"), ints("strides", 2, 2)));
    add("conv2d auto_pad SAME_LOWER stride 2", () -> conv(new long[] {1, 2, 8, 7}, new long[] {3, 2, 4, 3}, true,
        s("auto_pad", "SAME_LOWER"), ints("strides", 2, 2)));
    add("conv2d auto_pad VALID", () -> conv(new long[] {1, 2, 7, 6}, new long[] {3, 2, 3, 3}, true, s("auto_pad", "VALID"), ints("strides", 2, 2)));
    add("conv2d dynamic batch", () -> conv(new long[] {-1, 3, 6, 6}, new long[] {4, 3, 3, 3}, true, s("auto_pad", "SAME_UPPER")));
    add("conv2d weights in float_data", () -> OnnxModels.opset(13).input("x", 1, 2, 5, 5).weightTyped("w", 3, 2, 3, 3).weightTyped("b", 3)
        .node("Conv", in("x", "w", "b"), out("y")).output("y").bytes());
    // ---- Conv: 1-D ---------------------------------------------------------------------------------
    add("conv1d k5 stride 2 pad 2", () -> conv(new long[] {1, 3, 20}, new long[] {4, 3, 5}, true, ints("strides", 2), ints("pads", 2, 2)));
    add("conv1d dilation 3 asymmetric pads", () -> conv(new long[] {2, 2, 16}, new long[] {3, 2, 3}, false, ints("dilations", 3), ints("pads", 1, 3)));
    add("conv1d depthwise", () -> conv(new long[] {1, 4, 12}, new long[] {4, 1, 3}, true, i("group", 4), ints("pads", 1, 1)));
    add("conv1d auto_pad SAME_UPPER stride 3", () -> conv(new long[] {1, 2, 13}, new long[] {2, 2, 4}, true, s("auto_pad", "SAME_UPPER"), ints("strides", 3)));
    add("conv1d auto_pad SAME_LOWER", () -> conv(new long[] {1, 2, 9}, new long[] {2, 2, 4}, true, s("auto_pad", "SAME_LOWER")));

    // ---- pools -------------------------------------------------------------------------------------
    add("maxpool2d 2x2 stride 2", () -> unary(17, new long[] {1, 3, 8, 8}, "MaxPool", ints("kernel_shape", 2, 2), ints("strides", 2, 2)));
    add("maxpool2d 3x3 stride 2 pad 1", () -> unary(17, new long[] {1, 2, 9, 9}, "MaxPool", ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)));
    add("maxpool2d ceil_mode", () -> unary(17, new long[] {1, 2, 7, 8}, "MaxPool", ints("kernel_shape", 2, 3), ints("strides", 2, 2), i("ceil_mode", 1)));
    add("maxpool2d auto_pad SAME_UPPER", () -> unary(17, new long[] {1, 2, 7, 7}, "MaxPool", ints("kernel_shape", 3, 3), ints("strides", 2, 2), s("auto_pad", "SAME_UPPER")));
    add("maxpool1d", () -> unary(11, new long[] {1, 3, 15}, "MaxPool", ints("kernel_shape", 3), ints("strides", 2), ints("pads", 1, 0)));
    add("avgpool2d 3x3 pad 1 exclude pad", () -> unary(17, new long[] {1, 2, 6, 6}, "AveragePool", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)));
    add("avgpool2d count_include_pad", () -> unary(17, new long[] {1, 2, 6, 7}, "AveragePool", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
        ints("pads", 1, 1, 1, 1), i("count_include_pad", 1)));
    add("avgpool2d ceil_mode", () -> unary(17, new long[] {1, 2, 7, 7}, "AveragePool", ints("kernel_shape", 2, 2), ints("strides", 2, 2), i("ceil_mode", 1)));
    add("avgpool2d auto_pad SAME_LOWER", () -> unary(17, new long[] {1, 1, 6, 5}, "AveragePool", ints("kernel_shape", 2, 2), ints("strides", 2, 2), s("auto_pad", "SAME_LOWER")));
    // Opset 19: before it, ONNX Runtime divides a ceil_mode window that overhangs the padding by the whole kernel
    // size (onnxruntime#16203); from 19 on it divides by the cells inside input + pads, like PyTorch and the engine.
    add(AVGPOOL_CEIL_INCLUDE_PAD, () -> unary(19, new long[] {1, 2, 6, 6}, "AveragePool", ints("kernel_shape", 3, 3),
        ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), i("ceil_mode", 1), i("count_include_pad", 1)));
    add("maxpool2d ceil_mode pads", () -> unary(17, new long[] {1, 2, 6, 7}, "MaxPool", ints("kernel_shape", 3, 3),
        ints("strides", 2, 2), ints("pads", 1, 0, 1, 1), i("ceil_mode", 1)));
    add("avgpool1d", () -> unary(17, new long[] {2, 3, 10}, "AveragePool", ints("kernel_shape", 4), ints("strides", 2)));
    add("global average pool 2d", () -> unary(17, new long[] {2, 4, 5, 3}, "GlobalAveragePool"));
    add("global average pool 1d", () -> unary(17, new long[] {1, 4, 9}, "GlobalAveragePool"));

    // ---- BatchNorm, Gemm, MatMul -------------------------------------------------------------------
    add("batchnorm", () -> OnnxModels.opset(15).input("x", 2, 3, 4, 4).weight("s", 3).weight("b", 3).weight("m", 3).weight("v", 0.5, 1.5, 3)
        .node("BatchNormalization", in("x", "s", "b", "m", "v"), out("y"), f("epsilon", 1e-3f)).output("y").bytes());
    add("batchnorm 1d opset 11", () -> OnnxModels.opset(11).input("x", 1, 3, 7).weight("s", 3).weight("b", 3).weight("m", 3).weight("v", 0.5, 1.5, 3)
        .node("BatchNormalization", in("x", "s", "b", "m", "v"), out("y")).output("y").bytes());
    add("batchnorm 2-D [N, C]", () -> OnnxModels.opset(17).input("x", 4, 3).weight("s", 3).weight("b", 3).weight("m", 3).weight("v", 0.5, 1.5, 3)
        .node("BatchNormalization", in("x", "s", "b", "m", "v"), out("y")).output("y").bytes());
    add("gemm transB bias", () -> OnnxModels.opset(17).input("x", 3, 5).weight("w", 4, 5).weight("c", 4)
        .node("Gemm", in("x", "w", "c"), out("y"), i("transB", 1)).output("y").bytes());
    add("gemm transA alpha beta 2-D C", () -> OnnxModels.opset(17).input("x", 5, 3).weight("w", 5, 4).weight("c", 3, 4)
        .node("Gemm", in("x", "w", "c"), out("y"), i("transA", 1), f("alpha", 0.5f), f("beta", 2f)).output("y").bytes());
    add("gemm transA transB no C", () -> OnnxModels.opset(11).input("x", 5, 2).weight("w", 3, 5)
        .node("Gemm", in("x", "w"), out("y"), i("transA", 1), i("transB", 1), f("alpha", 1.5f)).output("y").bytes());
    add("gemm scalar C", () -> OnnxModels.opset(13).input("x", 2, 3).weight("w", 3, 4).weight("c", 1)
        .node("Gemm", in("x", "w", "c"), out("y"), f("beta", 0.25f)).output("y").bytes());
    add("matmul 2-D", () -> OnnxModels.opset(17).input("x", 4, 6).weight("w", 6, 3).node("MatMul", in("x", "w"), out("y")).output("y").bytes());
    add("matmul 3-D by 2-D", () -> OnnxModels.opset(17).input("x", 2, 5, 6).weight("w", 6, 3).node("MatMul", in("x", "w"), out("y")).output("y").bytes());

    // ---- elementwise -------------------------------------------------------------------------------
    add("add two inputs", () -> OnnxModels.opset(17).input("a", 2, 3, 4).input("b", 2, 3, 4).node("Add", in("a", "b"), out("y")).output("y").bytes());
    add("add broadcast per channel", () -> OnnxModels.opset(17).input("x", 2, 3, 4, 4).weight("b", 3, 1, 1).node("Add", in("x", "b"), out("y")).output("y").bytes());
    add("add broadcast both ways", () -> OnnxModels.opset(17).input("a", 2, 1, 4).input("b", 3, 1).node("Add", in("a", "b"), out("y")).output("y").bytes());
    add("add scalar", () -> OnnxModels.opset(14).input("x", 2, 5).scalar("k", 0.75f).node("Add", in("x", "k"), out("y")).output("y").bytes());
    add("mul broadcast per channel", () -> OnnxModels.opset(17).input("x", 1, 4, 3, 3).weight("s", 1, 4, 1, 1).node("Mul", in("x", "s"), out("y")).output("y").bytes());
    add("mul broadcast last axis, initializer first", () -> OnnxModels.opset(17).input("x", 2, 3, 5).weight("s", 5).node("Mul", in("s", "x"), out("y")).output("y").bytes());
    add("mul two inputs broadcast", () -> OnnxModels.opset(13).input("a", 2, 3, 4, 4).input("b", 2, 3, 1, 1).node("Mul", in("a", "b"), out("y")).output("y").bytes());
    add("relu", () -> unary(17, new long[] {2, 3, 4}, "Relu"));
    add("sigmoid", () -> unary(17, new long[] {2, 7}, "Sigmoid"));
    add("tanh", () -> unary(11, new long[] {3, 4, 2}, "Tanh"));
    add("leakyrelu alpha 0.2", () -> unary(17, new long[] {2, 6}, "LeakyRelu", f("alpha", 0.2f)));
    add("leakyrelu default alpha", () -> unary(16, new long[] {2, 6}, "LeakyRelu"));
    add("clip relu6 (min and max)", () -> OnnxModels.opset(17).input("x", 2, 8).scalar("lo", 0f).scalar("hi", 0.5f)
        .node("Clip", in("x", "lo", "hi"), out("y")).output("y").bytes());
    add("clip min only", () -> OnnxModels.opset(12).input("x", 2, 8).scalar("lo", -0.3f).node("Clip", in("x", "lo"), out("y")).output("y").bytes());
    add("clip max only", () -> OnnxModels.opset(11).input("x", 2, 8).scalar("hi", 0.2f).node("Clip", in("x", "", "hi"), out("y")).output("y").bytes());
    add("clip bounds from Constant nodes", () -> OnnxModels.opset(13).input("x", 2, 8)
        .node("Constant", in(), out("lo"), OnnxModels.tensor("value", OnnxModels.rawFloats("", new long[0], -0.5f)))
        .node("Constant", in(), out("hi"), f("value_float", 0.4f))
        .node("Clip", in("x", "lo", "hi"), out("y")).output("y").bytes());

    // ---- shape ops ---------------------------------------------------------------------------------
    add("flatten axis 1", () -> unary(17, new long[] {2, 3, 4, 2}, "Flatten"));
    add("flatten axis 2", () -> unary(11, new long[] {2, 3, 4, 2}, "Flatten", i("axis", 2)));
    add("flatten axis 0", () -> unary(13, new long[] {2, 3, 4}, "Flatten", i("axis", 0)));
    add("flatten axis -1", () -> unary(13, new long[] {2, 3, 4}, "Flatten", i("axis", -1)));
    add("reshape [0, -1]", () -> OnnxModels.opset(17).input("x", -1, 3, 2, 2).int64s("shape", 0, -1)
        .node("Reshape", in("x", "shape"), out("y")).output("y").bytes());
    add("reshape explicit", () -> OnnxModels.opset(11).input("x", 2, 12).int64s("shape", 2, 3, 4)
        .node("Reshape", in("x", "shape"), out("y")).output("y").bytes());
    add("reshape shape from Constant", () -> OnnxModels.opset(14).input("x", 2, 6)
        .node("Constant", in(), out("shape"), OnnxModels.ints("value_ints", 3, -1))
        .node("Reshape", in("x", "shape"), out("y")).output("y").bytes());
    add("squeeze opset 11 attribute", () -> unary(11, new long[] {2, 1, 3, 1}, "Squeeze", ints("axes", 1, 3)));
    add("squeeze opset 13 input, negative axis", () -> OnnxModels.opset(13).input("x", 2, 3, 1).int64s("axes", -1)
        .node("Squeeze", in("x", "axes"), out("y")).output("y").bytes());
    add("squeeze all unit axes", () -> unary(17, new long[] {1, 3, 1, 2}, "Squeeze"));
    add("unsqueeze opset 11 attribute", () -> unary(11, new long[] {2, 3}, "Unsqueeze", ints("axes", 0, 3)));
    add("unsqueeze opset 13 input", () -> OnnxModels.opset(13).input("x", 2, 3).int64s("axes", 1, -1)
        .node("Unsqueeze", in("x", "axes"), out("y")).output("y").bytes());
    add("concat channels", () -> OnnxModels.opset(17).input("a", 1, 2, 3, 3).input("b", 1, 3, 3, 3)
        .node("Concat", in("a", "b"), out("y"), i("axis", 1)).output("y").bytes());
    add("concat with initializer, negative axis", () -> OnnxModels.opset(11).input("a", 2, 3).weight("c", 2, 2)
        .node("Concat", in("a", "c", "a"), out("y"), i("axis", -1)).output("y").bytes());

    // ---- Softmax -----------------------------------------------------------------------------------
    add("softmax opset 13 default axis", () -> unary(13, new long[] {2, 5}, "Softmax"));
    add("softmax opset 13 axis 1 of 4-D", () -> unary(17, new long[] {2, 3, 2, 2}, "Softmax", i("axis", 1)));
    add("softmax opset 11 default axis, 2-D", () -> unary(11, new long[] {3, 4}, "Softmax"));
    add("softmax opset 11 axis 1 of 4-D (coerced to 2-D)", () -> unary(11, new long[] {2, 3, 2, 2}, "Softmax", i("axis", 1)));
    add("softmax opset 12 axis 2 of 3-D", () -> unary(12, new long[] {2, 3, 4}, "Softmax", i("axis", 2)));

    // ---- Resize ------------------------------------------------------------------------------------
    resize("resize nearest x2 asymmetric floor (PyTorch)", 17, new float[] {1, 1, 2, 2}, null, "nearest", "asymmetric", "floor");
    resize("resize nearest x2 half_pixel round_prefer_floor", 13, new float[] {1, 1, 2, 2}, null, "nearest", "half_pixel", "round_prefer_floor");
    resize("resize nearest x1.5 round_prefer_ceil", 17, new float[] {1, 1, 1.5f, 1.5f}, null, "nearest", "half_pixel", "round_prefer_ceil");
    resize("resize nearest x2.5 align_corners ceil", 17, new float[] {1, 1, 2.5f, 2f}, null, "nearest", "align_corners", "ceil");
    resize("resize nearest 0.5 down", 17, new float[] {1, 1, 0.5f, 0.5f}, null, "nearest", "asymmetric", "floor");
    resize("resize linear x2 half_pixel", 17, new float[] {1, 1, 2, 2}, null, "linear", "half_pixel", null);
    resize("resize linear x2 align_corners", 17, new float[] {1, 1, 2, 2}, null, "linear", "align_corners", null);
    resize("resize linear x1.5 asymmetric", 17, new float[] {1, 1, 1.5f, 3}, null, "linear", "asymmetric", null);
    resize("resize linear pytorch_half_pixel", 17, new float[] {1, 1, 2, 0.5f}, null, "linear", "pytorch_half_pixel", null);
    resize("resize linear sizes 5x5 to 7x9", 17, null, new long[] {1, 2, 7, 9}, "linear", "half_pixel", null);
    resize("resize nearest sizes 6x6 to 9x4", 13, null, new long[] {1, 2, 9, 4}, "nearest", "asymmetric", "floor");
    resize("resize opset 11 scales with empty roi", 11, new float[] {1, 1, 2, 2}, null, "nearest", "asymmetric", "floor");
    resize("resize opset 11 sizes", 11, null, new long[] {1, 2, 10, 3}, "linear", "align_corners", null);
    add("resize linear sizes 11x13 to 15x30 (size/in rounds low)", () -> OnnxModels.opset(17).input("x", 1, 2, 11, 13).int64s("sz", 1, 2, 15, 30)
        .node("Resize", in("x", "", "", "sz"), out("y"), s("mode", "linear")).output("y").bytes());
    add("resize nearest sizes 3x3 to 7x7", () -> OnnxModels.opset(17).input("x", 1, 1, 3, 3).int64s("sz", 1, 1, 7, 7)
        .node("Resize", in("x", "", "", "sz"), out("y"), s("mode", "nearest")).output("y").bytes());
    add("resize nearest scale 7/3 as float32", () -> OnnxModels.opset(17).input("x", 1, 1, 3, 3).floats("sc", new long[] {4}, 1, 1, 7f / 3, 7f / 3)
        .node("Resize", in("x", "", "sc"), out("y"), s("mode", "nearest")).output("y").bytes());
    add("resize nearest 1-D", () -> OnnxModels.opset(17).input("x", 1, 2, 6).floats("sc", new long[] {3}, 1, 1, 2)
        .node("Resize", in("x", "", "sc"), out("y"), s("mode", "nearest")).output("y").bytes());
    add("resize linear 1-D", () -> OnnxModels.opset(17).input("x", 1, 2, 6).floats("sc", new long[] {3}, 1, 1, 1.5f)
        .node("Resize", in("x", "", "sc"), out("y"), s("mode", "linear")).output("y").bytes());
    add("resize opset 18 axes attribute", () -> OnnxModels.opset(18).input("x", 1, 2, 4, 5).floats("sc", new long[] {2}, 2f, 1.5f)
        .node("Resize", in("x", "", "sc"), out("y"), ints("axes", 2, 3), s("mode", "linear")).output("y").bytes());

    // ---- folded ops and small graphs ---------------------------------------------------------------
    add("conv weights from a Constant node", () -> OnnxModels.opset(17).input("x", 1, 2, 5, 5)
        .node("Constant", in(), out("w"), OnnxModels.tensor("value", OnnxModels.rawFloats("", new long[] {3, 2, 3, 3}, randomFloats(54))))
        .node("Conv", in("x", "w"), out("y")).output("y").bytes());
    add("identity and dropout folded", () -> OnnxModels.opset(13).input("x", 2, 6).weight("w", 6, 4)
        .node("Identity", in("x"), out("x1")).node("Dropout", in("x1"), out("x2"))
        .node("Identity", in("w"), out("w1")).node("MatMul", in("x2", "w1"), out("m"))
        .node("Relu", in("m"), out("r")).node("Identity", in("r"), out("y")).output("y").bytes());
    add("dropout opset 13 with ratio and training_mode false", () -> OnnxModels.opset(13).input("x", 2, 5).scalar("ratio", 0.3f)
        .initializer(ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("train").setDataType(ai.onnx.proto.OnnxMl.TensorProto.DataType.BOOL_VALUE)
            .addInt32Data(0).build())
        .node("Dropout", in("x", "ratio", "train"), out("d", "mask")).node("Tanh", in("d"), out("y")).output("y").bytes());
    add("small cnn", OpCases::smallCnn);
    add("two inputs two outputs", () -> OnnxModels.opset(17).input("a", -1, 4).input("b", -1, 4).weight("w", 4, 3)
        .node("Add", in("a", "b"), out("s")).node("Gemm", in("s", "w"), out("y1")).node("Sigmoid", in("s"), out("y2"))
        .output("y1").output("y2").bytes());
  }

  private static void resize(String name, int opset, float[] scales, long[] sizes, String mode, String ctm, String nearest) {
    add(name, () -> {
      OnnxModels m = OnnxModels.opset(opset).input("x", 1, 2, sizes != null && sizes[2] == 7 ? 5 : sizes != null ? 6 : 4, 5);
      List<AttributeProto> attrs = new ArrayList<>(List.of(s("mode", mode), s("coordinate_transformation_mode", ctm)));
      if (nearest != null) attrs.add(s("nearest_mode", nearest));
      String[] inputs;
      if (opset < 13) {
        m.floats("roi", new long[] {0});
        if (scales != null) {
          m.floats("sc", new long[] {4}, scales);
          inputs = in("x", "roi", "sc");
        } else {
          m.floats("sc", new long[] {0}).int64s("sz", sizes);
          inputs = in("x", "roi", "sc", "sz");
        }
      } else if (scales != null) {
        m.floats("sc", new long[] {4}, scales);
        inputs = in("x", "", "sc");
      } else {
        m.int64s("sz", sizes);
        inputs = in("x", "", "", "sz");
      }
      return m.node("Resize", inputs, out("y"), attrs.toArray(new AttributeProto[0])).output("y").bytes();
    });
  }

  static float[] randomFloats(int n) {
    java.util.Random r = new java.util.Random(n);
    float[] f = new float[n];
    for (int k = 0; k < n; k++) f[k] = (float) (r.nextDouble() * 2 - 1);
    return f;
  }

  /** Conv-BN-ReLU, MaxPool, depthwise Conv + ReLU6, residual Add, GAP, Flatten, Gemm, Softmax. */
  static byte[] smallCnn() {
    return OnnxModels.opset(17).input("image", -1, 3, 12, 12)
        .weight("c1.w", -0.5, 0.5, 8, 3, 3, 3).weight("c1.b", 8)
        .weight("bn.s", 0.5, 1.5, 8).weight("bn.b", 8).weight("bn.m", 8).weight("bn.v", 0.5, 1.5, 8)
        .weight("dw.w", 8, 1, 3, 3).weight("dw.b", 8)
        .weight("fc.w", 5, 8).weight("fc.b", 5)
        .scalar("zero", 0f).scalar("six", 6f).int64s("flat", 0, -1)
        .node("conv1", "Conv", in("image", "c1.w", "c1.b"), out("c1"), ints("pads", 1, 1, 1, 1))
        .node("bn1", "BatchNormalization", in("c1", "bn.s", "bn.b", "bn.m", "bn.v"), out("b1"))
        .node("relu1", "Relu", in("b1"), out("r1"))
        .node("pool1", "MaxPool", in("r1"), out("p1"), ints("kernel_shape", 2, 2), ints("strides", 2, 2))
        .node("dw", "Conv", in("p1", "dw.w", "dw.b"), out("d1"), i("group", 8), s("auto_pad", "SAME_UPPER"))
        .node("relu6", "Clip", in("d1", "zero", "six"), out("d2"))
        .node("res", "Add", in("d2", "p1"), out("a1"))
        .node("gap", "GlobalAveragePool", in("a1"), out("g1"))
        .node("flatten", "Reshape", in("g1", "flat"), out("f1"))
        .node("fc", "Gemm", in("f1", "fc.w", "fc.b"), out("logits"), i("transB", 1))
        .node("softmax", "Softmax", in("logits"), out("probs"), i("axis", 1))
        .output("probs", -1, 5)
        .metadata("task", "classification")
        .bytes();
  }
}
