package io.edgeamp.codegen;

import io.edgeamp.core.quant.Dims;
import io.edgeamp.core.quant.FloatOps;
import io.edgeamp.core.quant.Geometry;
import io.edgeamp.core.quant.LayerKind;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QTensor;
import io.edgeamp.core.quant.QTensor.Repr;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.WeightPacking;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything model.c, model.h and model_weights.h say about one quantized model, as a FreeMarker data
 * model: one entry per layer (its C function's parameters, the kernel it calls, shapes, bits, scales,
 * constant tables) and the arena plan that gives every intermediate buffer its offset.
 *
 * <p>The model input is read in place from {@code ea_model_infer}'s {@code in} and the output tensor is
 * written straight into {@code out}; everything else (intermediate tensors, kernel scratch, float
 * temporaries of CPU layers) lives in the arena, 4-byte aligned.
 */
public final class CModel {
  public static final int ALIGN = 4;

  final QuantizedModel model;
  final String cName;
  final String[] ids;
  final ArenaPlanner.Plan plan;
  final List<Map<String, Object>> layers = new ArrayList<>();
  final List<Map<String, Object>> tables = new ArrayList<>();
  /** Bytes of the constant tables in flash, by kind. */
  long weightBytes, biasBytes, requantBytes, floatBytes;
  /** Sum over weight layers of params * bits / 8 (32-bit layers: float weights). */
  double idealWeightBytes;
  long params;
  boolean usesResize8, usesResizeF32, usesClampF32;

  CModel(QuantizedModel m, String cName) {
    this.model = m;
    this.cName = cName;
    List<String> names = new ArrayList<>();
    for (QLayer l : m.layers()) names.add(l.name());
    this.ids = CNames.unique(names);
    this.plan = ArenaPlanner.plan(buffers());
    for (int i = 0; i < m.layers().size(); i++) layers.add(layer(i));
  }

  // ---- buffers and the arena ---------------------------------------------------------------------

  private boolean inArena(QTensor t) {
    return !t.name().equals(model.inputTensor()) && !t.name().equals(model.outputTensor());
  }

  static long kp16(long k) {
    return (k + 15) & ~15L;
  }

  /** EA_PW_TABCAP (device-runtime/src/kernels/ea_internal.h): requantization table channels of the pointwise kernels. */
  static final int PW_TABCAP = 16;

  /**
   * ea_conv_hx1_scratch_bytes / ea_pointwise_scratch_bytes (device-runtime/src/kernels/ea_scratch.c): widened
   * columns, four window buffers, a padded weight-row copy and a 40-byte requantization entry per table channel
   * (out_c for conv, EA_PW_TABCAP for pointwise). The generated ea_model_init() checks every slot against the
   * runtime's own function, so a change in the runtime fails at boot instead of overrunning the arena.
   */
  static int convScratch(int k, int tabcap) {
    return (int) (8 * kp16(k) + 4 * ((k + 3) & ~3L) + kp16(k) + 8 + 40L * tabcap);
  }

  /**
   * ea_cw_applies (device-runtime/src/kernels/ea_cw.h): the convolution takes the widened-weight DSP path (1-D, windows
   * starting on groups of four input elements, fan-in at most 32, at most 1024 widened weights).
   */
  static boolean cwApplies(int inW, int outW, int inC, int kH, int strideH, int outH, int outC) {
    int k = kH * inC;
    return inW == 1 && outW == 1 && (strideH * inC) % 4 == 0 && outH >= 1 && k >= 1 && k <= 32
        && (long) outC * ((k + 3) & ~3) <= 1024;
  }

  /**
   * ea_conv_hx1_scratch_bytes (ea_scratch.c): the general layout, or for the widened-weight path the larger of it and
   * that path's stream (12 + 4 * groups words per channel pair), widened input chunk (32 output pixels, sixteen
   * elements at a time, 2 bytes each) and two output rows.
   */
  static int convScratch(int inW, int outW, int inC, int kH, int strideH, int outH, int outC) {
    int k = kH * inC;
    int gen = convScratch(k, outC);
    if (!cwApplies(inW, outW, inC, kH, strideH, outH, outC)) return gen;
    int steps = (k + 3) / 4;
    long stream = 4L * ((outC + 1) / 2) * (12 + 4 * steps);
    int cp = Math.min(outH, 32);
    long groups = ((((long) (cp - 1) * strideH + kH) * inC + 15) / 16) * 4;
    long cw = stream + 8 * groups + ((2L * outC + 3) & ~3L);
    return (int) Math.max(gen, cw);
  }

