package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.hil.board.Board;
import io.edgeamp.hil.driver.CommandDriver;
import io.edgeamp.hil.driver.HarnessClient;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real-board commands as processes: a flasher or health check that hangs past its timeout_s is
 * ended with everything it started (a reviewer found a script's {@code sleep 300 &} still running,
 * re-parented to init, after the script was killed), and a failed flash quotes the flasher's last
 * lines in the job's error instead of only pointing at flash.log.
 */
class FlasherProcessHilTest {

  /** A script that starts a long sleep, records its pid in {@code pidFile} and waits for it. */
  private static Path hangingScript(Path dir, String name, Path pidFile) throws Exception {
    Path script = dir.resolve(name);
    Files.writeString(script, String.join("\n", "#!/bin/sh",
        "echo 'probing the board...'",
        "sleep 300 &",
        "echo $! > '" + pidFile + "'",
        "wait", ""), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  /** The sleep whose pid the script wrote is gone (and is ended here whatever the outcome). */
  private static void assertGone(Path pidFile) throws Exception {
    TestSupport.waitFor("a pid in " + pidFile, 10_000, () -> {
      try {
        return Files.readString(pidFile).trim().matches("\\d+");
      } catch (java.io.IOException e) {
        return false;
      }
    });
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    try {
      TestSupport.waitFor("sleep " + pid + " ended with its script", 5_000,
          () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aHangingCommandIsEndedWithItsChildren() throws Exception {
    Path dir = TestSupport.freshDir("flasher-tree");
    Path pid = dir.resolve("sleep.pid");
    Path script = hangingScript(dir, "hang.sh", pid);
    long t0 = System.nanoTime();
    HarnessClient.BoardLostException e = org.junit.jupiter.api.Assertions.assertThrows(HarnessClient.BoardLostException.class,
        () -> CommandDriver.run(List.of(script.toString()), 1, dir.resolve("flash.log")));
    assertTrue(e.getMessage().contains("timeout after 1 s"), e.getMessage());
    assertTrue(e.getMessage().contains("probing the board..."), e.getMessage());
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "took too long");
    assertGone(pid);
  }

  /** Through the server: a job's flasher, the board's health check, and a flasher that fails with a message. */
  @Test
  void theServerEndsHangingFlashersAndHealthChecksAndQuotesAFailedFlash() throws Exception {
    Path dir = TestSupport.freshDir("flasher-server");
    Path flashPid = dir.resolve("flash-sleep.pid");
    Path healthPid = dir.resolve("health-sleep.pid");
    Path hangFlash = hangingScript(dir, "hang-flash.sh", flashPid);
    Path hangHealth = hangingScript(dir, "hang-health.sh", healthPid);
    Path noLink = dir.resolve("no-stlink.sh");
    Files.writeString(noLink, String.join("\n", "#!/bin/sh",
        "echo 'st-flash 1.7.0'",
        "echo 'WARN usb.c: Couldn'\"'\"'t find any ST-Link devices' >&2",
        "echo 'no ST-LINK detected'",
        "exit 3", ""), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(noLink, PosixFilePermissions.fromString("rwx------"));
    Path map = dir.resolve("lab.yaml");
    Files.writeString(map, String.join("\n", "boards:",
        "  - id: hangs",
        "    profile: nucleo-f446re",
        "    console: {kind: tcp, address: \"127.0.0.1:" + TestSupport.freePort() + "\"}",
        "    flasher: {argv: [" + hangFlash + ", \"{elf}\"], timeout_s: 1}",
        "    health: {argv: [" + hangHealth + ", \"{board}\"], timeout_s: 1}",
        "  - id: no-link",
        "    profile: nucleo-f446re",
        "    console: {kind: tcp, address: \"127.0.0.1:" + TestSupport.freePort() + "\"}",
        "    flasher: {argv: [" + noLink + ", write, \"{elf}\"], timeout_s: 10}",
        ""), StandardCharsets.UTF_8);
    HilConfig cfg = new HilConfig().workDir(dir.resolve("work"));
    cfg.hardwareMap = map;
    cfg.healthIntervalMs = 3_600_000; // the test runs the check itself
    try (HilServer s = new HilServer(cfg).start()) {
      HilClient api = new HilClient(s.baseUrl(), s.token());
      String fw = api.uploadFirmware(TestSupport.firmware());

      Board hangs = s.boards().get("hangs").orElseThrow();
      assertFalse(s.service().healthy(hangs));
      assertGone(healthPid);

      JsonObject job = TestSupport.demoJob("hangs-1", "nucleo-f446re", fw, 1, 1).put("board", "hangs").put("max_attempts", 1);
      job.remove("profile");
      assertEquals(202, api.send("POST", "/api/v1/jobs", job.encode().getBytes(), "application/json").status);
      JsonObject r = api.awaitResult("hangs-1", 60_000);
      assertEquals("failed", r.getString("state"), r.encode());
      assertTrue(r.getString("error").contains("timeout after 1 s"), r.encode());
      assertGone(flashPid);

      job = TestSupport.demoJob("no-link-1", "nucleo-f446re", fw, 1, 1).put("board", "no-link").put("max_attempts", 1);
      job.remove("profile");
      assertEquals(202, api.send("POST", "/api/v1/jobs", job.encode().getBytes(), "application/json").status);
      r = api.awaitResult("no-link-1", 60_000);
      assertEquals("failed", r.getString("state"), r.encode());
      String error = r.getString("error");
      assertTrue(error.contains("flasher exited with 3: "), error);
      assertTrue(error.contains("Couldn't find any ST-Link devices | no ST-LINK detected"), error);
      assertTrue(error.contains("flash.log"), error);
    }
  }
}
