package io.edgeamp.hil.driver;

import io.edgeamp.hil.board.Board;
import io.edgeamp.hil.board.QemuMachine;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * "Flashes" an emulated board: starts qemu-system-arm with the ELF, {@code -icount shift=0} (so laps
 * are deterministic instruction counts) and the console UART on a loopback TCP server socket that
 * QEMU opens and waits on (wait=on: the CPU starts when we connect, so no boot output is lost).
 */
public final class QemuDriver implements BoardDriver {
  private final String qemuBinary;
  private final QemuProcesses processes;

  public QemuDriver(String qemuBinary, QemuProcesses processes) {
    this.qemuBinary = qemuBinary;
    this.processes = processes;
  }

  public List<String> commandLine(QemuMachine m, Path elf, int port) {
    List<String> cmd = new ArrayList<>(List.of(qemuBinary, "-M", m.machine, "-cpu", m.cpu, "-nographic",
        "-semihosting-config", "enable=on,target=native", "-icount", "shift=0", "-kernel", elf.toString(),
        "-monitor", "none", "-serial", "tcp:127.0.0.1:" + port + ",server=on,wait=on"));
    cmd.addAll(m.extraArgs);
    return cmd;
  }

  @Override
  public BoardSession open(Board board, Path elf, Timeouts t, Path logDir) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve("qemu.log");
    IOException last = null;
    for (int tryNo = 0; tryNo < 3; tryNo++) {
      int port = freePort();
      List<String> cmd = commandLine(board.qemu, elf, port);
      ProcessBuilder pb = new ProcessBuilder(cmd)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(new File("/dev/null"));
      Process p = pb.start();
      board.process(p);
      try {
        processes.started(board.id, p, cmd);
      } catch (IOException e) {
        kill(p); // unrecorded, a crash of the server would leave it running for good
        throw e;
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(t.flashMs);
      Socket s = null;
      while (s == null) {
        if (!p.isAlive()) {
          break;
        }
        try {
          Socket c = new Socket();
          c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
          c.setTcpNoDelay(true);
          s = c;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            kill(p);
            throw new HarnessClient.BoardLostException("flash timeout: QEMU did not open its console within " + t.flashMs + " ms");
          }
          sleep(20);
        }
      }
      if (s == null) {
        String out = tail(log);
        last = new HarnessClient.BoardLostException("QEMU exited with " + exit(p) + " before the console opened: " + out);
        if (out.contains("in use")) {
          continue; // lost a race for the port: try another
        }
        throw last;
      }
      HarnessClient h = new HarnessClient(s.getInputStream(), s.getOutputStream(), board.id);
      Socket sock = s;
      BoardSession session = new BoardSession() {
        @Override
        public HarnessClient harness() {
          return h;
        }

        @Override
        public void close() {
          h.close();
          try {
            sock.close();
          } catch (IOException ignored) {
            // closing
          }
          kill(p);
        }
      };
      try {
        List<String> boot = h.awaitReady(t.bootMs, "boot");
        if (!boot.contains("m-init-done")) {
          throw new HarnessClient.BoardLostException("boot: no m-init-done, got " + boot);
        }
      } catch (IOException e) {
        session.close();
        throw e;
      }
      return session;
    }
    throw last;
  }

  static void kill(Process p) {
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String exit(Process p) {
    try {
      return p.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  static String tail(Path log) {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.length() > 600 ? s.substring(s.length() - 600) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return ss.getLocalPort();
    }
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }
}
