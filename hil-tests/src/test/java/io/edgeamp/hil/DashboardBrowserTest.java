package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in Debian's Chromium (Playwright): the token comes from the URL fragment into
 * sessionStorage, the fleet table shows both QEMU boards, jobs and latencies appear while jobs run
 * (server-sent events bridged from the embedded broker), a new result updates the page, job details
 * show attempt logs. Measures result-to-screen delay (result "ts" set by the server when it stores the
 * result, to the moment the page rendered it; same host clock) and writes a screenshot to target.
 */
class DashboardBrowserTest {
  @Test
  void dashboardShowsFleetJobsAndLatenciesLive() throws Exception {
    Path elf = TestSupport.firmware();
    Path dir = TestSupport.freshDir("dashboard");
    Path target = TestSupport.TEST_DIR.getParent();
    HilConfig cfg = new HilConfig().workDir(dir.resolve("work")).qemu("qemu-mps2-an386", 2);
    try (HilServer server = new HilServer(cfg).start(); Browser browser = new Browser(dir.resolve("chromium-profile"))) {
      HilClient api = new HilClient(server.baseUrl(), server.token());
      String fw = api.uploadFirmware(elf);
      Page page = browser.page;
      page.navigate(server.dashboardUrl());
      page.waitForFunction("() => document.getElementById('conn').textContent === 'live'", null,
          new Page.WaitForFunctionOptions().setTimeout(20_000));
      // the token left the address bar and lives in this tab's sessionStorage only
      assertFalse(page.url().contains("token"), page.url());
      assertEquals(server.token(), page.evaluate("() => sessionStorage.getItem('edgeamp.hil.token')"));
      String boardsText = page.textContent("#boards");
      assertTrue(boardsText.contains("qemu-mps2-an386-0") && boardsText.contains("qemu-mps2-an386-1"), boardsText);

      // a batch: the page shows them running, with live telemetry latencies
      List<String> batch = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        JsonObject job = TestSupport.demoJob("dash-" + i, "qemu-mps2-an386", fw, 60, 100 + i);
        api.submit(job);
        batch.add(job.getString("id"));
      }
      page.waitForFunction("() => [...document.querySelectorAll('#boards tbody tr')].some(r => r.textContent.includes('running'))",
          null, new Page.WaitForFunctionOptions().setTimeout(60_000).setPollingInterval(20));
      page.waitForFunction("() => [...document.querySelectorAll('#jobs tbody tr')].some(r => r.cells[1].textContent === 'running'"
          + " && r.cells[8].textContent.includes('/'))", null, new Page.WaitForFunctionOptions().setTimeout(60_000).setPollingInterval(20));
      page.waitForFunction("() => window.edgeamp.stats.telemetry > 0 && document.querySelector('#latency tbody tr') !== null",
          null, new Page.WaitForFunctionOptions().setTimeout(30_000));
      page.screenshot(new Page.ScreenshotOptions().setPath(target.resolve("dashboard-running.png")).setFullPage(true));
      for (String id : batch) {
        assertEquals("pass", api.awaitResult(id, 120_000).getString("verdict"));
      }
      page.waitForFunction("ids => ids.every(id => { const r = document.querySelector('#jobs tr[data-job=\"' + id + '\"]');"
          + " return r && r.cells[4].textContent === 'pass'; })", new JsonArray(batch).getList(),
          new Page.WaitForFunctionOptions().setTimeout(10_000));
      String latency = page.textContent("#latency");
      assertTrue(latency.contains("edgeamp-demo-dot @ qemu-mps2-an386-"), latency);
      assertTrue(latency.contains("instructions"), latency);
      String jobsText = page.textContent("#jobs");
      assertTrue(jobsText.contains("bit_exact_rate 1") || jobsText.contains("top1"), jobsText);

      // new results arrive one at a time: the page updates; delay from the server's result ts to the render
      List<Long> delays = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String id = "dash-new-" + i;
        api.submit(TestSupport.demoJob(id, "qemu-mps2-an386", fw, 3, 200 + i));
        page.waitForFunction("id => window.edgeamp.shown[id] !== undefined", id,
            new Page.WaitForFunctionOptions().setTimeout(60_000).setPollingInterval(20));
        long shownAt = ((Number) page.evaluate("id => window.edgeamp.shown[id]", id)).longValue();
        JsonObject r = api.awaitResult(id, 10_000);
        delays.add(shownAt - r.getLong("ts"));
        assertTrue(page.textContent("#last-result").contains(id), page.textContent("#last-result"));
      }
      page.waitForFunction("() => document.querySelector('#jobs tr[data-job=\"dash-new-4\"]').cells[4].textContent === 'pass'");

      // job details: events and the attempt's logs
      page.click("#jobs tr[data-job='dash-0']");
      page.waitForFunction("() => document.getElementById('detail-logs').textContent.includes('attempt-1')", null,
          new Page.WaitForFunctionOptions().setTimeout(10_000));
      assertTrue(page.textContent("#detail-job").contains("\"outcome\": \"ok\""), page.textContent("#detail-job"));
      page.screenshot(new Page.ScreenshotOptions().setPath(target.resolve("dashboard.png")).setFullPage(true));

      List<Long> sorted = new ArrayList<>(delays);
      Collections.sort(sorted);
      long median = sorted.get(sorted.size() / 2);
      long max = sorted.get(sorted.size() - 1);
      String line = "dashboard delay result->screen ms: " + delays + " median " + median + " max " + max;
      System.out.println(line);
      Files.writeString(target.resolve("fleet-bench-dashboard.json"), new JsonObject().put("delays_ms", new JsonArray(delays))
          .put("median_ms", median).put("max_ms", max).encodePrettily());
      // The 1 s goal is a benchmark figure (docs/BENCHMARKS.md), not asserted here: a loaded CI machine
      // must not fail the suite on timing. What is asserted is that every new result reached the screen.
      assertEquals(5, delays.size());
    }
  }
}
