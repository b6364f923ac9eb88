package io.edgeamp.hil.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Telemetry ingest under load: bounded publishers on loopback push QoS 1 telemetry through the broker
 * into a server's {@link FleetFeed} (its QoS 1 subscription, JSON parse, listeners: the path the
 * dashboard's stream takes) at increasing target rates. Each step sends rate x seconds messages (so
 * the count is bounded), then waits a short drain for the rest. A step shows loss if fewer distinct
 * messages arrived than were acknowledged by the broker, and lag if the p99 publish-to-ingest delay
 * exceeds {@code maxLagMs} or the publishers could not reach 90% of the target rate. The ramp stops at
 * the first such step, at the last step, or at the overall time limit.
 */
public final class TelemetryLoad {
  public int publishers = 4;
  public double stepSeconds = 2.0;
  public long maxLagMs = 1000;
  public long drainMs = 3000;
  /** false: keep ramping through lag (to find the ingest ceiling) and stop only at loss or the time limit. */
  public boolean stopOnLag = true;
  public long timeLimitMs = 90_000;
  public int[] rates = {2_000, 5_000, 10_000, 20_000, 40_000};
  /** An unreported first step at the first rate: class loading and JIT of the whole path (publishers, broker,
   * feed) otherwise show up as lag in whichever step comes first. 0 = none. */
  public double warmupSeconds = 2.0;

  private final String url;
  private final String site;
  private final FleetFeed feed;

  public TelemetryLoad(String brokerUrl, String site, FleetFeed feed) {
    this.url = brokerUrl;
    this.site = site;
    this.feed = feed;
  }

