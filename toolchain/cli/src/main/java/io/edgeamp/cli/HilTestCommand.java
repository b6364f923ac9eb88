package io.edgeamp.cli;

import io.edgeamp.codegen.Codegen;
import io.edgeamp.codegen.CodegenException;
import io.edgeamp.core.board.BoardProfileException;
import io.edgeamp.hil.suite.DemoFirmwareBuilder;
import io.edgeamp.hil.suite.FirmwareBuilder;
import io.edgeamp.hil.suite.Suite;
import io.edgeamp.hil.suite.JUnitXml;
import io.edgeamp.hil.suite.SuiteException;
import io.edgeamp.hil.suite.SuiteReport;
import io.edgeamp.hil.suite.SuiteRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code toolchain hil test SUITE...}: HIL suites (YAML) with thresholds; JUnit XML and a terminal summary. */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = "Run HIL suites (hil-tests/suites/*.yaml): build firmware, run on boards, check latency, metric and"
        + " bit-exactness thresholds; JUnit XML for CI and a summary here. Exit 0 if every case passed, 1 otherwise.")
final class HilTestCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "SUITE", description = "suite YAML file(s)")
  List<Path> suites;
  @Option(names = "--junit-xml", description = "JUnit XML report (default: WORK/junit.xml)")
  Path junitXml;
  @Option(names = "--json-out", description = "also write the results as JSON")
  Path jsonOut;
  @Option(names = "--work", description = "work directory (firmware builds, embedded server)", defaultValue = "hil-suite-work")
  Path work;
  @Option(names = "--repo", description = "EdgeAMP checkout (device-runtime for firmware builds)", defaultValue = ".")
  Path repo;
  @Option(names = "--server", description = "run on this HIL server instead of an embedded one")
  String server;
  @Option(names = "--token-file", description = "token of --server")
  Path tokenFile;
  @Option(names = "--mqtt-url", description = "embedded server: external broker instead of the embedded one")
  String mqttUrl;
  @Option(names = "--boards-per-profile", defaultValue = "1", description = "embedded server: QEMU boards per profile")
  int boardsPerProfile;

  @Override
  public Integer call() throws Exception {
    for (Path s : suites) {
      if (!Files.isRegularFile(s)) {
        throw new UserError("no suite file " + s);
      }
    }
    Path w = work.toAbsolutePath();
    Map<String, FirmwareBuilder> builders = Map.of("demo", new DemoFirmwareBuilder(repo.toAbsolutePath().normalize()),
        "codegen", new CodegenFirmwareBuilder(repo));
    SuiteRunner runner = new SuiteRunner(builders, w, System.out);
    if (server != null) {
      if (tokenFile == null) {
        throw new UserError("--server needs --token-file");
      }
      runner.serverUrl = server;
      runner.token = HilCommand.readToken(tokenFile);
    }
    runner.mqttUrl = mqttUrl;
    runner.boardsPerProfile = Math.max(1, boardsPerProfile);
    List<SuiteReport> reports;
    try {
      List<Suite> read = SuiteRunner.readAll(suites);
      checkCodegenBoards(read);
      reports = runner.runAll(read);
    } catch (SuiteException e) {
      throw new UserError(e.getMessage());
    }
    Path xml = junitXml != null ? junitXml : w.resolve("junit.xml");
    JUnitXml.write(reports, xml);
    if (jsonOut != null) {
      Files.writeString(jsonOut, SuiteRunner.toJson(reports).encodePrettily());
    }
    boolean ok = true;
    System.out.println();
    for (SuiteReport r : reports) {
      r.print(System.out);
      ok &= r.passed();
    }
    System.out.println("JUnit XML: " + xml);
    return ok ? 0 : 1;
  }

  /** A codegen entry's boards must be profiles in the checkout's board-profiles/: checked before any quantization or build. */
  private void checkCodegenBoards(List<Suite> read) {
    List<Path> dirs = List.of(repo.toAbsolutePath().normalize().resolve("board-profiles"));
    for (Suite s : read) {
      for (Suite.Case c : s.cases()) {
        if (!"codegen".equals(c.entry.firmware)) {
          continue;
        }
        try {
          Codegen.board(c.board, dirs);
        } catch (BoardProfileException | CodegenException e) {
          throw new UserError(s.file + ": entry " + c.entry.name + ": board " + c.board + ": " + e.getMessage());
        }
      }
    }
  }
}
