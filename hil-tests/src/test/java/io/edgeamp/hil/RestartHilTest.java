package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jobs queued (and one running) when the server stops run after it starts again; nothing is lost. */
class RestartHilTest {
  @Test
  void queuedAndInterruptedJobsRunAfterRestart() throws Exception {
    Path elf = TestSupport.firmware();
    Path work = TestSupport.freshDir("restart");
    List<String> ids = new ArrayList<>();
    String interrupted;
    HilConfig one = new HilConfig().workDir(work).qemu("qemu-mps2-an386", 1);
    HilServer a = new HilServer(one).start();
    TestSupport.Collector sub = null;
    try {
      sub = new TestSupport.Collector(a.mqttUrl(), "lab", work.resolve("../restart-collector-" + System.nanoTime()), null, null);
      HilClient api = new HilClient(a.baseUrl(), a.token());
      String fw = api.uploadFirmware(elf);
      for (int i = 0; i < 4; i++) {
        JsonObject job = TestSupport.demoJob("rs-" + i, "qemu-mps2-an386", fw, 40, 30 + i);
        assertEquals(202, api.send("POST", "/api/v1/jobs", job.encode().getBytes(), "application/json").status);
        ids.add(job.getString("id"));
      }
      TestSupport.waitFor("a job running", 60_000, () -> a.boards().all().stream().anyMatch(b -> b.job() != null));
      interrupted = a.boards().all().iterator().next().job();
    } finally {
      a.stop();
    }
    HilConfig two = new HilConfig().workDir(work).qemu("qemu-mps2-an386", 2);
    try (HilServer b = new HilServer(two).start()) {
      HilClient api = new HilClient(b.baseUrl(), b.token());
      for (String id : ids) {
        assertEquals("pass", api.awaitResult(id, 120_000).getString("verdict"), id);
      }
      JsonArray log = api.job(interrupted).getJsonArray("attempt_log");
      assertTrue(log.size() >= 2, log.encode());
      assertEquals("interrupted", log.getJsonObject(0).getString("outcome"));
      TestSupport.Collector c = sub;
      TestSupport.waitFor("results over MQTT after the restart", 30_000, () -> c.results.keySet().containsAll(ids),
          () -> "have " + c.results.keySet());
    } finally {
      if (sub != null) {
        sub.close();
      }
    }
  }
}
