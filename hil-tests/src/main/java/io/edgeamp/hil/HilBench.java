package io.edgeamp.hil;

import io.edgeamp.hil.board.Board;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Throughput and latency of the HIL server with N emulated boards: an embedded server per
 * configuration, J demo jobs submitted at once over REST, wall time to the last result, submission to
 * result per job, and the resident memory of the server (this JVM) and of its QEMU processes.
 */
public final class HilBench {
  private HilBench() {}

  public static JsonObject run(Path elf, Path workRoot, String profile, int[] boardCounts, int jobs, int vectors,
      PrintStream out) throws Exception {
    JsonArray rows = new JsonArray();
    out.printf("%-7s %-5s %-8s %-12s %-12s %-12s %-12s %-14s %-14s%n", "boards", "jobs", "vectors", "wall_s", "jobs/min",
        "p50_ms", "p95_ms", "server_rss_mb", "qemu_rss_mb");
    for (int n : boardCounts) {
      Path work = Files.createDirectories(workRoot.resolve("bench-" + n + "-" + System.nanoTime()));
      HilConfig cfg = new HilConfig().workDir(work).qemu(profile, n);
      try (HilServer s = new HilServer(cfg).start()) {
        HilClient api = new HilClient(s.baseUrl(), s.token());
        String fw = api.uploadFirmware(elf);
        // warm-up job (JIT, first QEMU start) not counted
        api.submit(job("warm", profile, fw, 2));
        api.awaitResult("warm", 60_000);
        List<Long> submitted = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int j = 0; j < jobs; j++) {
          submitted.add(System.currentTimeMillis());
          api.submit(job("b" + j, profile, fw, vectors));
        }
        List<Long> lat = new ArrayList<>();
        long serverRss = 0;
        long qemuRss = 0;
        for (int j = 0; j < jobs; j++) {
          JsonObject r = api.awaitResult("b" + j, 600_000);
          if (!"pass".equals(r.getString("verdict"))) {
            throw new IllegalStateException("bench job failed: " + r.encode());
          }
          lat.add(r.getLong("ts") - submitted.get(j));
          serverRss = Math.max(serverRss, rssKb(ProcessHandle.current().pid()));
          long q = 0;
          for (Board b : s.boards().all()) {
            Process p = b.process();
            if (p != null && p.isAlive()) {
              q += rssKb(p.pid());
            }
          }
          qemuRss = Math.max(qemuRss, q);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Collections.sort(lat);
        long p50 = lat.get(lat.size() / 2);
        long p95 = lat.get(Math.min(lat.size() - 1, (int) Math.ceil(lat.size() * 0.95) - 1));
        JsonObject row = new JsonObject().put("boards", n).put("jobs", jobs).put("vectors_per_job", vectors)
            .put("wall_s", wall).put("jobs_per_min", jobs / wall * 60).put("submit_to_result_p50_ms", p50)
            .put("submit_to_result_p95_ms", p95).put("server_rss_mb", serverRss / 1024.0).put("qemu_rss_mb_sampled", qemuRss / 1024.0);
        rows.add(row);
        out.printf("%-7d %-5d %-8d %-12.1f %-12.1f %-12d %-12d %-14.0f %-14.0f%n", n, jobs, vectors, wall, jobs / wall * 60,
            p50, p95, serverRss / 1024.0, qemuRss / 1024.0);
      }
    }
    return new JsonObject().put("profile", profile).put("rows", rows);
  }

  private static JsonObject job(String id, String profile, String fw, int vectors) {
    return new JsonObject().put("id", id).put("profile", profile).put("firmware", new JsonObject().put("id", fw))
        .put("vectors", DemoFirmware.vectors(vectors, id.hashCode())).put("iterations", 3).put("warmup", 1);
  }

  /** VmRSS of a process in KiB (0 if unreadable). */
  static long rssKb(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // process gone
    }
    return 0;
  }
}
