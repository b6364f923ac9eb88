package io.edgeamp.cli;

import io.edgeamp.hil.DemoFirmware;
import io.edgeamp.hil.HilBench;
import io.edgeamp.hil.HilClient;
import io.edgeamp.hil.HilConfig;
import io.edgeamp.hil.HilServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code toolchain hil ...}: the hardware-in-the-loop server, job runs against it, its benchmark. */
@Command(name = "hil", mixinStandardHelpOptions = true, description = "Hardware-in-the-loop server and runs.",
    subcommands = {HilCommand.Serve.class, HilCommand.Run.class, HilCommand.Bench.class, HilTestCommand.class, HilCommand.Load.class})
public final class HilCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** No subcommand: one line and the help hint, exit 2 (like every other mistake on the command line). */
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "hil needs a command: "
        + String.join(", ", spec.subcommands().keySet()));
  }

  /** The bearer token a server wrote into its work dir, or a one-line error naming the file. */
  static String readToken(Path tokenFile) throws java.io.IOException {
    if (!Files.isRegularFile(tokenFile)) {
      throw new UserError("token file " + tokenFile + " does not exist; the server writes its token to WORK/token (hil serve --work WORK)");
    }
    String t = Files.readString(tokenFile).trim();
    if (t.isEmpty()) {
      throw new UserError("token file " + tokenFile + " is empty; give the server's WORK/token");
    }
    return t;
  }

  /** Options shared by serve and an embedded run. */
  static class ServerOptions {
    @Option(names = "--work", description = "work directory (database, token, firmware, logs)", defaultValue = "hil-work")
    Path work;
    @Option(names = "--host", description = "REST listen address (default loopback)", defaultValue = "127.0.0.1")
    String host;
    @Option(names = "--port", description = "REST port (0 = any)", defaultValue = "8080")
    int port;
    @Option(names = "--site", defaultValue = "lab", description = "site name in the MQTT topics edgeamp/v1/<site>/... (default: ${DEFAULT-VALUE})")
    String site;
    @Option(names = "--mqtt-url", description = "external broker (tcp://host:1883, ssl://...); default: embedded broker")
    String mqttUrl;
    @Option(names = "--mqtt-port", description = "embedded broker port (default: chosen once, kept in the work dir)", defaultValue = "0")
    int mqttPort;
    @Option(names = "--mqtt-username", description = "user name for --mqtt-url")
    String mqttUser;
    @Option(names = "--mqtt-password-file", description = "file holding the MQTT password")
    Path mqttPasswordFile;
    @Option(names = "--mqtt-truststore", description = "JKS/PKCS12 trust store for an ssl:// broker")
    Path trustStore;
    @Option(names = "--mqtt-truststore-password-file", description = "file holding the --mqtt-truststore password")
    Path trustStorePasswordFile;
    @Option(names = "--broker-keystore", description = "embedded broker: key store for a TLS listener")
    Path brokerKeyStore;
    @Option(names = "--broker-keystore-password-file", description = "file holding the --broker-keystore password")
    Path brokerKeyStorePasswordFile;
    @Option(names = "--broker-tls-port", defaultValue = "-1", description = "embedded broker: port of the TLS listener that "
        + "--broker-keystore opens (default: any free port)")
    int brokerTlsPort;
    @Option(names = "--hardware-map", description = "YAML file of real boards")
    Path hardwareMap;
    @Option(names = "--qemu", description = "emulated boards, PROFILE=N (e.g. qemu-mps2-an386=2); repeatable")
    List<String> qemu = new ArrayList<>();
    @Option(names = "--board-prefix", description = "prefix of emulated board ids (distinct ids for several servers on one broker)", defaultValue = "")
    String boardPrefix;
    @Option(names = "--server-id", description = "server id (MQTT client ids, persistent sessions; keep it across restarts)")
    String serverId;
    @Option(names = "--source-root", description = "directory from which CMake firmware sources may be built; repeatable")
    List<Path> sourceRoots = new ArrayList<>();
    @Option(names = "--max-upload-mb", defaultValue = "16", description = "largest firmware upload accepted, MiB (default: ${DEFAULT-VALUE})")
    int maxUploadMb;

    HilConfig config() throws java.io.IOException {
      HilConfig c = new HilConfig().workDir(work);
      c.host = host;
      c.httpPort = port;
      c.site = site;
      c.mqttUrl = mqttUrl;
      c.embeddedMqttPort = mqttPort;
      c.mqttUsername = mqttUser;
      if (mqttPasswordFile != null) {
        c.mqttPassword = Files.readString(mqttPasswordFile).trim().toCharArray();
      }
      c.mqttTrustStore = trustStore;
      if (trustStorePasswordFile != null) {
        c.mqttTrustStorePassword = Files.readString(trustStorePasswordFile).trim().toCharArray();
      }
      c.brokerKeyStore = brokerKeyStore;
      if (brokerKeyStorePasswordFile != null) {
        c.brokerKeyStorePassword = Files.readString(brokerKeyStorePasswordFile).trim().toCharArray();
      }
      c.brokerTlsPort = brokerTlsPort;
      c.hardwareMap = hardwareMap;
      for (String q : qemu) {
        String[] kv = q.split("=", 2);
        try {
          c.qemu(kv[0], kv.length == 2 ? Integer.parseInt(kv[1]) : 1);
        } catch (NumberFormatException e) {
          throw new UserError("--qemu wants PROFILE=N, got " + q);
        }
      }
      c.sourceRoots.addAll(sourceRoots);
      c.boardIdPrefix = boardPrefix;
      if (serverId != null) {
        c.serverId = serverId;
      }
      c.maxUploadBytes = (long) maxUploadMb << 20;
      return c;
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the HIL server until interrupted.")
  static final class Serve extends ServerOptions implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      HilServer s = new HilServer(config()).start();
      CountDownLatch done = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        s.stop();
        done.countDown();
      }));
      System.out.println("HIL server: " + s.baseUrl() + "  (token in " + work.resolve("token") + ")  MQTT: " + s.mqttUrl());
      // the token rides in the fragment, which browsers do not send to the server; the page keeps it in sessionStorage
      System.out.println("Dashboard:  " + s.dashboardUrl());
      done.await();
      return 0;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run a firmware with test vectors on a board and print latency and metric summaries.")
  static final class Run implements Callable<Integer> {
    @Option(names = "--board", required = true, description = "board profile id (e.g. qemu-mps2-an386); with --server also a board id "
        + "(qemu-mps2-an386-1)")
    String board;
    @Option(names = "--model", description = "model directory: a `toolchain codegen` output built with CMake "
        + "(build/*_harness.elf and test_vectors.json), or firmware.elf (or firmware/*.elf) and test_vectors.json")
    Path model;
    @Option(names = "--firmware", description = "firmware ELF")
    Path firmware;
    @Option(names = "--vectors", description = "JSON test vectors: {\"vectors\":[{\"input\":hex,\"expected\":[..],\"label\":n}]}")
    Path vectors;
    @Option(names = "--iterations", defaultValue = "3", description = "timed runs of each vector (default: ${DEFAULT-VALUE})")
    int iterations;
    @Option(names = "--warmup", defaultValue = "1", description = "untimed runs of each vector before the timed ones (default: ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--server", description = "URL of a running server; default: start an embedded one for the run")
    String server;
    @Option(names = "--token-file", description = "token of --server (its work dir's 'token' file)")
    Path tokenFile;
    @Option(names = "--work", description = "work directory of the embedded server")
    Path work;
    @Option(names = "--json", description = "print the full result JSON")
    boolean json;
    @Option(names = "--timeout-s", defaultValue = "600", description = "give up waiting for the result after this many seconds "
        + "(default: ${DEFAULT-VALUE})")
    int timeoutS;

    @Override
    public Integer call() throws Exception {
      Path elf = firmware;
      Path vec = vectors;
      if (model != null) {
        if (elf == null) {
          elf = Files.isRegularFile(model.resolve("firmware.elf")) ? model.resolve("firmware.elf") : findElf(model.resolve("firmware"));
        }
        if (elf == null) {
          elf = findHarnessElf(model.resolve("build"));
        }
        if (vec == null) {
          vec = model.resolve("test_vectors.json");
        }
      }
      if (elf == null || !Files.isRegularFile(elf)) {
        if (model != null && firmware == null && Files.isRegularFile(model.resolve("model.json"))) {
          throw new UserError(model + " is a quantized artifact, not a generated project; generate and build one first: toolchain codegen --board "
              + board.replaceAll("-\\d+$", "") + " --model " + model + " --out runs/fw && cmake -S runs/fw -B runs/fw/build && cmake --build runs/fw/build,"
              + " then hil run --model runs/fw");
        }
        throw new UserError(model != null && firmware == null
            ? "no firmware in " + model + ": expected build/*_harness.elf, firmware.elf or firmware/*.elf; build the generated "
                + "project first (cmake -S " + model + " -B " + model.resolve("build") + " && cmake --build " + model.resolve("build") + ")"
            : elf == null ? "need --firmware ELF (or --model DIR)" : "firmware " + elf + " does not exist");
      }
      if (vec == null || !Files.isRegularFile(vec)) {
        throw new UserError(vec == null ? "need --vectors FILE (or --model DIR with test_vectors.json, which toolchain codegen writes)"
            : "test vectors " + vec + " do not exist; toolchain codegen writes test_vectors.json into its --out folder");
      }
      Object parsed;
      try {
        parsed = io.vertx.core.json.Json.decodeValue(Files.readString(vec));
      } catch (io.vertx.core.json.DecodeException e) {
        throw new UserError("test vectors " + vec + " are not JSON: " + e.getMessage());
      }
      JsonArray vs = parsed instanceof JsonArray ? (JsonArray) parsed
          : parsed instanceof JsonObject ? ((JsonObject) parsed).getJsonArray("vectors") : null;
      if (vs == null) {
        throw new UserError("test vectors " + vec + ": expected {\"vectors\": [{\"input\": hex, \"expected\": [...]}, ...]} or that array");
      }
      // codegen's file names the model its vectors belong to: the server then refuses firmware reporting another name
      String expectModel = parsed instanceof JsonObject ? ((JsonObject) parsed).getString("model") : null;
      if (model != null && server == null) { // an embedded server runs QEMU boards: --board is a profile, maybe with "-N"
        checkGeneratedFor(model, board.replaceAll("-\\d+$", ""));
      }
      HilServer embedded = null;
      Path embeddedWork = null;
      try {
        HilClient api;
        String target = "profile";
        if (server != null) {
          if (tokenFile == null) {
            throw new UserError("--server needs --token-file");
          }
          api = new HilClient(server, readToken(tokenFile));
          // --board names one of the server's boards (any id, e.g. a hardware map's "l432-lab") or else a profile
          JsonObject known = boardById(api.boards(), board);
          target = known != null ? "board" : "profile";
          if (model != null) {
            checkGeneratedFor(model, known != null ? known.getString("profile") : board);
          }
        } else {
          Path w = work;
          if (w == null) {
            w = embeddedWork = Files.createTempDirectory("edgeamp-hil-run"); // deleted after the run
          }
          HilConfig c = new HilConfig().workDir(w);
          String profile = board.replaceAll("-\\d+$", "");
          c.qemu(profile, 1);
          embedded = new HilServer(c).start();
          api = new HilClient(embedded.baseUrl(), embedded.token());
        }
        String fw = api.uploadFirmware(elf);
        JsonObject job = new JsonObject().put("firmware", new JsonObject().put("id", fw)).put("vectors", vs)
            .put("iterations", iterations).put("warmup", warmup);
        if (expectModel != null && expectModel.matches("[A-Za-z0-9._-]{1,128}")) {
          job.put("model", expectModel);
        }
        job.put(target, server == null ? board.replaceAll("-\\d+$", "") : board);
        String id = api.submit(job).getString("id");
        System.err.println("job " + id + " accepted by " + (server != null ? server : "the embedded server") + "; waiting for its result");
        JsonObject r = api.awaitResult(id, timeoutS * 1000L, System.err::println);
        print(r);
        return "pass".equals(r.getString("verdict")) || "no-reference".equals(r.getString("verdict")) ? 0 : 1;
      } catch (HilClient.HttpStatusException e) {
        if (!e.clientError()) throw e;
        // the server refused what we sent: say which input, in one line
        String what = e.getMessage().startsWith("upload") ? "firmware " + elf : "job for board " + board + " with vectors " + vec;
        throw new UserError(what + ": the HIL server refused it: " + e.reason());
      } catch (java.net.ConnectException e) {
        throw new UserError("cannot reach the HIL server at " + server + " (" + e.getMessage() + "); is `toolchain hil serve` running there?");
      } catch (java.io.IOException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      } finally {
        if (embedded != null) {
          embedded.stop();
        }
        if (embeddedWork != null) {
          deleteTree(embeddedWork);
        }
      }
    }

    /**
     * A codegen output names its board in codegen-report.json: firmware built for one board's memory map
     * and core faults or gives foreign figures on another, so a different --board is refused.
     */
    private static void checkGeneratedFor(Path model, String profile) throws java.io.IOException {
      Path report = model.resolve("codegen-report.json");
      if (!Files.isRegularFile(report)) {
        return;
      }
      String generatedFor;
      try {
        generatedFor = new JsonObject(Files.readString(report)).getString("board");
      } catch (RuntimeException e) {
        throw new UserError(report + " is not codegen's JSON report (" + e.getMessage() + "); rerun toolchain codegen");
      }
      if (generatedFor != null && !generatedFor.equals(profile)) {
        throw new UserError("the firmware in " + model + " was generated for board " + generatedFor + " (" + report.getFileName() + "), not "
            + profile + "; run it with --board " + generatedFor + ", or rerun toolchain codegen --board " + profile);
      }
    }

    private static JsonObject boardById(JsonArray boards, String id) {
      for (Object o : boards) {
        if (o instanceof JsonObject b && id.equals(b.getString("id"))) {
          return b;
        }
      }
      return null;
    }

    private static void deleteTree(Path dir) {
      try {
        io.edgeamp.core.io.FileTrees.delete(dir);
      } catch (java.io.IOException e) {
        System.err.println("warning: could not remove the run's work folder " + dir + ": " + e.getMessage());
      }
    }

    private void print(JsonObject r) {
      if (json) {
        System.out.println(r.encodePrettily());
        return;
      }
      if (!"done".equals(r.getString("state"))) {
        System.out.println("job " + r.getString("job") + " FAILED after " + r.getInteger("attempts") + " attempt(s): " + r.getString("error"));
        return;
      }
      String unit = r.getString("unit");
      JsonObject c = r.getJsonObject("latency").getJsonObject("cycles");
      JsonObject u = r.getJsonObject("latency").getJsonObject("us");
      System.out.printf("job %s on %s (%s), model %s, %d vectors x %d runs%n", r.getString("job"), r.getString("board"),
          r.getString("profile"), r.getString("model"), r.getInteger("vectors"), r.getInteger("iterations"));
      System.out.printf("latency (%s): median %d, min %d, p95 %d, max %d; %s us median %d%n",
          "instructions".equals(unit) ? "QEMU instruction counts, not cycles" : "cycles",
          c.getLong("median"), c.getLong("min"), c.getLong("p95"), c.getLong("max"),
          "instructions".equals(unit) ? "virtual" : "", u.getLong("median"));
      JsonObject m = r.getJsonObject("metric");
      System.out.printf("metric %s = %s%n", m.getString("name"), m.getValue("value"));
      System.out.printf("bit-exact: %s (%d mismatching of %d compared)%s%n", r.getValue("bit_exact"), r.getInteger("mismatches"),
          r.getInteger("compared"), r.getJsonObject("first_mismatch") == null ? "" : "; first: " + r.getJsonObject("first_mismatch").encode());
      System.out.println("verdict: " + r.getString("verdict"));
    }

    /** The generated project's harness firmware under its CMake build folder, or null. */
    private static Path findHarnessElf(Path build) throws java.io.IOException {
      if (!Files.isDirectory(build)) {
        return null;
      }
      try (Stream<Path> s = Files.walk(build, 3)) {
        return s.filter(p -> p.getFileName().toString().endsWith("_harness.elf") && !p.toString().contains("edgeamp-runtime"))
            .sorted().findFirst().orElse(null);
      }
    }

    private static Path findElf(Path dir) throws java.io.IOException {
      if (!Files.isDirectory(dir)) {
        return null;
      }
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(p -> p.toString().endsWith(".elf")).findFirst().orElse(null);
      }
    }
  }

  @Command(name = "bench", mixinStandardHelpOptions = true,
      description = "Jobs per minute with 1, 2 and 4 QEMU boards, submission-to-result time and server memory.")
  static final class Bench implements Callable<Integer> {
    @Option(names = "--firmware", description = "firmware ELF (default: build the demo harness from --repo)")
    Path firmware;
    @Option(names = "--repo", description = "EdgeAMP checkout (for the demo firmware)", defaultValue = ".")
    Path repo;
    @Option(names = "--profile", defaultValue = "qemu-mps2-an386", description = "emulated board profile (default: ${DEFAULT-VALUE})")
    String profile;
    @Option(names = "--boards", split = ",", defaultValue = "1,2,4", description = "board counts to measure (default: ${DEFAULT-VALUE})")
    int[] boards;
    @Option(names = "--jobs", defaultValue = "16", description = "jobs per board count (default: ${DEFAULT-VALUE})")
    int jobs;
    @Option(names = "--vectors", description = "vectors per job", defaultValue = "10")
    int vectors;
    @Option(names = "--work", defaultValue = "hil-bench", description = "work directory (default: ${DEFAULT-VALUE})")
    Path work;
    @Option(names = "--json-out", description = "also write the figures as JSON to this file")
    Path jsonOut;

    @Override
    public Integer call() throws Exception {
      Path elf = firmware;
      if (elf == null) {
        String machine = profile.replaceFirst("^qemu-", "");
        elf = DemoFirmware.build(repo, machine, work.toAbsolutePath().resolve("fw-" + machine));
      }
      JsonObject r = HilBench.run(elf.toAbsolutePath(), work.toAbsolutePath(), profile, boards, jobs, vectors, System.out);
      if (jsonOut != null) {
        Files.writeString(jsonOut, r.encodePrettily());
      }
      return 0;
    }
  }

  @Command(name = "load", mixinStandardHelpOptions = true,
      description = "Telemetry ingest benchmark: bounded QoS 1 publishers on loopback through the embedded broker into the"
          + " server's fleet feed at rising rates until loss or lag (BENCHMARKS.md).")
  static final class Load implements Callable<Integer> {
    @Option(names = "--rates", split = ",", defaultValue = "2000,5000,10000,20000,40000,60000,80000,100000",
        description = "telemetry messages per second, one step each (default: ${DEFAULT-VALUE})")
    int[] rates;
    @Option(names = "--step-s", defaultValue = "2", description = "seconds per rate step (default: ${DEFAULT-VALUE})")
    double stepS;
    @Option(names = "--publishers", defaultValue = "4", description = "concurrent QoS 1 publishers (default: ${DEFAULT-VALUE})")
    int publishers;
    @Option(names = "--max-lag-ms", defaultValue = "1000", description = "stop when delivery lags by more than this (default: ${DEFAULT-VALUE})")
    long maxLagMs;
    @Option(names = "--telemetry-qos", description = "QoS of the server's telemetry subscription with --telemetry-path subscription"
        + " (publishers always use 1)", defaultValue = "1")
    int subQos;
    @Option(names = "--telemetry-path", defaultValue = "interceptor",
        description = "how the server takes telemetry from the embedded broker: interceptor (in process, the default) or"
            + " subscription (a Paho session, as with an external broker)")
    String path;
    @Option(names = "--continue-on-lag", description = "keep ramping through lag; stop at loss or the time limit")
    boolean continueOnLag;
    @Option(names = "--drain-ms", defaultValue = "3000", description = "wait this long after a step for the rest to arrive")
    long drainMs;
    @Option(names = "--work", defaultValue = "hil-load", description = "work directory (default: ${DEFAULT-VALUE})")
    Path work;
    @Option(names = "--json-out", description = "also write the figures as JSON to this file")
    Path jsonOut;

    @Override
    public Integer call() throws Exception {
      HilConfig c = new HilConfig().workDir(work.toAbsolutePath().resolve("load-" + System.nanoTime()));
      c.fleetTelemetryQos = subQos;
      if (!path.equals("interceptor") && !path.equals("subscription")) {
        throw new UserError("--telemetry-path: unknown value '" + path + "'; use interceptor or subscription");
      }
      c.fleetTelemetryInProcess = path.equals("interceptor");
      try (HilServer s = new HilServer(c).start()) {
        io.edgeamp.hil.fleet.TelemetryLoad load = new io.edgeamp.hil.fleet.TelemetryLoad(s.mqttUrl(), c.site, s.fleet());
        load.rates = rates;
        load.stepSeconds = stepS;
        load.publishers = publishers;
        load.maxLagMs = maxLagMs;
        load.stopOnLag = !continueOnLag;
        load.drainMs = drainMs;
        load.timeLimitMs = 180_000;
        System.out.println("publishers QoS 1 -> embedded Moquette -> fleet feed (" + s.fleet().telemetrySource() + ")");
        JsonObject r = load.run(System.out);
        if (jsonOut != null) {
          Files.writeString(jsonOut, r.encodePrettily());
        }
      }
      return 0;
    }
  }
}
