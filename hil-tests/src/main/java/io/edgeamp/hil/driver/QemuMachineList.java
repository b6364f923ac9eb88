package io.edgeamp.hil.driver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The machines a QEMU binary emulates ({@code qemu-system-arm -machine help}), for the health checks of
 * all emulated boards. The checks of all boards start together (at start-up and every interval), so
 * one run serves every check that asks while it runs or within the cache period; a failed run is not
 * cached (the next check runs QEMU again). The output is read from QEMU's pipe: each check used to run
 * QEMU into one shared file, and another check deleted it under the reader ("health check failed" on
 * working boards).
 */
public final class QemuMachineList {
  private final String binary;
  private final long cacheMs;
  private final int timeoutS;
  private Set<String> machines;
  private long readAtMs;

  public QemuMachineList(String binary, long cacheMs, int timeoutS) {
    this.binary = binary;
    this.cacheMs = cacheMs;
    this.timeoutS = timeoutS;
  }

  /** Blocking: whether the binary emulates the machine; throws if QEMU cannot list its machines. */
  public synchronized boolean knows(String machine) throws IOException {
    long now = System.nanoTime() / 1_000_000;
    if (machines == null || now - readAtMs >= cacheMs) {
      machines = null; // a failed run leaves nothing cached
      machines = read();
      readAtMs = now;
    }
    return machines.contains(machine);
  }

  private Set<String> read() throws IOException {
    Process p = new ProcessBuilder(binary, "-machine", "help").redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    // killed on timeout, which ends the read below
    p.onExit().orTimeout(timeoutS, TimeUnit.SECONDS).exceptionally(e -> {
      p.destroyForcibly();
      return p;
    });
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int rc;
    try {
      rc = p.waitFor();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    if (rc != 0) {
      throw new IOException(binary + " -machine help exited with " + rc + ": " + tail(out));
    }
    // "Supported machines are:" then one "name   description" line per machine
    Set<String> names = new HashSet<>();
    for (String line : out.split("\n")) {
      String[] w = line.trim().split("\\s+", 2);
      if (!w[0].isEmpty() && !line.startsWith("Supported")) {
        names.add(w[0]);
      }
    }
    return names;
  }

  private static String tail(String s) {
    return s.length() > 300 ? s.substring(s.length() - 300) : s.trim();
  }
}