  /** ea_dense_scratch_bytes: the widened input (padded to a whole int4 MAC-loop pass, 32 elements) and a padded copy of the last rows. */
  static int denseScratch(int inN) {
    return (int) (4 * ((inN + 31L) & ~31L));
  }

  static boolean pointwise(QLayer l) {
    Geometry g = l.geometry();
    return l.kind() == LayerKind.CONV && g.kH() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padTop() == 0
        && l.inputDims().get(0).h() == l.outputDims().h() && l.inputDims().get(0).w() == l.outputDims().w();
  }

  /** Scratch bytes of layer l's kernel (0: none). */
  static int scratchBytes(QLayer l) {
    if (l.onCpu()) return 0;
    return switch (l.kind()) {
      case CONV -> pointwise(l) ? convScratch(l.inputDims().get(0).c(), PW_TABCAP)
          : convScratch(l.inputDims().get(0).w(), l.outputDims().w(), l.inputDims().get(0).c(), l.geometry().kH(),
              l.geometry().strideH(), l.outputDims().h(), l.outputDims().c());
      case DENSE -> denseScratch(l.rowLength());
      default -> 0;
    };
  }

  private List<ArenaPlanner.Buffer> buffers() {
    List<ArenaPlanner.Buffer> b = new ArrayList<>();
    List<QLayer> ls = model.layers();
    for (QTensor t : model.tensors().values()) {
      if (!inArena(t) || t.firstLayer() < 0) continue;
      b.add(new ArenaPlanner.Buffer(t.name(), ArenaPlanner.align(t.bytes(), ALIGN), t.firstLayer(), Math.max(t.firstLayer(), t.lastLayer()),
          "tensor " + t.dims() + " " + t.repr().jsonName()));
    }
    for (int i = 0; i < ls.size(); i++) {
      QLayer l = ls.get(i);
      int s = scratchBytes(l);
      if (s > 0) b.add(new ArenaPlanner.Buffer(scratchName(i), ArenaPlanner.align(s, ALIGN), i, i, "scratch of " + l.name()));
      if (l.onCpu()) {
        for (int k = 0; k < l.inputs().size(); k++) {
          QTensor t = model.tensor(l.inputs().get(k));
          if (t.repr().isInteger()) {
            b.add(new ArenaPlanner.Buffer(floatInName(i, k), ArenaPlanner.align(4 * t.dims().size(), ALIGN), i, i,
                "float copy of input " + t.name() + " of " + l.name()));
          }
        }
        if (model.tensor(l.output()).repr().isInteger()) {
          b.add(new ArenaPlanner.Buffer(floatOutName(i), 4 * l.outputDims().size(), i, i, "float result of " + l.name() + " before quantization"));
        }
      }
    }
    return b;
  }

  private static String scratchName(int i) {
    return "#scratch" + i;
  }

  private static String floatInName(int i, int k) {
    return "#xf" + i + "_" + k;
  }

  private static String floatOutName(int i) {
    return "#yf" + i;
  }

  // ---- C text helpers ----------------------------------------------------------------------------

  static String cType(Repr r) {
    return switch (r) {
      case INT8 -> "int8_t";
      case UINT8 -> "uint8_t";
      case FLOAT32 -> "float";
    };
  }

  static String sfx(Repr r) {
    return r == Repr.UINT8 ? "u8" : "s8";
  }

  /** A float32 constant as an exact C hex literal with its decimal value in a comment. */
  static String flt(float v) {
    if (v == FloatOps.NO_BOUND) return "FLT_MAX";
    if (v == -FloatOps.NO_BOUND) return "-FLT_MAX";
    if (v == 0f) return Float.floatToRawIntBits(v) == 0 ? "0.0f" : "-0.0f";
    String hex = Float.toHexString(v) + "f";
    return hex + " /* " + dec(v) + " */";
  }

  /** A float32 constant as an exact C hex literal, no comment (tables). */
  static String fltBare(float v) {
    return Float.toHexString(v) + "f";
  }

