package io.edgeamp.cli;

import io.edgeamp.codegen.Codegen;
import io.edgeamp.hil.driver.CommandDriver;
import io.edgeamp.hil.job.Firmware;
import io.edgeamp.hil.suite.FirmwareBuilder;
import io.edgeamp.hil.suite.Suite;
import io.edgeamp.hil.suite.SuiteException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * {@code firmware: codegen} in a HIL suite, the one class that turns a suite entry into firmware through
 * the toolchain, in this process: {@code toolchain quantize ARGS --out W/quantize} when the entry gives
 * quantize arguments (artifact W/quantize/artifact; otherwise the entry's artifact), then the code
 * generator ({@link Codegen#generate}, as {@code toolchain codegen --board B --model A --out W/codegen})
 * for the case's board, then CMake on the generated project (its CMakeLists picks the board's toolchain
 * file) and the {@code *_harness.elf} target. Vectors: the generator's test inputs with the outputs of
 * the Java device twin as expected values (bit-exactness), and the twin's argmax as label, so "top1"
 * for a codegen entry is top-1 agreement with the twin, not accuracy against dataset labels.
 */
final class CodegenFirmwareBuilder implements FirmwareBuilder {
  private final Path repo;

  CodegenFirmwareBuilder(Path repo) {
    this.repo = repo.toAbsolutePath().normalize();
  }

  @Override
  public Built build(Suite suite, Suite.Case c, Path workDir) throws Exception {
    Path w = Files.createDirectories(workDir.resolve("codegen-" + c.entry.name + "-" + c.board));
    Path artifact;
    if (c.entry.quantize != null) {
      // one quantization per entry and argument list, shared by the entry's boards (the artifact depends
      // only on the arguments, which name the board whose limits apply)
      Path q = workDir.resolve("quantize-" + c.entry.name + "-" + argsKey(c.entry.quantize));
      if (!Files.isRegularFile(q.resolve("artifact").resolve("model.json"))) {
        List<String> args = new ArrayList<>(List.of("quantize"));
        args.addAll(c.entry.quantize);
        args.addAll(List.of("--out", q.toString()));
        run(args, "quantize");
      }
      artifact = q.resolve("artifact");
    } else {
      artifact = suite.resolve(c.entry.artifact);
    }
    if (!Files.isRegularFile(artifact.resolve("model.json"))) {
      throw new SuiteException("no quantized artifact (model.json) in " + artifact);
    }
    Path gen = w.resolve("codegen");
    Codegen.Result r;
    try {
      r = Codegen.generate(artifact, Codegen.board(c.board, List.of(repo.resolve("board-profiles"))), gen, Codegen.Options.defaults()
          .withVectors(Math.min(1000, c.vectors)).withRuntimeDir(repo.resolve("device-runtime")));
    } catch (RuntimeException e) {
      throw new SuiteException("codegen for " + c.board + ": " + e.getMessage());
    }
    Path build = gen.resolve("build");
    Path log = w.resolve("build.log");
    int rc = CommandDriver.run(List.of("cmake", "-S", gen.toString(), "-B", build.toString()), 300, log);
    if (rc == 0) {
      rc = CommandDriver.run(List.of("cmake", "--build", build.toString(), "-j2"), 600, log);
    }
    if (rc != 0) {
      throw new SuiteException("firmware build failed (exit " + rc + "), see " + log);
    }
    Path elf;
    try (Stream<Path> s = Files.walk(build)) {
      elf = s.filter(p -> p.getFileName().toString().endsWith("_harness.elf")).findFirst()
          .orElseThrow(() -> new SuiteException("no *_harness.elf under " + build));
    }
    // The generator's test_vectors.json (inputs, the twin's outputs); for top1 the twin's argmax is the label.
    JsonArray vs = new JsonObject(Files.readString(gen.resolve("test_vectors.json"))).getJsonArray("vectors");
    if ("top1".equals(c.metric)) {
      for (int i = 0; i < vs.size(); i++) {
        JsonArray e = vs.getJsonObject(i).getJsonArray("expected");
        int best = 0;
        for (int k = 1; k < e.size(); k++) {
          if (e.getInteger(k) > e.getInteger(best)) best = k;
        }
        vs.getJsonObject(i).put("label", best);
      }
    }
    return new Built(elf, vs, c.entry.model != null ? c.entry.model : r.modelName());
  }

  /** Short stable key of an argument list (the first 16 hex digits of its SHA-256). */
  static String argsKey(List<String> args) {
    return Firmware.sha256(String.join("\u0000", args).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  private static void run(List<String> args, String what) {
    CommandLine cl = Toolchain.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int rc = cl.execute(args.toArray(new String[0]));
    if (rc != 0) {
      String s = out.toString();
      throw new SuiteException("toolchain " + what + " failed (exit " + rc + "): " + (s.length() > 1500 ? s.substring(s.length() - 1500) : s));
    }
  }
}
