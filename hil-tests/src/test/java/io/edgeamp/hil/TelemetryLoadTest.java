package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.hil.fleet.TelemetryLoad;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Telemetry ingest through the embedded broker (Moquette) into a running server's fleet feed: four
 * bounded loopback publishers at QoS 1, rates rising until loss or lag appears or the steps run out;
 * the ramp stops by itself within its time limit. Writes the figures to target/fleet-bench-load.json.
 */
class TelemetryLoadTest {
  @Test
  void telemetryIngestRampStopsAtLossOrLag() throws Exception {
    Path dir = TestSupport.freshDir("load");
    HilConfig cfg = new HilConfig().workDir(dir.resolve("work"));
    try (HilServer server = new HilServer(cfg).start()) {
      TelemetryLoad load = new TelemetryLoad(server.mqttUrl(), cfg.site, server.fleet());
      load.rates = new int[] {1_000, 2_000, 5_000, 10_000, 20_000};
      load.stepSeconds = 2;
      load.timeLimitMs = 60_000;
      long t0 = System.currentTimeMillis();
      JsonObject r = load.run(System.out);
      assertTrue(System.currentTimeMillis() - t0 < 90_000, "bounded in time");
      Files.writeString(TestSupport.TEST_DIR.getParent().resolve("fleet-bench-load.json"), r.encodePrettily());
      JsonObject first = r.getJsonArray("steps").getJsonObject(0);
      assertEquals(0L, first.getLong("lost"), first.encode());
      // QoS 1 end to end: nothing lost at any rate tried (lag, not loss, is what ends the ramp here)
      for (Object o : r.getJsonArray("steps")) {
        assertEquals(0L, ((JsonObject) o).getLong("lost"), ((JsonObject) o).encode());
      }
      // the server still answers and its feed saw the traffic
      assertTrue(server.fleet().telemetryReceived() >= first.getLong("sent"));
      assertEquals(200, new HilClient(server.baseUrl(), server.token()).send("GET", "/api/v1/server", null, null).status);
    }
  }
}
