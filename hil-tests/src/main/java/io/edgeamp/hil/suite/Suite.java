package io.edgeamp.hil.suite;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A HIL test suite (YAML, unknown keys are errors):
 * <pre>
 * suite: classification-qemu            # name (JUnit testsuite name)
 * description: ...
 * task: classification                  # default task: classification | regression | forecasting | anomaly
 * boards: [qemu-mps2-an385, qemu-mps2-an386, qemu-mps2-an500, qemu-mps3-an547]   # board profiles
 * defaults:                             # for every entry (an entry's own values win)
 *   vectors: 20                         # test vectors per case (demo firmware: generated from seed)
 *   iterations: 3                       # timed runs per vector
 *   warmup: 1
 *   timeout_s: 300                      # per case, submission to result
 *   thresholds:
 *     latency_median_max: 4000          # in the result's unit (QEMU: instructions, not cycles)
 *     latency_p95_max: 4000
 *     metric_min: 1.0                   # top1 accuracy or bit-exact rate
 *     bit_exact: true                   # every output equal to the reference (Java twin)
 *     max_mismatches: 0
 * entries:
 *   - name: dense-demo
 *     task: classification
 *     firmware: demo | codegen          # demo: device-runtime's demo harness (no network); codegen: see below
 *     model: edgeamp-demo-dot           # the name the firmware must report (optional)
 *     metric: top1 | bit_exact          # default from the task: classification/anomaly top1, else bit_exact
 *     artifact: ../out/artifact         # codegen: quantized artifact (relative to this file) ...
 *     quantize: [--task, regression, --zoo, REGR_4k, --epochs, "5", --board, qemu-mps2-an386]
 *                                       # ... or `toolchain quantize` arguments to make one (once per entry)
 *     boards: [...]                     # instead of the suite's
 *     seed: 7
 *     thresholds: {...}                 # merged over defaults.thresholds
 *     board_thresholds: {qemu-mps2-an385: {latency_median_max: 5000}}
 * </pre>
 */
public final class Suite {
  public static final Set<String> TASKS = Set.of("classification", "regression", "forecasting", "anomaly");
  public static final Set<String> QEMU_PROFILES =
      Set.of("qemu-mps2-an385", "qemu-mps2-an386", "qemu-mps2-an500", "qemu-mps2-an505", "qemu-mps3-an547",
          "qemu-microbit");

  /** Latency, metric and bit-exactness limits; null = not checked. */
  public static final class Thresholds {
    @JsonProperty("latency_median_max") public Long latencyMedianMax;
    @JsonProperty("latency_p95_max") public Long latencyP95Max;
    @JsonProperty("metric_min") public Double metricMin;
    @JsonProperty("bit_exact") public Boolean bitExact;
    @JsonProperty("max_mismatches") public Integer maxMismatches;

    /** This over base: fields set here win. */
    Thresholds over(Thresholds base) {
      Thresholds t = new Thresholds();
      Thresholds b = base == null ? new Thresholds() : base;
      t.latencyMedianMax = latencyMedianMax != null ? latencyMedianMax : b.latencyMedianMax;
      t.latencyP95Max = latencyP95Max != null ? latencyP95Max : b.latencyP95Max;
      t.metricMin = metricMin != null ? metricMin : b.metricMin;
      t.bitExact = bitExact != null ? bitExact : b.bitExact;
      t.maxMismatches = maxMismatches != null ? maxMismatches : b.maxMismatches;
      return t;
    }
  }

  public static final class Defaults {
    public Integer vectors;
    public Integer iterations;
    public Integer warmup;
    @JsonProperty("timeout_s") public Integer timeoutS;
    public Thresholds thresholds;
  }

  public static final class Entry {
    public String name;
    public String task;
    public String firmware = "demo";
    public String model;
    public String metric;
    public String artifact;
    public List<String> quantize;
    public List<String> boards;
    public Integer vectors;
    public Integer iterations;
    public Integer warmup;
    public Long seed;
    @JsonProperty("timeout_s") public Integer timeoutS;
    public Thresholds thresholds;
    @JsonProperty("board_thresholds") public Map<String, Thresholds> boardThresholds = new LinkedHashMap<>();
  }

  public String suite;
  public String description;
  public String task;
  public List<String> boards = new ArrayList<>();
  public Defaults defaults = new Defaults();
  public List<Entry> entries = new ArrayList<>();
  /** The file it was read from (for relative artifact paths). */
  public transient Path file;

  /** One entry on one board, with everything resolved. */
  public static final class Case {
    public final Entry entry;
    public final String board;
    public final String task;
    public final String metric;
    public final int vectors;
    public final int iterations;
    public final int warmup;
    public final int timeoutS;
    public final long seed;
    public final Thresholds thresholds;

    Case(Suite s, Entry e, String board) {
      this.entry = e;
      this.board = board;
      this.task = e.task != null ? e.task : s.task;
      this.metric = e.metric != null ? e.metric : ("classification".equals(task) || "anomaly".equals(task) ? "top1" : "bit_exact");
      this.vectors = first(e.vectors, s.defaults.vectors, 10);
      this.iterations = first(e.iterations, s.defaults.iterations, 3);
      this.warmup = first(e.warmup, s.defaults.warmup, 1);
      this.timeoutS = first(e.timeoutS, s.defaults.timeoutS, 300);
      this.seed = e.seed != null ? e.seed : (long) (s.suite + "/" + e.name).hashCode();
      Thresholds t = e.thresholds == null ? s.defaults.thresholds : e.thresholds.over(s.defaults.thresholds);
      Thresholds bt = e.boardThresholds.get(board);
      this.thresholds = bt == null ? (t == null ? new Thresholds() : t) : bt.over(t);
    }

