package io.edgeamp.hil.job;

import io.edgeamp.hil.HilException;
import io.edgeamp.hil.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A job as submitted (REST body or MQTT payload), validated. JSON:
 * <pre>
 * {"id": "job-1",                            optional over REST, required over MQTT
 *  "board": "qemu-mps2-an386-0" | "profile": "qemu-mps2-an386" | "tags": ["m4"],   one at least
 *  "lease": "lease-...",                     run on the board held by this lease
 *  "firmware": {"id": "fw-..."} | {"path": "rel/in/workdir.elf"} | {"elf_base64": "..."}
 *            | {"cmake": {"source": "/abs/dir", "target": "edgeamp_harness_demo", "toolchain_file": "cmake/arm-none-eabi.cmake"}},
 *  "model": "edgeamp-demo-dot",              optional: must equal what name% reports
 *  "vectors": [{"input": "hex", "expected": [ints], "label": 3}, ...],
 *  "iterations": 1, "warmup": 0, "metric": "top1"|"bit_exact",       iterations 1..1000000, warmup 0..1000000
 *  "max_attempts": 3, "timeouts": {"flash_s": 20, "boot_s": 10, "run_s": 120}}   1..10; each 1..86400
 * </pre>
 * Other top-level keys, wrong types and numbers out of range (or with a fraction) are refused with a 400
 * naming the field.
 */
public final class JobSpec {
  public static final int MAX_VECTORS = 100_000;
  public static final int MAX_INPUT = 65_536;

  public final String id;
  public final String board;
  public final String profile;
  public final List<String> tags;
  public final String lease;
  public final JsonObject firmware;
  public final String model;
  public final List<Vector> vectors;
  public final int iterations;
  public final int warmup;
  public final String metric;
  public final Integer maxAttempts;
  public final JsonObject timeouts;

  /** One test vector: input bytes, optional expected raw outputs, optional class label. */
  public static final class Vector {
    public final byte[] input;
    public final int[] expected;
    public final Integer label;

    Vector(byte[] input, int[] expected, Integer label) {
      this.input = input;
      this.expected = expected;
      this.label = label;
    }
  }

  /** The top-level keys of a submission; anything else is refused (a misspelt "itterations" would run with the default). */
  public static final List<String> KEYS = List.of("id", "board", "profile", "tags", "lease", "firmware", "model", "vectors",
      "iterations", "warmup", "metric", "max_attempts", "timeouts");
  private static final List<String> TIMEOUTS = List.of("flash_s", "boot_s", "run_s");
  private static final String FIRMWARE = "an object with exactly one of {id}, {path}, {elf_base64}, {cmake}";

