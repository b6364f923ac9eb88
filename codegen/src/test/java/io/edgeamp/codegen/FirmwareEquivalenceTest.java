package io.edgeamp.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end-to-end claim: for zoo models and an imported ONNX model with 2-, 4-, 8- and 32-bit layers in
 * one model, the generated firmware, built for the host and for the six QEMU machines (the
 * micro:bit one runs Cortex-M0+ firmware), computes
 * exactly the outputs of the generated Java twin on every test vector (the self-test firmware compares
 * every byte and exits nonzero on a mismatch; the test also compares the printed outputs with the twin
 * itself, and drives the UART harness over QEMU's serial console), and the twin agrees with the
 * toolchain's QuantizedModel evaluation bit for bit. Firmware is built once per machine for all models.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirmwareEquivalenceTest {
  static final List<String> MACHINES =
      List.of("mps2-an385", "mps2-an386", "mps2-an500", "mps2-an505", "mps3-an547", "microbit");

  @TempDir static Path work;
  Path runtime;
  /** Case name -> model (quantized for the QEMU boards: 31-bit multipliers). */
  final Map<String, QuantizedModel> cases = new LinkedHashMap<>();
  /** Machine -> case -> generated folder. */
  final Map<String, Map<String, Codegen.Result>> generated = new LinkedHashMap<>();
  /** Case -> the twin compiled from the generated source (of the an386 generation). */
  final Map<String, TwinCompiler.Twin> twins = new LinkedHashMap<>();
  final Map<String, Path> builds = new LinkedHashMap<>();

  @BeforeAll
  void generateAndBuild() throws Exception {
    for (String tool : List.of("cmake", "gcc", "arm-none-eabi-gcc", "qemu-system-arm")) {
      assumeTrue(FirmwareBuild.run(List.of(tool, "--version"), null, 30, null).exit() == 0, tool + " not available");
    }
    runtime = Fixtures.root().resolve("device-runtime");
    TargetSpec t = TargetSpec.of(Fixtures.board("qemu-mps2-an386"));
    cases.put("regr13k_mix", Fixtures.zooModel("REGR_13k", 2, new int[] {8, 4, 2, 32, 8}, t));
    cases.put("cls4k_mix", Fixtures.zooModel("CLS_4k_NPU", 4, new int[] {2, 4, 8, 32, 8}, t));
    cases.put("ad17k_mix", Fixtures.zooModel("AD_17k", 0, new int[] {2, 8, 32, 32, 4, 8}, t));
    cases.put("fcst3k_mix", Fixtures.zooModel("FCST_3k", 3, new int[] {4, 32, 2, 8, 32}, t));
    var onnx = Fixtures.importedOnnx(work);
    cases.put("onnx_cpu_mix", Fixtures.quantize(onnx, new int[] {8, 2, 32, 4}, t, 4, 32));
    cases.put("onnx_npu", Fixtures.quantize(onnx, new int[] {4, 8, 8, 2}, t, 4, 32));

    for (String machine : MACHINES) {
      BoardProfile board = Fixtures.board("qemu-" + machine);
      Map<String, Codegen.Result> byCase = new LinkedHashMap<>();
      for (var e : cases.entrySet()) {
        QuantizedModel m = e.getValue();
        byCase.put(e.getKey(), Codegen.generate(m, "test model " + e.getKey(), board, work.resolve("gen").resolve(machine).resolve(e.getKey()),
            Codegen.Options.defaults().withName(e.getKey()).withVectors(10).withRuntimeDir(runtime)));
      }
      generated.put(machine, byCase);
    }
    for (var e : generated.get("mps2-an386").entrySet()) {
      Codegen.Result r = e.getValue();
      Path src = r.out().resolve("twin").resolve(r.twinClass().replace('.', '/') + ".java");
      twins.put(e.getKey(), TwinCompiler.compile(r.twinClass(), Files.readString(src)));
    }
    List<Path> hostDirs = new ArrayList<>();
    for (Codegen.Result r : generated.get("mps2-an386").values()) hostDirs.add(r.out());
    builds.put("host", FirmwareBuild.build(runtime, hostDirs, null, work.resolve("build-host"), 2));
    for (String machine : MACHINES) {
      List<Path> dirs = new ArrayList<>();
      for (Codegen.Result r : generated.get(machine).values()) dirs.add(r.out());
      builds.put(machine, FirmwareBuild.build(runtime, dirs, machine, work.resolve("build-" + machine), 2));
    }
  }

  @Test
  void everyModelMixesTwoFourEightAndThirtyTwoBitLayers() {
    for (var e : cases.entrySet()) {
      if (e.getKey().equals("onnx_npu")) continue; // the all-NPU variant: every integer kernel family on the NPU path
      TreeSet<Integer> widths = new TreeSet<>();
      for (QLayer l : e.getValue().layers()) if (l.kind().hasWeights()) widths.add(l.bits());
      assertEquals(List.of(2, 4, 8, 32), List.copyOf(widths), e.getKey() + " " + e.getValue().bits());
    }
    assertTrue(cases.get("onnx_npu").layers().stream().noneMatch(QLayer::onCpu));
  }

  @Test
  void generatedTwinAgreesWithTheToolchainEvaluatorBitForBit() {
    Random r = new Random(7);
    for (var e : cases.entrySet()) {
      QuantizedModel m = e.getValue();
      TwinCompiler.Twin twin = twins.get(e.getKey());
      List<byte[]> inputs = new ArrayList<>(List.of(generated.get("mps2-an386").get(e.getKey()).inputs()));
      for (int k = 0; k < 40; k++) {
        byte[] b = new byte[m.inputSize()];
        r.nextBytes(b);
        inputs.add(b);
      }
      for (int k = 0; k < inputs.size(); k++) {
        int[] q = new int[inputs.get(k).length];
        for (int i = 0; i < q.length; i++) q[i] = inputs.get(k)[i];
        int[] ref = m.runInt(q).output();
        byte[] want = new byte[ref.length];
        for (int i = 0; i < ref.length; i++) want[i] = (byte) ref[i];
        assertArrayEquals(want, twin.infer(inputs.get(k)), e.getKey() + " input " + k);
      }
      // The vectors in test_vectors.c are the twin's outputs.
      Codegen.Result g = generated.get("mps2-an386").get(e.getKey());
      for (int k = 0; k < g.inputs().length; k++) assertArrayEquals(twin.infer(g.inputs()[k]), g.expected()[k]);
    }
  }

  private void checkSelftest(String machine, String caseName, FirmwareBuild.Run run) {
    Codegen.Result g = generated.get(machine == null ? "mps2-an386" : machine).get(caseName);
    String where = (machine == null ? "host" : machine) + " " + caseName + ":\n" + run.output();
    assertEquals(0, run.exit(), where);
    assertTrue(run.output().contains(g.inputs().length + " vectors, 0 mismatches"), where);
    List<byte[]> outs = FirmwareBuild.selftestOutputs(run.output());
    assertEquals(g.inputs().length, outs.size(), where);
    TwinCompiler.Twin twin = twins.get(caseName);
    for (int k = 0; k < outs.size(); k++) assertArrayEquals(twin.infer(g.inputs()[k]), outs.get(k), where + "\nvector " + k);
  }

  @Test
  void hostBuildMatchesTheTwinOnEveryVector() {
    List<String> names = new ArrayList<>(cases.keySet());
    for (int i = 0; i < names.size(); i++) {
      Path exe = builds.get("host").resolve(Integer.toString(i)).resolve(names.get(i) + "_selftest");
      checkSelftest(null, names.get(i), FirmwareBuild.run(List.of(exe.toString()), null, 60, null));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mps2-an385", "mps2-an386", "mps2-an500", "mps2-an505", "mps3-an547", "microbit"})
  void qemuSelftestFirmwareMatchesTheTwinOnEveryVector(String machine) {
    List<String> names = new ArrayList<>(cases.keySet());
    for (int i = 0; i < names.size(); i++) {
      Path elf = builds.get(machine).resolve(Integer.toString(i)).resolve(names.get(i) + "_selftest.elf");
      checkSelftest(machine, names.get(i), FirmwareBuild.runQemu(runtime, machine, elf, 60));
    }
  }

  /** Codegen's fit estimate bounds the harness firmware it describes: flash (text + data) and RAM (data + bss + the stack). */
  @Test
  void theFitEstimateBoundsTheLinkedHarness() {
    for (String machine : MACHINES) {
      List<String> names = new ArrayList<>(cases.keySet());
      for (int i = 0; i < names.size(); i++) {
        Codegen.Result g = generated.get(machine).get(names.get(i));
        FirmwareBuild.Size size = FirmwareBuild.size(builds.get(machine).resolve(Integer.toString(i)).resolve(names.get(i) + "_harness.elf"));
        String where = machine + " " + names.get(i) + ": " + size + " vs " + g.fit();
        assertTrue(size.flash() <= g.fit().flashNeeded(), where);
        assertTrue(size.ram() + g.fit().stack() <= g.fit().ramNeeded(), where);
        assertTrue(size.ram() + g.fit().stack() > g.fit().ramNeeded() - 1024, "a bound, but a tight one: " + where);
        // linked with the project's copy of the profile's linker script, whose sizes the estimate is checked against
        Path link = builds.get(machine).resolve(Integer.toString(i)).resolve("CMakeFiles").resolve(names.get(i) + "_harness.dir").resolve("link.txt");
        try {
          assertTrue(Files.readString(link).contains("-T" + g.out().resolve("qemu-" + machine + ".ld")), where + "\n" + Files.readString(link));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mps2-an385", "mps2-an386", "mps2-an500", "mps2-an505", "mps3-an547", "microbit"})
  void harnessOverTheSerialConsoleReturnsTheTwinsOutputs(String machine) {
    BoardProfile board = Fixtures.board("qemu-" + machine);
    List<String> names = new ArrayList<>(cases.keySet());
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Path elf = builds.get(machine).resolve(Integer.toString(i)).resolve(name + "_harness.elf");
      Codegen.Result g = generated.get(machine).get(name);
      TwinCompiler.Twin twin = twins.get(name);
      try (HarnessSession s = new HarnessSession(board.qemu().command(elf), 30_000)) {
        assertEquals(name, s.name());
        long laps = -1;
        for (int k : new int[] {3, 5, 1}) {
          s.load(g.inputs()[k]);
          HarnessSession.Inference inf = s.infer(2, 1);
          assertArrayEquals(twin.infer(g.inputs()[k]), inf.results(), machine + " " + name + " vector " + k + "\n" + s.transcript());
          assertEquals(2, inf.lapCounts().size());
          assertEquals(inf.lapCounts().get(0), inf.lapCounts().get(1), "instruction counts are deterministic under -icount");
          assertTrue(inf.lapCounts().get(0) > 0);
          laps = inf.lapCounts().get(0);
        }
        System.out.printf("%-11s %-13s %,10d instructions per inference (last vector)%n", machine, name, laps);
      }
    }
  }
}