  static String dec(double v) {
    if (v == 0) return "0";
    double a = Math.abs(v);
    return a >= 1e-3 && a < 1e6 ? String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "")
        : String.format(Locale.ROOT, "%.4e", v);
  }

  /** Pointer to tensor t for a layer function's argument. */
  private String ptr(QTensor t, boolean constant) {
    String type = (constant ? "const " : "") + cType(t.repr());
    if (t.name().equals(model.inputTensor())) return "in";
    if (t.name().equals(model.outputTensor())) return t.repr() == Repr.INT8 ? "out" : "(" + type + " *)out";
    return "(" + type + " *)(arena + " + plan.of(t.name()).offset() + ")";
  }

  private String arenaPtr(String buffer, String type) {
    return "(" + type + " *)(arena + " + plan.of(buffer).offset() + ")";
  }

  // ---- layers ------------------------------------------------------------------------------------

  private static String geometryText(QLayer l) {
    Geometry g = l.geometry();
    return switch (l.kind()) {
      case CONV, DEPTHWISE_CONV, MAX_POOL, AVG_POOL -> "(" + g.kH() + ",1), stride (" + g.strideH() + "," + g.strideW() + "), pad top " + g.padTop();
      case RESIZE_NEAREST -> "factors (" + g.factorH() + "," + g.factorW() + ")";
      default -> "";
    };
  }

  private String activationText(QLayer l, QTensor out) {
    if (!out.repr().isInteger()) {
      if (l.clampLo() == -FloatOps.NO_BOUND && l.clampHi() == FloatOps.NO_BOUND) return "no clamp";
      return "clamp [" + dec(l.clampLo()) + ", " + dec(l.clampHi()) + "]";
    }
    String range = out.repr() == Repr.UINT8 ? "uint8" : "int8";
    boolean full = l.actMin() == out.repr().qmin && l.actMax() == out.repr().qmax;
    return "clamp [" + l.actMin() + ", " + l.actMax() + "]" + (full ? " (" + range + " range)" : "");
  }

  private Map<String, Object> layer(int i) {
    QLayer l = model.layers().get(i);
    String id = ids[i];
    Map<String, Object> m = new LinkedHashMap<>();
    QTensor out = model.tensor(l.output());
    List<QTensor> ins = new ArrayList<>();
    for (String n : l.inputs()) ins.add(model.tensor(n));
    Dims id0 = l.inputDims().get(0), od = l.outputDims();
    Geometry g = l.geometry();
    m.put("index", i);
    m.put("name", CNames.comment(l.name()));
    m.put("fn", id);
    m.put("kind", l.kind().jsonName());
    m.put("target", l.target().jsonName());
    m.put("cpu", l.onCpu());
    m.put("bits", l.bits());
    m.put("pointwise", pointwise(l));
    // Per-layer profiling key (firmware m-layer lines, codegen-report.json, HIL latency rows, quantize --latency-table).
    m.put("shapeKey", io.edgeamp.core.amp.MeasuredLatency.shapeKey(id0, od, l.rowLength()));
    m.put("profileKey", l.name().replaceAll("[^A-Za-z0-9_.:/+]", "_") + "," + l.kind().jsonName() + "," + m.get("shapeKey") + "," + l.bits());

    // Comment lines.
    List<String> comment = new ArrayList<>();
    String nodes = l.nodes().isEmpty() || l.nodes().equals(List.of(l.name())) ? "" : " (ONNX " + String.join(" + ", l.nodes()) + ")";
    comment.add("Layer " + i + ": " + l.name() + nodes);
    StringBuilder shape = new StringBuilder("  " + l.kind().jsonName());
    String geo = geometryText(l);
    if (!geo.isEmpty()) shape.append(' ').append(geo);
    shape.append(": ");
    for (int k = 0; k < ins.size(); k++) {
      if (k > 0) shape.append(" + ");
      shape.append(l.inputDims().get(k)).append(' ').append(ins.get(k).repr().jsonName());
    }
    shape.append(" -> ").append(od).append(' ').append(out.repr().jsonName());
    comment.add(shape.toString());
    if (l.kind().hasWeights()) {
      int rows = l.rows(), k = l.rowLength();
      long p = (long) rows * k;
      params += p;
      if (l.onCpu()) {
        comment.add("  CPU, float32 weights: " + rows + " rows x " + k + " (" + 4 * p + " bytes), float32 bias");
      } else {
        int rb = WeightPacking.rowBytes(k, l.bits());
        comment.add("  NPU, " + l.bits() + "-bit weights: " + rows + " rows x " + k + ", " + rb + " bytes per row (" + (long) rows * rb
            + " bytes), int32 bias, per-channel requantization");
      }
    } else {
      comment.add("  " + (l.onCpu() ? "CPU, float32" : "NPU path, 8-bit"));
    }
    StringBuilder sc = new StringBuilder("  scales: in ");
    for (int k = 0; k < ins.size(); k++) sc.append(k > 0 ? " / " : "").append(dec(ins.get(k).scale()));
    sc.append(", out ").append(dec(out.scale()));
    if (l.kind().hasWeights()) {
      double lo = Double.MAX_VALUE, hi = 0;
      for (double s : l.weightScales()) {
        lo = Math.min(lo, s);
        hi = Math.max(hi, s);
      }
      if (l.weightScales().length > 0) sc.append(", weights ").append(dec(lo)).append(lo == hi ? "" : ".." + dec(hi));
    }
    sc.append("; ").append(activationText(l, out));
    comment.add(sc.toString());
    m.put("comment", comment);

    // Shapes.
    m.put("inH", id0.h());
    m.put("inW", id0.w());
    m.put("inC", id0.c());
    m.put("outH", od.h());
    m.put("outW", od.w());
    m.put("outC", od.c());
    m.put("kH", g.kH());
    m.put("strideH", g.strideH());
    m.put("strideW", g.strideW());
    m.put("padTop", g.padTop());
    m.put("factorH", g.factorH());
    m.put("factorW", g.factorW());
    m.put("nPix", id0.pixels());
    m.put("inLen", id0.size());
    m.put("outLen", od.size());
    m.put("rows", l.kind().hasWeights() ? l.rows() : 0);
    m.put("rowLength", l.rowLength());
    m.put("lo", l.actMin());
    m.put("hi", l.actMax());
    m.put("flo", flt(l.clampLo()));
    m.put("fhi", flt(l.clampHi()));
    m.put("floatClamp", l.clampLo() != -FloatOps.NO_BOUND || l.clampHi() != FloatOps.NO_BOUND);
    m.put("sfx", sfx(ins.get(0).repr()));
    m.put("outType", cType(out.repr()));
    m.put("outUnsigned", out.repr() == Repr.UINT8 ? 1 : 0);
    m.put("inUnsigned", ins.get(0).repr() == Repr.UINT8 ? 1 : 0);
    m.put("mult", l.mult().length > 0 ? l.mult()[0] : 0);
    m.put("shift", l.shift().length > 0 ? l.shift()[0] : 0);

    // Parameters and arguments of the layer function.
    List<String> params = new ArrayList<>(), args = new ArrayList<>(), argNotes = new ArrayList<>();
    String[] inNames = ins.size() == 1 ? new String[] {"x"} : new String[] {"a", "b"};
    for (int k = 0; k < ins.size(); k++) {
      params.add("const " + cType(ins.get(k).repr()) + " *" + inNames[k]);
      args.add(ptr(ins.get(k), true));
    }
    params.add(cType(out.repr()) + " *y");
    args.add(ptr(out, false));
    if (scratchBytes(l) > 0) {
      params.add("uint32_t *scratch");
      args.add(arenaPtr(scratchName(i), "uint32_t"));
      m.put("scratchBytes", plan.of(scratchName(i)).buffer().bytes());
    }
    List<Map<String, Object>> deq = new ArrayList<>();
    List<String> fin = new ArrayList<>();
    if (l.onCpu()) {
      for (int k = 0; k < ins.size(); k++) {
        QTensor t = ins.get(k);
        if (t.repr().isInteger()) {
          String fn = inNames[k] + "f";
          params.add("float *" + fn);
          args.add(arenaPtr(floatInName(i, k), "float"));
          Map<String, Object> d = new LinkedHashMap<>();
          d.put("src", inNames[k]);
          d.put("dst", fn);
          d.put("sfx", sfx(t.repr()));
          d.put("len", t.dims().size());
          d.put("scale", flt(t.scale()));
          deq.add(d);
          fin.add(fn);
        } else {
          fin.add(inNames[k]);
        }
      }
      boolean quant = out.repr().isInteger();
      if (quant) {
        params.add("float *yf");
        args.add(arenaPtr(floatOutName(i), "float"));
      }
      m.put("quantize", quant);
      m.put("fout", quant ? "yf" : "y");
      m.put("invScale", flt(out.invScale()));
      if (l.kind() == LayerKind.RESIZE_NEAREST) usesResizeF32 = true;
      if (l.kind() == LayerKind.CLAMP || (m.get("floatClamp") == Boolean.TRUE && !l.kind().hasWeights() && l.kind() != LayerKind.ADD)) usesClampF32 = true;
    } else if (l.kind() == LayerKind.RESIZE_NEAREST) {
      usesResize8 = true;
    }
    m.put("deq", deq);
    m.put("fin", fin);
    m.put("params", String.join(", ", params));
    m.put("args", String.join(", ", args));

    if (l.kind() == LayerKind.ADD && !l.onCpu()) {
      Repr ra = ins.get(0).repr(), rb = ins.get(1).repr();
      boolean swap = ra == Repr.UINT8 && rb == Repr.INT8; // ea_add_s8_u8 takes the uint8 operand second
      m.put("addFn", ra == rb ? sfx(ra) + "_" + sfx(rb) : "s8_u8");
      m.put("addA", swap ? "b" : "a");
      m.put("addB", swap ? "a" : "b");
      m.put("ma", swap ? l.mult()[1] : l.mult()[0]);
      m.put("mb", swap ? l.mult()[0] : l.mult()[1]);
    }
    tables(i, l, id);
    return m;
  }

  // ---- constant tables (model_weights.h) ----------------------------------------------------------

  private void tables(int i, QLayer l, String id) {
    if (!l.kind().hasWeights()) return;
    int rows = l.rows(), k = l.rowLength();
    long p = (long) rows * k;
    if (l.onCpu()) {
      table(id + "_w", "float", floats(l.weightsF()), l.weightsF().length, 4,
          l.name() + ": " + rows + " rows x " + k + " float32 weights, [" + rowOrder(l) + "]");
      table(id + "_bias", "float", floats(l.biasF()), rows, 4, l.name() + ": float32 bias");
      floatBytes += 4L * (p + rows);
      idealWeightBytes += 4.0 * p;
    } else {
      byte[] packed = WeightPacking.pack(l.weights(), rows, k, l.bits());
      String[] hex = new String[packed.length];
      for (int e = 0; e < packed.length; e++) hex[e] = String.format("0x%02x", packed[e] & 0xFF);
      int rb = WeightPacking.rowBytes(k, l.bits());
      table(id + "_w", "uint8_t", hex, packed.length, 16, l.name() + ": " + rows + " rows x " + k + " " + l.bits() + "-bit weights [" + rowOrder(l)
          + "], packed low bits first, " + rb + " bytes per row");
      table(id + "_bias", "int32_t", ints(l.bias()), rows, 8, l.name() + ": int32 bias at scale s_in * s_w[c]");
      table(id + "_mult", "int32_t", ints(l.mult()), rows, 8, l.name() + ": requantization multipliers m[c]");
      table(id + "_shift", "int8_t", ints(l.shift()), rows, 16, l.name() + ": requantization shifts n[c]");
      weightBytes += packed.length;
      biasBytes += 4L * rows;
      requantBytes += 5L * rows;
      idealWeightBytes += p * l.bits() / 8.0;
    }
  }

  private static String rowOrder(QLayer l) {
    return switch (l.kind()) {
      case CONV -> "cout][k_h][cin";
      case DEPTHWISE_CONV -> "c][k_h";
      default -> "out][in";
    };
  }

  private void table(String name, String type, String[] values, int count, int perLine, String comment) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", name);
    t.put("type", type);
    t.put("count", count);
    t.put("comment", comment);
    List<String> lines = new ArrayList<>();
    for (int s = 0; s < values.length; s += perLine) {
      lines.add(String.join(", ", java.util.Arrays.copyOfRange(values, s, Math.min(values.length, s + perLine))));
    }
    t.put("lines", lines);
    tables.add(t);
  }

  private static String[] ints(int[] v) {
    String[] s = new String[v.length];
    for (int i = 0; i < v.length; i++) s[i] = Integer.toString(v[i]);
    return s;
  }

  private static String[] floats(float[] v) {
    String[] s = new String[v.length];
    for (int i = 0; i < v.length; i++) s[i] = fltBare(v[i]);
    return s;
  }

  // ---- accessors ---------------------------------------------------------------------------------

  public ArenaPlanner.Plan plan() {
    return plan;
  }

  /** Bytes of constant tables (weights, bias, requantization, float weights) in flash. */
  public long constantBytes() {
    return weightBytes + biasBytes + requantBytes + floatBytes;
  }

  /** Arena bytes as declared (at least 4: C has no empty arrays). */
  public int arenaBytes() {
    return Math.max(ALIGN, plan.peak());
  }

  /** Packed weight bytes of NPU layers plus float weight bytes of CPU layers (biases and requant tables excluded). */
  public long weightBytes() {
    return weightBytes + (floatBytes == 0 ? 0 : floatBytes - floatBiasBytes());
  }

  private long floatBiasBytes() {
    long b = 0;
    for (QLayer l : model.layers()) if (l.onCpu() && l.kind().hasWeights()) b += 4L * l.rows();
    return b;
  }

  public double idealWeightBytes() {
    return idealWeightBytes;
  }

  public long params() {
    return params;
  }
}
