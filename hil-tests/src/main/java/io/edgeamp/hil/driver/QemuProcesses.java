package io.edgeamp.hil.driver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The QEMU processes of this server, each recorded while it runs in {@code work/qemu-pids/<board>-<pid>.json}
 * (pid, start time, command line). A JVM that dies without running its shutdown hooks (kill -9, the OOM
 * killer) leaves its QEMUs running, re-parented to init, the firmware polling its UART at ~77% CPU each,
 * forever; the next server on the work dir ends them ({@link #reapLeftovers}). A recorded pid is killed
 * only while that process has the recorded start time and command line, so a pid the kernel has since
 * given to another process is never touched. {@link #killAll} is for the shutdown hook of a normal exit.
 */
public final class QemuProcesses {
  private static final Logger LOG = Logger.getLogger(QemuProcesses.class.getName());
  private final Path dir;
  private final Map<Long, Process> live = new ConcurrentHashMap<>();

  public QemuProcesses(Path dir) {
    this.dir = dir;
  }

  /** Records a QEMU just started for a board; the record goes when the process ends. */
  public void started(String board, Process p, List<String> command) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(board + "-" + p.pid() + ".json");
    JsonObject rec = new JsonObject().put("pid", p.pid()).put("board", board)
        .put("start", startMillis(p.toHandle()).orElse(null)).put("command", new JsonArray(new ArrayList<>(command)));
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    Files.writeString(tmp, rec.encode(), StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    live.put(p.pid(), p);
    p.onExit().thenRun(() -> {
      live.remove(p.pid());
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.log(Level.FINE, "removing " + file, e);
      }
    });
  }

  /** Shutdown hook: ends every QEMU still running, without waiting (the JVM is exiting). */
  public void killAll() {
    for (Process p : live.values()) {
      p.destroyForcibly();
    }
  }

  /**
   * At start, before any board runs: ends the QEMUs a previous server on this work dir left running, and
   * clears all records. Returns the pids it ended.
   */
  public List<Long> reapLeftovers() throws IOException {
    List<Long> ended = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return ended;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (f.getFileName().toString().endsWith(".json")) {
          reap(f).ifPresent(ended::add);
        }
        Files.deleteIfExists(f);
      }
    }
    return ended;
  }

  private Optional<Long> reap(Path f) {
    JsonObject rec;
    try {
      rec = new JsonObject(Files.readString(f, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "unreadable QEMU record {0}: {1}", new Object[] {f, e.toString()});
      return Optional.empty();
    }
    long pid = rec.getLong("pid", -1L);
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive() || live.containsKey(pid)) {
      return Optional.empty();
    }
    List<String> command = new ArrayList<>();
    rec.getJsonArray("command", new JsonArray()).forEach(o -> command.add(String.valueOf(o)));
    Long start = rec.getLong("start");
    if (!sameProcess(h.get(), start, command)) {
      LOG.log(Level.INFO, "pid {0} of a recorded QEMU now belongs to another process; left alone", Long.toString(pid));
      return Optional.empty();
    }
    LOG.log(Level.WARNING, "ending QEMU pid {0} (board {1}) left running by a server that did not stop",
        new Object[] {Long.toString(pid), rec.getString("board")});
    h.get().destroyForcibly();
    try {
      h.get().onExit().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "QEMU pid " + pid + " did not end within 5 s", e);
    }
    return Optional.of(pid);
  }

  /** The process still is the one recorded: same start time (when known) and the same command line. */
  static boolean sameProcess(ProcessHandle h, Long startMillis, List<String> command) {
    Optional<Long> start = startMillis(h);
    if (startMillis != null && start.isPresent() && !start.get().equals(startMillis)) {
      return false;
    }
    List<String> argv = commandLine(h).orElse(List.of());
    // argv[0] by file name: the JDK's fallback reports the resolved binary, we recorded what we ran
    return !command.isEmpty() && argv.size() == command.size()
        && Path.of(argv.get(0)).getFileName().equals(Path.of(command.get(0)).getFileName())
        && argv.subList(1, argv.size()).equals(command.subList(1, command.size()));
  }

  /** The argv of a process: /proc/<pid>/cmdline where there is one (Linux), else what the JDK reports. */
  static Optional<List<String>> commandLine(ProcessHandle h) {
    Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
    try {
      if (Files.exists(proc)) {
        String s = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8);
        if (s.endsWith("\0")) {
          s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? Optional.empty() : Optional.of(List.of(s.split("\0", -1)));
      }
    } catch (IOException e) {
      return Optional.empty(); // gone, or not ours to read
    }
    ProcessHandle.Info i = h.info();
    if (i.command().isEmpty() || i.arguments().isEmpty()) {
      return Optional.empty();
    }
    List<String> argv = new ArrayList<>();
    argv.add(i.command().get());
    argv.addAll(List.of(i.arguments().get()));
    return Optional.of(argv);
  }

  private static Optional<Long> startMillis(ProcessHandle h) {
    return h.info().startInstant().map(Instant::toEpochMilli);
  }
}
