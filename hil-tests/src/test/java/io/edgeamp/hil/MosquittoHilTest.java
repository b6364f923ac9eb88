package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.hil.board.Board;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An external Mosquitto (started by the test on a free loopback port, own config and persistence):
 * submissions over the shared subscription and REST, a QEMU board killed mid-job (the job is retried
 * on the other board and the failure recorded), and Mosquitto restarted mid-run with submissions in
 * flight: every job runs and every QoS 1 result arrives. The submission client is MQTT 5 (broker's log),
 * before and after the broker restart, and subscribes to the shared filter again after it.
 */
class MosquittoHilTest {
  @Test
  void killedBoardIsRetriedElsewhereAndBrokerRestartLosesNothing() throws Exception {
    Path elf = TestSupport.firmware();
    Path dir = TestSupport.freshDir("mosquitto");
    try (TestSupport.Mosquitto mosq = new TestSupport.Mosquitto(dir.resolve("broker"))) {
      mosq.start();
      HilConfig cfg = new HilConfig().workDir(dir.resolve("work")).qemu("qemu-mps2-an386", 2);
      cfg.mqttUrl = mosq.url();
      cfg.offlineCooldownMs = 500;
      cfg.healthIntervalMs = 300;
      try (HilServer server = new HilServer(cfg).start();
          TestSupport.Collector sub = new TestSupport.Collector(mosq.url(), "lab", dir.resolve("collector"), null, null)) {
        assertTrue(cfg.useSharedSubscription());
        HilClient api = new HilClient(server.baseUrl(), server.token());
        String fw = api.uploadFirmware(elf);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          JsonObject job = TestSupport.demoJob("mq-" + i, "qemu-mps2-an386", fw, 40, 10 + i);
          sub.submit("lab", job);
          ids.add(job.getString("id"));
        }
        for (int i = 0; i < 2; i++) {
          JsonObject job = TestSupport.demoJob("rest-" + i, "qemu-mps2-an386", fw, 40, 20 + i);
          assertEquals(202, api.send("POST", "/api/v1/jobs", job.encode().getBytes(), "application/json").status);
          ids.add(job.getString("id"));
        }
        // kill the emulator of a running job
        TestSupport.waitFor("a job running in QEMU", 60_000, () -> server.boards().all().stream()
            .anyMatch(b -> Board.RUNNING.equals(b.state()) && b.process() != null && b.process().isAlive()));
        Board victim = server.boards().all().stream()
            .filter(b -> Board.RUNNING.equals(b.state()) && b.process() != null).findFirst().orElseThrow();
        String killedJob = victim.job();
        victim.process().destroyForcibly();
        // restart the broker while jobs run, then submit more while clients reconnect
        mosq.restart(500);
        TestSupport.waitFor("collector reconnected", 30_000, sub::connectedOrReconnect);
        for (int i = 3; i < 5; i++) {
          JsonObject job = TestSupport.demoJob("mq-" + i, "qemu-mps2-an386", fw, 10, 10 + i);
          sub.submit("lab", job);
          ids.add(job.getString("id"));
        }
        for (String id : ids) {
          JsonObject r = api.awaitResult(id, 120_000);
          assertEquals("done", r.getString("state"), r.encode());
          assertEquals("pass", r.getString("verdict"), id);
        }
        TestSupport.waitFor("every result over MQTT", 30_000, () -> sub.results.keySet().containsAll(ids),
            () -> "have " + sub.results.keySet() + " want " + ids);

        JsonObject killed = api.job(killedJob);
        JsonArray log = killed.getJsonArray("attempt_log");
        assertEquals(2, log.size(), killed.encode());
        assertEquals("board-failed", log.getJsonObject(0).getString("outcome"));
        assertEquals(victim.id, log.getJsonObject(0).getString("board"));
        assertTrue(log.getJsonObject(0).getString("error").contains("BoardLost"), log.encode());
        assertEquals("ok", log.getJsonObject(1).getString("outcome"));
        assertNotEquals(victim.id, sub.results.get(killedJob).getString("board"));
        // the broker's view of the submission client: MQTT 5, clean start, the shared filter, and a
        // second session after the restart that subscribed again
        mosq.submissionSessions(cfg.serverId).assertMqtt5Shared("lab", 2);
        // the killed board comes back after its health check
        TestSupport.waitFor("victim back online", 20_000, () -> !Board.OFFLINE.equals(victim.state()));
      }
    }
  }
}
