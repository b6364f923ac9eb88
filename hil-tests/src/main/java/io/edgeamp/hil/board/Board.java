package io.edgeamp.hil.board;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One board, emulated or real, and its live state. States (DESIGN.md): idle, leased, flashing,
 * running, offline. Thread-safe: the scheduler, job workers, health checks and the REST API touch it.
 */
public final class Board {
  public static final String IDLE = "idle";
  public static final String LEASED = "leased";
  public static final String FLASHING = "flashing";
  public static final String RUNNING = "running";
  public static final String OFFLINE = "offline";

  public final String id;
  public final String profile;
  /** "qemu" or "command" (a real board flashed by a command). */
  public final String kind;
  public final Set<String> tags;
  /** Emulated boards only. */
  public final QemuMachine qemu;
  /** Real boards only: the hardware-map entry. */
  public final HardwareMap.Entry hw;

  private final Consumer<Board> onChange;
  private String state = IDLE;
  private String job;
  private String lease;
  private long leaseExpires;
  private String firmware;
  private String reason;
  private long offlineSince;
  private int failures;
  private volatile Process process;

  public Board(String id, String profile, String kind, Set<String> tags, QemuMachine qemu, HardwareMap.Entry hw,
      Consumer<Board> onChange) {
    this.id = id;
    this.profile = profile;
    this.kind = kind;
    this.tags = Set.copyOf(tags);
    this.qemu = qemu;
    this.hw = hw;
    this.onChange = onChange;
  }

  public synchronized String state() {
    return state;
  }

  public synchronized String job() {
    return job;
  }

  public synchronized String lease() {
    return lease;
  }

  public synchronized long leaseExpires() {
    return leaseExpires;
  }

  public synchronized boolean online() {
    return !OFFLINE.equals(state);
  }

  /** Free for a job: idle, or leased with the job's lease. */
  public synchronized boolean availableFor(String leaseId) {
    if (job != null || OFFLINE.equals(state)) {
      return false;
    }
    return lease == null || lease.equals(leaseId);
  }

  public synchronized boolean matches(String boardId, String profileId, List<String> wantTags) {
    if (boardId != null && !boardId.equals(id)) {
      return false;
    }
    if (profileId != null && !(profileId.equals(profile) || (qemu != null && profileId.equals(qemu.machine)))) {
      return false;
    }
    return wantTags == null || tags.containsAll(wantTags);
  }

  /** Takes the board for a job; false if it is busy, offline or leased to someone else. */
  public boolean acquire(String jobId, String leaseId) {
    synchronized (this) {
      if (!availableFor(leaseId)) {
        return false;
      }
      job = jobId;
      state = FLASHING;
    }
    onChange.accept(this);
    return true;
  }

  public void running(String firmwareName) {
    synchronized (this) {
      state = RUNNING;
      firmware = firmwareName;
    }
    onChange.accept(this);
  }

  /** The job is over; a failed attempt takes the board offline until a health check passes. */
  public void release(boolean healthy, String why) {
    synchronized (this) {
      job = null;
      process = null;
      if (healthy) {
        failures = 0;
        state = lease != null ? LEASED : IDLE;
      } else {
        failures++;
        state = OFFLINE;
        reason = why;
        offlineSince = System.currentTimeMillis();
      }
    }
    onChange.accept(this);
  }

  /** A failed health check: offline unless a job took the board while the check ran (the job's outcome decides then). */
  public void offline(String why) {
    synchronized (this) {
      if (OFFLINE.equals(state) || job != null) {
        return;
      }
      state = OFFLINE;
      reason = why;
      offlineSince = System.currentTimeMillis();
    }
    onChange.accept(this);
  }

  /** A passed health check: back online unless a job is on it. */
  public void online(String why) {
    synchronized (this) {
      if (!OFFLINE.equals(state) || job != null) {
        return;
      }
      state = lease != null ? LEASED : IDLE;
      reason = why;
    }
    onChange.accept(this);
  }

  public synchronized long offlineSince() {
    return offlineSince;
  }

  public boolean lease(String leaseId, long expires) {
    synchronized (this) {
      if (lease != null && !lease.equals(leaseId)) {
        return false;
      }
      if (OFFLINE.equals(state) && lease == null) {
        return false;
      }
      lease = leaseId;
      leaseExpires = expires;
      if (IDLE.equals(state)) {
        state = LEASED;
      }
    }
    onChange.accept(this);
    return true;
  }

  public void unlease(String leaseId) {
    synchronized (this) {
      if (lease == null || !lease.equals(leaseId)) {
        return;
      }
      lease = null;
      leaseExpires = 0;
      if (LEASED.equals(state)) {
        state = IDLE;
      }
    }
    onChange.accept(this);
  }

  /** The emulator (or flasher) process of the running attempt, for kill-on-timeout and tests. */
  public Process process() {
    return process;
  }

  public void process(Process p) {
    this.process = p;
  }

  public synchronized JsonObject toJson() {
    JsonObject o = new JsonObject().put("id", id).put("profile", profile).put("kind", kind)
        .put("tags", new JsonArray(List.copyOf(tags))).put("state", state).put("job", job).put("lease", lease)
        .put("firmware", firmware).put("failures", failures).put("reason", reason);
    if (qemu != null) {
      o.put("qemu", new JsonObject().put("machine", qemu.machine).put("cpu", qemu.cpu));
    }
    if (hw != null && hw.fixtures != null) {
      o.put("fixtures", new JsonObject(Map.copyOf(hw.fixtures)));
    }
    return o;
  }

  /** The retained MQTT status payload. */
  public synchronized JsonObject status() {
    return new JsonObject().put("board", id).put("state", state).put("firmware", firmware).put("job", job)
        .put("profile", profile).put("reason", reason);
  }
}
