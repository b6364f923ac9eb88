package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.hil.fleet.FleetFeed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fleet feed's two telemetry paths with the embedded broker: the broker's publish interceptor (the
 * default) and a QoS 1 subscription. Either way every telemetry message a client published at QoS 1
 * reaches the feed's listeners exactly once, in the order one publisher sent it, with its payload intact;
 * board status still comes through the subscription; and after a broker restart the interceptor is
 * installed again on the new broker instance.
 */
class FleetTelemetryTest {
  private static final int N = 3000;

  @ParameterizedTest(name = "in process = {0}")
  @ValueSource(booleans = {true, false})
  void everyTelemetryMessageArrivesOnceInOrderAndAfterABrokerRestart(boolean inProcess) throws Exception {
    HilConfig cfg = new HilConfig().workDir(TestSupport.freshDir("fleet-telemetry-" + inProcess).resolve("work"));
    cfg.fleetTelemetryInProcess = inProcess;
    try (HilServer server = new HilServer(cfg).start()) {
      FleetFeed feed = server.fleet();
      assertEquals(inProcess ? "embedded broker interceptor" : "subscription QoS 1", feed.telemetrySource());
      List<FleetFeed.FleetEvent> seen = new CopyOnWriteArrayList<>();
      feed.addListener(e -> {
        if (e.key.equals("probe")) {
          seen.add(e);
        }
      });
      String base = "edgeamp/v1/" + cfg.site + "/boards/probe/";

      publishStatus(server.mqttUrl(), base);
      TestSupport.waitFor("status", 30_000, () -> count(seen, "status") >= 1, () -> "none");
      publish(server.mqttUrl(), base, 0, N);
      TestSupport.waitFor("telemetry", 30_000, () -> count(seen, "telemetry") >= N, () -> count(seen, "telemetry") + " telemetry");
      Thread.sleep(300); // a duplicate would arrive right behind
      assertSequence(seen, 0, N);

      server.restartEmbeddedBroker(200);
      seen.clear();
      // the feed's session is back (it gets the retained status again) before telemetry goes out: a clean
      // subscription session misses what is published while it is away, by design
      publishStatus(server.mqttUrl(), base);
      TestSupport.waitFor("status after the broker restart", 30_000, () -> count(seen, "status") >= 1, () -> "none");
      publish(server.mqttUrl(), base, N, 200);
      TestSupport.waitFor("telemetry after the broker restart", 30_000, () -> count(seen, "telemetry") >= 200,
          () -> count(seen, "telemetry") + " telemetry");
      Thread.sleep(300);
      assertSequence(seen, N, 200);
    }
  }

  /** Retained, so a feed that (re)subscribes later still gets it; arriving proves the subscription is up. */
  private static void publishStatus(String url, String base) throws Exception {
    MqttAsyncClient c = connect(url);
    MqttMessage status = new MqttMessage("{\"state\":\"idle\"}".getBytes(StandardCharsets.UTF_8));
    status.setQos(1);
    status.setRetained(true);
    c.publish(base + "status", status).waitForCompletion(5000);
    c.disconnect().waitForCompletion(5000);
    c.close();
  }

  private static void publish(String url, String base, int first, int n) throws Exception {
    MqttAsyncClient c = connect(url);
    for (int i = first; i < first + n; i++) {
      MqttMessage m = new MqttMessage(("{\"seq\":" + i + ",\"model\":\"m\",\"latency_cycles\":" + (1000 + i) + "}")
          .getBytes(StandardCharsets.UTF_8));
      m.setQos(1);
      c.publish(base + "telemetry", m).waitForCompletion(5000);
    }
    c.disconnect().waitForCompletion(5000);
    c.close();
  }

  private static MqttAsyncClient connect(String url) throws Exception {
    MqttAsyncClient c = new MqttAsyncClient(url, "probe-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setMaxInflight(1000);
    // the broker may still be coming back after a restart
    for (int attempt = 0; ; attempt++) {
      try {
        c.connect(o).waitForCompletion(5000);
        break;
      } catch (Exception e) {
        if (attempt == 20) {
          throw e;
        }
        Thread.sleep(250);
      }
    }
    return c;
  }

  private static long count(List<FleetFeed.FleetEvent> seen, String kind) {
    return seen.stream().filter(e -> e.kind.equals(kind)).count();
  }

  private static void assertSequence(List<FleetFeed.FleetEvent> seen, int first, int n) {
    List<FleetFeed.FleetEvent> t = seen.stream().filter(e -> e.kind.equals("telemetry")).toList();
    assertEquals(n, t.size(), "each message exactly once");
    for (int i = 0; i < n; i++) {
      assertEquals(first + i, t.get(i).body.getInteger("seq"), "order of one publisher");
      assertEquals(1000 + first + i, t.get(i).body.getInteger("latency_cycles"), "payload intact");
    }
    assertTrue(seen.stream().anyMatch(e -> e.kind.equals("status") && "idle".equals(e.body.getString("state"))), "status via the subscription");
  }
}
