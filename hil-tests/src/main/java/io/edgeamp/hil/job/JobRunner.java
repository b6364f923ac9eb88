package io.edgeamp.hil.job;

import io.edgeamp.hil.HilConfig;
import io.edgeamp.hil.HilException;
import io.edgeamp.hil.board.Board;
import io.edgeamp.hil.driver.BoardDriver;
import io.edgeamp.hil.driver.BoardSession;
import io.edgeamp.hil.driver.HarnessClient;
import io.edgeamp.hil.driver.Timeouts;
import io.edgeamp.hil.mqtt.MqttBridge;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One attempt of one job on one board (blocking, on a job worker thread): firmware (build if
 * needed), flash, boot, then per vector load + infer, telemetry per vector, progress events, and the
 * evaluated result. Board trouble (console lost, timeouts, flasher failure) is thrown as
 * {@link HarnessClient.BoardLostException} so the job is retried on another board; the job's own
 * errors (firmware refuses the input, wrong model, build failure) are not retried.
 */
public final class JobRunner {
  private final HilConfig cfg;
  private final Firmware firmware;
  private final BoardDriver qemu;
  private final BoardDriver command;
  private final MqttBridge mqtt;

  public JobRunner(HilConfig cfg, Firmware firmware, BoardDriver qemu, BoardDriver command, MqttBridge mqtt) {
    this.cfg = cfg;
    this.firmware = firmware;
    this.qemu = qemu;
    this.command = command;
    this.mqtt = mqtt;
  }

  public JsonObject run(JobSpec spec, Board board, int attempt) throws IOException {
    Path logDir = cfg.workDir.resolve("logs").resolve(spec.id).resolve("attempt-" + attempt);
    JsonObject to = spec.timeouts;
    Timeouts t = new Timeouts(to.getInteger("flash_s", cfg.flashTimeoutS) * 1000L,
        to.getInteger("boot_s", cfg.bootTimeoutS) * 1000L, to.getInteger("run_s", cfg.runTimeoutS) * 1000L);
    Path elf = firmware.elfFor(spec.firmware, board, logDir);
    mqtt.event(spec.id, new JsonObject().put("type", "flashing").put("board", board.id).put("attempt", attempt));
    long t0 = System.nanoTime();
    BoardDriver driver = "qemu".equals(board.kind) ? qemu : command;
    try (BoardSession s = driver.open(board, elf, t, logDir)) {
      HarnessClient h = s.harness();
      String model = h.name(t.runMs);
      if (spec.model != null && !spec.model.equals(model)) {
        throw new HilException(400, "firmware reports model " + model + ", job expects " + spec.model);
      }
      String unit = h.timerUnit(t.runMs);
      board.running(model);
      mqtt.event(spec.id, new JsonObject().put("type", "running").put("board", board.id).put("attempt", attempt)
          .put("model", model).put("vectors", spec.vectors.size()));
      List<Metrics.Measured> measured = new ArrayList<>();
      java.util.Map<Integer, HarnessClient.Layer> layerKeys = new java.util.TreeMap<>();
      java.util.Map<Integer, List<Long>> layerCounts = new java.util.TreeMap<>();
      int step = Math.max(1, spec.vectors.size() / 10);
      for (int i = 0; i < spec.vectors.size(); i++) {
        JobSpec.Vector v = spec.vectors.get(i);
        h.load(v.input, t.runMs);
        HarnessClient.Inference inf = h.infer(spec.iterations, spec.warmup, t.runMs);
        measured.add(new Metrics.Measured(inf.outputs, inf.cycles, inf.us));
        for (HarnessClient.Layer l : inf.layers) {
          layerKeys.putIfAbsent(l.index(), l);
          layerCounts.computeIfAbsent(l.index(), k -> new ArrayList<>()).add(l.count());
        }
        JsonObject lat = Metrics.stats(inf.cycles);
        JsonObject tel = new JsonObject().put("job", spec.id).put("board", board.id).put("model", model)
            .put("vector", i).put("latency_cycles", lat.getLong("median")).put("latency_us", Metrics.stats(inf.us).getLong("median"))
            .put("unit", unit);
        // the job's own metric where the vector supports it (a top1 job's vectors usually carry expected outputs too)
        if (v.label != null && ("top1".equals(spec.metric) || v.expected == null)) {
          tel.put("metric", "top1").put("value", Metrics.argmax(inf.outputs) == v.label ? 1 : 0);
        } else if (v.expected != null) {
          tel.put("metric", "bit_exact").put("value", Metrics.firstDifference(inf.outputs, v.expected) < 0 ? 1 : 0);
        }
        mqtt.telemetry(board.id, tel);
        if ((i + 1) % step == 0 || i + 1 == spec.vectors.size()) {
          mqtt.event(spec.id, new JsonObject().put("type", "progress").put("board", board.id).put("done", i + 1)
              .put("total", spec.vectors.size()));
        }
      }
      JsonObject r = new JsonObject().put("job", spec.id).put("state", "done").put("board", board.id)
          .put("profile", board.profile).put("model", model).put("unit", unit)
          .put("unit_note", "instructions".equals(unit)
              ? "QEMU -icount shift=0: instruction counts and virtual microseconds, not real cycles" : "cycles")
          .put("iterations", spec.iterations).put("warmup", spec.warmup).put("vectors", spec.vectors.size())
          .put("attempt", attempt).put("wall_ms", (System.nanoTime() - t0) / 1_000_000);
      JsonObject out = Metrics.evaluate(spec, measured, r);
      if (!layerKeys.isEmpty()) {
        io.vertx.core.json.JsonArray layers = new io.vertx.core.json.JsonArray();
        for (HarnessClient.Layer l : layerKeys.values()) {
          JsonObject st = Metrics.stats(layerCounts.get(l.index()));
          layers.add(new JsonObject().put("index", l.index()).put("name", l.name()).put("kind", l.kind()).put("shape", l.shape())
              .put("bits", l.bits()).put("cycles_median", st.getLong("median")).put("cycles_min", st.getLong("min"))
              .put("cycles_max", st.getLong("max")).put("samples", st.getInteger("samples")));
        }
        out.put("layer_latency", layers);
      }
      return out;
    }
  }

