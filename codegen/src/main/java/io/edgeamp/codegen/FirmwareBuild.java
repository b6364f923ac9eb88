package io.edgeamp.codegen;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds generated firmware folders with CMake and runs them: one umbrella project per target (a
 * device-runtime port, i.e. a QEMU machine, or the host) that adds the runtime once and every model
 * folder as a subdirectory, so several models share one build of the kernel library. Used by the
 * tests and the benchmark.
 */
public final class FirmwareBuild {
  private FirmwareBuild() {}

  public record Run(int exit, String output) {}

  public record Size(long text, long data, long bss) {
    /** Flash: code, read-only data and the .data image. */
    public long flash() {
      return text + data;
    }

    /** Static RAM: .data and .bss (the stack and heap come on top). */
    public long ram() {
      return data + bss;
    }
  }

  /**
   * Writes {@code buildDir/src/CMakeLists.txt} over the model folders, configures and builds it.
   *
   * @param port the device-runtime port (QEMU machine name), or null for the host self-tests
   * @return the build folder (firmware in {@code build/<i>/<prefix>_{harness,selftest}.elf}, host
   *     executables in {@code build/<i>/<prefix>_selftest})
   */
  public static Path build(Path runtime, List<Path> modelDirs, String port, Path buildDir, int jobs) {
    try {
      Path src = buildDir.resolve("src"), bin = buildDir.resolve("build");
      Files.createDirectories(src);
      StringBuilder cm = new StringBuilder("# Umbrella project over generated model folders (EdgeAMP FirmwareBuild).\ncmake_minimum_required(VERSION 3.20)\n");
      cm.append("set(EDGEAMP_RUNTIME_DIR \"").append(cmakePath(runtime)).append("\" CACHE PATH \"\" FORCE)\n");
      if (port != null) {
        cm.append("set(EDGEAMP_BOARD \"").append(port).append("\" CACHE STRING \"\" FORCE)\n");
        cm.append("set(CMAKE_TOOLCHAIN_FILE \"").append(cmakePath(runtime.resolve("cmake/arm-none-eabi.cmake"))).append("\")\n");
      } else {
        cm.append("set(EDGEAMP_HOST ON CACHE BOOL \"\")\n");
      }
      cm.append("project(edgeamp_models C)\nset(EDGEAMP_BUILD_TESTS OFF)\nset(EDGEAMP_PORT_TESTS OFF)\n");
      cm.append("add_subdirectory(\"${EDGEAMP_RUNTIME_DIR}\" edgeamp-runtime)\n");
      for (int i = 0; i < modelDirs.size(); i++) {
        cm.append("add_subdirectory(\"").append(cmakePath(modelDirs.get(i).toAbsolutePath())).append("\" ").append(i).append(")\n");
      }
      Path lists = src.resolve("CMakeLists.txt");
      boolean fresh = !Files.exists(lists) || !Files.readString(lists).contentEquals(cm);
      if (fresh) {
        Files.writeString(lists, cm.toString());
        // CMake keeps the toolchain file from the first configure: a changed umbrella (another checkout,
        // board or model set) configures from scratch. (The cache variables above are FORCEd, so a cache
        // left by an earlier failed configure cannot keep an old runtime path either.)
        Files.deleteIfExists(bin.resolve("CMakeCache.txt"));
      }
      if (fresh || !Files.exists(bin.resolve("CMakeCache.txt"))) {
        check(run(List.of("cmake", "-S", src.toString(), "-B", bin.toString()), buildDir, 300, null), "cmake configure");
      }
      check(run(List.of("cmake", "--build", bin.toString(), "-j" + jobs), buildDir, 900, null), "cmake build");
      return bin;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String cmakePath(Path p) {
    return p.toAbsolutePath().normalize().toString().replace('\\', '/');
  }

  private static void check(Run r, String what) {
    if (r.exit() != 0) throw new IllegalStateException(what + " failed (exit " + r.exit() + "):\n" + tail(r.output(), 6000));
  }

  static String tail(String s, int n) {
    return s.length() <= n ? s : "..." + s.substring(s.length() - n);
  }

  /** Runs a command, stdout and stderr merged; exit 124 on timeout. */
  public static Run run(List<String> cmd, Path dir, long timeoutSeconds, String stdin) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (dir != null) pb.directory(dir.toFile());
      Process p = pb.start();
      try (OutputStream os = p.getOutputStream()) {
        if (stdin != null) os.write(stdin.getBytes(StandardCharsets.US_ASCII));
      }
      StringBuilder out = new StringBuilder();
      Thread reader = new Thread(() -> {
        try {
          out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          out.append("(read error: ").append(e.getMessage()).append(')');
        }
      });
      reader.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        reader.join(5000);
        return new Run(124, out + "\n(timeout after " + timeoutSeconds + " s: " + String.join(" ", cmd) + ")");
      }
      reader.join();
      return new Run(p.exitValue(), out.toString());
    } catch (IOException e) {
      return new Run(127, "cannot run " + cmd.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Runs a firmware ELF with device-runtime/scripts/run-qemu.sh; the exit code is the firmware's. */
  public static Run runQemu(Path runtime, String machine, Path elf, int timeoutSeconds) {
    return run(List.of("bash", runtime.resolve("scripts/run-qemu.sh").toString(), machine, elf.toString(), Integer.toString(timeoutSeconds)), null,
        timeoutSeconds + 10L, null);
  }

  private static final Pattern SIZE = Pattern.compile("^\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+\\d+\\s+[0-9a-f]+\\s+", Pattern.MULTILINE);

  /** arm-none-eabi-size (Berkeley format) of an ELF. */
  public static Size size(Path elf) {
    Run r = run(List.of("arm-none-eabi-size", elf.toString()), null, 60, null);
    Matcher m = SIZE.matcher(r.output());
    if (r.exit() != 0 || !m.find()) throw new IllegalStateException("arm-none-eabi-size " + elf + ": " + r.output());
    return new Size(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
  }

  /** The output lines {@code v<k> [a,b,...]} of a self-test run, as raw bytes per vector. */
  public static List<byte[]> selftestOutputs(String output) {
    List<byte[]> out = new ArrayList<>();
    Matcher m = Pattern.compile("^v(\\d+) \\[([-0-9,]*)\\]", Pattern.MULTILINE).matcher(output);
    while (m.find()) {
      int k = Integer.parseInt(m.group(1));
      if (k != out.size()) throw new IllegalStateException("self-test printed vector " + k + " out of order");
      out.add(HarnessSession.parseBytes(m.group(2)));
    }
    return out;
  }
}
