package io.edgeamp.cli;

import io.edgeamp.hil.driver.CommandDriver;
import io.edgeamp.hil.suite.FirmwareBuilder;
import io.edgeamp.hil.suite.Suite;
import io.edgeamp.hil.suite.SuiteException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * {@code firmware: codegen} in a HIL suite: the one class that turns a suite entry into firmware through
 * the toolchain, in this process: {@code toolchain quantize ARGS --out W/quantize} if the entry gives
 * quantize arguments (artifact: W/quantize/artifact), then {@code toolchain codegen --board B --model
 * ARTIFACT --out W/codegen}, then CMake with the arm-none-eabi toolchain file over an umbrella project
 * that adds device-runtime and the generated folder, target {@code *_harness}; vectors from the
 * generated {@code test_vectors.json} ({"vectors": [{input, expected, label?}]}).
 *
 * <p>NOT VERIFIED: `toolchain codegen` is not on this branch yet (branch codegen). Until it is, a
 * codegen entry ends as an error case ("codegen is not available in this build") and the demo entries
 * still run. The umbrella project and the vector file name are assumptions to check against codegen's
 * output when it lands.
 */
final class CodegenFirmwareBuilder implements FirmwareBuilder {
  private final Path repo;

  CodegenFirmwareBuilder(Path repo) {
    this.repo = repo.toAbsolutePath().normalize();
  }

  @Override
  public Built build(Suite suite, Suite.Case c, Path workDir) throws Exception {
    Path w = Files.createDirectories(workDir.resolve("codegen-" + c.entry.name + "-" + c.board));
    CommandLine cl = Toolchain.commandLine();
    if (!cl.getSubcommands().containsKey("codegen")) {
      throw new SuiteException("codegen is not available in this build (toolchain codegen is not merged yet); use firmware: demo");
    }
    Path artifact;
    if (c.entry.quantize != null) {
      List<String> args = new ArrayList<>(List.of("quantize"));
      args.addAll(c.entry.quantize);
      args.addAll(List.of("--out", w.resolve("quantize").toString()));
      run(args, "quantize");
      artifact = w.resolve("quantize").resolve("artifact");
    } else {
      artifact = suite.resolve(c.entry.artifact);
    }
    if (!Files.isRegularFile(artifact.resolve("model.json"))) {
      throw new SuiteException("no quantized artifact (model.json) in " + artifact);
    }
    Path gen = w.resolve("codegen");
    run(List.of("codegen", "--board", c.board, "--model", artifact.toString(), "--out", gen.toString(),
        "--vectors", Integer.toString(Math.min(1000, c.vectors))), "codegen");
    Path src = Files.createDirectories(w.resolve("umbrella"));
    Path runtime = repo.resolve("device-runtime");
    String machine = c.board.replaceFirst("^qemu-", "");
    Files.writeString(src.resolve("CMakeLists.txt"), String.join("\n",
        "cmake_minimum_required(VERSION 3.16)",
        "project(edgeamp_suite_fw C ASM)",
        "set(EDGEAMP_BOARD " + machine + " CACHE STRING \"\")",
        "set(EDGEAMP_BUILD_TESTS OFF CACHE BOOL \"\")",
        "add_subdirectory(\"" + runtime + "\" runtime)",
        "add_subdirectory(\"" + gen.toAbsolutePath() + "\" model)", ""));
    Path build = w.resolve("build");
    Path log = w.resolve("build.log");
    int rc = CommandDriver.run(List.of("cmake", "-S", src.toString(), "-B", build.toString(),
        "-DCMAKE_TOOLCHAIN_FILE=" + runtime.resolve("cmake/arm-none-eabi.cmake")), 300, log);
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
    Path vec = gen.resolve("test_vectors.json");
    if (!Files.isRegularFile(vec)) {
      throw new SuiteException("codegen wrote no test_vectors.json in " + gen);
    }
    Object parsed = Json.decodeValue(Files.readString(vec));
    JsonArray vs = parsed instanceof JsonArray ? (JsonArray) parsed : ((JsonObject) parsed).getJsonArray("vectors");
    return new Built(elf, vs, c.entry.model);
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
