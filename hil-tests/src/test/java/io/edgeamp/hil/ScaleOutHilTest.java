package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scale-out: two HIL servers (own work dirs, stores and QEMU boards, distinct server and board ids)
 * against one Mosquitto share MQTT submissions through the MQTT 5 shared subscription
 * "$share/hil/.../jobs/submit" (checked on the broker's side: every submission session was MQTT 5 with
 * clean start and subscribed to the shared filter, A's again after its restart). Server A is
 * stopped mid-batch (a job running on it, others stored in its queue) while more jobs are submitted,
 * then restarted with the same work dir and server id. Every job gets exactly one result, is stored by
 * exactly one server and has exactly one successful attempt; both servers ran jobs.
 */
class ScaleOutHilTest {
  private static HilConfig cfg(Path dir, String id, String url) {
    HilConfig c = new HilConfig().workDir(dir.resolve(id)).qemu("qemu-mps2-an386", 1);
    c.serverId = id;
    c.boardIdPrefix = id + "-";
    c.mqttUrl = url;
    return c;
  }

  @Test
  void twoServersSplitABatchExactlyOnceAcrossAStop() throws Exception {
    Path elf = TestSupport.firmware();
    Path dir = TestSupport.freshDir("scaleout");
    try (TestSupport.Mosquitto mosq = new TestSupport.Mosquitto(dir.resolve("broker"))) {
      mosq.start();
      HilConfig ca = cfg(dir, "hil-a", mosq.url());
      HilConfig cb = cfg(dir, "hil-b", mosq.url());
      HilServer a = new HilServer(ca).start();
      HilServer a2 = null;
      try (HilServer b = new HilServer(cb).start();
          TestSupport.Collector col = new TestSupport.Collector(mosq.url(), "lab", dir.resolve("collector"), null, null)) {
        assertTrue(ca.useSharedSubscription() && cb.useSharedSubscription());
        for (HilServer s : List.of(a, b)) {
          JsonObject sub = new HilClient(s.baseUrl(), s.token()).send("GET", "/api/v1/server", null, null).json()
              .getJsonObject("mqtt").getJsonObject("submissions");
          assertEquals("mqtt5", sub.getString("protocol"), sub.encode());
          assertEquals("$share/hil/edgeamp/v1/lab/jobs/submit", sub.getString("filter"), sub.encode());
        }
        // firmware by path inside each work dir: the job JSON is the same whichever server takes it
        for (HilServer s : List.of(a, b)) {
          java.nio.file.Files.copy(elf, s.config().workDir.resolve("demo.elf"));
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          JsonObject job = job("so-" + i, 10, i);
          col.submit("lab", job);
          ids.add(job.getString("id"));
        }
        HilClient apiA = new HilClient(a.baseUrl(), a.token());
        HilClient apiB = new HilClient(b.baseUrl(), b.token());
        // stop A while it runs a job and still has queued ones
        TestSupport.waitFor("A running a job with more queued", 60_000, () -> count(apiA, "running") == 1 && count(apiA, "queued") >= 1);
        int queuedOnA = count(apiA, "queued");
        a.stop();
        for (int i = 10; i < 14; i++) {
          JsonObject job = job("so-" + i, 5, i);
          col.submit("lab", job);
          ids.add(job.getString("id"));
        }
        Thread.sleep(1500);
        a2 = new HilServer(ca).start();
        HilClient apiA2 = new HilClient(a2.baseUrl(), a2.token());
        TestSupport.waitFor("every result over MQTT", 150_000, () -> col.results.keySet().containsAll(ids),
            () -> "have " + col.results.keySet() + " want " + ids);

        Map<String, Integer> perServer = new HashMap<>();
        int interrupted = 0;
        for (String id : ids) {
          JsonObject r = col.results.get(id);
          assertEquals("pass", r.getString("verdict"), r.encode());
          HilClient.Reply onA = apiA2.send("GET", "/api/v1/jobs/" + id, null, null);
          HilClient.Reply onB = apiB.send("GET", "/api/v1/jobs/" + id, null, null);
          assertTrue(onA.status == 200 ^ onB.status == 200, id + " stored by exactly one server: A " + onA.status + ", B " + onB.status);
          JsonObject j = (onA.status == 200 ? onA : onB).json();
          JsonArray log = j.getJsonArray("attempt_log");
          int ok = 0;
          for (int k = 0; k < log.size(); k++) {
            String outcome = log.getJsonObject(k).getString("outcome");
            if ("ok".equals(outcome)) {
              ok++;
            } else {
              assertEquals("interrupted", outcome, j.encode());
              interrupted++;
            }
          }
          assertEquals(1, ok, "one successful run of " + id + ": " + j.encode());
          assertEquals(onA.status == 200 ? "hil-a" : "hil-b", r.getString("server"));
          perServer.merge(r.getString("server"), 1, Integer::sum);
        }
        System.out.println("scale-out: jobs per server " + perServer + ", queued on A when stopped " + queuedOnA
            + ", attempts interrupted by the stop " + interrupted);
        assertTrue(perServer.getOrDefault("hil-a", 0) > 0 && perServer.getOrDefault("hil-b", 0) > 0, perServer.toString());
        assertEquals(1, interrupted, "the job running on A when it stopped");
        // the broker's view: MQTT 5 submission sessions on the shared filter; A connected twice (restart)
        TestSupport.SubmissionSessions onBrokerA = mosq.submissionSessions("hil-a");
        TestSupport.SubmissionSessions onBrokerB = mosq.submissionSessions("hil-b");
        onBrokerA.assertMqtt5Shared("lab", 2);
        onBrokerB.assertMqtt5Shared("lab", 1);
        System.out.println("scale-out: broker saw submission sessions A " + onBrokerA + ", B " + onBrokerB);
      } finally {
        a.stop();
        if (a2 != null) {
          a2.stop();
        }
      }
    }
  }

  private static JsonObject job(String id, int vectors, long seed) {
    return new JsonObject().put("id", id).put("profile", "qemu-mps2-an386").put("firmware", new JsonObject().put("path", "demo.elf"))
        .put("vectors", DemoFirmware.vectors(vectors, seed)).put("iterations", 3).put("warmup", 1);
  }

  private static int count(HilClient api, String state) {
    try {
      return new JsonArray(api.send("GET", "/api/v1/jobs?state=" + state, null, null).body).size();
    } catch (Exception e) {
      return -1;
    }
  }
}
