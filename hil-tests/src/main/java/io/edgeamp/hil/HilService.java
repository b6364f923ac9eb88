package io.edgeamp.hil;

import io.edgeamp.hil.board.Board;
import io.edgeamp.hil.board.BoardRegistry;
import io.edgeamp.hil.board.HardwareMap;
import io.edgeamp.hil.driver.CommandDriver;
import io.edgeamp.hil.driver.HarnessClient;
import io.edgeamp.hil.driver.QemuMachineList;
import io.edgeamp.hil.job.Firmware;
import io.edgeamp.hil.job.JobRunner;
import io.edgeamp.hil.job.JobSpec;
import io.edgeamp.hil.job.JsonFields;
import io.edgeamp.hil.mqtt.MqttBridge;
import io.edgeamp.hil.store.HilStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's operations, shared by the verticles. Methods that touch the database, processes or
 * files block: verticles call them through executeBlocking / the job worker pool. Methods marked
 * non-blocking only touch in-memory board state.
 */
public final class HilService {
  private static final Logger LOG = Logger.getLogger(HilService.class.getName());

  public final HilConfig cfg;
  public final HilStore store;
  public final BoardRegistry boards;
  public final MqttBridge mqtt;
  public final Firmware firmware;
  private final JobRunner runner;
  private final Map<String, JsonObject> leases = new ConcurrentHashMap<>();
  private final QemuMachineList qemuMachines;
  private volatile boolean stopping;

  public HilService(HilConfig cfg, HilStore store, BoardRegistry boards, MqttBridge mqtt, Firmware firmware, JobRunner runner) {
    this.cfg = cfg;
    this.store = store;
    this.boards = boards;
    this.mqtt = mqtt;
    this.firmware = firmware;
    this.runner = runner;
    this.qemuMachines = new QemuMachineList(cfg.qemuBinary, cfg.qemuHealthCacheMs, 15);
  }

  public boolean stopping() {
    return stopping;
  }

  /** From now on failures are the shutdown's doing: attempts stay open and are requeued at the next start. */
  public void stopping(boolean s) {
    stopping = s;
  }

  // ------------------------------------------------------------------ submissions (blocking)

  /** Validates and stores a job; the caller acknowledges only after this returns. */
  public JsonObject submit(JsonObject body, String source, boolean idRequired) {
    JobSpec spec = JobSpec.parse(body, idRequired ? null : Ids.newId("job"));
    if (boards.matching(spec.board, spec.profile, spec.tags).isEmpty()) {
      throw new NoMatchingBoardException();
    }
    JsonObject stored = body.copy().put("id", spec.id);
    firmware.normalize(stored);
    int max = spec.maxAttempts != null ? spec.maxAttempts : cfg.defaultMaxAttempts;
    boolean fresh = store.insertJob(spec.id, stored, max, source);
    // Announced for a resubmission too: "accepted" is the MQTT submitter's acknowledgement (the
    // broker's PUBACK is not: with "$share" a broker may drop a submission no server is subscribed
    // for, see README "MQTT"), so a submitter that missed it resubmits the same id until it sees one.
    mqtt.event(spec.id, new JsonObject().put("type", "accepted").put("source", source).put("duplicate", !fresh));
    return new JsonObject().put("id", spec.id).put("state", fresh ? HilStore.QUEUED : store.job(spec.id).map(j -> j.getString("state")).orElse("?"))
        .put("duplicate", !fresh);
  }

  /** A valid job for boards this server does not have. */
  static final class NoMatchingBoardException extends HilException {
    private static final long serialVersionUID = 1L;

    NoMatchingBoardException() {
      super(400, "no board of this server matches board/profile/tags");
    }
  }