  private JobSpec(JsonObject j, String id, boolean strictKeys) {
    if (strictKeys) {
      JsonFields.onlyKeys(j, KEYS, "");
    }
    this.id = id;
    this.board = optId(j, "board");
    this.profile = optId(j, "profile");
    this.tags = JsonFields.ids(j.getValue("tags"), "tags", "tag");
    if (board == null && profile == null && tags == null) {
      throw new HilException(400, "a job needs a board, a profile or tags");
    }
    this.lease = optId(j, "lease");
    this.firmware = firmware(j.getValue("firmware"));
    this.model = JsonFields.string(j.getValue("model"), "model");
    if (model != null && !model.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new HilException(400, "invalid model name");
    }
    String vectorsMustBe = "an array of {input, expected} objects";
    JsonArray v = JsonFields.array(j.getValue("vectors"), "vectors", vectorsMustBe);
    if (v == null || v.isEmpty() || v.size() > MAX_VECTORS) {
      throw new HilException(400, "vectors: 1.." + MAX_VECTORS + " test vectors are required");
    }
    vectors = new ArrayList<>();
    boolean allLabelled = true;
    for (int i = 0; i < v.size(); i++) {
      String at = "vectors[" + i + "]";
      if (!(v.getValue(i) instanceof JsonObject)) {
        throw JsonFields.invalid("vectors", vectorsMustBe + " (" + at + " is not)", v.getValue(i));
      }
      JsonObject o = v.getJsonObject(i);
      String hex = JsonFields.string(o.getValue("input"), at + ".input");
      byte[] in;
      try {
        in = HexFormat.of().parseHex(hex == null ? "" : hex);
      } catch (IllegalArgumentException e) {
        throw new HilException(400, "vector " + i + ": input must be hex");
      }
      if (in.length == 0 || in.length > MAX_INPUT) {
        throw new HilException(400, "vector " + i + ": input of 1.." + MAX_INPUT + " bytes required");
      }
      int[] exp = null;
      JsonArray e = JsonFields.array(o.getValue("expected"), at + ".expected", "an array of integers");
      if (e != null) {
        exp = new int[e.size()];
        for (int k = 0; k < exp.length; k++) {
          exp[k] = (int) JsonFields.integer(e.getValue(k), at + ".expected[" + k + "]", 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
      }
      Integer label = o.getValue("label") == null ? null
          : (int) JsonFields.integer(o.getValue("label"), at + ".label", 0, 0, Integer.MAX_VALUE);
      allLabelled &= label != null;
      vectors.add(new Vector(in, exp, label));
    }
    this.iterations = (int) JsonFields.integer(j.getValue("iterations"), "iterations", 1, 1, 1_000_000);
    this.warmup = (int) JsonFields.integer(j.getValue("warmup"), "warmup", 0, 0, 1_000_000);
    String m = JsonFields.string(j.getValue("metric"), "metric");
    m = m == null ? (allLabelled ? "top1" : "bit_exact") : m;
    if (!m.equals("top1") && !m.equals("bit_exact")) {
      throw new HilException(400, "metric must be top1 or bit_exact");
    }
    if (m.equals("top1") && !allLabelled) {
      throw new HilException(400, "metric top1 needs a label on every vector");
    }
    this.metric = m;
    this.maxAttempts = j.getValue("max_attempts") == null ? null
        : (int) JsonFields.integer(j.getValue("max_attempts"), "max_attempts", 3, 1, 10);
    JsonObject to = JsonFields.object(j.getValue("timeouts"), "timeouts", "an object {flash_s, boot_s, run_s}");
    this.timeouts = to == null ? new JsonObject() : to;
    JsonFields.onlyKeys(timeouts, TIMEOUTS, "timeouts");
    for (String k : TIMEOUTS) {
      JsonFields.integer(timeouts.getValue(k), "timeouts." + k, 1, 1, 24 * 3600);
    }
  }

  private static JsonObject firmware(Object o) {
    JsonObject fw = JsonFields.object(o, "firmware", FIRMWARE);
    if (fw == null || fw.size() != 1 || !(fw.containsKey("id") || fw.containsKey("path")
        || fw.containsKey("elf_base64") || fw.containsKey("cmake"))) {
      throw fw == null ? new HilException(400, "firmware is required: " + FIRMWARE) : JsonFields.invalid("firmware", FIRMWARE);
    }
    String key = fw.fieldNames().iterator().next();
    if (key.equals("cmake")) {
      JsonObject c = JsonFields.object(fw.getValue("cmake"), "firmware.cmake", "an object {source, target, toolchain_file}");
      if (c == null) {
        throw JsonFields.invalid("firmware.cmake", "an object {source, target, toolchain_file}", null);
      }
      JsonFields.onlyKeys(c, List.of("source", "target", "toolchain_file"), "firmware.cmake");
      for (String k : List.of("source", "target", "toolchain_file")) {
        JsonFields.string(c.getValue(k), "firmware.cmake." + k);
      }
    } else if (JsonFields.string(fw.getValue(key), "firmware." + key) == null) {
      throw JsonFields.invalid("firmware." + key, "a string", null);
    }
    if (key.equals("id")) {
      Ids.requireId(fw.getString("id"), "firmware id");
    }
    return fw;
  }

  /** Validates a submission; {@code defaultId} is used when the body has none (null: id required). */
  public static JobSpec parse(JsonObject j, String defaultId) {
    return new JobSpec(j, id(j, defaultId), true);
  }

  /**
   * A job as the store holds it, to run it: checked as at submission except for unknown keys, so a job
   * stored before a key was retired still runs.
   */
  public static JobSpec stored(JsonObject j) {
    return new JobSpec(j, id(j, null), false);
  }

  private static String id(JsonObject j, String defaultId) {
    String id = JsonFields.string(j.getValue("id"), "id");
    if (id == null) {
      if (defaultId == null) {
        throw new HilException(400, "id is required");
      }
      id = defaultId;
    }
    return Ids.requireId(id, "job id");
  }

  private static String optId(JsonObject j, String k) {
    String s = JsonFields.string(j.getValue(k), k);
    return s == null ? null : Ids.requireId(s, k);
  }
}
