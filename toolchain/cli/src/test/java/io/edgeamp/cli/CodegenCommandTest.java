package io.edgeamp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.artifact.ArtifactReader;
import io.edgeamp.core.artifact.ArtifactWriter;
import io.edgeamp.core.board.BoardProfiles;
import io.edgeamp.core.engine.BatchNormFolding;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.quant.Calibration;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QuantPlan;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.ModelZoo;
import io.edgeamp.core.zoo.NetworkBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code toolchain codegen}: success, and every profile or model error surfacing as exit code 2 with
 * nothing written (unknown key, missing field, model too large for flash or RAM, a layer the NPU cannot
 * run), and {@code --allow-cpu-fallback}.
 */
class CodegenCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Toolchain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  static Path root() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("board-profiles")) && Files.isDirectory(d.resolve("device-runtime"))) return d;
    }
    throw new IllegalStateException("repository root not found");
  }

  static QuantizedModel quantize(Graph g, int c, int frame, int[] cycle, TargetSpec t) {
    QuantPlan plan = QuantPlan.of(BatchNormFolding.fold(g));
    Random r = new Random(1);
    Tensor batch = Tensor.zeros(32, c, frame, 1);
    for (int i = 0; i < batch.size(); i++) batch.data()[i] = r.nextGaussian();
    Calibration cal = Calibration.run(plan, batch);
    Map<String, Integer> bits = new LinkedHashMap<>();
    List<String> wl = plan.weightLayerNames();
    for (int i = 0; i < wl.size(); i++) bits.put(wl.get(i), cycle[i % cycle.length]);
    return QuantizedModel.build(plan, cal, bits, t);
  }

  /** REGR_13k with 8/4/2/32-bit layers, written as an artifact. */
  Path regrArtifact() {
    QuantizedModel m = quantize(ModelZoo.build("REGR_13k", 3, 64, 2, 5), 3, 64, new int[] {8, 4, 2, 32, 8},
        TargetSpec.of(BoardProfiles.load(root().resolve("board-profiles/qemu-mps2-an386.yaml"))));
    Path a = dir.resolve("artifact");
    ArtifactWriter.write(m, a);
    return a;
  }

  /** A profile derived from the AN386 one, with id {@code id} and the given line edits. */
  Path profile(String id, String... replacements) throws Exception {
    String y = Files.readString(root().resolve("board-profiles/qemu-mps2-an386.yaml")).replace("id: qemu-mps2-an386", "id: " + id)
        .replace("../device-runtime/", root().resolve("device-runtime").toString().replace('\\', '/') + "/");
    for (int i = 0; i < replacements.length; i += 2) {
      assertTrue(y.contains(replacements[i]), replacements[i]);
      y = y.replace(replacements[i], replacements[i + 1]);
    }
    Path p = dir.resolve("profiles").resolve(id + ".yaml");
    Files.createDirectories(p.getParent());
    Files.writeString(p, y);
    return p;
  }

  /** Nothing under gen/ (the output's parent): no output folder, no temporary folder left behind. */
  void assertNothingWritten() throws Exception {
    Path gen = dir.resolve("gen");
    if (!Files.exists(gen)) return;
    try (Stream<Path> s = Files.list(gen)) {
      assertEquals(List.of(), s.toList());
    }
  }

  int codegen(String board, Path artifact, String... more) throws Exception {
    Files.createDirectories(dir.resolve("gen"));
    List<String> a = new java.util.ArrayList<>(List.of("codegen", "--board", board, "--model", artifact.toString(), "--out",
        dir.resolve("gen/fw").toString(), "--profiles", root().resolve("board-profiles").toString(), "--profiles", dir.resolve("profiles").toString()));
    a.addAll(List.of(more));
    return run(a.toArray(new String[0]));
  }

  @Test
  void generatesTheFirmwareFolder() throws Exception {
    Path art = regrArtifact();
    assertEquals(0, codegen("qemu-mps2-an386", art), err.toString());
    String o = out.toString();
    assertTrue(o.contains("codegen: REGR_13k for qemu-mps2-an386"), o);
    assertTrue(o.contains("at the bound"), o);
    Path fw = dir.resolve("gen/fw");
    for (String f : List.of("model.c", "model.h", "model_weights.h", "test_vectors.c", "test_vectors.h", "selftest_main.c", "CMakeLists.txt",
        "qemu-mps2-an386.ld", "codegen-report.json", "test_vectors.json", "README.md", "twin/io/edgeamp/generated/Regr13kTwin.java",
        "artifact/model.json")) {
      assertTrue(Files.isRegularFile(fw.resolve(f)), f);
    }
    assertTrue(Files.readString(fw.resolve("model.c")).contains("static void conv2(const int8_t *x, uint8_t *y, uint32_t *scratch)"));
    // Run again: the folder is replaced as a whole, nothing else is left in gen/.
    out.getBuffer().setLength(0);
    assertEquals(0, codegen("qemu-mps2-an386", art, "--vectors", "3"), err.toString());
    try (Stream<Path> s = Files.list(dir.resolve("gen"))) {
      assertEquals(List.of(fw), s.toList());
    }
    assertTrue(Files.readString(fw.resolve("test_vectors.h")).contains("EA_TEST_VECTOR_COUNT 3u"));
    // test_vectors.json: the same vectors for `hil run --model`, byte for byte those of test_vectors.c
    io.vertx.core.json.JsonArray vs = new io.vertx.core.json.JsonObject(Files.readString(fw.resolve("test_vectors.json"))).getJsonArray("vectors");
    String tvc = Files.readString(fw.resolve("test_vectors.c"));
    List<Integer> inC = cArray(tvc, "ea_test_inputs"), outC = cArray(tvc, "ea_test_expected");
    List<Integer> inJson = new java.util.ArrayList<>(), outJson = new java.util.ArrayList<>();
    for (int k = 0; k < vs.size(); k++) {
      for (byte b : java.util.HexFormat.of().parseHex(vs.getJsonObject(k).getString("input"))) inJson.add((int) b);
      for (Object e : vs.getJsonObject(k).getJsonArray("expected")) outJson.add((Integer) e);
    }
    assertEquals(3, vs.size());
    assertEquals(3 * 3 * 64, inC.size());
    assertEquals(inC, inJson);
    assertEquals(outC, outJson);
  }

  @Test
  void aModelNameWithCSyntaxInItStillGivesValidC() throws Exception {
    Path art = regrArtifact();
    assertEquals(0, codegen("qemu-mps2-an386", art, "--name", "my \"model\" */ v1\\2"), err.toString());
    assertTrue(out.toString().contains("appears in the firmware as 'my__model_____v1_2'"), out.toString());
    Path fw = dir.resolve("gen/fw");
    assertTrue(Files.readString(fw.resolve("model.h")).contains("#define EA_MODEL_NAME \"my__model_____v1_2\""));
    for (String c : List.of("model.c", "test_vectors.c", "selftest_main.c")) {
      Process p = new ProcessBuilder("gcc", "-std=c99", "-Wall", "-Werror", "-fsyntax-only", "-I" + root().resolve("device-runtime/include"),
          "-I" + fw, fw.resolve(c).toString()).redirectErrorStream(true).start();
      String msg = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), c + ": " + msg);
    }
  }

  /** The integers of a C array initializer {@code name[...] = { ... };}, comments skipped. */
  static List<Integer> cArray(String c, String name) {
    int start = c.indexOf("= {", c.indexOf(name + "[")), end = c.indexOf("};", start);
    String body = c.substring(start + 3, end).replaceAll("(?s)/\\*.*?\\*/", " ");
    List<Integer> v = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+").matcher(body);
    while (m.find()) v.add(Integer.parseInt(m.group()));
    return v;
  }

  @Test
  void outFolderThatIsNotCodegenOutputIsRefusedAndKept() throws Exception {
    Path art = regrArtifact();
    Path fw = Files.createDirectories(dir.resolve("gen/fw/sub"));
    Files.writeString(fw.resolve("notes.txt"), "mine");
    assertEquals(2, codegen("qemu-mps2-an386", art));
    String e = err.toString();
    assertTrue(e.contains("--out " + dir.resolve("gen/fw")) && e.contains("not an earlier codegen output") && e.contains("choose a new or empty folder"), e);
    assertEquals("mine", Files.readString(fw.resolve("notes.txt")));
    // a regular file as --out is refused as well, and kept
    Files.writeString(dir.resolve("gen/file"), "x");
    assertEquals(2, run("codegen", "--board", "qemu-mps2-an386", "--model", art.toString(), "--out", dir.resolve("gen/file").toString()));
    assertTrue(err.toString().contains("exists and is not a folder"), err.toString());
    assertEquals("x", Files.readString(dir.resolve("gen/file")));
  }

  @Test
  void unknownKeyInTheProfileIsExit2AndNothingWritten() throws Exception {
    Path art = regrArtifact();
    profile("bad-key", "clock_hz: 25000000", "clock_hz: 25000000\nflash_speed: 3");
    assertEquals(2, codegen("bad-key", art));
    assertTrue(err.toString().contains("unknown key 'flash_speed'"), err.toString());
    assertNothingWritten();
  }

  @Test
  void missingFieldInTheProfileIsExit2AndNothingWritten() throws Exception {
    Path art = regrArtifact();
    Path p = profile("no-ram", "ram_bytes: 4194304      # 4 MiB\n", "");
    assertEquals(2, codegen(p.toString(), art));
    assertTrue(err.toString().contains("ram_bytes"), err.toString());
    assertNothingWritten();
  }

  @Test
  void profileWhoseLinkerScriptIsMissingIsExit2NamingTheField() throws Exception {
    Path art = regrArtifact();
    // the shipped profile copied elsewhere unchanged: its relative linker script no longer resolves
    Path p = dir.resolve("profiles/qemu-mps2-an386.yaml");
    Files.createDirectories(p.getParent());
    Files.copy(root().resolve("board-profiles/qemu-mps2-an386.yaml"), p);
    assertEquals(2, codegen(p.toString(), art));
    String e = err.toString();
    assertTrue(e.contains("board profile " + p) && e.contains("toolchain.linker_script '../device-runtime/ports/mps2-an386/memory.ld'")
        && e.contains(dir.resolve("device-runtime/ports/mps2-an386/memory.ld").toString()) && e.contains("does not exist"), e);
    assertNothingWritten();
  }

  @Test
  void unknownBoardIsExit2() throws Exception {
    assertEquals(2, codegen("no-such-board", regrArtifact()));
    assertTrue(err.toString().contains("unknown board 'no-such-board'"), err.toString());
    assertNothingWritten();
  }

  @Test
  void modelTooLargeForFlashIsExit2WithTheNumbers() throws Exception {
    Path art = regrArtifact();
    profile("tiny-flash", "flash_bytes: 4194304    # 4 MiB", "flash_bytes: 32768");
    assertEquals(2, codegen("tiny-flash", art));
    String e = err.toString();
    assertTrue(e.contains("does not fit board tiny-flash") && e.contains("flash: needs") && e.contains("> flash_bytes 32,768"), e);
    assertNothingWritten();
  }

  @Test
  void modelTooLargeForRamIsExit2WithTheNumbers() throws Exception {
    Path art = regrArtifact();
    profile("tiny-ram", "ram_bytes: 4194304      # 4 MiB", "ram_bytes: 16384");
    assertEquals(2, codegen("tiny-ram", art));
    String e = err.toString();
    assertTrue(e.contains("RAM: needs") && e.contains("stack 32,768") && e.contains("> ram_bytes 16,384"), e);
    assertNothingWritten();
  }

  /** TI-shaped network: channel counts multiples of 4, dense fan-in 12 (TI's 8-bit minimum is 16). */
  Path tiArtifact() {
    Graph g = new NetworkBuilder("ti_small", 3, 4, 32, 1).conv(8, 3, 1, 1, 1, 1, 0, 1, true).relu().conv(12, 3, 1, 2, 1, 1, 0, 1, true).relu()
        .globalAveragePool().flatten().linear(12).relu().linear(4).build();
    QuantizedModel m = quantize(g, 4, 32, new int[] {8}, TargetSpec.of(BoardProfiles.load(root().resolve("board-profiles/launchxl-f28p55x.yaml"))));
    Path a = dir.resolve("ti-artifact");
    ArtifactWriter.write(m, a);
    return a;
  }

  @Test
  void illegalLayerIsExit2NamingLayerLimitAndNumbers() throws Exception {
    assertEquals(2, codegen("launchxl-f28p55x", tiArtifact()));
    String e = err.toString();
    assertTrue(e.contains("layer fc7: npu.limits.fc_min_fan_in: dense fan-in 12 at 8-bit is below the minimum 16 (board launchxl-f28p55x)"), e);
    assertTrue(e.contains("--allow-cpu-fallback"), e);
    assertNothingWritten();
  }

  @Test
  void cpuFallbackMovesTheLayerAndSaysSo() throws Exception {
    assertEquals(0, codegen("launchxl-f28p55x", tiArtifact(), "--allow-cpu-fallback"), err.toString());
    String o = out.toString();
    assertTrue(o.contains("CPU fallback: layer fc7 runs as float32 on the CPU: npu.limits.fc_min_fan_in"), o);
    assertTrue(o.contains("portability check passed: gcc"), o);
    QuantizedModel used = ArtifactReader.read(dir.resolve("gen/fw/artifact"));
    QLayer fc7 = used.layer("fc7");
    assertTrue(fc7.onCpu() && fc7.bits() == 32 && used.layer("fc9").onCpu());
    assertFalse(used.layers().get(0).onCpu());
  }
}
