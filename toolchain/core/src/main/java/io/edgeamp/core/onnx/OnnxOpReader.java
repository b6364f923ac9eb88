package io.edgeamp.core.onnx;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.ir.Op.Resize.CoordinateMode;
import io.edgeamp.core.ir.Op.Resize.Mode;
import io.edgeamp.core.ir.Op.Resize.NearestMode;
import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The import table: for each supported ONNX op type, how its attributes and constant inputs become an
 * {@link Op} record. Defaults and opset differences follow the ONNX operator specs for opsets 11-21.
 * Anything the IR cannot express exactly is rejected with the reason, never approximated.
 */
final class OnnxOpReader {
  private OnnxOpReader() {}

  @FunctionalInterface
  interface Mapping {
    List<Node> convert(NodeView n) throws ImportProblem;
  }

  private static final Map<String, Mapping> TABLE = new LinkedHashMap<>();

  static {
    TABLE.put("Conv", OnnxOpReader::conv);
    TABLE.put("BatchNormalization", OnnxOpReader::batchNorm);
    TABLE.put("Gemm", OnnxOpReader::gemm);
    TABLE.put("MatMul", OnnxOpReader::matMul);
    TABLE.put("Add", n -> plain(n, new Op.Add(), 2));
    TABLE.put("Mul", n -> plain(n, new Op.Mul(), 2));
    TABLE.put("Relu", n -> plain(n, new Op.Relu(), 1));
    TABLE.put("Clip", OnnxOpReader::clip);
    TABLE.put("LeakyRelu", n -> {
      n.requireInputs(1, 1);
      return n.single(new Op.LeakyRelu(n.attrs.f("alpha", 0.01)));
    });
    TABLE.put("Sigmoid", n -> plain(n, new Op.Sigmoid(), 1));
    TABLE.put("Tanh", n -> plain(n, new Op.Tanh(), 1));
    TABLE.put("MaxPool", n -> pool(n, true));
    TABLE.put("AveragePool", n -> pool(n, false));
    TABLE.put("GlobalAveragePool", n -> plain(n, new Op.GlobalAveragePool(), 1));
    TABLE.put("Flatten", OnnxOpReader::flatten);
    TABLE.put("Reshape", OnnxOpReader::reshape);
    TABLE.put("Squeeze", n -> squeezeOrUnsqueeze(n, true));
    TABLE.put("Unsqueeze", n -> squeezeOrUnsqueeze(n, false));
    TABLE.put("Concat", OnnxOpReader::concat);
    TABLE.put("Softmax", OnnxOpReader::softmax);
    TABLE.put("Resize", OnnxOpReader::resize);
  }

  /** Op types folded away by the importer itself rather than mapped to an IR op. */
  static final Set<String> FOLDED = Set.of("Constant", "Identity", "Dropout");

  static Mapping lookup(String opType) {
    return TABLE.get(opType);
  }

  /** Every op type the importer accepts, sorted, for error messages. */
  static Set<String> supported() {
    Set<String> s = new TreeSet<>(TABLE.keySet());
    s.addAll(FOLDED);
    return Collections.unmodifiableSet(s);
  }

  private static List<Node> plain(NodeView n, Op op, int inputs) throws ImportProblem {
    n.requireInputs(inputs, inputs);
    return n.single(op);
  }

  // ---- Conv and pools ---------------------------------------------------------------------------

  /** Spatial window attributes shared by Conv and the pools, with auto_pad resolved to explicit pads. */
  private record Window(int[] kernel, int[] strides, int[] padsBegin, int[] padsEnd, int[] dilations) {}