    private static int first(Integer a, Integer b, int c) {
      return a != null ? a : b != null ? b : c;
    }

    public String name() {
      return entry.name + " on " + board;
    }
  }

  public List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (Entry e : entries) {
      for (String b : e.boards != null ? e.boards : boards) {
        out.add(new Case(this, e, b));
      }
    }
    return out;
  }

  public static Suite read(Path file) throws IOException {
    ObjectMapper m = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
        .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    Suite s;
    try {
      s = m.readValue(file.toFile(), Suite.class);
    } catch (JsonMappingException e) {
      throw new SuiteException(file + ": " + e.getOriginalMessage() + " (" + e.getPathReference() + ")");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) { // not YAML at all: say where
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      throw new SuiteException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()) + ": not valid YAML: "
          + e.getOriginalMessage().lines().findFirst().orElse("").trim());
    }
    if (s == null) {
      throw new SuiteException(file + ": empty suite");
    }
    s.file = file.toAbsolutePath();
    s.validate();
    return s;
  }

  void validate() {
    String where = file + ": ";
    if (suite == null || !suite.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new SuiteException(where + "suite: a name of letters, digits, '.', '_' or '-' is required");
    }
    if (task != null && !TASKS.contains(task)) {
      throw new SuiteException(where + "task must be one of " + TASKS + ", got " + task);
    }
    if (entries.isEmpty()) {
      throw new SuiteException(where + "no entries");
    }
    checkRanges(where + "defaults: ", defaults.vectors, defaults.iterations, defaults.warmup, defaults.timeoutS);
    Set<String> names = new java.util.HashSet<>();
    for (Entry e : entries) {
      if (e.name == null || !e.name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
        throw new SuiteException(where + "every entry needs a name of letters, digits, '.', '_' or '-'");
      }
      if (!names.add(e.name)) {
        throw new SuiteException(where + "entry " + e.name + " appears twice");
      }
      String t = e.task != null ? e.task : task;
      if (t == null || !TASKS.contains(t)) {
        throw new SuiteException(where + "entry " + e.name + ": task must be one of " + TASKS);
      }
      if (!"demo".equals(e.firmware) && !"codegen".equals(e.firmware)) {
        throw new SuiteException(where + "entry " + e.name + ": firmware must be demo or codegen");
      }
      if ("codegen".equals(e.firmware) && e.artifact == null && e.quantize == null) {
        throw new SuiteException(where + "entry " + e.name + ": firmware codegen needs artifact or quantize");
      }
      if (e.metric != null && !e.metric.matches("top1|bit_exact")) {
        throw new SuiteException(where + "entry " + e.name + ": metric must be top1 or bit_exact");
      }
      List<String> bs = e.boards != null ? e.boards : boards;
      if (bs.isEmpty()) {
        throw new SuiteException(where + "entry " + e.name + " has no boards");
      }
      for (String b : bs) {
        if (!b.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
          throw new SuiteException(where + "bad board profile " + b);
        }
        if ("demo".equals(e.firmware) && !QEMU_PROFILES.contains(b)) {
          throw new SuiteException(where + "entry " + e.name + ": board " + b + ": the demo firmware runs on the emulated boards "
              + new java.util.TreeSet<>(QEMU_PROFILES) + " only");
        }
      }
      checkRanges(where + "entry " + e.name + ": ", e.vectors, e.iterations, e.warmup, e.timeoutS);
      for (String b : e.boardThresholds.keySet()) {
        if (!bs.contains(b)) {
          throw new SuiteException(where + "entry " + e.name + ": board_thresholds for " + b + ", which the entry does not run on");
        }
      }
    }
  }

  /** The limits the HIL server applies to a job (JobSpec), checked here so a bad value fails before any build. */
  private static void checkRanges(String where, Integer vectors, Integer iterations, Integer warmup, Integer timeoutS) {
    if (vectors != null && (vectors < 1 || vectors > io.edgeamp.hil.job.JobSpec.MAX_VECTORS)) {
      throw new SuiteException(where + "vectors must be in 1.." + io.edgeamp.hil.job.JobSpec.MAX_VECTORS + ", got " + vectors);
    }
    if (iterations != null && (iterations < 1 || iterations > 1_000_000)) {
      throw new SuiteException(where + "iterations must be in 1..1000000, got " + iterations);
    }
    if (warmup != null && (warmup < 0 || warmup > 1_000_000)) {
      throw new SuiteException(where + "warmup must be in 0..1000000, got " + warmup);
    }
    if (timeoutS != null && timeoutS < 1) {
      throw new SuiteException(where + "timeout_s must be at least 1, got " + timeoutS);
    }
  }

  /** A path in the suite relative to the suite file. */
  public Path resolve(String p) {
    return file.getParent().resolve(p).normalize();
  }

  public static boolean exists(Path p) {
    return Files.exists(p);
  }
}
