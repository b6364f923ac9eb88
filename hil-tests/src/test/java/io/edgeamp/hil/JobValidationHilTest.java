package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Submissions with wrong JSON types, unknown keys and numbers out of range are refused with a 400 that
 * names the field and what it must be (they gave HTTP 500 with a ClassCastException, or ran: iterations
 * 4294967297 ran once), over REST and, as the "rejected" event, over MQTT.
 */
class JobValidationHilTest {
  static HilServer server;
  static HilClient api;
  static Path work;
  static String fw;

  @BeforeAll
  static void start() throws Exception {
    work = TestSupport.freshDir("validation");
    server = new HilServer(new HilConfig().workDir(work).qemu("qemu-mps2-an386", 1)).start();
    api = new HilClient(server.baseUrl(), server.token());
    fw = api.uploadFirmware(TestSupport.firmware());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private static JsonObject job() {
    return TestSupport.demoJob(null, "qemu-mps2-an386", fw, 2, 1).put("max_attempts", 1);
  }

  private static HilClient.Reply post(JsonObject job) throws Exception {
    return api.send("POST", "/api/v1/jobs", job.encode().getBytes(StandardCharsets.UTF_8), "application/json");
  }

  @Test
  void wrongTypesAreRefusedNamingTheField() throws Exception {
    JsonObject vectorWithLabel = job().getJsonArray("vectors").getJsonObject(0).copy().put("label", "x");
    JsonObject vectorWithExpected = job().getJsonArray("vectors").getJsonObject(0).copy().put("expected", new JsonArray().add("a"));
    Map<JsonObject, String> cases = new LinkedHashMap<>();
    cases.put(job().put("vectors", "abc"), "vectors must be an array of {input, expected} objects, got a string");
    cases.put(job().put("vectors", new JsonArray().add("abc")), "vectors must be an array of {input, expected} objects (vectors[0] is not)");
    cases.put(job().put("vectors", new JsonArray().add(vectorWithExpected)), "vectors[0].expected[0] must be an integer");
    cases.put(job().put("vectors", new JsonArray().add(vectorWithLabel)), "vectors[0].label must be an integer");
    cases.put(job().put("firmware", "x.elf"), "firmware must be an object with exactly one of {id}, {path}, {elf_base64}, {cmake}");
    cases.put(job().put("firmware", new JsonObject().put("path", 3)), "firmware.path must be a string, got the number 3");
    cases.put(job().put("tags", "m4"), "tags must be an array of strings, got a string");
    cases.put(job().put("tags", new JsonArray().add(4)), "tags must be an array of strings, got the number 4");
    cases.put(job().put("timeouts", "x"), "timeouts must be an object {flash_s, boot_s, run_s}, got a string");
    cases.put(job().put("timeouts", new JsonObject().put("run_s", "9")), "timeouts.run_s must be an integer in 1..86400");
    cases.put(job().put("profile", 386), "profile must be a string, got the number 386");
    cases.put(job().put("metric", true), "metric must be a string, got true");
    cases.put(job().put("model", new JsonArray()), "model must be a string, got an array");
    cases.put(job().put("id", 7), "id must be a string");
    for (Map.Entry<JsonObject, String> c : cases.entrySet()) {
      HilClient.Reply r = post(c.getKey());
      assertEquals(400, r.status, c.getValue() + ": " + r.body);
      String error = r.json().getString("error");
      assertTrue(error.startsWith(c.getValue()), "want '" + c.getValue() + "', got '" + error + "'");
      assertFalse(error.contains("Exception") || error.contains("java."), error);
    }
  }

  @Test
  void unknownTopLevelKeysAreRefusedNamingTheKey() throws Exception {
    HilClient.Reply r = post(job().put("itterations", 5));
    assertEquals(400, r.status, r.body);
    assertTrue(r.json().getString("error").startsWith("unknown key itterations; known: "), r.body);
    r = post(job().put("timeouts", new JsonObject().put("runs_s", 5)));
    assertEquals(400, r.status, r.body);
    assertTrue(r.json().getString("error").startsWith("unknown key runs_s in timeouts"), r.body);
  }

  @Test
  void numbersMustBeIntegersInRange() throws Exception {
    Map<JsonObject, String> cases = new LinkedHashMap<>();
    cases.put(job().put("iterations", 4294967297L), "iterations must be an integer in 1..1000000, got 4294967297");
    cases.put(job().put("iterations", 1.9), "iterations must be an integer in 1..1000000, got 1.9");
    cases.put(job().put("iterations", 0), "iterations must be an integer in 1..1000000, got 0");
    cases.put(job().put("iterations", "3"), "iterations must be an integer in 1..1000000, got a string");
    cases.put(job().put("warmup", -1), "warmup must be an integer in 0..1000000, got -1");
    cases.put(job().put("warmup", 1e30), "warmup must be an integer in 0..1000000");
    cases.put(job().put("max_attempts", 11), "max_attempts must be an integer in 1..10, got 11");
    cases.put(job().put("timeouts", new JsonObject().put("run_s", 0.5)), "timeouts.run_s must be an integer in 1..86400, got 0.5");
    for (Map.Entry<JsonObject, String> c : cases.entrySet()) {
      HilClient.Reply r = post(c.getKey());
      assertEquals(400, r.status, c.getValue() + ": " + r.body);
      assertTrue(r.json().getString("error").startsWith(c.getValue()), "want '" + c.getValue() + "', got " + r.body);
    }
    // big numbers in range, and an integer written as 3.0, are taken as they are
    HilClient.Reply ok = post(job().put("iterations", 3.0).put("warmup", 0L));
    assertEquals(202, ok.status, ok.body);
    JsonObject r = api.awaitResult(ok.json().getString("id"), 60_000);
    assertEquals("pass", r.getString("verdict"), r.encode());
    assertEquals(3, r.getInteger("iterations"));
  }

  @Test
  void overMqttTheRejectedEventNamesTheField() throws Exception {
    try (TestSupport.Collector col = new TestSupport.Collector(server.mqttUrl(), "lab", work.resolve("collector"), null, null)) {
      Map<String, JsonObject> cases = new LinkedHashMap<>();
      cases.put("vectors must be an array of {input, expected} objects, got a string", job().put("id", "v-mqtt-1").put("vectors", "abc"));
      cases.put("iterations must be an integer in 1..1000000, got 4294967297", job().put("id", "v-mqtt-2").put("iterations", 4294967297L));
      cases.put("unknown key itterations", job().put("id", "v-mqtt-3").put("itterations", 2));
      for (Map.Entry<String, JsonObject> c : cases.entrySet()) {
        MqttMessage m = new MqttMessage(c.getValue().encode().getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        col.client.publish("edgeamp/v1/lab/jobs/submit", m).waitForCompletion(10_000);
        String id = c.getValue().getString("id");
        TestSupport.waitFor("answer to " + id, 20_000, () -> col.answers.containsKey(id));
        JsonObject a = col.answers.get(id);
        assertEquals("rejected", a.getString("type"), a.encode());
        assertTrue(a.getString("error").startsWith(c.getKey()), a.encode());
      }
      // an id that is no string: reported on the "invalid" job's events
      MqttMessage m = new MqttMessage(job().put("id", 7).encode().getBytes(StandardCharsets.UTF_8));
      m.setQos(1);
      col.client.publish("edgeamp/v1/lab/jobs/submit", m).waitForCompletion(10_000);
      TestSupport.waitFor("answer to id 7", 20_000, () -> col.answers.containsKey("invalid"));
      assertEquals("id must be a string, got the number 7", col.answers.get("invalid").getString("error"));
    }
  }
}