  /** MQTT submissions, on Paho's callback thread: stored (or passed on) before the PUBACK goes out. */
  public void submitFromMqtt(String topic, byte[] payload) {
    String id = null;
    try {
      if (payload.length > cfg.maxUploadBytes) {
        throw new HilException(413, "submission larger than " + cfg.maxUploadBytes + " bytes");
      }
      JsonObject body = new JsonObject(new String(payload, StandardCharsets.UTF_8));
      id = body.getValue("id") instanceof String ? (String) body.getValue("id") : null; // a wrong type is parse's to report
      // how many servers of the shared group passed it on already (README "Scale-out"); not part of the job
      long hops = JsonFields.integer(body.remove(HOPS), HOPS, 0, 0, Integer.MAX_VALUE);
      try {
        JsonObject r = submit(body, "mqtt", true);
        LOG.log(Level.FINE, "MQTT job {0} stored", r.getString("id"));
      } catch (NoMatchingBoardException e) {
        passOn(id, body, hops);
      }
    } catch (HilException | DecodeException | ClassCastException e) {
      String where = Ids.isId(id) ? id : "invalid";
      mqtt.event(where, new JsonObject().put("type", "rejected").put("error", e.getMessage()));
      LOG.log(Level.INFO, "MQTT job rejected: {0}", e.getMessage());
    }
  }

  /** The hop count a server adds to a submission it passes on to the shared group. */
  public static final String HOPS = "hops";

  /**
   * Scale-out: the broker hands each submission to one server of the shared group, which may not have
   * the board it asks for while another server does. Rejecting it there (final for the submitter) lost
   * such jobs about half the time with two servers. It goes back to the shared submit topic instead, its
   * hop count raised, so the broker hands it to another member; only after {@code cfg.maxSubmitHops}
   * servers in a row had no matching board is it rejected. Without a shared group (embedded broker) this
   * server is the only subscriber: rejected at once.
   */
  private void passOn(String id, JsonObject body, long hops) {
    if (!cfg.useSharedSubscription()) {
      throw new NoMatchingBoardException();
    }
    if (hops + 1 >= cfg.maxSubmitHops) {
      throw new HilException(400, "no board matches board/profile/tags: " + (hops + 1) + " servers of site " + cfg.site
          + " in turn had none");
    }
    mqtt.forwardSubmission(body.copy().put(HOPS, hops + 1));
    mqtt.event(id, new JsonObject().put("type", "forwarded").put("server", cfg.serverId).put(HOPS, hops + 1));
    LOG.log(Level.FINE, "MQTT job {0}: no matching board here, passed on (hop {1})", new Object[] {id, hops + 1});
  }

  // ------------------------------------------------------------------ scheduling

  /** Non-blocking: the first free board for a queued job, acquired for it, or null. */
  public Board acquireBoard(JsonObject row) {
    JsonObject spec = row.getJsonObject("spec");
    List<String> tags = null;
    JsonArray t = spec.getJsonArray("tags");
    if (t != null) {
      tags = new ArrayList<>();
      for (Object o : t) {
        tags.add(String.valueOf(o));
      }
    }
    List<Board> candidates = boards.matching(spec.getString("board"), spec.getString("profile"), tags);
    List<String> excluded = List.of(row.getString("exclude_boards", "").split(","));
    String lease = spec.getString("lease");
    boolean otherExists = false;
    for (Board b : candidates) {
      if (!excluded.contains(b.id)) {
        otherExists = true;
        if (b.acquire(row.getString("id"), lease)) {
          return b;
        }
      }
    }
    if (!otherExists) {
      // Only boards that failed this job before exist: try them again rather than never.
      for (Board b : candidates) {
        if (b.acquire(row.getString("id"), lease)) {
          return b;
        }
      }
    }
    return null;
  }

  /** Blocking: marks the job running on the board; -1 (and the board released) if someone else took it. */
  public int claim(String jobId, Board b) {
    int attempt = store.claim(jobId, b.id);
    if (attempt < 0) {
      b.release(true, null);
    } else {
      mqtt.event(jobId, new JsonObject().put("type", "started").put("board", b.id).put("attempt", attempt));
    }
    return attempt;
  }

