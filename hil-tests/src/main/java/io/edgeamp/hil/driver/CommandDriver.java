package io.edgeamp.hil.driver;

import io.edgeamp.hil.board.Board;
import io.edgeamp.hil.board.HardwareMap;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * A real board: runs the hardware map's flasher argv (no shell; {elf}, {bin}, {hex}, {board},
 * {workdir} substituted) with its timeout, then opens the console (a TCP serial bridge or a tty
 * device that is already configured) and waits until the harness is up ({@link HarnessBoot}) within
 * the map's boot_timeout_s, else the job's boot timeout.
 */
public final class CommandDriver implements BoardDriver {
  /** Lines of the flasher's output quoted in a job's error ("no ST-LINK detected"). */
  static final int TAIL_LINES = 5;
  private final Path workDir;

  public CommandDriver(Path workDir) {
    this.workDir = workDir;
  }

  /** The argv with {elf}, {board} and {workdir} replaced (a health check passes no ELF). */
  public static List<String> expand(List<String> argv, Path elf, String board, Path workDir) {
    Map<String, String> values = new HashMap<>();
    if (elf != null) {
      values.put("elf", elf.toString());
    }
    values.put("board", board);
    values.put("workdir", workDir.toString());
    return expand(argv, values);
  }

  /** The argv with its placeholders replaced; one without a value is refused (the map's check catches it first). */
  public static List<String> expand(List<String> argv, Map<String, String> values) {
    List<String> out = new ArrayList<>();
    for (String a : argv) {
      Matcher m = HardwareMap.PLACEHOLDER.matcher(a);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String v = values.get(m.group(1));
        if (v == null) {
          throw new IllegalArgumentException("argument '" + a + "' needs a value for {" + m.group(1) + "}; given: " + values.keySet());
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(v));
      }
      m.appendTail(sb);
      out.add(sb.toString());
    }
    return out;
  }

  /**
   * Runs argv with a timeout, output to log; returns the exit code, or throws on timeout. On timeout
   * the whole process tree goes: a script's children would otherwise outlive it.
   */
  public static int run(List<String> argv, int timeoutS, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    try {
      if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
        ProcessTree.kill(p);
        throw new HarnessClient.BoardLostException("timeout after " + timeoutS + " s: " + argv.get(0) + "; last output: "
            + lastLines(log) + " (see " + log + ")");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      ProcessTree.kill(p);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  /** The last lines of a log, joined with " | ", at most 500 characters; "(no output)" when empty. */
  static String lastLines(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output)";
    }
    lines.removeIf(String::isBlank);
    String s = String.join(" | ", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())).strip();
    return s.isEmpty() ? "(no output)" : s.length() > 500 ? "..." + s.substring(s.length() - 500) : s;
  }

  @Override
  public BoardSession open(Board board, Path elf, Timeouts t, Path logDir) throws IOException {
    HardwareMap.Entry hw = board.hw;
    Files.createDirectories(logDir);
    Map<String, String> values = new HashMap<>();
    values.put("board", board.id);
    values.put("workdir", workDir.toString());
    // out of the logs dir (the API serves its files as text); the board's last image is kept there
    Path imageDir = workDir.resolve("images").resolve(board.id);
    for (String a : hw.flasher.argv) {
      for (String p : HardwareMap.placeholders(a)) {
        if (HardwareMap.IMAGE_PLACEHOLDERS.contains(p) && !values.containsKey(p)) {
          values.put(p, FirmwareImages.image(p, elf, imageDir, logDir).toString());
        }
      }
    }
    int timeoutS = (int) Math.max(1, Math.min(hw.flasher.timeoutS, Math.max(1, t.flashMs / 1000)));
    Path flashLog = logDir.resolve("flash.log");
    int rc = run(expand(hw.flasher.argv, values), timeoutS, flashLog);
    if (rc != 0) {
      throw new HarnessClient.BoardLostException("flasher exited with " + rc + ": " + lastLines(flashLog) + " (see " + flashLog + ")");
    }
    long bootMs = hw.bootTimeoutS != null ? hw.bootTimeoutS * 1000L : t.bootMs;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(bootMs);
    Console console = openConsole(hw.console, deadline, bootMs);
    HarnessClient h = new HarnessClient(console.in, console.out, board.id);
    BoardSession session = new BoardSession() {
      @Override
      public HarnessClient harness() {
        return h;
      }

      @Override
      public void close() {
        h.close();
        try {
          console.handle.close();
        } catch (Exception ignored) {
          // closing
        }
      }
    };
    try {
      HarnessBoot.await(h, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    } catch (IOException e) {
      session.close();
      throw e;
    }
    return session;
  }

  private record Console(InputStream in, OutputStream out, AutoCloseable handle) {}

  /**
   * Opens the console, trying again until the boot deadline: a bridge or emulator the flasher started
   * may not listen yet, and a USB CDC tty goes away while its board resets.
   */
  private static Console openConsole(HardwareMap.Console c, long deadline, long bootMs) throws IOException {
    while (true) {
      try {
        if ("tcp".equals(c.kind)) {
          int colon = c.address.lastIndexOf(':');
          String host = c.address.substring(0, colon);
          if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
          }
          Socket s = new Socket();
          try {
            s.connect(new InetSocketAddress(host, Integer.parseInt(c.address.substring(colon + 1))),
                (int) Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), 10_000)));
            s.setTcpNoDelay(true);
          } catch (IOException e) {
            s.close();
            throw e;
          }
          return new Console(s.getInputStream(), s.getOutputStream(), s);
        }
        FileInputStream fin = new FileInputStream(c.device);
        FileOutputStream fout;
        try {
          fout = new FileOutputStream(c.device);
        } catch (IOException e) {
          fin.close();
          throw e;
        }
        return new Console(fin, fout, () -> {
          fin.close();
          fout.close();
        });
      } catch (IOException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw new HarnessClient.BoardLostException("console " + ("tcp".equals(c.kind) ? c.address : c.device)
              + " did not open within " + bootMs + " ms: " + e.getMessage());
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted");
        }
      }
    }
  }
}