  public JsonObject run(PrintStream out) throws Exception {
    JsonArray steps = new JsonArray();
    long t0 = System.currentTimeMillis();
    int best = 0;
    double bestAchieved = 0;
    String stop = "last step reached";
    double bestIngest = 0;
    List<MqttAsyncClient> clients = new ArrayList<>();
    try {
      for (int p = 0; p < publishers; p++) {
        MqttAsyncClient c = new MqttAsyncClient(url, "load-" + p + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(2000);
        c.connect(o).waitForCompletion(10_000);
        clients.add(c);
      }
      if (warmupSeconds > 0 && rates.length > 0) {
        JsonObject w = step("warmup" + Long.toString(System.nanoTime(), 36), rates[0], warmupSeconds, clients);
        out.printf(Locale.ROOT, "(warm-up: %d msg at %d/s, p99 %d ms, not counted)%n", w.getLong("sent"), rates[0], w.getLong("p99_ms"));
      }
      out.printf("%-10s %-10s %-12s %-10s %-10s %-10s %-8s %-10s %-10s %s%n", "target/s", "sent", "achieved/s", "ingest/s", "received", "lost", "dups",
          "p50_ms", "p99_ms", "verdict");
      for (int si = 0; si < rates.length; si++) {
        if (System.currentTimeMillis() - t0 > timeLimitMs) {
          stop = "time limit";
          break;
        }
        JsonObject step = step("load" + si + "x" + Long.toString(System.nanoTime(), 36), rates[si], stepSeconds, clients);
        steps.add(step);
        out.printf(Locale.ROOT, "%-10d %-10d %-12.0f %-10.0f %-10d %-10d %-8d %-10d %-10d %s%n", rates[si], step.getLong("sent"),
            step.getDouble("achieved_per_s"), step.getDouble("ingest_per_s"), step.getLong("received"), step.getLong("lost"), step.getLong("duplicates"),
            step.getLong("p50_ms"), step.getLong("p99_ms"), step.getString("verdict"));
        if (step.getLong("lost") == 0 && step.getLong("pending") == 0) {
          bestIngest = Math.max(bestIngest, step.getDouble("ingest_per_s"));
        }
        if (!"ok".equals(step.getString("verdict")) && (stopOnLag || step.getLong("lost") > 0)) {
          stop = step.getString("verdict") + " at " + rates[si] + "/s";
          break;
        }
        if (!"ok".equals(step.getString("verdict"))) {
          continue;
        }
        best = rates[si];
        bestAchieved = Math.max(bestAchieved, step.getDouble("achieved_per_s"));
      }
    } finally {
      for (MqttAsyncClient c : clients) {
        try {
          c.disconnect(1000).waitForCompletion(2000);
        } catch (MqttException e) {
          // best effort
        }
        c.close(true);
      }
    }
    out.printf(Locale.ROOT, "within lag limit and without loss: %d msg/s target (%.0f msg/s achieved); highest zero-loss ingest %.0f msg/s;"
        + " stopped: %s%n", best, bestAchieved, bestIngest, stop);
    return new JsonObject().put("broker", url).put("publishers", publishers).put("step_s", stepSeconds).put("steps", steps)
        .put("max_zero_loss_target_per_s", best).put("max_zero_loss_achieved_per_s", bestAchieved).put("max_zero_loss_ingest_per_s", bestIngest).put("stopped", stop);
  }

  private JsonObject step(String run, int rate, double seconds, List<MqttAsyncClient> clients) throws Exception {
    int total = (int) Math.round(rate * seconds);
    int per = total / clients.size();
    total = per * clients.size();
    AtomicLongArray seen = new AtomicLongArray(total);
    long[] lag = new long[total];
    AtomicLong received = new AtomicLong();
    AtomicLong dups = new AtomicLong();
    AtomicLong lastRx = new AtomicLong();
    String prefix = "\"job\":\"" + run + "\"";
    Consumer<FleetFeed.FleetEvent> l = e -> {
      if (!"telemetry".equals(e.kind) || !run.equals(e.body.getString("job"))) {
        return;
      }
      int seq = e.body.getInteger("seq");
      if (seen.getAndIncrement(seq) == 0) {
        lag[seq] = e.receivedMs - e.body.getLong("ts");
        received.incrementAndGet();
        lastRx.accumulateAndGet(e.receivedMs, Math::max);
      } else {
        dups.incrementAndGet();
      }
    };
    feed.addListener(l);
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    long startMs = System.currentTimeMillis();
    for (int p = 0; p < clients.size(); p++) {
      MqttAsyncClient c = clients.get(p);
      int base = p * per;
      double perSec = (double) rate / clients.size();
      String topic = "edgeamp/v1/" + site + "/boards/load-" + p + "/telemetry";
      Thread t = new Thread(() -> {
        for (int i = 0; i < per; i++) {
          // pace: message i is due at i / perSec seconds after the start
          long due = start + (long) (i / perSec * 1e9);
          long now;
          while ((now = System.nanoTime()) < due) {
            long ms = (due - now) / 1_000_000;
            if (ms > 0) {
              sleep(ms);
            } else {
              Thread.onSpinWait();
            }
          }
          String body = "{" + prefix + ",\"seq\":" + (base + i) + ",\"model\":\"load\",\"latency_cycles\":2800,\"unit\":\"instructions\",\"ts\":"
              + System.currentTimeMillis() + "}";
          MqttMessage m = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
          m.setQos(1);
          while (true) {
            try {
              c.publish(topic, m, null, new org.eclipse.paho.client.mqttv3.IMqttActionListener() {
                @Override
                public void onSuccess(org.eclipse.paho.client.mqttv3.IMqttToken tok) {
                  acked.incrementAndGet();
                }

                @Override
                public void onFailure(org.eclipse.paho.client.mqttv3.IMqttToken tok, Throwable ex) {
                  failed.incrementAndGet();
                }
              });
              break;
            } catch (MqttException e) {
              if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                failed.incrementAndGet();
                break;
              }
              // broker not keeping up: wait for acknowledgements (shows as lower achieved rate)
              sleep(1);
            }
          }
        }
      }, "telemetry-load-" + p);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join((long) (seconds * 1000) * 10 + 10_000);
      if (t.isAlive()) {
        t.interrupt();
      }
    }
    double sendS = (System.nanoTime() - start) / 1e9;
    long deadline = System.currentTimeMillis() + drainMs;
    while ((received.get() < total || acked.get() + failed.get() < total) && System.currentTimeMillis() < deadline) {
      sleep(20);
    }
    feed.removeListener(l);
    long[] lags = new long[(int) received.get()];
    int k = 0;
    for (int i = 0; i < total && k < lags.length; i++) {
      if (seen.get(i) > 0) {
        lags[k++] = lag[i];
      }
    }
    Arrays.sort(lags, 0, k);
    long p50 = k == 0 ? -1 : lags[k / 2];
    long p99 = k == 0 ? -1 : lags[Math.min(k - 1, (int) Math.ceil(k * 0.99) - 1)];
    double achieved = total / sendS;
    // what the ingest side sustained: distinct messages over first send to last arrival
    double ingest = received.get() / Math.max(0.001, (lastRx.get() - startMs) / 1000.0);
    // Not everything arrived within the drain: a backlog (still queued in publishers or the broker), i.e.
    // lag, unless every message was acknowledged by the broker and the rest still did not come: loss.
    boolean drained = received.get() == total;
    long pending = total - received.get();
    long lost = failed.get() + (acked.get() + failed.get() == total && !drained ? pending - failed.get() : 0);
    String verdict = lost > 0 ? "loss" : !drained ? "lag (backlog " + pending + " after " + drainMs + " ms)"
        : p99 > maxLagMs ? "lag" : achieved < 0.9 * rate ? "lag (publishers throttled)" : "ok";
    return new JsonObject().put("target_per_s", rate).put("sent", total).put("acked", acked.get()).put("failed", failed.get())
        .put("send_s", sendS).put("achieved_per_s", achieved).put("ingest_per_s", ingest).put("received", received.get()).put("lost", lost).put("pending", pending)
        .put("duplicates", dups.get()).put("p50_ms", p50).put("p99_ms", p99).put("verdict", verdict);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