  /** What one attempt came to. */
  public static final class Outcome {
    public final String jobId;
    public final Board board;
    public final int attempt;
    public final JsonObject result;
    public final Throwable error;
    public final boolean boardFault;
    final JobSpec spec;

    Outcome(String jobId, Board board, int attempt, JobSpec spec, JsonObject result, Throwable error, boolean boardFault) {
      this.jobId = jobId;
      this.board = board;
      this.attempt = attempt;
      this.spec = spec;
      this.result = result;
      this.error = error;
      this.boardFault = boardFault;
    }
  }

  /** Blocking: runs the attempt; never throws, errors come back in the outcome. */
  public Outcome run(JsonObject row, Board b, int attempt) {
    String id = row.getString("id");
    JobSpec spec = null;
    try {
      spec = JobSpec.stored(row.getJsonObject("spec"));
      return new Outcome(id, b, attempt, spec, runner.run(spec, b, attempt), null, false);
    } catch (HarnessClient.BoardLostException e) {
      return new Outcome(id, b, attempt, spec, null, e, true);
    } catch (IOException e) {
      // Harness errors are the job's (bad input for this firmware); other I/O is the board's.
      return new Outcome(id, b, attempt, spec, null, e, !(e instanceof HarnessClient.HarnessErrorException));
    } catch (RuntimeException e) {
      return new Outcome(id, b, attempt, spec, null, e, false);
    }
  }

  /** Blocking: stores the outcome, frees the board and publishes the result or the retry. */
  public void record(Outcome o) {
    if (stopping) {
      // The shutdown killed the board: leave the attempt open; the next start requeues the job.
      return;
    }
    if (o.error == null) {
      store.complete(o.jobId, o.attempt, o.result.put("attempts", o.attempt).put("server", cfg.serverId)
          .put("ts", System.currentTimeMillis()), JobRunner.latencyRows(o.spec, o.board, o.result));
      o.board.release(true, null);
      mqtt.event(o.jobId, new JsonObject().put("type", "done").put("verdict", o.result.getString("verdict")));
      mqtt.result(o.jobId, o.result);
      return;
    }
    String msg = o.error.getClass().getSimpleName() + ": " + o.error.getMessage();
    String state = store.failAttempt(o.jobId, o.attempt, o.board.id, msg, o.boardFault);
    o.board.release(!o.boardFault, msg);
    mqtt.event(o.jobId, new JsonObject().put("type", "attempt-failed").put("board", o.board.id).put("attempt", o.attempt)
        .put("error", msg).put("next", HilStore.QUEUED.equals(state) ? "retry" : "give-up"));
    if (HilStore.FAILED.equals(state)) {
      JsonObject result = new JsonObject().put("job", o.jobId).put("state", "failed").put("verdict", "error")
          .put("error", msg).put("attempts", o.attempt).put("server", cfg.serverId).put("ts", System.currentTimeMillis())
          .put("attempt_log", store.job(o.jobId).map(j -> j.getJsonArray("attempt_log")).orElse(new JsonArray()));
      store.storeFailureResult(o.jobId, result);
      mqtt.result(o.jobId, result);
    }
  }

  /** Blocking: results stored but not yet acknowledged by the broker (e.g. after a crash) go out again. */
  public void republishPending() {
    for (JsonObject r : store.unpublishedResults()) {
      mqtt.result(r.getString("job"), r);
    }
  }

  // ------------------------------------------------------------------ health (blocking)

