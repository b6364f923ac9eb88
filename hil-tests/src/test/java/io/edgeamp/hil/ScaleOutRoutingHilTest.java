package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one Mosquitto share MQTT submissions (MQTT 5 shared subscription), each with a board the
 * other lacks. The broker hands each submission to either server; one without the board passes it back to
 * the group (hop count in the payload) instead of rejecting it, which lost about half of such jobs. A job
 * no server can run is rejected after the hop limit.
 */
class ScaleOutRoutingHilTest {
  private static HilConfig cfg(Path dir, String id, String url) {
    HilConfig c = new HilConfig().workDir(dir.resolve(id)).qemu("qemu-mps2-an386", 1);
    c.serverId = id;
    c.boardIdPrefix = id + "-";
    c.mqttUrl = url;
    c.maxSubmitHops = 6;
    return c;
  }

  @Test
  void aJobForAnotherServersBoardReachesIt() throws Exception {
    Path elf = TestSupport.firmware();
    Path dir = TestSupport.freshDir("scaleout-routing");
    try (TestSupport.Mosquitto mosq = new TestSupport.Mosquitto(dir.resolve("broker"))) {
      mosq.start();
      try (HilServer a = new HilServer(cfg(dir, "hil-a", mosq.url())).start();
          HilServer b = new HilServer(cfg(dir, "hil-b", mosq.url())).start();
          TestSupport.Collector col = new TestSupport.Collector(mosq.url(), "lab", dir.resolve("collector"), null, null)) {
        for (HilServer s : List.of(a, b)) {
          Files.copy(elf, s.config().workDir.resolve("demo.elf"));
        }
        // by board id: only one server has each board
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          String server = i % 3 == 0 ? "hil-a" : "hil-b";
          JsonObject job = job("route-" + i, server + "-qemu-mps2-an386-0", i);
          col.submit("lab", job); // fails on "rejected"
          ids.add(job.getString("id"));
        }
        TestSupport.waitFor("every result", 150_000, () -> col.results.keySet().containsAll(ids),
            () -> "have " + col.results.keySet());
        int forwarded = 0;
        for (int i = 0; i < ids.size(); i++) {
          JsonObject r = col.results.get(ids.get(i));
          assertEquals("pass", r.getString("verdict"), r.encode());
          assertEquals(i % 3 == 0 ? "hil-a" : "hil-b", r.getString("server"), r.encode());
        }
        for (String id : ids) {
          forwarded += col.forwarded.getOrDefault(id, 0);
        }
        System.out.println("scale-out routing: " + forwarded + " hand-overs for " + ids.size() + " jobs");
        assertTrue(forwarded > 0, "the broker handed some jobs to the server without their board");

        // a board no server has: rejected after the hop limit, with a reason
        MqttMessage m = new MqttMessage(job("route-nowhere", "hil-c-qemu-mps2-an386-0", 99).encode().getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        col.client.publish("edgeamp/v1/lab/jobs/submit", m).waitForCompletion(10_000);
        TestSupport.waitFor("an answer for a board nobody has", 20_000, () -> col.answers.containsKey("route-nowhere"));
        JsonObject no = col.answers.get("route-nowhere");
        assertEquals("rejected", no.getString("type"), no.encode());
        assertEquals("no board matches board/profile/tags: 6 servers of site lab in turn had none", no.getString("error"));
        assertEquals(5, col.forwarded.getOrDefault("route-nowhere", 0));
        // a hop count is the servers' own: over REST it is an unknown key
        HilClient.Reply rest = new HilClient(a.baseUrl(), a.token()).send("POST", "/api/v1/jobs",
            job("route-rest", "hil-a-qemu-mps2-an386-0", 1).put("hops", 1).encode().getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(400, rest.status, rest.body);
      }
    }
  }

  private static JsonObject job(String id, String board, long seed) {
    return new JsonObject().put("id", id).put("board", board).put("firmware", new JsonObject().put("path", "demo.elf"))
        .put("vectors", DemoFirmware.vectors(4, seed)).put("iterations", 2);
  }
}
