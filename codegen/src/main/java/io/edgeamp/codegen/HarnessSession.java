package io.edgeamp.codegen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives the firmware harness protocol (DESIGN.md "Firmware harness protocol") over a process's
 * stdin/stdout, e.g. QEMU with the console UART on stdio ({@code -nographic}). Commands end with '%';
 * every reply ends with {@code m-ready}.
 */
public final class HarnessSession implements AutoCloseable {
  private final Process process;
  private final OutputStream in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder transcript = new StringBuilder();
  private final long timeoutMs;

  /** One timed {@code infer}: the laps (instructions under QEMU -icount) and the raw output bytes. */
  public record Inference(List<Long> lapCounts, List<Long> lapMicros, byte[] results, List<Layer> layers) {}

  /** One m-layer-<index>-[<name>,<kind>,<shape>,<bits>]-<count> line (profiled firmware): the last timed run's count. */
  public record Layer(int index, String name, String kind, String shape, int bits, long count) {}

  private static final java.util.regex.Pattern LAYER = java.util.regex.Pattern.compile("^m-layer-(\\d+)-\\[([^,\\]]*),([^,\\]]*),([^,\\]]*),(\\d+)\\]-(\\d+)$");

  /** Parses an m-layer line, or null if {@code s} is not one. */
  public static Layer parseLayer(String s) {
    java.util.regex.Matcher m = LAYER.matcher(s);
    if (!m.matches()) return null;
    return new Layer(Integer.parseInt(m.group(1)), m.group(2), m.group(3), m.group(4), Integer.parseInt(m.group(5)), Long.parseLong(m.group(6)));
  }

  public HarnessSession(List<String> command, long timeoutMs) {
    this.timeoutMs = timeoutMs;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    in = process.getOutputStream();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
        String s;
        while ((s = r.readLine()) != null) lines.add(s.replace("\r", ""));
      } catch (IOException e) {
        // process ended
      }
      lines.add("\u0000EOF");
    }, "harness-reader");
    t.setDaemon(true);
    t.start();
    List<String> boot = untilReady();
    if (!boot.contains("m-init-done")) throw new IllegalStateException("no m-init-done at boot: " + transcript);
  }

  /** Lines up to (excluding) the next m-ready. */
  private List<String> untilReady() {
    List<String> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      String s;
      try {
        s = lines.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      if (s == null) throw new IllegalStateException("harness: no m-ready within " + timeoutMs + " ms; transcript:\n" + transcript);
      if (s.equals("\u0000EOF")) throw new IllegalStateException("harness: the firmware ended; transcript:\n" + transcript);
      transcript.append(s).append('\n');
      if (s.equals("m-ready")) return out;
      out.add(s);
    }
  }

  /** Sends one command (without the '%') and returns the reply lines before m-ready. */
  public List<String> command(String cmd) {
    try {
      in.write((cmd + "%").getBytes(StandardCharsets.US_ASCII));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("harness: cannot send '" + cmd + "'", e);
    }
    List<String> reply = untilReady();
    for (String s : reply) if (s.startsWith("e-")) throw new IllegalStateException("harness error for '" + cmd + "': " + s);
    return reply;
  }

  public String name() {
    for (String s : command("name")) if (s.startsWith("m-name-dut-")) return s.substring("m-name-dut-".length());
    throw new IllegalStateException("no m-name-dut line: " + transcript);
  }

  /** Loads one input with db load / db hex (chunks of at most 500 bytes). */
  public void load(byte[] input) {
    command("db load " + input.length);
    StringBuilder hex = new StringBuilder();
    boolean done = false;
    for (int s = 0; s < input.length; s += 500) {
      hex.setLength(0);
      for (int i = s; i < Math.min(input.length, s + 500); i++) hex.append(String.format("%02x", input[i] & 0xFF));
      done = command("db " + hex).contains("m-load-done");
    }
    if (!done) throw new IllegalStateException("no m-load-done after " + input.length + " bytes");
  }

  /** {@code infer runs warmup}: laps and results. */
  public Inference infer(int runs, int warmup) {
    List<String> reply = command("infer " + runs + " " + warmup);
    List<Long> counts = new ArrayList<>(), us = new ArrayList<>();
    byte[] results = null;
    List<Layer> layers = new ArrayList<>();
    for (String s : reply) {
      if (s.startsWith("m-layer-")) {
        Layer l = parseLayer(s);
        if (l == null) throw new IllegalStateException("malformed layer line: " + s);
        layers.add(l);
        continue;
      }
      if (s.startsWith("m-lap-cycles-")) counts.add(Long.parseLong(s.substring("m-lap-cycles-".length())));
      else if (s.startsWith("m-lap-us-")) us.add(Long.parseLong(s.substring("m-lap-us-".length())));
      else if (s.startsWith("m-results-[")) results = parseBytes(s.substring("m-results-[".length(), s.length() - 1));
    }
    if (results == null || !reply.contains("m-infer-done")) throw new IllegalStateException("incomplete infer reply: " + reply);
    return new Inference(counts, us, results, layers);
  }

  /** "1,-2,255" -> raw bytes. */
  static byte[] parseBytes(String csv) {
    if (csv.isEmpty()) return new byte[0];
    String[] p = csv.split(",");
    byte[] b = new byte[p.length];
    for (int i = 0; i < p.length; i++) b[i] = (byte) Integer.parseInt(p[i].trim());
    return b;
  }

  public String transcript() {
    return transcript.toString();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