  /** True if the board can take jobs: QEMU runs and knows the machine; a real board's health argv exits 0. */
  public boolean healthy(Board b) {
    try {
      if (b.qemu != null) {
        return qemuMachines.knows(b.qemu.machine);
      }
      HardwareMap.Command h = b.hw.health;
      if (h == null || h.argv.isEmpty()) {
        return true;
      }
      return CommandDriver.run(CommandDriver.expand(h.argv, null, b.id, cfg.workDir), h.timeoutS,
          cfg.workDir.resolve("logs").resolve("health").resolve(b.id + ".log")) == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ leases (blocking)

  public JsonObject createLease(JsonObject req) {
    int ttl = ttl(req);
    String owner = JsonFields.string(req.getValue("owner"), "owner");
    owner = owner == null ? "anonymous" : owner;
    if (owner.length() > 200) {
      throw new HilException(400, "owner too long");
    }
    List<String> tags = JsonFields.ids(req.getValue("tags"), "tags", "tag");
    String boardId = JsonFields.string(req.getValue("board"), "board");
    boardId = boardId == null ? null : Ids.requireId(boardId, "board");
    String profile = JsonFields.string(req.getValue("profile"), "profile");
    profile = profile == null ? null : Ids.requireId(profile, "profile");
    if (boardId == null && profile == null && tags == null) {
      throw new HilException(400, "a lease needs a board, a profile or tags");
    }
    String id = Ids.newId("lease");
    long expires = System.currentTimeMillis() + ttl * 1000L;
    for (Board b : boards.matching(boardId, profile, tags)) {
      if (b.job() == null && b.lease() == null && b.online() && b.lease(id, expires)) {
        JsonObject l = new JsonObject().put("id", id).put("board", b.id).put("owner", owner).put("expires", expires);
        store.putLease(id, b.id, owner, expires);
        leases.put(id, l);
        return l;
      }
    }
    throw new HilException(409, "no free board matches the lease request");
  }

  public JsonObject renewLease(String id, JsonObject req) {
    JsonObject l = leases.get(Ids.requireId(id, "lease id"));
    if (l == null) {
      throw new HilException(404, "no such lease (expired or released)");
    }
    long expires = System.currentTimeMillis() + ttl(req) * 1000L;
    Board b = boards.get(l.getString("board")).orElseThrow();
    b.lease(id, expires);
    store.putLease(id, b.id, l.getString("owner"), expires);
    l.put("expires", expires);
    return l;
  }

  public void releaseLease(String id) {
    JsonObject l = leases.remove(Ids.requireId(id, "lease id"));
    if (l == null) {
      throw new HilException(404, "no such lease");
    }
    boards.get(l.getString("board")).ifPresent(b -> b.unlease(id));
    store.deleteLease(id);
  }

  public List<JsonObject> leases() {
    return new ArrayList<>(leases.values());
  }

  /** Releases expired leases; returns how many. */
  public int expireLeases() {
    long now = System.currentTimeMillis();
    int n = 0;
    for (JsonObject l : new ArrayList<>(leases.values())) {
      if (l.getLong("expires") <= now) {
        leases.remove(l.getString("id"));
        boards.get(l.getString("board")).ifPresent(b -> b.unlease(l.getString("id")));
        store.deleteLease(l.getString("id"));
        n++;
      }
    }
    return n;
  }

  /** After a restart: leases still valid are put back on their boards. */
  public void restoreLeases() {
    for (JsonObject l : store.leases()) {
      Board b = boards.get(l.getString("board")).orElse(null);
      if (b != null && l.getLong("expires") > System.currentTimeMillis() && b.lease(l.getString("id"), l.getLong("expires"))) {
        leases.put(l.getString("id"), l);
      } else {
        store.deleteLease(l.getString("id"));
      }
    }
  }

  private int ttl(JsonObject req) {
    return (int) JsonFields.integer(req.getValue("ttl_s"), "ttl_s", 300, 1, cfg.maxLeaseTtlS);
  }

  // ------------------------------------------------------------------ latency table (blocking)

  /** The latency table for the quantizer's ilp allocator (--latency-table). */
  public JsonObject latencyTable(String board, String profile) {
    return new JsonObject().put("schema", "edgeamp.latency-table").put("version", 1)
        .put("generated", System.currentTimeMillis())
        .put("note", "rows with layer_kind 'model' are whole-model latencies; per-layer rows (layer, layer_kind, shape, bits)"
            + " appear once generated firmware reports per-layer laps. unit 'instructions' = QEMU -icount counts, not cycles.")
        .put("rows", new JsonArray(store.latencyRows(board, profile)));
  }
}
