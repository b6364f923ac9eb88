package io.edgeamp.hil.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Host side of the firmware harness protocol (DESIGN.md, device-runtime/harness/harness.c): commands
 * end with '%', every reply ends with a line "m-ready", errors are "e-[...]". A reader thread turns
 * the console stream into lines so every wait has a deadline, whatever the transport.
 */
public final class HarnessClient implements AutoCloseable {
  private static final String EOF = "\u0000EOF";
  /** Bytes per "db <hex>%" chunk: 2*250 hex digits + "db " + "%" stays under the 1024-byte command limit. */
  static final int CHUNK = 250;

  private final OutputStream out;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;
  private final StringBuilder transcript = new StringBuilder();
  private volatile IOException readError;

  public HarnessClient(InputStream in, OutputStream out, String name) {
    this.out = out;
    this.reader = new Thread(() -> readLoop(in), "harness-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  private void readLoop(InputStream in) {
    StringBuilder line = new StringBuilder();
    try {
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          String l = line.toString();
          line.setLength(0);
          if (!l.isEmpty()) {
            lines.add(l);
          }
        } else if (c != '\r') {
          line.append((char) c);
          if (line.length() > 1 << 20) {
            throw new IOException("console line longer than 1 MiB");
          }
        }
      }
    } catch (IOException e) {
      readError = e;
    }
    lines.add(EOF);
  }

  /** The lines up to "m-ready" (not included). Throws on "e-[...]", end of stream or the deadline. */
  public List<String> awaitReady(long timeoutMs, String what) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    List<String> got = new ArrayList<>();
    String error = null;
    while (true) {
      long left = deadline - System.nanoTime();
      String l;
      try {
        l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + what);
      }
      if (l == null) {
        throw new HarnessTimeoutException(what + ": no m-ready within " + timeoutMs + " ms; last lines: " + tail());
      }
      if (EOF.equals(l)) {
        lines.add(EOF);
        throw new BoardLostException(what + ": console closed (board or emulator gone)"
            + (readError != null ? ": " + readError.getMessage() : "") + "; last lines: " + tail());
      }
      record(l);
      if (l.equals("m-ready")) {
        if (error != null) {
          throw new HarnessErrorException(what + ": firmware answered " + error);
        }
        return got;
      }
      if (l.startsWith("e-[")) {
        error = l;
      }
      if (l.startsWith("*** FAULT")) {
        throw new BoardLostException(what + ": firmware fault: " + l);
      }
      got.add(l);
    }
  }

  private void record(String l) {
    synchronized (transcript) {
      transcript.append(l).append('\n');
      if (transcript.length() > 8192) {
        transcript.delete(0, transcript.length() - 4096);
      }
    }
  }

  /** Sends {@code cmd%} without waiting for the reply (see {@link #nextLine}). */
  public void send(String cmd) throws IOException {
    out.write((cmd + "%").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /**
   * The next console line, or null when none came within the timeout (nothing is lost then). Throws
   * when the console closed. For callers that read the stream line by line, such as the boot wait.
   */
  public String nextLine(long timeoutMs) throws IOException {
    String l;
    try {
      l = timeoutMs <= 0 ? lines.poll() : lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the console");
    }
    if (EOF.equals(l)) {
      lines.add(EOF);
      throw new BoardLostException("console closed (board or bridge gone)"
          + (readError != null ? ": " + readError.getMessage() : "") + "; last lines: " + tail());
    }
    if (l != null) {
      record(l);
    }
    return l;
  }

  public List<String> command(String cmd, long timeoutMs) throws IOException {
    send(cmd);
    return awaitReady(timeoutMs, "'" + (cmd.length() > 40 ? cmd.substring(0, 40) + "..." : cmd) + "'");
  }

  /** Model name from {@code name%} ("m-name-dut-<model>"). */
  public String name(long timeoutMs) throws IOException {
    for (String l : command("name", timeoutMs)) {
      if (l.startsWith("m-name-dut-")) {
        return l.substring("m-name-dut-".length());
      }
    }
    throw new HarnessErrorException("name%: no m-name-dut- line");
  }

  /** Timer unit from {@code profile%}: "instructions" under QEMU, "cycles" on silicon with a DWT. */
  public String timerUnit(long timeoutMs) throws IOException {
    for (String l : command("profile", timeoutMs)) {
      if (l.startsWith("m-timer-[") && l.endsWith("]")) {
        return l.substring("m-timer-[".length(), l.length() - 1);
      }
    }
    return "cycles";
  }

  public void load(byte[] input, long timeoutMs) throws IOException {
    List<String> r = command("db load " + input.length, timeoutMs);
    if (!r.contains("m-[Expecting " + input.length + " bytes]")) {
      throw new HarnessErrorException("db load: unexpected reply " + r);
    }
    boolean done = false;
    for (int off = 0; off < input.length; off += CHUNK) {
      int n = Math.min(CHUNK, input.length - off);
      StringBuilder sb = new StringBuilder(3 + 2 * n).append("db ");
      for (int i = 0; i < n; i++) {
        sb.append(Character.forDigit((input[off + i] >> 4) & 0xf, 16)).append(Character.forDigit(input[off + i] & 0xf, 16));
      }
      done = command(sb.toString(), timeoutMs).contains("m-load-done");
    }
    if (!done) {
      throw new HarnessErrorException("db: no m-load-done after " + input.length + " bytes");
    }
  }

  /** Runs {@code infer N W%} and parses laps and results. */
  public Inference infer(int n, int warmup, long timeoutMs) throws IOException {
    List<String> r = command("infer " + n + " " + warmup, timeoutMs);
    Inference inf = new Inference();
    boolean done = false;
    for (String l : r) {
      if (l.startsWith("m-lap-cycles-")) {
        inf.cycles.add(Long.parseLong(l.substring("m-lap-cycles-".length())));
      } else if (l.startsWith("m-lap-us-")) {
        inf.us.add(Long.parseLong(l.substring("m-lap-us-".length())));
      } else if (l.startsWith("m-results-[") && l.endsWith("]")) {
        String body = l.substring("m-results-[".length(), l.length() - 1).trim();
        if (!body.isEmpty()) {
          for (String v : body.split(",")) {
            inf.outputs.add(Integer.parseInt(v.trim()));
          }
        }
      } else if (l.startsWith("m-layer-")) {
        Layer layer = Layer.parse(l);
        if (layer == null) {
          throw new HarnessErrorException("infer: malformed per-layer line " + l);
        }
        inf.layers.add(layer);
      } else if (l.equals("m-infer-done")) {
        done = true;
      }
    }
    if (!done || inf.cycles.size() != n) {
      throw new HarnessErrorException("infer: expected " + n + " laps and m-infer-done, got " + r);
    }
    return inf;
  }

  public String tail() {
    synchronized (transcript) {
      int from = Math.max(0, transcript.length() - 400);
      return transcript.substring(from).replace('\n', '|');
    }
  }

  @Override
  public void close() {
    reader.interrupt();
  }

  /** One {@code infer} command's laps (per timed run) and outputs. */
  public static final class Inference {
    public final List<Long> cycles = new ArrayList<>();
    public final List<Long> us = new ArrayList<>();
    public final List<Integer> outputs = new ArrayList<>();
    /** Per-layer counts of the last timed run (firmware built with per-layer profiling), else empty. */
    public final List<Layer> layers = new ArrayList<>();
  }

  /** One {@code m-layer-<index>-[<name>,<kind>,<shape>,<bits>]-<count>} line (device-runtime/README.md). */
  public record Layer(int index, String name, String kind, String shape, int bits, long count) {
    private static final java.util.regex.Pattern LINE =
        java.util.regex.Pattern.compile("^m-layer-(\\d+)-\\[([^,\\]]*),([^,\\]]*),([^,\\]]*),(\\d+)\\]-(\\d+)$");

    /** The line parsed, or null when it is not a well-formed layer line. */
    public static Layer parse(String line) {
      java.util.regex.Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        return null;
      }
      return new Layer(Integer.parseInt(m.group(1)), m.group(2), m.group(3), m.group(4), Integer.parseInt(m.group(5)),
          Long.parseLong(m.group(6)));
    }
  }

  /** The console went away: the board (or emulator) died; the job may be retried elsewhere. */
  public static class BoardLostException extends IOException {
    private static final long serialVersionUID = 1L;

    public BoardLostException(String m) {
      super(m);
    }
  }

  /** No answer in time: the board hangs; treated like a lost board. */
  public static final class HarnessTimeoutException extends BoardLostException {
    private static final long serialVersionUID = 1L;

    public HarnessTimeoutException(String m) {
      super(m);
    }
  }

  /** The firmware refused a command: the job's fault (wrong input size, ...), not the board's. */
  public static final class HarnessErrorException extends IOException {
    private static final long serialVersionUID = 1L;

    public HarnessErrorException(String m) {
      super(m);
    }
  }
}
