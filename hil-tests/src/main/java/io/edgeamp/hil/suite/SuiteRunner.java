package io.edgeamp.hil.suite;

import io.edgeamp.hil.HilClient;
import io.edgeamp.hil.HilConfig;
import io.edgeamp.hil.HilServer;
import io.edgeamp.hil.board.Board;
import io.edgeamp.hil.board.ProfileMachineTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs suites: builds each case's firmware ({@link FirmwareBuilder} by the entry's {@code firmware}
 * kind), then either starts an embedded HIL server with {@link #boardsPerProfile} QEMU boards of every
 * profile the suite names (embedded broker; results also go out on MQTT) or uses a running server,
 * uploads the firmware, submits every case as a job at once (the server spreads them over its boards),
 * waits for the results and checks them against the thresholds.
 */
public final class SuiteRunner {
  private final Map<String, FirmwareBuilder> builders;
  private final Path work;
  private final PrintStream log;
  /** Remote server, or null for an embedded one per suite. */
  public String serverUrl;
  public String token;
  public int boardsPerProfile = 1;
  /** Embedded server: an external broker instead of the embedded one (null = embedded). */
  public String mqttUrl;
  /** Called with the embedded server once it runs (tests, dashboards); may be null. */
  public java.util.function.Consumer<HilServer> onServer;

  public SuiteRunner(Map<String, FirmwareBuilder> builders, Path work, PrintStream log) {
    this.builders = builders;
    this.work = work.toAbsolutePath();
    this.log = log;
  }

  public SuiteReport run(Suite suite) throws Exception {
    SuiteReport report = new SuiteReport(suite);
    report.server = serverUrl != null ? serverUrl : "an embedded server";
    long t0 = System.nanoTime();
    if (serverUrl != null) {
      checkServer(new HilClient(serverUrl, token)); // before the builds, which take minutes
    }
    Files.createDirectories(work);
    Map<CaseResult, FirmwareBuilder.Built> built = new LinkedHashMap<>();
    for (Suite.Case c : suite.cases()) {
      CaseResult r = new CaseResult(c);
      report.cases.add(r);
      long b0 = System.nanoTime();
      try {
        FirmwareBuilder fb = builders.get(c.entry.firmware);
        if (fb == null) {
          throw new SuiteException("no builder for firmware kind " + c.entry.firmware);
        }
        built.put(r, fb.build(suite, c, work.resolve("build")));
      } catch (Exception e) {
        r.status = "error";
        r.error = "build: " + message(e);
      }
      r.seconds += (System.nanoTime() - b0) / 1e9;
    }
    if (!built.isEmpty()) {
      HilServer embedded = null;
      try {
        HilClient api;
        if (serverUrl != null) {
          api = new HilClient(serverUrl, token);
          report.server = serverUrl;
        } else {
          HilConfig cfg = new HilConfig().workDir(work.resolve("server"));
          cfg.mqttUrl = mqttUrl;
          Set<String> profiles = new LinkedHashSet<>();
          for (CaseResult r : built.keySet()) {
            profiles.add(r.c.board);
          }
          var machines = ProfileMachineTable.standard();
          for (String p : profiles) {
            if (machines.lookup(p).isEmpty()) {
              throw new SuiteException("an embedded server runs QEMU boards only; " + p + " needs --server with a hardware map");
            }
            cfg.qemu(p, boardsPerProfile);
          }
          embedded = new HilServer(cfg).start();
          api = new HilClient(embedded.baseUrl(), embedded.token());
          report.server = "embedded " + embedded.baseUrl() + " (MQTT " + embedded.mqttUrl() + ")";
          if (onServer != null) {
            onServer.accept(embedded);
          }
        }
        runJobs(suite, built, api, embedded, report);
      } finally {
        if (embedded != null) {
          embedded.stop();
        }
      }
    }
    report.seconds = (System.nanoTime() - t0) / 1e9;
    return report;
  }

  /** The server answers and takes the token; otherwise one clear error instead of a suite of failed cases. */
  static void checkServer(HilClient api) {
    try {
      api.boards();
    } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
      throw new SuiteException("cannot reach the HIL server at " + api.baseUrl() + " (" + message(e) + "); is `toolchain hil serve` running there?");
    } catch (java.io.IOException e) {
      throw new SuiteException("the HIL server at " + api.baseUrl() + " refused the suite's first request: " + message(e)
          + (e.getMessage() != null && e.getMessage().contains("401") ? " (wrong token: give the server's WORK/token with --token-file)" : ""));
    }
  }

  /** An exception's message, or its kind when it has none (a ConnectException's is often null). */
  static String message(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private void runJobs(Suite suite, Map<CaseResult, FirmwareBuilder.Built> built, HilClient api, HilServer embedded,
      SuiteReport report) throws Exception {
    Map<Path, String> uploaded = new HashMap<>();
    String stamp = Long.toString(System.currentTimeMillis(), 36);
    Map<CaseResult, Long> submitted = new LinkedHashMap<>();
    for (Map.Entry<CaseResult, FirmwareBuilder.Built> e : built.entrySet()) {
      CaseResult r = e.getKey();
      FirmwareBuilder.Built b = e.getValue();
      try {
        String fw = uploaded.get(b.elf);
        if (fw == null) {
          fw = api.uploadFirmware(b.elf);
          uploaded.put(b.elf, fw);
        }
        r.job = ("suite-" + suite.suite + "-" + r.c.entry.name + "-" + r.c.board + "-" + stamp).replaceAll("[^A-Za-z0-9._-]", "-");
        if (r.job.length() > 120) {
          r.job = r.job.substring(r.job.length() - 120).replaceFirst("^[^A-Za-z0-9]+", "");
        }
        JsonObject job = new JsonObject().put("id", r.job).put("profile", r.c.board).put("firmware", new JsonObject().put("id", fw))
            .put("vectors", b.vectors).put("iterations", r.c.iterations).put("warmup", r.c.warmup).put("metric", r.c.metric);
        api.submit(job);
        submitted.put(r, System.nanoTime());
      } catch (Exception x) {
        r.status = "error";
        r.error = "submit: " + message(x);
      }
    }
    AtomicBoolean sampling = new AtomicBoolean(true);
    AtomicInteger maxBusy = new AtomicInteger();
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        int busy = 0;
        if (embedded != null) {
          for (Board b : embedded.boards().all()) {
            Process p = b.process();
            if (p != null && p.isAlive()) {
              busy++;
            }
          }
        } else {
          try {
            for (Object o : api.boards()) {
              String s = ((JsonObject) o).getString("state");
              if (Board.RUNNING.equals(s) || Board.FLASHING.equals(s)) {
                busy++;
              }
            }
          } catch (Exception x) {
            // sampling only
          }
        }
        maxBusy.accumulateAndGet(busy, Math::max);
        try {
          Thread.sleep(100);
        } catch (InterruptedException x) {
          return;
        }
      }
    }, "suite-board-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      List<CaseResult> pending = new ArrayList<>(submitted.keySet());
      while (!pending.isEmpty()) {
        for (CaseResult r : new ArrayList<>(pending)) {
          Optional<JsonObject> res;
          try {
            res = api.result(r.job);
          } catch (Exception x) {
            res = Optional.empty();
          }
          double waited = (System.nanoTime() - submitted.get(r)) / 1e9;
          if (res.isPresent()) {
            r.result = res.get();
            r.seconds += waited;
            r.evaluate();
            pending.remove(r);
            log.printf("  %s %s%n", r.status.toUpperCase(java.util.Locale.ROOT), r.c.name());
          } else if (waited > r.c.timeoutS) {
            r.status = "error";
            r.error = "no result within " + r.c.timeoutS + " s";
            r.seconds += waited;
            pending.remove(r);
          }
        }
        if (!pending.isEmpty()) {
          Thread.sleep(100);
        }
      }
    } finally {
      sampling.set(false);
      sampler.interrupt();
    }
    report.maxConcurrentBoards = maxBusy.get();
  }

  /** Reads and runs suite files in order; every file is read and checked before the first case runs. */
  public List<SuiteReport> runAll(List<Path> files) throws Exception {
    return runAll(readAll(files));
  }

  /** Reads and checks suite files (a mistake in the last one must not surface after the first one's builds). */
  public static List<Suite> readAll(List<Path> files) throws java.io.IOException {
    List<Suite> suites = new ArrayList<>();
    for (Path f : files) {
      suites.add(Suite.read(f));
    }
    return suites;
  }

  /** Runs suites in order. */
  public List<SuiteReport> runAll(Iterable<Suite> suites) throws Exception {
    List<SuiteReport> out = new ArrayList<>();
    for (Suite s : suites) {
      log.printf("suite %s: %d case(s)%n", s.suite, s.cases().size());
      out.add(run(s));
    }
    return out;
  }

  /** For the JSON summary (--json-out). */
  public static JsonObject toJson(List<SuiteReport> reports) {
    JsonArray a = new JsonArray();
    for (SuiteReport r : reports) {
      JsonArray cs = new JsonArray();
      for (CaseResult c : r.cases) {
        cs.add(new JsonObject().put("entry", c.c.entry.name).put("board", c.c.board).put("task", c.c.task).put("status", c.status)
            .put("failures", new JsonArray(c.failures)).put("error", c.error).put("job", c.job).put("metric", c.metric())
            .put("latency_median", c.median()).put("latency_p95", c.p95()).put("unit", c.unit()).put("seconds", c.seconds));
      }
      a.add(new JsonObject().put("suite", r.suite.suite).put("seconds", r.seconds).put("server", r.server)
          .put("max_concurrent_boards", r.maxConcurrentBoards).put("cases", cs));
    }
    return new JsonObject().put("suites", a);
  }
}
