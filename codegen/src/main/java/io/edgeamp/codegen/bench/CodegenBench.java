package io.edgeamp.codegen.bench;

import io.edgeamp.codegen.Codegen;
import io.edgeamp.codegen.FirmwareBuild;
import io.edgeamp.codegen.HarnessSession;
import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.engine.BatchNormFolding;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.quant.Calibration;
import io.edgeamp.core.quant.QuantPlan;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.ModelZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code generator's benchmark: every zoo model (random weights, seed 5; 3 channels x 64 samples) at
 * two allocations (all 8-bit; mixed 8/4/2 cycling over the weight layers), generated for each QEMU
 * board, built, run. Prints per model, allocation and board: packed weight bytes / sum(params * bits / 8),
 * arena / planner lower bound, the harness firmware's flash (text + data) and static RAM (data + bss)
 * from arm-none-eabi-size, instructions per inference (QEMU -icount SysTick, the harness's infer laps),
 * and the host's time per inference (the host self-test, -O3). Usage: {@code CodegenBench [workDir]}.
 */
public final class CodegenBench {
  private CodegenBench() {}

  static final List<String> BOARDS =
      List.of("qemu-mps2-an385", "qemu-mps2-an386", "qemu-mps2-an500", "qemu-mps2-an505", "qemu-mps3-an547",
          "qemu-microbit");
  static final Map<String, int[]> ALLOCATIONS = new LinkedHashMap<>();

  static {
    ALLOCATIONS.put("int8", new int[] {8});
    ALLOCATIONS.put("mixed", new int[] {8, 4, 2, 4});
  }

  record Row(String model, String alloc, String board, double weightRatio, long weightBytes, double ideal, int arena, int bound, long flash, long ram,
      long instructions, double hostNs) {}

  public static void main(String[] args) throws Exception {
    Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("edgeamp-codegen-bench");
    Path runtime = Codegen.runtimeDir(null);
    List<Row> rows = new ArrayList<>();
    Map<String, List<Codegen.Result>> byBoard = new LinkedHashMap<>();
    for (String b : BOARDS) {
      BoardProfile board = Codegen.board(b, List.of());
      List<Codegen.Result> results = new ArrayList<>();
      for (String zoo : ModelZoo.NAMES) {
        for (var alloc : ALLOCATIONS.entrySet()) {
          QuantizedModel m = quantize(zoo, alloc.getValue(), TargetSpec.of(board));
          String name = zoo.toLowerCase(Locale.ROOT) + "_" + alloc.getKey();
          results.add(Codegen.generate(m, "zoo " + zoo + " (seed 5) " + alloc.getKey(), board, work.resolve("gen").resolve(b).resolve(name),
              Codegen.Options.defaults().withName(name).withRuntimeDir(runtime).withVectors(4)));
        }
      }
      byBoard.put(b, results);
    }
    // Host: time per inference from the self-test (the code is the same for every board; use the first).
    Map<String, Double> hostNs = new LinkedHashMap<>();
    List<Codegen.Result> first = byBoard.get(BOARDS.get(0));
    List<Path> dirs = new ArrayList<>();
    for (Codegen.Result r : first) dirs.add(r.out());
    Path host = FirmwareBuild.build(runtime, dirs, null, work.resolve("build-host"), 2);
    Pattern ns = Pattern.compile("host-ns-per-inference (\\d+)");
    for (int i = 0; i < first.size(); i++) {
      FirmwareBuild.Run run = FirmwareBuild.run(List.of(host.resolve(Integer.toString(i)).resolve(first.get(i).cName() + "_selftest").toString()), null, 120, null);
      Matcher mt = ns.matcher(run.output());
      hostNs.put(first.get(i).cName(), mt.find() ? Double.parseDouble(mt.group(1)) : Double.NaN);
      if (run.exit() != 0) throw new IllegalStateException("host self-test failed: " + run.output());
    }
    for (String b : BOARDS) {
      BoardProfile board = Codegen.board(b, List.of());
      String port = board.toolchain().runtimePort();
      List<Codegen.Result> results = byBoard.get(b);
      List<Path> ds = new ArrayList<>();
      for (Codegen.Result r : results) ds.add(r.out());
      Path bin = FirmwareBuild.build(runtime, ds, port, work.resolve("build-" + port), 2);
      for (int i = 0; i < results.size(); i++) {
        Codegen.Result r = results.get(i);
        Path elf = bin.resolve(Integer.toString(i)).resolve(r.cName() + "_harness.elf");
        FirmwareBuild.Size size = FirmwareBuild.size(elf);
        long instr;
        try (HarnessSession s = new HarnessSession(board.qemu().command(elf), 60_000)) {
          s.load(r.inputs()[r.inputs().length - 1]);
          HarnessSession.Inference inf = s.infer(3, 1);
          if (!java.util.Arrays.equals(inf.results(), r.expected()[r.inputs().length - 1])) {
            throw new IllegalStateException(b + " " + r.cName() + ": harness output differs from the twin");
          }
          instr = inf.lapCounts().get(inf.lapCounts().size() - 1);
        }
        String[] parts = r.cName().split("_(?=[^_]+$)");
        rows.add(new Row(parts[0], parts[1], b, r.cmodel().weightBytes() / r.cmodel().idealWeightBytes(), r.cmodel().weightBytes(),
            r.cmodel().idealWeightBytes(), r.cmodel().plan().peak(), r.cmodel().plan().lowerBound(), size.flash(), size.ram(), instr,
            hostNs.get(r.cName())));
      }
    }
    print(rows);
  }

  static QuantizedModel quantize(String zoo, int[] cycle, TargetSpec target) {
    Graph g = BatchNormFolding.fold(ModelZoo.build(zoo, 3, 64, 4, 5));
    QuantPlan plan = QuantPlan.of(g);
    Random r = new Random(1);
    Tensor batch = Tensor.zeros(48, 3, 64, 1);
    for (int i = 0; i < batch.size(); i++) batch.data()[i] = r.nextGaussian();
    Calibration cal = Calibration.run(plan, batch);
    List<String> wl = plan.weightLayerNames();
    Map<String, Integer> bits = new LinkedHashMap<>();
    for (int i = 0; i < wl.size(); i++) bits.put(wl.get(i), cycle[i % cycle.length]);
    return QuantizedModel.build(plan, cal, bits, target);
  }

  static void print(List<Row> rows) {
    System.out.println("| model | bits | board | weights B / sum(p*b/8) | ratio | arena B / lower bound | ratio | firmware flash B | static RAM B | instructions / inference | host ns / inference |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %,d / %,.1f | %.4f | %,d / %,d | %.2f | %,d | %,d | %,d | %,.0f |%n", r.model, r.alloc, r.board.replace("qemu-", ""),
          r.weightBytes, r.ideal, r.weightRatio, r.arena, r.bound, (double) r.arena / r.bound, r.flash, r.ram, r.instructions, r.hostNs);
    }
  }
}
