package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.hil.driver.QemuProcesses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * QEMU does not outlive its server for good: a server JVM killed with SIGKILL (no shutdown hook runs)
 * while a job runs leaves its QEMU running, re-parented to init; the next server on the work dir ends it
 * at start, and leaves alone a process that merely has a recorded pid (pid reuse). SIGTERM ends the QEMUs
 * through the shutdown hook.
 */
class QemuReapHilTest {
  @Test
  void qemuLeftByAKilledServerIsEndedByTheNextStart() throws Exception {
    Path work = TestSupport.freshDir("reap");
    ChildServer child = ChildServer.start(work, "qemu-mps2-an386=1");
    ProcessHandle qemu = null;
    Process stranger = null;
    try {
      HilClient api = child.api();
      String fw = api.uploadFirmware(TestSupport.firmware());
      api.submit(TestSupport.demoJob("reap-1", "qemu-mps2-an386", fw, 200, 1));
      TestSupport.waitFor("the job running", 60_000, () -> "running".equals(boardState(api)));
      qemu = qemuOf(child.process.toHandle()).orElseThrow(() -> new AssertionError("no QEMU under the child server"));
      child.kill();
      Thread.sleep(500);
      assertTrue(qemu.isAlive(), "a QEMU outlives a SIGKILL of its server (what the next start has to clean up)");

      // a process that now has a pid recorded for a QEMU: the reaper must leave it alone
      stranger = new ProcessBuilder("sleep", "300").start();
      new QemuProcesses(work.resolve("qemu-pids")).started("stale", stranger,
          List.of("qemu-system-arm", "-M", "mps2-an386", "-kernel", work.resolve("x.elf").toString()));

      HilConfig cfg = new HilConfig().workDir(work).qemu("qemu-mps2-an386", 1);
      try (HilServer s = new HilServer(cfg).start()) {
        assertTrue(!qemu.isAlive(), "the left-behind QEMU " + qemu.pid() + " is ended by the next start");
        assertTrue(stranger.isAlive(), "an unrelated process with a recorded pid is left alone");
        // the interrupted job runs again on the new server
        JsonObject r = new HilClient(s.baseUrl(), s.token()).awaitResult("reap-1", 120_000);
        assertEquals("pass", r.getString("verdict"), r.encode());
      }
    } finally {
      child.kill();
      if (stranger != null) {
        stranger.destroyForcibly();
      }
      if (qemu != null) {
        qemu.destroyForcibly();
      }
    }
  }

  @Test
  void sigtermEndsTheQemuOfARunningJob() throws Exception {
    Path work = TestSupport.freshDir("reap-term");
    ChildServer child = ChildServer.start(work, "qemu-mps2-an386=1");
    ProcessHandle qemu = null;
    try {
      HilClient api = child.api();
      String fw = api.uploadFirmware(TestSupport.firmware());
      api.submit(TestSupport.demoJob("term-1", "qemu-mps2-an386", fw, 200, 2));
      TestSupport.waitFor("the job running", 60_000, () -> "running".equals(boardState(api)));
      qemu = qemuOf(child.process.toHandle()).orElseThrow();
      child.stop();
      ProcessHandle q = qemu;
      TestSupport.waitFor("QEMU ended with its server", 10_000, () -> !q.isAlive());
    } finally {
      child.kill();
      if (qemu != null) {
        qemu.destroyForcibly();
      }
    }
  }

  private static String boardState(HilClient api) {
    try {
      JsonArray boards = new JsonArray(api.send("GET", "/api/v1/boards", null, null).body);
      return boards.getJsonObject(0).getString("state");
    } catch (Exception e) {
      return "?";
    }
  }

  /** The QEMU among a process's descendants (the child server's board). */
  private static Optional<ProcessHandle> qemuOf(ProcessHandle parent) {
    return parent.descendants().filter(h -> h.info().command().map(c -> c.endsWith("qemu-system-arm")).orElse(false)).findFirst();
  }
}