  private static Window window(NodeView n, int[] kernel, boolean allowDilations) throws ImportProblem {
    int r = kernel.length;
    if (r < 1 || r > 2) {
      throw new ImportProblem("kernel_shape " + Arrays.toString(kernel) + " has " + r + " spatial axes; EdgeAMP supports 1-D and 2-D "
          + n.opType() + " only (reshape the model to 1-D or 2-D)");
    }
    for (int k : kernel) if (k < 1) throw new ImportProblem("kernel_shape " + Arrays.toString(kernel) + " must be positive");
    int[] strides = intsOr(n, "strides", r, 1);
    int[] dilations = intsOr(n, "dilations", r, 1);
    for (int s : strides) if (s < 1) throw new ImportProblem("strides " + Arrays.toString(strides) + " must be >= 1");
    for (int d : dilations) if (d < 1) throw new ImportProblem("dilations " + Arrays.toString(dilations) + " must be >= 1");
    if (!allowDilations && Arrays.stream(dilations).anyMatch(d -> d != 1)) {
      throw new ImportProblem("dilations " + Arrays.toString(dilations) + " are not supported for " + n.opType() + "; only 1 is");
    }
    long[] padsAttr = n.attrs.ints("pads");
    String autoPad = n.attrs.s("auto_pad", "NOTSET");
    int[] pb = new int[r], pe = new int[r];
    switch (autoPad) {
      case "NOTSET" -> {
        if (padsAttr != null) {
          if (padsAttr.length != 2 * r) throw new ImportProblem("pads " + Arrays.toString(padsAttr) + " must have " + 2 * r + " entries for a " + r + "-D kernel");
          for (int i = 0; i < r; i++) {
            pb[i] = checkedPad(padsAttr[i], padsAttr);
            pe[i] = checkedPad(padsAttr[i + r], padsAttr);
          }
        }
      }
      case "VALID" -> { } // no padding
      case "SAME_UPPER", "SAME_LOWER" -> {
        int[] x = n.requireShape(0, "to resolve auto_pad=" + autoPad);
        if (x.length != r + 2) throw new ImportProblem("input has shape " + Arrays.toString(x) + "; a " + r + "-D " + n.opType() + " needs rank " + (r + 2));
        for (int i = 0; i < r; i++) {
          int span = (kernel[i] - 1) * dilations[i] + 1;
          int in = x[i + 2];
          int total;
          if (in < 0) {
            if (strides[i] != 1) throw new ImportProblem("auto_pad=" + autoPad + " with stride " + strides[i] + " needs a static input size on axis " + (i + 2));
            total = span - 1;
          } else {
            int out = (in + strides[i] - 1) / strides[i];
            total = Math.max(0, (out - 1) * strides[i] + span - in);
          }
          // SAME_UPPER puts the odd pixel at the end, SAME_LOWER at the beginning.
          int small = total / 2;
          pb[i] = autoPad.equals("SAME_UPPER") ? small : total - small;
          pe[i] = total - pb[i];
        }
      }
      default -> throw new ImportProblem("auto_pad='" + autoPad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
    }
    return new Window(kernel, strides, pb, pe, dilations);
  }

  private static int checkedPad(long p, long[] pads) throws ImportProblem {
    if (p < 0 || p > 1 << 16) throw new ImportProblem("pads " + Arrays.toString(pads) + " must be between 0 and 65536");
    return (int) p;
  }

  private static int[] intsOr(NodeView n, String attr, int r, int dflt) throws ImportProblem {
    long[] v = n.attrs.ints(attr);
    int[] out = new int[r];
    if (v == null) {
      Arrays.fill(out, dflt);
      return out;
    }
    if (v.length != r) throw new ImportProblem(attr + " " + Arrays.toString(v) + " must have " + r + " entries (one per spatial axis)");
    for (int i = 0; i < r; i++) out[i] = (int) Math.max(Math.min(v[i], 1 << 16), -1);
    return out;
  }

  private static int[] kernelShape(NodeView n, int[] fallback) throws ImportProblem {
    long[] k = n.attrs.ints("kernel_shape");
    if (k == null) {
      if (fallback == null) throw new ImportProblem("has no kernel_shape attribute");
      return fallback;
    }
    int[] out = new int[k.length];
    for (int i = 0; i < k.length; i++) {
      if (k[i] < 1 || k[i] > 1 << 16) throw new ImportProblem("kernel_shape " + Arrays.toString(k) + " must be between 1 and 65536");
      out[i] = (int) k[i];
    }
    return out;
  }

  private static List<Node> conv(NodeView n) throws ImportProblem {
    n.requireInputs(2, 3);
    int[] w = n.shape(1);
    int[] fromWeights = w == null || w.length < 3 ? null : Arrays.copyOfRange(w, 2, w.length);
    int[] kernel = kernelShape(n, fromWeights);
    if (fromWeights != null && !Arrays.equals(kernel, fromWeights)) {
      throw new ImportProblem("kernel_shape " + Arrays.toString(kernel) + " does not match the weight shape " + Arrays.toString(w));
    }
    Window win = window(n, kernel, true);
    int group = n.attrs.i("group", 1, 1, 1 << 20);
    int[] x = n.shape(0);
    if (w != null) {
      if (w[0] >= 0 && w[0] % group != 0) throw new ImportProblem("group=" + group + " does not divide the " + w[0] + " output channels");
      if (x != null && x.length > 1 && x[1] >= 0 && w[1] >= 0 && x[1] != w[1] * group) {
        throw new ImportProblem("input has " + x[1] + " channels but weights " + Arrays.toString(w) + " with group=" + group + " expect " + w[1] * group);
      }
    }
    return n.single(new Op.Conv(win.kernel, win.strides, win.padsBegin, win.padsEnd, win.dilations, group));
  }

  private static List<Node> pool(NodeView n, boolean max) throws ImportProblem {
    n.requireInputs(1, 1);
    Window win = window(n, kernelShape(n, null), false);
    boolean ceil = n.attrs.i("ceil_mode", 0, 0, 1) == 1;
    if (max) {
      n.attrs.i("storage_order", 0, 0, 1); // only affects the Indices output, which the importer rejects if used
      return n.single(new Op.MaxPool(win.kernel, win.strides, win.padsBegin, win.padsEnd, ceil));
    }
    boolean includePad = n.attrs.i("count_include_pad", 0, 0, 1) == 1;
    return n.single(new Op.AveragePool(win.kernel, win.strides, win.padsBegin, win.padsEnd, ceil, includePad));
  }

  // ---- other ops ------------------------------------------------------------------------------------

  private static List<Node> batchNorm(NodeView n) throws ImportProblem {
    n.requireInputs(5, 5);
    if (n.attrs.i("training_mode", 0, 0, 1) != 0) {
      throw new ImportProblem("training_mode=1; export the model in eval mode (model.eval() before torch.onnx.export)");
    }
    return n.single(new Op.BatchNorm(n.attrs.f("epsilon", 1e-5), n.attrs.f("momentum", 0.9)));
  }

  private static List<Node> gemm(NodeView n) throws ImportProblem {
    n.requireInputs(2, 3);
    return n.single(new Op.Gemm(n.attrs.f("alpha", 1.0), n.attrs.f("beta", 1.0), n.attrs.i("transA", 0, 0, 1) == 1,
        n.attrs.i("transB", 0, 0, 1) == 1));
  }

  /** The IR's MatMul is a (batched) activation times a 2-D matrix, the dense layers of MCU models. */
  private static List<Node> matMul(NodeView n) throws ImportProblem {
    n.requireInputs(2, 2);
    int[] a = n.shape(0), b = n.shape(1);
    if ((a != null && a.length < 2) || (b != null && b.length != 2)) {
      throw new ImportProblem("multiplies shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
          + "; EdgeAMP supports a rank >= 2 left operand times a 2-D right operand (use Gemm or reshape)");
    }
    return n.single(new Op.MatMul());
  }

  private static List<Node> clip(NodeView n) throws ImportProblem {
    n.requireInputs(1, 3);
    double min = n.hasInput(1) ? scalar(n.floatConstant(1, "min bound")) : Double.NEGATIVE_INFINITY;
    double max = n.hasInput(2) ? scalar(n.floatConstant(2, "max bound")) : Double.POSITIVE_INFINITY;
    return n.single(new Op.Clip(min, max), 1);
  }

  private static double scalar(Tensor t) throws ImportProblem {
    if (t.size() != 1) throw new ImportProblem("Clip bounds must be scalars, got shape " + Arrays.toString(t.shape()));
    return t.data()[0];
  }

  private static List<Node> flatten(NodeView n) throws ImportProblem {
    n.requireInputs(1, 1);
    int axis = (int) n.attrs.i("axis", 1);
    int[] x = n.shape(0);
    if (x != null) {
      // Flatten's axis may equal the rank (everything goes to the rows), unlike other axis attributes.
      int a = axis < 0 ? axis + x.length : axis;
      if (a < 0 || a > x.length) throw new ImportProblem("axis=" + axis + " is out of range for an input of rank " + x.length);
      axis = a;
    }
    return n.single(new Op.Flatten(axis));
  }

  private static List<Node> reshape(NodeView n) throws ImportProblem {
    n.requireInputs(2, 2);
    long[] shape = n.int64Constant(1, "target shape");
    boolean allowZero = n.opset >= 14 && n.attrs.i("allowzero", 0, 0, 1) == 1;
    return n.single(new Op.Reshape(shape, allowZero), 1);
  }

  private static List<Node> squeezeOrUnsqueeze(NodeView n, boolean squeeze) throws ImportProblem {
    long[] axes;
    if (n.opset >= 13) {
      n.requireInputs(squeeze ? 1 : 2, 2);
      axes = n.hasInput(1) ? n.int64Constant(1, "axes") : new long[0];
    } else {
      n.requireInputs(1, 1);
      axes = n.attrs.ints("axes");
      if (axes == null) {
        if (!squeeze) throw new ImportProblem("needs the axes attribute");
        axes = new long[0];
      }
    }
    int[] x = n.shape(0);
    List<Integer> list = new ArrayList<>();
    int rank = x == null ? -1 : squeeze ? x.length : x.length + axes.length;
    for (long a : axes) {
      if (a < -64 || a > 64) throw new ImportProblem("axis " + a + " is out of range");
      list.add(rank < 0 ? (int) a : normalizeAxis((int) a, rank, "axes"));
    }
    if (list.stream().distinct().count() != list.size()) throw new ImportProblem("axes " + list + " repeat an axis");
    Op op = squeeze ? new Op.Squeeze(list) : new Op.Unsqueeze(list);
    return n.single(op, 1);
  }

  private static List<Node> concat(NodeView n) throws ImportProblem {
    if (n.inputCount() < 1) throw new ImportProblem("has no inputs");
    for (int i = 0; i < n.inputCount(); i++) if (!n.hasInput(i)) throw new ImportProblem("input " + i + " is empty");
    if (!n.attrs.has("axis")) throw new ImportProblem("needs the axis attribute");
    int axis = (int) n.attrs.i("axis", 0);
    int[] x = n.shape(0);
    if (x != null) axis = normalizeAxis(axis, x.length, "axis");
    return n.single(new Op.Concat(axis));
  }

  /**
   * Softmax. From opset 13 it normalizes along one axis (default -1). Before 13 it flattened the input to
   * 2-D at {@code axis} (default 1) and normalized each row; that equals the new semantics when axis is the
   * last one, and otherwise is mapped faithfully to Flatten, Softmax(axis=1), Reshape back.
   */
  private static List<Node> softmax(NodeView n) throws ImportProblem {
    n.requireInputs(1, 1);
    int[] x = n.shape(0);
    if (n.opset >= 13) {
      int axis = (int) n.attrs.i("axis", -1);
      if (x != null) axis = normalizeAxis(axis, x.length, "axis");
      return n.single(new Op.Softmax(axis));
    }
    int[] shape = n.requireShape(0, "because Softmax before opset 13 flattens the input at its axis");
    int axis = normalizeAxis((int) n.attrs.i("axis", 1), shape.length, "axis");
    if (axis == shape.length - 1) return n.single(new Op.Softmax(axis));
    long[] back = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0 && i > 0) {
        throw new ImportProblem("Softmax (opset " + n.opset + ") over axes " + axis + ".. of a shape with unknown dimension " + i
            + " " + Arrays.toString(shape) + " cannot be mapped; give the input a static shape or re-export with opset >= 13");
      }
      back[i] = shape[i] < 0 ? -1 : shape[i];
    }
    String flat = n.output() + "/flat", soft = n.output() + "/softmax";
    return List.of(
        new Node(n.name + "/flatten", new Op.Flatten(axis), List.of(n.input(0)), List.of(flat)),
        new Node(n.name, new Op.Softmax(1), List.of(flat), List.of(soft)),
        new Node(n.name + "/reshape", new Op.Reshape(back, false), List.of(soft), List.of(n.output())));
  }

  private static List<Node> resize(NodeView n) throws ImportProblem {
    n.requireInputs(1, 4);
    int[] x = n.requireShape(0, "to check the Resize scales");
    int r = x.length;
    if (n.attrs.i("antialias", 0, 0, 1) != 0) throw new ImportProblem("antialias=1 is not supported; use antialias=0");
    String policy = n.attrs.s("keep_aspect_ratio_policy", "stretch");
    n.attrs.f("cubic_coeff_a", -0.75); // cubic only
    n.attrs.i("exclude_outside", 0, 0, 1); // only changes cubic/antialias weights
    n.attrs.f("extrapolation_value", 0.0); // tf_crop_and_resize only
    Mode mode = switch (n.attrs.s("mode", "nearest")) {
      case "nearest" -> Mode.NEAREST;
      case "linear" -> Mode.LINEAR;
      default -> throw new ImportProblem("mode='" + n.attrs.s("mode", "") + "' is not supported; use nearest or linear");
    };
    String ctm = n.attrs.s("coordinate_transformation_mode", "half_pixel");
    CoordinateMode coord = switch (ctm) {
      case "half_pixel" -> CoordinateMode.HALF_PIXEL;
      case "asymmetric" -> CoordinateMode.ASYMMETRIC;
      case "align_corners" -> CoordinateMode.ALIGN_CORNERS;
      case "pytorch_half_pixel" -> CoordinateMode.PYTORCH_HALF_PIXEL;
      default -> throw new ImportProblem("coordinate_transformation_mode='" + ctm
          + "' is not supported; use half_pixel, asymmetric, align_corners or pytorch_half_pixel");
    };
    String nm = n.attrs.s("nearest_mode", "round_prefer_floor");
    NearestMode nearest = switch (nm) {
      case "round_prefer_floor" -> NearestMode.ROUND_PREFER_FLOOR;
      case "round_prefer_ceil" -> NearestMode.ROUND_PREFER_CEIL;
      case "floor" -> NearestMode.FLOOR;
      case "ceil" -> NearestMode.CEIL;
      default -> throw new ImportProblem("nearest_mode='" + nm + "' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil");
    };
    // Opset 18 lets scales/sizes cover only the listed axes.
    long[] axesAttr = n.attrs.ints("axes");
    int[] axes = new int[axesAttr == null ? r : axesAttr.length];
    for (int i = 0; i < axes.length; i++) axes[i] = axesAttr == null ? i : normalizeAxis((int) Math.max(-99, Math.min(99, axesAttr[i])), r, "axes");
    if (n.hasInput(1) && !n.isConstant(1)) throw new ImportProblem("the roi input must be a constant");
    Tensor scalesT = n.hasInput(2) ? n.floatConstant(2, "scales") : null;
    long[] sizes = n.hasInput(3) ? n.int64Constant(3, "sizes") : null;
    boolean hasScales = scalesT != null && scalesT.size() > 0;
    boolean hasSizes = sizes != null && sizes.length > 0;
    if (hasScales == hasSizes) throw new ImportProblem("exactly one of scales and sizes must be given (non-empty)");
    double[] scales = new double[r];
    Arrays.fill(scales, 1.0);
    if (hasScales) {
      if (scalesT.size() != axes.length) throw new ImportProblem("has " + scalesT.size() + " scales for " + axes.length + " axes");
      for (int i = 0; i < axes.length; i++) {
        double s = scalesT.data()[i];
        if (!(s > 0) || Double.isInfinite(s)) throw new ImportProblem("scale " + s + " must be positive and finite");
        int in = x[axes[i]];
        // ONNX Runtime (like PyTorch) sizes the output as (int)(float(scale) * in) in float32, which can round up to
        // the next integer (3 * 2.3333333f -> 7) where the spec's exact floor gives 6; users run our files in ORT,
        // so match it: keep the scale unless ORT's size differs, then use the scale that gives that size.
        long ortSize = (long) ((float) s * (float) in);
        scales[axes[i]] = in > 0 && Math.floor(in * s) != ortSize ? scaleFor(in, ortSize) : s;
      }
    } else {
      if (!policy.equals("stretch")) throw new ImportProblem("keep_aspect_ratio_policy='" + policy + "' is not supported; use stretch");
      if (sizes.length != axes.length) throw new ImportProblem("has " + sizes.length + " sizes for " + axes.length + " axes");
      for (int i = 0; i < axes.length; i++) {
        int in = x[axes[i]];
        if (sizes[i] < 1 || sizes[i] > 1 << 24) throw new ImportProblem("size " + sizes[i] + " is out of range");
        if (in < 0) {
          if (axes[i] == 0) continue; // dynamic batch: sizes equal the batch of the exported example
          throw new ImportProblem("resizing to sizes needs a static input size on axis " + axes[i]);
        }
        scales[axes[i]] = scaleFor(in, sizes[i]);
      }
    }
    if (r < 3) throw new ImportProblem("input rank " + r + " is not [N, C, spatial...]");
    if (scales[0] != 1.0 || scales[1] != 1.0) {
      throw new ImportProblem("scales " + Arrays.toString(scales) + " resize the batch or channel axis; only spatial axes may be resized");
    }
    return n.single(new Op.Resize(mode, scales, coord, nearest), 1);
  }

  /**
   * The IR's scale for resizing {@code in} to {@code out}: out/in, nudged up by ulps where the division rounds low
   * (11 * (15/11.0) = 14.99..), since the IR sizes the output as floor(in * scale).
   */
  static double scaleFor(int in, long out) {
    double sc = out / (double) in;
    for (int k = 0; k < 64 && Math.floor(in * sc) < out; k++) sc = Math.nextUp(sc);
    return sc;
  }

  static int normalizeAxis(int axis, int rank, String what) throws ImportProblem {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) throw new ImportProblem(what + "=" + axis + " is out of range for rank " + rank);
    return a;
  }
}
