package io.edgeamp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.edgeamp.hil.Browser;
import io.edgeamp.hil.HilClient;
import io.edgeamp.hil.HilConfig;
import io.edgeamp.hil.HilServer;
import io.edgeamp.hil.fleet.FleetFeed;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The shipped end-to-end suite as a user runs it (README): a HIL server with one QEMU board per machine and
 * its dashboard open in Debian's Chromium, then `toolchain hil test hil-tests/suites/end-to-end.yaml --server
 * URL --token-file F`, which trains and quantizes CLS_4k_NPU (`toolchain quantize`), generates and builds its
 * firmware per board (`toolchain codegen` + CMake), and submits the jobs. Every case must pass bit-exact,
 * every result must arrive on MQTT (the server's fleet feed), and the dashboard must show each job's
 * verdict and a latency row per board without a reload. Last, the loop back into the toolchain: the
 * server's latency table holds per-layer rows measured by the generated firmware, and `toolchain quantize
 * --latency-table` uses them as the allocator's latency costs.
 */
class EndToEndSuiteDashboardTest {
  static final Path REPO = HilSuiteCommandTest.REPO;
  /** The boards of hil-tests/suites/end-to-end.yaml: every emulated board profile. */
  static final String[] BOARDS =
      {"qemu-mps2-an385", "qemu-mps2-an386", "qemu-mps2-an500", "qemu-mps2-an505", "qemu-mps3-an547", "qemu-microbit"};

  @Test
  void shippedEndToEndSuiteReachesMqttAndTheDashboard() throws Exception {
    Path dir = Files.createTempDirectory("e2e-dashboard");
    HilConfig cfg = new HilConfig().workDir(dir.resolve("server"));
    for (String b : BOARDS) {
      cfg.qemu(b, 1);
    }
    try (HilServer server = new HilServer(cfg).start(); Browser browser = new Browser(dir.resolve("chromium-profile"))) {
      Map<String, JsonObject> onMqtt = new ConcurrentHashMap<>();
      server.fleet().addListener((FleetFeed.FleetEvent e) -> {
        if ("result".equals(e.kind)) {
          onMqtt.put(e.key, e.body);
        }
      });
      Page page = browser.page;
      page.navigate(server.dashboardUrl());
      page.waitForFunction("() => document.getElementById('conn').textContent === 'live'", null,
          new Page.WaitForFunctionOptions().setTimeout(20_000));
      for (String b : BOARDS) {
        assertTrue(page.textContent("#boards").contains(b + "-0"), page.textContent("#boards"));
      }

      Path token = dir.resolve("token");
      Files.writeString(token, server.token());
      Path json = dir.resolve("results.json");
      String[] r = HilSuiteCommandTest.run("hil", "test", REPO.resolve("hil-tests/suites/end-to-end.yaml").toString(), "--server", server.baseUrl(),
          "--token-file", token.toString(), "--repo", REPO.toString(), "--work", dir.resolve("work").toString(),
          "--junit-xml", dir.resolve("junit.xml").toString(), "--json-out", json.toString());
      assertEquals("0", r[0], r[1]);
      assertTrue(r[1].contains(BOARDS.length + " passed, 0 failed, 0 errors"), r[1]);

      List<String> jobs = new ArrayList<>();
      for (Object o : new JsonObject(Files.readString(json)).getJsonArray("suites").getJsonObject(0).getJsonArray("cases")) {
        JsonObject c = (JsonObject) o;
        assertEquals("pass", c.getString("status"), c.encode());
        jobs.add(c.getString("job"));
      }
      assertEquals(BOARDS.length, jobs.size());
      // on MQTT: the results are published after the store commit, so they may trail the REST reply
      long deadline = System.currentTimeMillis() + 20_000;
      while (!onMqtt.keySet().containsAll(jobs) && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      for (String j : jobs) {
        assertTrue(onMqtt.containsKey(j), "result of " + j + " on MQTT: " + onMqtt.keySet());
        assertEquals("pass", onMqtt.get(j).getString("verdict"));
        assertEquals(Boolean.TRUE, onMqtt.get(j).getBoolean("bit_exact"), onMqtt.get(j).encode());
      }
      // in the dashboard, live: each job's row shows pass, and each board has a latency row
      page.waitForFunction("ids => ids.every(id => { const r = document.querySelector('#jobs tr[data-job=\"' + id + '\"]');"
          + " return r && r.cells[4].textContent === 'pass'; })", jobs, new Page.WaitForFunctionOptions().setTimeout(20_000));
      String latency = page.textContent("#latency");
      for (String b : BOARDS) {
        assertTrue(latency.contains("@ " + b + "-0"), latency);
      }
      page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-end-to-end.png")).setFullPage(true));

      // per-layer latencies measured by the generated firmware, stored by the server, read by the quantizer
      JsonObject table = new HilClient(server.baseUrl(), server.token()).latencyTable();
      for (String b : BOARDS) {
        List<JsonObject> rows = table.getJsonArray("rows").stream().map(o -> (JsonObject) o)
            .filter(x -> (b + "-0").equals(x.getString("board"))).toList();
        assertTrue(rows.stream().anyMatch(x -> "model".equals(x.getString("layer_kind"))), b + ": " + rows);
        List<JsonObject> layers = rows.stream().filter(x -> !"model".equals(x.getString("layer_kind"))).toList();
        assertTrue(layers.size() >= 5, b + ": per-layer rows " + layers);
        for (JsonObject x : layers) {
          assertTrue(x.getLong("cycles_median") > 0 && x.getString("shape") != null && x.getInteger("bits") != null, x.encode());
        }
      }
      Path tableFile = dir.resolve("latency-table.json");
      Files.writeString(tableFile, table.encodePrettily());
      Path q = dir.resolve("requantize");
      String[] qr = HilSuiteCommandTest.run("quantize", "--task", "classification", "--zoo", "CLS_4k_NPU", "--epochs", "5", "--board", "qemu-mps2-an386",
          "--latency-table", tableFile.toString(), "--out", q.toString());
      assertEquals("0", qr[0], qr[1]);
      String report = Files.readString(q.resolve("artifact").resolve("report.json"));
      assertTrue(report.contains("LATENCY costs measured (latency table " + tableFile), report);
    }
  }
}
