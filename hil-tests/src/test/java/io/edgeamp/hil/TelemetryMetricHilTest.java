package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-vector telemetry names the job's own metric: the demo vectors carry a label and expected outputs,
 * and a top1 job's telemetry said "bit_exact" before.
 */
class TelemetryMetricHilTest {
  @Test
  void telemetryCarriesTheJobsMetric() throws Exception {
    Path elf = TestSupport.firmware();
    Path work = TestSupport.freshDir("telemetry-metric");
    try (HilServer s = new HilServer(new HilConfig().workDir(work).qemu("qemu-mps2-an386", 1)).start();
        TestSupport.Collector c = new TestSupport.Collector(s.mqttUrl(), "lab", work.resolve("../telemetry-collector-" + System.nanoTime()), null, null)) {
      HilClient api = new HilClient(s.baseUrl(), s.token());
      String fw = api.uploadFirmware(elf);
      for (String metric : List.of("top1", "bit_exact")) {
        JsonObject job = TestSupport.demoJob("tm-" + metric.replace('_', '-'), "qemu-mps2-an386", fw, 4, 5).put("metric", metric);
        assertEquals(202, api.send("POST", "/api/v1/jobs", job.encode().getBytes(), "application/json").status);
        assertEquals("pass", api.awaitResult(job.getString("id"), 120_000).getString("verdict"));
        String id = job.getString("id");
        TestSupport.waitFor("telemetry of " + id, 30_000, () -> c.telemetry.stream().filter(t -> id.equals(t.getString("job"))).count() == 4,
            () -> c.telemetry.toString());
        for (JsonObject t : c.telemetry) {
          if (id.equals(t.getString("job"))) {
            assertEquals(metric, t.getString("metric"), t.encode());
            assertEquals(1, t.getInteger("value"), t.encode()); // the demo firmware computes exactly what the vectors expect
          }
        }
      }
    }
  }
}
