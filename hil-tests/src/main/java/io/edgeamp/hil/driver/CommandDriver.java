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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real board: runs the hardware map's flasher argv (no shell; {elf}, {board}, {workdir}
 * substituted) with its timeout, then opens the console (a TCP serial bridge or a tty device that
 * is already configured) and checks the harness answers {@code name%} within the boot timeout.
 */
public final class CommandDriver implements BoardDriver {
  /** Lines of the flasher's output quoted in a job's error ("no ST-LINK detected"). */
  static final int TAIL_LINES = 5;
  private final Path workDir;

  public CommandDriver(Path workDir) {
    this.workDir = workDir;
  }

  public static List<String> expand(List<String> argv, Path elf, String board, Path workDir) {
    List<String> out = new ArrayList<>();
    for (String a : argv) {
      out.add(a.replace("{elf}", elf == null ? "" : elf.toString()).replace("{board}", board)
          .replace("{workdir}", workDir.toString()));
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
    int timeoutS = (int) Math.max(1, Math.min(hw.flasher.timeoutS, Math.max(1, t.flashMs / 1000)));
    Path flashLog = logDir.resolve("flash.log");
    int rc = run(expand(hw.flasher.argv, elf, board.id, workDir), timeoutS, flashLog);
    if (rc != 0) {
      throw new HarnessClient.BoardLostException("flasher exited with " + rc + ": " + lastLines(flashLog) + " (see " + flashLog + ")");
    }
    InputStream in;
    OutputStream out;
    AutoCloseable handle;
    if ("tcp".equals(hw.console.kind)) {
      int colon = hw.console.address.lastIndexOf(':');
      Socket s = new Socket();
      s.connect(new InetSocketAddress(hw.console.address.substring(0, colon),
          Integer.parseInt(hw.console.address.substring(colon + 1))), (int) Math.min(t.bootMs, 10_000));
      in = s.getInputStream();
      out = s.getOutputStream();
      handle = s;
    } else {
      FileInputStream fin = new FileInputStream(hw.console.device);
      FileOutputStream fout = new FileOutputStream(hw.console.device);
      in = fin;
      out = fout;
      handle = () -> {
        fin.close();
        fout.close();
      };
    }
    HarnessClient h = new HarnessClient(in, out, board.id);
    BoardSession session = new BoardSession() {
      @Override
      public HarnessClient harness() {
        return h;
      }

      @Override
      public void close() {
        h.close();
        try {
          handle.close();
        } catch (Exception ignored) {
          // closing
        }
      }
    };
    try {
      // The board may have booted before the console opened; name% proves the harness is up.
      h.name(t.bootMs);
    } catch (IOException e) {
      session.close();
      throw e;
    }
    return session;
  }
}
