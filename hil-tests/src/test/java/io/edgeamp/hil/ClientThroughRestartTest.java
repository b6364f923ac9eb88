package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client waiting for a result ({@code hil run}) rides out a server stop and start on the same port:
 * it says once that the server is gone and once that it is back, and gets the result of the job the
 * restarted server requeued.
 */
class ClientThroughRestartTest {
  @Test
  void awaitResultWaitsForTheRestartedServer() throws Exception {
    Path elf = TestSupport.firmware();
    Path work = TestSupport.freshDir("client-restart");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HilConfig cfg = new HilConfig().workDir(work).qemu("qemu-mps2-an386", 1);
    cfg.httpPort = port;
    List<String> notices = new CopyOnWriteArrayList<>();
    ExecutorService waiter = Executors.newSingleThreadExecutor();
    HilServer a = new HilServer(cfg).start();
    Future<JsonObject> result;
    String id;
    try {
      HilClient api = new HilClient(a.baseUrl(), a.token());
      JsonObject job = TestSupport.demoJob("through-restart", "qemu-mps2-an386", api.uploadFirmware(elf), 40, 11);
      id = job.getString("id");
      assertEquals(202, api.send("POST", "/api/v1/jobs", job.encode().getBytes(), "application/json").status);
      TestSupport.waitFor("the job running", 60_000, () -> a.boards().all().stream().anyMatch(b -> b.job() != null));
      result = waiter.submit(() -> api.awaitResult(id, 180_000, notices::add));
    } finally {
      a.stop();
    }
    TestSupport.waitFor("the client noticing the server is gone", 30_000, () -> !notices.isEmpty());
    HilConfig again = new HilConfig().workDir(work).qemu("qemu-mps2-an386", 1);
    again.httpPort = port;
    try (HilServer b = new HilServer(again).start()) {
      JsonObject r = result.get(180, TimeUnit.SECONDS);
      assertEquals(id, r.getString("job"));
      assertEquals("pass", r.getString("verdict"), r.encode());
      assertTrue(notices.get(0).contains("does not answer") && notices.get(0).contains(id), notices.toString());
      assertTrue(notices.stream().anyMatch(n -> n.contains("answers again")), notices.toString());
      assertTrue(b.baseUrl().endsWith(":" + port), b.baseUrl());
    } finally {
      waiter.shutdownNow();
    }
  }
}