  /**
   * Latency table rows: one whole-model row ({@code layer_kind: model}) and, when the firmware reported
   * per-layer counts ({@code result.layer_latency}), one row per layer keyed by kind, shape and bits.
   */
  public static List<JsonObject> latencyRows(JobSpec spec, Board board, JsonObject result) {
    JsonObject c = result.getJsonObject("latency").getJsonObject("cycles");
    JsonObject u = result.getJsonObject("latency").getJsonObject("us");
    if (c.getInteger("samples", 0) == 0) {
      return List.of();
    }
    int in = spec.vectors.get(0).input.length;
    List<Object> outs = result.getJsonArray("per_vector").getJsonObject(0).getJsonArray("outputs").getList();
    List<JsonObject> rows = new ArrayList<>();
    rows.add(new JsonObject().put("board", board.id).put("profile", board.profile).put("model", result.getString("model"))
        .put("layer", (String) null).put("layer_kind", "model").put("shape", "in[" + in + "]->out[" + outs.size() + "]")
        .put("bits", (Integer) null).put("unit", result.getString("unit")).put("cycles_median", c.getLong("median"))
        .put("cycles_min", c.getLong("min")).put("cycles_max", c.getLong("max"))
        .put("us_median", u.getDouble("median") == null ? null : u.getDouble("median")).put("samples", c.getInteger("samples"))
        .put("job", spec.id).put("ts", System.currentTimeMillis()));
    io.vertx.core.json.JsonArray layers = result.getJsonArray("layer_latency");
    if (layers != null) {
      for (int i = 0; i < layers.size(); i++) {
        JsonObject l = layers.getJsonObject(i);
        rows.add(new JsonObject().put("board", board.id).put("profile", board.profile).put("model", result.getString("model"))
            .put("layer", l.getString("name")).put("layer_kind", l.getString("kind")).put("shape", l.getString("shape"))
            .put("bits", l.getInteger("bits")).put("unit", result.getString("unit")).put("cycles_median", l.getLong("cycles_median"))
            .put("cycles_min", l.getLong("cycles_min")).put("cycles_max", l.getLong("cycles_max")).put("us_median", (Double) null)
            .put("samples", l.getInteger("samples")).put("job", spec.id).put("ts", System.currentTimeMillis()));
      }
    }
    return rows;
  }
}
