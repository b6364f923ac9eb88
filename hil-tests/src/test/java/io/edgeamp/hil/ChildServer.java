package io.edgeamp.hil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link ChildServerMain} process: a HIL server whose JVM a test can stop (SIGTERM) or kill (SIGKILL). */
final class ChildServer {
  final Process process;
  final String baseUrl;
  final String serverId;
  final String token;

  private ChildServer(Process process, String baseUrl, String serverId, String token) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.serverId = serverId;
    this.token = token;
  }

  /** Starts the server on {@code work} with the given PROFILE=N boards and waits until it serves. */
  static ChildServer start(Path work, String... boards) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path out = work.resolve("child-" + System.nanoTime() + ".log");
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), ChildServerMain.class.getName(), work.toString()));
    cmd.addAll(List.of(boards));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    long deadline = System.currentTimeMillis() + 90_000;
    while (true) {
      String log = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
      for (String line : log.split("\n")) {
        if (line.startsWith("ready ")) {
          String[] w = line.trim().split(" ");
          return new ChildServer(p, w[1], w[2], Files.readString(work.resolve("token")).trim());
        }
      }
      if (!p.isAlive() || System.currentTimeMillis() > deadline) {
        p.destroyForcibly();
        throw new IOException("child server did not start: " + log);
      }
      Thread.sleep(100);
    }
  }

  HilClient api() {
    return new HilClient(baseUrl, token);
  }

  /** SIGTERM, as a service manager stops the server; waits for the JVM to exit. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGKILL: the JVM ends at once, no shutdown hook runs (a crash, the OOM killer). */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
