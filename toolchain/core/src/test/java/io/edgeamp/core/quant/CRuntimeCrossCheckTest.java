package io.edgeamp.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.quant.QTensor.Repr;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java twin against the C runtime itself: each quantized model becomes a small C program that
 * calls the device-runtime kernels (optimized and reference), runs the same int8 inputs and compares
 * every output byte with {@link QuantizedModel#runIntBatch}. Needs gcc and the device-runtime sources
 * in the repository; skipped otherwise.
 */
class CRuntimeCrossCheckTest {
  @TempDir static Path work;
  static Path runtime;
  static Path library;

  @BeforeAll
  static void buildRuntime() throws Exception {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("device-runtime/include/edgeamp/edgeamp.h"))) dir = dir.getParent();
    assumeTrue(dir != null, "device-runtime sources not found above " + Path.of("").toAbsolutePath());
    assumeTrue(run(work, List.of("gcc", "--version")).exit == 0, "gcc not available");
    runtime = dir.resolve("device-runtime");
    List<String> cmd = new ArrayList<>(List.of("gcc", "-std=c99", "-O1", "-ffp-contract=off", "-w", "-c",
        "-I" + runtime.resolve("include"), "-I" + runtime.resolve("src/kernels")));
    try (Stream<Path> s = Files.list(runtime.resolve("src/kernels"))) {
      s.filter(p -> p.toString().endsWith(".c")).sorted().forEach(p -> cmd.add(p.toString()));
    }
    Result r = run(work, cmd);
    assertEquals(0, r.exit, r.output);
    List<String> ar = new ArrayList<>(List.of("ar", "rcs", "libea.a"));
    try (Stream<Path> s = Files.list(work)) {
      s.filter(p -> p.toString().endsWith(".o")).sorted().forEach(p -> ar.add(p.getFileName().toString()));
    }
    assertEquals(0, run(work, ar).exit);
    library = work.resolve("libea.a");
  }

  record Result(int exit, String output) {}

  static Result run(Path dir, List<String> cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(120, TimeUnit.SECONDS);
    return new Result(p.exitValue(), out);
  }

  static QuantizedModel model(Graph g, int[] cycle, int c, int frame) {
    QuantPlan plan = QuantPlan.of(g);
    Calibration cal = Calibration.run(plan, QuantFixtures.gaussian(1, 32, c, frame, 1));
    List<String> wl = plan.weightLayerNames();
    Map<String, Integer> bits = new LinkedHashMap<>();
    for (int i = 0; i < wl.size(); i++) bits.put(wl.get(i), cycle[i % cycle.length]);
    return QuantizedModel.build(plan, cal, bits, TargetSpec.GENERIC);
  }

  void check(String name, QuantizedModel m, int c, int frame) throws Exception {
    int[][] inputs = m.quantizeInputs(QuantFixtures.gaussian(33, 40, c, frame, 1));
    int[][] expected = m.runIntBatch(inputs);
    for (boolean ref : new boolean[] {false, true}) {
      String id = name + (ref ? "_ref" : "_opt");
      Files.writeString(work.resolve(id + ".c"), CProgram.of(m, inputs, expected, ref));
      Result cc = run(work, List.of("gcc", "-std=c99", "-O1", "-ffp-contract=off", "-w", "-I" + runtime.resolve("include"), id + ".c",
          library.toString(), "-o", id));
      assertEquals(0, cc.exit, cc.output);
      Result r = run(work, List.of("." + File.separator + id));
      assertEquals(0, r.exit, id + ": " + r.output);
      assertTrue(r.output.contains(" 0 mismatches"), r.output);
    }
  }

  @Test
  void zooModelsWithMixedWidthsMatchTheCKernelsByteForByte() throws Exception {
    check("regr", model(QuantFixtures.zoo("REGR_13k", 3, 64, 2, 5), new int[] {8, 4, 2, 32, 32, 8}, 3, 64), 3, 64);
    check("regr2", model(QuantFixtures.zoo("REGR_13k", 3, 64, 2, 5), new int[] {4, 8, 32, 8, 2, 32}, 3, 64), 3, 64);
    check("cls", model(QuantFixtures.zoo("CLS_4k_NPU", 3, 64, 3, 6), new int[] {2, 4, 8}, 3, 64), 3, 64);
    check("ad", model(QuantFixtures.zoo("AD_17k", 3, 64, 2, 5), new int[] {2, 8, 32, 32, 4, 8}, 3, 64), 3, 64);
  }

  @Test
  void residualDepthwisePoolsAndAddMatchTheCKernels() throws Exception {
    check("resid", model(QuantPlanTest.residual(), new int[] {8, 2, 4, 8}, 4, 32), 4, 32);
    check("resid2", model(QuantPlanTest.residual(), new int[] {32, 32, 8, 32}, 4, 32), 4, 32);
  }

  /** Emits the C program: static tensors, constant weights, one kernel call per layer, the comparison loop. */
  static final class CProgram {
    private CProgram() {}

    static String ints(int[] v) {
      StringBuilder sb = new StringBuilder("{");
      for (int x : v) sb.append(x).append(',');
      return sb.append("0}").toString();
    }

    static String floats(float[] v) {
      StringBuilder sb = new StringBuilder("{");
      for (float x : v) sb.append(Float.toHexString(x)).append("f,");
      return sb.append("0}").toString();
    }

    static String f(float x) {
      return Float.toHexString(x) + "f";
    }

    static String of(QuantizedModel m, int[][] inputs, int[][] expected, boolean ref) {
      StringBuilder s = new StringBuilder("#include <stdio.h>\n#include <stdlib.h>\n#include \"edgeamp/edgeamp.h\"\n");
      Map<String, String> var = new LinkedHashMap<>();
      for (QTensor t : m.tensors().values()) {
        String v = "T" + var.size();
        var.put(t.name(), v);
        String type = t.repr() == Repr.FLOAT32 ? "float" : t.repr() == Repr.UINT8 ? "uint8_t" : "int8_t";
        s.append("static ").append(type).append(' ').append(v).append('[').append(t.dims().size()).append("];\n");
      }
      StringBuilder body = new StringBuilder();
      int li = 0;
      for (QLayer l : m.layers()) {
        li++;
        String in = var.get(l.inputs().get(0)), out = var.get(l.output());
        QTensor it = m.tensor(l.inputs().get(0)), ot = m.tensor(l.output());
        Dims id = l.inputDims().get(0), od = l.outputDims();
        Geometry g = l.geometry();
        String conv = String.format("{%d,%d,%d,%d,%d,%d,%d,%d,%d,%d}", id.h(), id.w(), id.c(), od.h(), od.w(), od.c(), g.kH(), g.strideH(), g.strideW(), g.padTop());
        String pool = String.format("{%d,%d,%d,%d,%d,%d,%d,%d,%d}", id.h(), id.w(), id.c(), od.h(), od.w(), g.kH(), g.strideH(), g.strideW(), g.padTop());
        String ty = it.repr() == Repr.UINT8 ? "u8" : "s8";
        int uns = it.repr() == Repr.UINT8 ? 1 : 0;
        String lohi = l.actMin() + ", " + l.actMax();
        body.append("    {\n");
        if (!l.onCpu()) {
          if (l.kind().hasWeights()) {
            s.append("static const uint8_t W").append(li).append("[] = ");
            byte[] packed = WeightPacking.pack(l.weights(), l.rows(), l.rowLength(), l.bits());
            int[] pv = new int[packed.length];
            for (int i = 0; i < pv.length; i++) pv[i] = packed[i] & 0xFF;
            s.append(ints(pv)).append(";\nstatic const int32_t B").append(li).append("[] = ").append(ints(l.bias())).append(";\n");
            s.append("static const int32_t M").append(li).append("[] = ").append(ints(l.mult())).append(";\nstatic const int8_t N").append(li)
                .append("[] = ").append(ints(l.shift())).append(";\n");
            body.append("      ea_requant_t rq = {M").append(li).append(", N").append(li).append(", ").append(lohi).append("};\n");
          }
          String wb = "W" + li + ", B" + li;
          switch (l.kind()) {
            case CONV -> {
              body.append("      ea_conv_shape_t s = ").append(conv).append(";\n");
              if (ref) {
                body.append("      ea_conv_hx1_ref(&s, ").append(in).append(", ").append(uns).append(", ").append("W" + li).append(", ").append(l.bits())
                    .append(", B").append(li).append(", &rq, ").append(out).append(");\n");
              } else {
                body.append("      uint32_t *scr = malloc(ea_conv_hx1_scratch_bytes(&s) + 4);\n      ea_conv_hx1_").append(ty).append("_w").append(l.bits())
                    .append("(&s, ").append(in).append(", ").append(wb).append(", &rq, scr, ").append(out).append(");\n      free(scr);\n");
              }
            }
            case DEPTHWISE_CONV -> {
              body.append("      ea_conv_shape_t s = ").append(conv).append(";\n");
              if (ref) {
                body.append("      ea_dw_conv_hx1_ref(&s, ").append(in).append(", ").append(uns).append(", W").append(li).append(", ").append(l.bits())
                    .append(", B").append(li).append(", &rq, ").append(out).append(");\n");
              } else {
                body.append("      ea_dw_conv_hx1_").append(ty).append("_w").append(l.bits()).append("(&s, ").append(in).append(", ").append(wb).append(", &rq, ")
                    .append(out).append(");\n");
              }
            }
            case DENSE -> {
              if (ref) {
                body.append("      ea_dense_ref(").append(l.rowLength()).append(", ").append(l.rows()).append(", ").append(in).append(", ").append(uns)
                    .append(", W").append(li).append(", ").append(l.bits()).append(", B").append(li).append(", &rq, ").append(out).append(");\n");
              } else {
                body.append("      uint32_t *scr = malloc(ea_dense_scratch_bytes(").append(l.rowLength()).append(") + 4);\n      ea_dense_").append(ty).append("_w")
                    .append(l.bits()).append('(').append(l.rowLength()).append(", ").append(l.rows()).append(", ").append(in).append(", ").append(wb)
                    .append(", &rq, scr, ").append(out).append(");\n      free(scr);\n");
              }
            }
            case MAX_POOL -> body.append("      ea_pool_shape_t s = ").append(pool).append(";\n      ")
                .append(ref ? "ea_maxpool_hx1_ref(&s, " + in + ", " + uns : "ea_maxpool_hx1_" + ty + "(&s, " + in).append(", ").append(lohi).append(", ").append(out).append(");\n");
            case AVG_POOL -> body.append("      ea_pool_shape_t s = ").append(pool).append(";\n      ")
                .append(ref ? "ea_avgpool_hx1_ref(&s, " + in + ", " + uns : "ea_avgpool_hx1_" + ty + "(&s, " + in).append(", ").append(l.mult()[0]).append(", ")
                .append(l.shift()[0]).append(", ").append(lohi).append(", ").append(out).append(");\n");
            case GLOBAL_AVG_POOL -> body.append("      ").append(ref ? "ea_global_avgpool_ref(" : "ea_global_avgpool_" + ty + "(").append(id.pixels()).append(", ")
                .append(id.c()).append(", ").append(in).append(ref ? ", " + uns : "").append(", ").append(l.mult()[0]).append(", ").append(l.shift()[0]).append(", ")
                .append(lohi).append(", ").append(out).append(");\n");
            case ADD -> {
              QTensor bt = m.tensor(l.inputs().get(1));
              String b = var.get(l.inputs().get(1));
              int ma = l.mult()[0], mb = l.mult()[1];
              if (ref) {
                body.append("      ea_add_ref(").append(in).append(", ").append(uns).append(", ").append(b).append(", ").append(bt.repr() == Repr.UINT8 ? 1 : 0);
              } else if (it.repr() == bt.repr()) {
                body.append("      ea_add_").append(ty).append('_').append(ty).append('(').append(in).append(", ").append(b);
              } else if (it.repr() == Repr.INT8) {
                body.append("      ea_add_s8_u8(").append(in).append(", ").append(b);
              } else { // the uint8 operand goes second
                body.append("      ea_add_s8_u8(").append(b).append(", ").append(in);
                int t = ma;
                ma = mb;
                mb = t;
              }
              body.append(", ").append(od.size()).append(", ").append(ma).append(", ").append(mb).append(", ").append(l.shift()[0]).append(", ").append(lohi)
                  .append(", ").append(out).append(");\n");
            }
            case RESIZE_NEAREST -> body.append(String.format("      for (int oh = 0; oh < %d; oh++) for (int ow = 0; ow < %d; ow++) for (int c = 0; c < %d; c++) {"
                + " int v = %s[((oh / %d) * %d + ow / %d) * %d + c]; %s[(oh * %d + ow) * %d + c] = v < %d ? %d : v > %d ? %d : v; }%n",
                od.h(), od.w(), od.c(), in, g.factorH(), id.w(), g.factorW(), id.c(), out, od.w(), od.c(), l.actMin(), l.actMin(), l.actMax(), l.actMax()));
            case CLAMP -> body.append("      ea_clamp_").append(ty).append('(').append(in).append(", ").append(od.size()).append(", ").append(lohi).append(", ").append(out).append(");\n");
          }
        } else {
          String[] fin = new String[l.inputs().size()];
          for (int k = 0; k < fin.length; k++) {
            QTensor t = m.tensor(l.inputs().get(k));
            String tn = var.get(l.inputs().get(k));
            if (t.repr() == Repr.FLOAT32) {
              fin[k] = tn;
            } else {
              fin[k] = "x" + k;
              body.append("      static float x").append(k).append('[').append(t.dims().size()).append("];\n      ea_dequantize_")
                  .append(t.repr() == Repr.UINT8 ? "u8" : "s8").append("_f32(").append(tn).append(", ").append(t.dims().size()).append(", ").append(f(t.scale()))
                  .append(", x").append(k).append(");\n");
            }
          }
          boolean q = ot.repr().isInteger();
          String fo = q ? "y" : out;
          if (q) body.append("      static float y[").append(od.size()).append("];\n");
          if (l.kind().hasWeights()) {
            s.append("static const float WF").append(li).append("[] = ").append(floats(l.weightsF())).append(";\nstatic const float BF").append(li).append("[] = ")
                .append(floats(l.biasF())).append(";\n");
          }
          String clamp = f(l.clampLo()) + ", " + f(l.clampHi());
          switch (l.kind()) {
            case CONV, DEPTHWISE_CONV -> body.append("      ea_conv_shape_t s = ").append(conv).append(";\n      ")
                .append(l.kind() == LayerKind.CONV ? "ea_conv_hx1_f32" : "ea_dw_conv_hx1_f32").append("(&s, ").append(fin[0]).append(", WF").append(li)
                .append(", BF").append(li).append(", ").append(clamp).append(", ").append(fo).append(");\n");
            case DENSE -> body.append("      ea_dense_f32(").append(l.rowLength()).append(", ").append(l.rows()).append(", ").append(fin[0]).append(", WF").append(li)
                .append(", BF").append(li).append(", ").append(clamp).append(", ").append(fo).append(");\n");
            case MAX_POOL -> body.append("      ea_pool_shape_t s = ").append(pool).append(";\n      ea_maxpool_hx1_f32(&s, ").append(fin[0]).append(", ").append(fo).append(");\n");
            case AVG_POOL -> body.append("      ea_pool_shape_t s = ").append(pool).append(";\n      ea_avgpool_hx1_f32(&s, ").append(fin[0]).append(", ").append(fo).append(");\n");
            case GLOBAL_AVG_POOL -> body.append("      ea_global_avgpool_f32(").append(id.pixels()).append(", ").append(id.c()).append(", ").append(fin[0]).append(", ")
                .append(fo).append(");\n");
            case ADD -> body.append("      ea_add_f32(").append(fin[0]).append(", ").append(fin[1]).append(", ").append(od.size()).append(", ").append(clamp).append(", ")
                .append(fo).append(");\n");
            case RESIZE_NEAREST -> body.append(String.format("      for (int oh = 0; oh < %d; oh++) for (int ow = 0; ow < %d; ow++) for (int c = 0; c < %d; c++)"
                + " %s[(oh * %d + ow) * %d + c] = %s[((oh / %d) * %d + ow / %d) * %d + c];%n",
                od.h(), od.w(), od.c(), fo, od.w(), od.c(), fin[0], g.factorH(), id.w(), g.factorW(), id.c()));
            default -> throw new IllegalStateException("no CPU kernel call for " + l.kind() + " in this test");
          }
          if (q) {
            body.append("      ea_quantize_f32(y, ").append(od.size()).append(", ").append(f(ot.invScale())).append(", ").append(lohi).append(", ").append(out).append(");\n");
          }
        }
        body.append("    }\n");
      }
      int n = inputs.length, inSize = inputs[0].length, outSize = expected[0].length;
      int[] flatIn = new int[n * inSize], flatOut = new int[n * outSize];
      for (int i = 0; i < n; i++) {
        System.arraycopy(inputs[i], 0, flatIn, i * inSize, inSize);
        System.arraycopy(expected[i], 0, flatOut, i * outSize, outSize);
      }
      s.append("static const int IN[] = ").append(ints(flatIn)).append(";\nstatic const int EXP[] = ").append(ints(flatOut)).append(";\n");
      String ti = var.get(m.inputTensor()), to = var.get(m.outputTensor());
      String cast = m.tensor(m.outputTensor()).repr() == Repr.UINT8 ? "(int)(uint8_t)" : "(int)(int8_t)";
      s.append("int main(void) {\n  int bad = 0;\n  for (int smp = 0; smp < ").append(n).append("; smp++) {\n    for (int i = 0; i < ").append(inSize).append("; i++) ")
          .append(ti).append("[i] = (int8_t)IN[smp * ").append(inSize).append(" + i];\n").append(body)
          .append("    for (int i = 0; i < ").append(outSize).append("; i++) if (").append(cast).append(to).append("[i] != EXP[smp * ").append(outSize)
          .append(" + i]) { if (bad++ < 5) printf(\"sample %d element %d: C %d, Java %d\\n\", smp, i, ").append(cast).append(to).append("[i], EXP[smp * ")
          .append(outSize).append(" + i]); }\n  }\n  printf(\" %d mismatches\\n\", bad);\n  return bad != 0;\n}\n");
      return s.toString();
    }
  }
}
