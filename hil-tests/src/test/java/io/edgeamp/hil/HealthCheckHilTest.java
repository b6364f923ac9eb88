package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Health checks of idle boards. A reviewer saw idle QEMU boards go "offline, health check failed" at
 * random (11 of 70 samples) while every board's check wrote, read and deleted one shared file.
 */
class HealthCheckHilTest {

  /** Eight idle boards on four machines, checked every 100 ms from start, sampled over two cache periods. */
  @Test
  void idleQemuBoardsNeverGoOffline() throws Exception {
    HilConfig cfg = new HilConfig().workDir(TestSupport.freshDir("health"));
    for (String p : List.of("qemu-mps2-an385", "qemu-mps2-an386", "qemu-mps2-an500", "qemu-mps3-an547")) {
      cfg.qemu(p, 2);
    }
    cfg.healthIntervalMs = 100;
    // the check's result is kept this long: two periods expire while we sample
    cfg.qemuHealthCacheMs = 3_000;
    List<String> offline = new ArrayList<>();
    int samples = 0;
    try (HilServer s = new HilServer(cfg).start()) {
      HilClient api = new HilClient(s.baseUrl(), s.token());
      long end = System.currentTimeMillis() + 8_000;
      while (System.currentTimeMillis() < end) {
        JsonArray boards = new JsonArray(api.send("GET", "/api/v1/boards", null, null).body);
        assertEquals(8, boards.size());
        for (int i = 0; i < boards.size(); i++) {
          JsonObject b = boards.getJsonObject(i);
          if (!"idle".equals(b.getString("state")) && offline.size() < 5) {
            offline.add(b.encode());
          }
        }
        samples++;
        Thread.sleep(50);
      }
    }
    assertTrue(samples > 50, "samples " + samples);
    assertEquals(List.of(), offline, "boards not idle in " + samples + " samples");
  }

  /**
   * A check that fails now and then (a fake qemu-system-arm that fails every other run: the machine
   * list cannot be produced on demand from the real binary) does not take a board offline; one that
   * keeps failing does, and the board comes back once the check passes again.
   */
  @Test
  void aSingleFailedCheckDoesNotFlapButARepeatedOneTakesTheBoardOffline() throws Exception {
    Path dir = TestSupport.freshDir("health-flap");
    Path fake = dir.resolve("fake-qemu");
    Path mode = dir.resolve("mode");
    Files.writeString(mode, "flaky");
    // "flaky": fail every other run; "down": always fail; otherwise: the real binary
    Files.writeString(fake, String.join("\n", "#!/bin/sh",
        "m=$(cat '" + mode + "')",
        // the count is replaced by a rename, so the test never reads a truncated file
        "n=$(cat '" + dir.resolve("count") + "' 2>/dev/null || echo 0); n=$((n+1)); echo $n > '" + dir.resolve("count") + ".$$' && mv '"
            + dir.resolve("count") + ".$$' '" + dir.resolve("count") + "'",
        "if [ \"$m\" = down ] || { [ \"$m\" = flaky ] && [ $((n % 2)) = 0 ]; }; then echo 'fake: failing' >&2; exit 1; fi",
        "exec qemu-system-arm \"$@\"", ""));
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    HilConfig cfg = new HilConfig().workDir(dir.resolve("work")).qemu("qemu-mps2-an386", 1);
    cfg.qemuBinary = fake.toString();
    cfg.healthIntervalMs = 100;
    cfg.qemuHealthCacheMs = 0;
    cfg.offlineCooldownMs = 200;
    try (HilServer s = new HilServer(cfg).start()) {
      HilClient api = new HilClient(s.baseUrl(), s.token());
      long end = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < end) {
        JsonObject b = api.send("GET", "/api/v1/boards/qemu-mps2-an386-0", null, null).json();
        assertEquals("idle", b.getString("state"), b.encode());
        Thread.sleep(20);
      }
      int runs = Integer.parseInt(Files.readString(dir.resolve("count")).trim());
      assertTrue(runs >= 10, "the fake ran " + runs + " times");
      io.edgeamp.core.io.AtomicFiles.writeString(mode, "down"); // renamed into place: the fake never reads it half-written
      TestSupport.waitFor("board offline while its check keeps failing", 10_000,
          () -> "offline".equals(state(api)));
      JsonObject b = api.send("GET", "/api/v1/boards/qemu-mps2-an386-0", null, null).json();
      assertEquals("health check failed", b.getString("reason"), b.encode());
      io.edgeamp.core.io.AtomicFiles.writeString(mode, "real");
      TestSupport.waitFor("board back once the check passes", 10_000, () -> "idle".equals(state(api)));
    }
  }

  private static String state(HilClient api) {
    try {
      return api.send("GET", "/api/v1/boards/qemu-mps2-an386-0", null, null).json().getString("state");
    } catch (Exception e) {
      return "?";
    }
  }
}
