package io.edgeamp.hil;

import io.edgeamp.hil.driver.CommandDriver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The device runtime's DEMO harness firmware (device-runtime/harness/demo_model.c: one int8 dense
 * layer 64 -> 8 with formula weights): building it with CMake and computing its outputs on the host,
 * for tests, the benchmark and smoke runs. It is not a network.
 */
public final class DemoFirmware {
  public static final String TARGET = "edgeamp_harness_demo";
  public static final int IN = 64;
  public static final int OUT = 8;

  private DemoFirmware() {}

  /** Builds the demo ELF for a QEMU machine into buildDir (incremental) and returns its path. */
  public static synchronized Path build(Path repo, String machine, Path buildDir) throws IOException {
    Path src = repo.resolve("device-runtime").toAbsolutePath().normalize();
    Path elf = buildDir.resolve("ports/harness/" + TARGET + ".elf");
    Path log = buildDir.resolve("build.log");
    Files.createDirectories(buildDir);
    int rc = CommandDriver.run(List.of("cmake", "-S", src.toString(), "-B", buildDir.toString(),
        "-DCMAKE_TOOLCHAIN_FILE=" + src.resolve("cmake/arm-none-eabi.cmake"), "-DEDGEAMP_BOARD=" + machine,
        "-DEDGEAMP_BUILD_TESTS=OFF"), 300, log);
    if (rc == 0) {
      rc = CommandDriver.run(List.of("cmake", "--build", buildDir.toString(), "-j2", "--target", TARGET), 300, log);
    }
    if (rc != 0 || !Files.isRegularFile(elf)) {
      throw new IOException("demo firmware build failed (exit " + rc + "), see " + log + ": " + tail(log));
    }
    return elf;
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.length() > 1500 ? s.substring(s.length() - 1500) : s;
    } catch (IOException e) {
      return "";
    }
  }

  /** demo_model.c, on the host: y[j] = clamp((sum_i w[j][i]*x[i] + b[j] + 32) >> 6, -128, 127). */
  public static int[] expected(byte[] x) {
    int[] y = new int[OUT];
    for (int j = 0; j < OUT; j++) {
      int acc = 32 * j - 100;
      for (int i = 0; i < IN; i++) {
        acc += (((7 * i + 13 * j) % 17) - 8) * x[i];
      }
      acc = (acc + 32) >> 6;
      y[j] = Math.max(-128, Math.min(127, acc));
    }
    return y;
  }

  /** n random vectors with their expected outputs and the argmax as label. */
  public static JsonArray vectors(int n, long seed) {
    Random r = new Random(seed);
    JsonArray a = new JsonArray();
    for (int k = 0; k < n; k++) {
      byte[] x = new byte[IN];
      r.nextBytes(x);
      int[] y = expected(x);
      JsonArray e = new JsonArray();
      int best = 0;
      for (int j = 0; j < OUT; j++) {
        e.add(y[j]);
        if (y[j] > y[best]) {
          best = j;
        }
      }
      a.add(new JsonObject().put("input", HexFormat.of().formatHex(x)).put("expected", e).put("label", best));
    }
    return a;
  }
}
