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
 *  "iterations": 1, "warmup": 0, "metric": "top1"|"bit_exact",
 *  "max_attempts": 3, "timeouts": {"flash_s": 20, "boot_s": 10, "run_s": 120}}
 * </pre>
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

  private JobSpec(JsonObject j, String id) {
    this.id = id;
    this.board = optId(j, "board");
    this.profile = optId(j, "profile");
    JsonArray t = j.getJsonArray("tags");
    if (t != null) {
      tags = new ArrayList<>();
      for (Object o : t) {
        tags.add(Ids.requireId(String.valueOf(o), "tag"));
      }
    } else {
      tags = null;
    }
    if (board == null && profile == null && tags == null) {
      throw new HilException(400, "a job needs a board, a profile or tags");
    }
    this.lease = optId(j, "lease");
    this.firmware = j.getJsonObject("firmware");
    if (firmware == null || firmware.size() != 1 || !(firmware.containsKey("id") || firmware.containsKey("path")
        || firmware.containsKey("elf_base64") || firmware.containsKey("cmake"))) {
      throw new HilException(400, "firmware must be exactly one of {id}, {path}, {elf_base64}, {cmake}");
    }
    if (firmware.containsKey("id")) {
      Ids.requireId(firmware.getString("id"), "firmware id");
    }
    this.model = j.getString("model");
    if (model != null && !model.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new HilException(400, "invalid model name");
    }
    JsonArray v = j.getJsonArray("vectors");
    if (v == null || v.isEmpty() || v.size() > MAX_VECTORS) {
      throw new HilException(400, "vectors: 1.." + MAX_VECTORS + " test vectors are required");
    }
    vectors = new ArrayList<>();
    boolean allLabelled = true;
    for (int i = 0; i < v.size(); i++) {
      JsonObject o = v.getJsonObject(i);
      byte[] in;
      try {
        in = HexFormat.of().parseHex(o.getString("input", ""));
      } catch (IllegalArgumentException e) {
        throw new HilException(400, "vector " + i + ": input must be hex");
      }
      if (in.length == 0 || in.length > MAX_INPUT) {
        throw new HilException(400, "vector " + i + ": input of 1.." + MAX_INPUT + " bytes required");
      }
      int[] exp = null;
      JsonArray e = o.getJsonArray("expected");
      if (e != null) {
        exp = new int[e.size()];
        for (int k = 0; k < exp.length; k++) {
          exp[k] = e.getInteger(k);
        }
      }
      Integer label = o.getInteger("label");
      allLabelled &= label != null;
      vectors.add(new Vector(in, exp, label));
    }
    this.iterations = range(j, "iterations", 1, 1, 1_000_000);
    this.warmup = range(j, "warmup", 0, 0, 1000);
    String m = j.getString("metric", allLabelled ? "top1" : "bit_exact");
    if (!m.equals("top1") && !m.equals("bit_exact")) {
      throw new HilException(400, "metric must be top1 or bit_exact");
    }
    if (m.equals("top1") && !allLabelled) {
      throw new HilException(400, "metric top1 needs a label on every vector");
    }
    this.metric = m;
    this.maxAttempts = j.containsKey("max_attempts") ? range(j, "max_attempts", 3, 1, 10) : null;
    this.timeouts = j.getJsonObject("timeouts", new JsonObject());
    for (String k : timeouts.fieldNames()) {
      if (!List.of("flash_s", "boot_s", "run_s").contains(k)) {
        throw new HilException(400, "unknown timeout " + k);
      }
      range(timeouts, k, 1, 1, 24 * 3600);
    }
  }

  /** Validates a submission; {@code defaultId} is used when the body has none (null: id required). */
  public static JobSpec parse(JsonObject j, String defaultId) {
    String id = j.getString("id");
    if (id == null) {
      if (defaultId == null) {
        throw new HilException(400, "id is required");
      }
      id = defaultId;
    }
    return new JobSpec(j, Ids.requireId(id, "job id"));
  }

  private static String optId(JsonObject j, String k) {
    String s = j.getString(k);
    return s == null ? null : Ids.requireId(s, k);
  }

  private static int range(JsonObject j, String k, int def, int lo, int hi) {
    Object o = j.getValue(k);
    if (o == null) {
      return def;
    }
    if (!(o instanceof Number)) {
      throw new HilException(400, k + " must be a number");
    }
    int v = ((Number) o).intValue();
    if (v < lo || v > hi) {
      throw new HilException(400, k + " must be in " + lo + ".." + hi);
    }
    return v;
  }
}
