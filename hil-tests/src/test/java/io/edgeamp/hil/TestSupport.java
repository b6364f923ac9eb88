package io.edgeamp.hil;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;

/** Shared pieces of the HIL tests: the demo firmware, a Mosquitto process, an MQTT collector. */
final class TestSupport {
  static final Path REPO = Path.of(System.getProperty("edgeamp.repo", "..")).toAbsolutePath().normalize();
  static final Path TEST_DIR = Path.of(System.getProperty("edgeamp.hil.testDir", "target/hil-test")).toAbsolutePath();
  private static Path firmware;

  private TestSupport() {}

  /** The demo harness firmware for mps2-an386, built once per test JVM. */
  static synchronized Path firmware() throws IOException {
    if (firmware == null) {
      firmware = DemoFirmware.build(REPO, "mps2-an386", TEST_DIR.resolve("fw-mps2-an386"));
    }
    return firmware;
  }

  static Path freshDir(String name) throws IOException {
    Path d = TEST_DIR.resolve(name + "-" + System.nanoTime());
    return Files.createDirectories(d);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void waitFor(String what, long timeoutMs, BooleanSupplier cond) throws InterruptedException {
    waitFor(what, timeoutMs, cond, () -> "");
  }

  static void waitFor(String what, long timeoutMs, BooleanSupplier cond, java.util.function.Supplier<String> info)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what + " " + info.get());
      }
      Thread.sleep(50);
    }
  }

  static java.util.function.Predicate<String> stored(HilClient api) {
    return id -> {
      try {
        return api.send("GET", "/api/v1/jobs/" + id, null, null).status == 200;
      } catch (IOException e) {
        return false;
      }
    };
  }

  static JsonObject demoJob(String id, String profile, String firmwareId, int vectors, long seed) {
    return new JsonObject().put("id", id).put("profile", profile).put("firmware", new JsonObject().put("id", firmwareId))
        .put("vectors", DemoFirmware.vectors(vectors, seed)).put("iterations", 3).put("warmup", 1);
  }

  /** Mosquitto on a free loopback port with its own config and persistence directory. */
  static final class Mosquitto implements AutoCloseable {
    final int port;
    final Path dir;
    private Process process;

    Mosquitto(Path dir) throws IOException {
      this.dir = dir;
      this.port = brokerPort();
      Files.createDirectories(dir.resolve("data"));
      Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
          "listener " + port + " 127.0.0.1",
          // as root, mosquitto would switch to the 'mosquitto' user, which cannot write here
          "user " + System.getProperty("user.name"),
          "allow_anonymous true",
          "persistence true",
          "persistence_location " + dir.resolve("data").toAbsolutePath() + "/",
          "autosave_interval 1",
          "max_queued_messages 100000",
          "log_dest file " + dir.resolve("mosquitto.log").toAbsolutePath(),
          // the defaults plus "subscribe": tests read which protocol each client connected with and
          // what it subscribed to (submissionSessions)
          "log_type error",
          "log_type warning",
          "log_type notice",
          "log_type information",
          "log_type subscribe",
          ""), StandardCharsets.UTF_8);
    }

    /**
     * A free port below the ephemeral range. {@link #restart} leaves the port closed for a while; a
     * port from {@link #freePort()} (ephemeral) can meanwhile be handed to someone else (another
     * build's test broker picking its own free port, an outgoing connection), and then our clients
     * would reconnect to a stranger.
     */
    private static int brokerPort() throws IOException {
      java.util.Random r = new java.util.Random();
      for (int i = 0; i < 200; i++) {
        int p = 20_000 + r.nextInt(12_000);
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          return p;
        } catch (IOException taken) {
          // try another
        }
      }
      return freePort();
    }

    String url() {
      return "tcp://127.0.0.1:" + port;
    }

    /**
     * The broker's view of a HIL server's submission client ({@code <serverId>-sub}), from its log:
     * one entry per CONNECT with the protocol Mosquitto logs ("p5" MQTT 5, "p2" MQTT 3.1.1) and the
     * clean start flag ("c1"); and the filters that client subscribed to, one per SUBSCRIBE.
     */
    SubmissionSessions submissionSessions(String serverId) throws IOException {
      String client = serverId + "-sub";
      java.util.List<String> connects = new java.util.ArrayList<>();
      java.util.List<String> subscriptions = new java.util.ArrayList<>();
      java.util.regex.Pattern connect = java.util.regex.Pattern.compile(
          "New client connected from \\S+ as " + java.util.regex.Pattern.quote(client) + " \\((p\\d+, c\\d)");
      java.util.regex.Pattern subscribe = java.util.regex.Pattern.compile(
          "^\\d+: " + java.util.regex.Pattern.quote(client) + " \\d+ (\\S+)$");
      for (String line : Files.readAllLines(dir.resolve("mosquitto.log"), StandardCharsets.UTF_8)) {
        java.util.regex.Matcher m = connect.matcher(line);
        if (m.find()) {
          connects.add(m.group(1));
        }
        m = subscribe.matcher(line);
        if (m.find()) {
          subscriptions.add(m.group(1));
        }
      }
      return new SubmissionSessions(connects, subscriptions);
    }

    synchronized void start() throws IOException, InterruptedException {
      Path log = dir.resolve("mosquitto.log");
      int runningBefore = count(log, " running");
      process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
      long deadline = System.currentTimeMillis() + 10_000;
      while (true) {
        // Ours, not a stranger that took the port while the broker was down: mosquitto exits when it
        // cannot bind, and logs "running" once it listens.
        if (!process.isAlive() || System.currentTimeMillis() > deadline) {
          throw new IOException("mosquitto did not start on port " + port + ": " + Files.readString(dir.resolve("stdout.log"))
              + (Files.exists(log) ? Files.readString(log) : ""));
        }
        if (count(log, " running") > runningBefore) {
          try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            return;
          } catch (IOException e) {
            // not yet
          }
        }
        Thread.sleep(50);
      }
    }

    private static int count(Path file, String what) throws IOException {
      if (!Files.exists(file)) {
        return 0;
      }
      return Files.readString(file).split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    /** SIGTERM (mosquitto saves its persistence file), wait, start again on the same port. */
    synchronized void restart(long downMs) throws IOException, InterruptedException {
      stop();
      Thread.sleep(downMs);
      start();
    }

    synchronized void stop() throws InterruptedException {
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }

  /** What Mosquitto logged about one server's submission client: "p5, c1" per CONNECT, the filter per SUBSCRIBE. */
  record SubmissionSessions(java.util.List<String> connects, java.util.List<String> subscriptions) {
    /**
     * Every connect of the submission client was MQTT 5 with clean start, at least {@code minConnects}
     * of them, and each subscribed to the shared submit filter (fails if someone goes back to 3.1.1).
     */
    void assertMqtt5Shared(String site, int minConnects) {
      String filter = "$share/hil/edgeamp/v1/" + site + "/jobs/submit";
      org.junit.jupiter.api.Assertions.assertTrue(connects.size() >= minConnects, "submission connects " + this);
      for (String c : connects) {
        org.junit.jupiter.api.Assertions.assertEquals("p5, c1", c, "submission session not MQTT 5 / clean start: " + this);
      }
      org.junit.jupiter.api.Assertions.assertTrue(subscriptions.size() >= minConnects, "subscriptions " + this);
      for (String f : subscriptions) {
        org.junit.jupiter.api.Assertions.assertEquals(filter, f, this.toString());
      }
    }
  }

  /** A Paho subscriber with a persistent session and file persistence, collecting results and statuses. */
  static final class Collector implements AutoCloseable {
    final Map<String, JsonObject> results = new ConcurrentHashMap<>();
    final Map<String, JsonObject> status = new ConcurrentHashMap<>();
    final Map<String, Integer> events = new ConcurrentHashMap<>();
    /** Job id -> the server's answer to a submission ("accepted" or "rejected" event). */
    final Map<String, JsonObject> answers = new ConcurrentHashMap<>();
    /** Job id -> "forwarded" events: servers of a shared group without a matching board that passed it on. */
    final Map<String, Integer> forwarded = new ConcurrentHashMap<>();
    /** Telemetry messages in arrival order (boards/+/telemetry). */
    final java.util.List<JsonObject> telemetry = new java.util.concurrent.CopyOnWriteArrayList<>();
    final MqttAsyncClient client;

    Collector(String url, String site, Path persistence, String user, char[] password) throws Exception {
      client = new MqttAsyncClient(url, "collector-" + System.nanoTime(), new MqttDefaultFilePersistence(persistence.toString()));
      String base = "edgeamp/v1/" + site + "/";
      client.setCallback(new MqttCallbackExtended() {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
          if (reconnect) {
            // off the callback thread, as the server does
            new Thread(() -> subscribe(base)).start();
          }
        }

        @Override
        public void connectionLost(Throwable cause) { }

        @Override
        public void messageArrived(String topic, MqttMessage m) {
          JsonObject j = new JsonObject(new String(m.getPayload(), StandardCharsets.UTF_8));
          String[] p = topic.substring(base.length()).split("/");
          if (p[0].equals("jobs") && p[2].equals("result")) {
            results.put(p[1], j);
          } else if (p[0].equals("boards") && p[2].equals("status")) {
            status.put(p[1], j);
          } else if (p[0].equals("boards") && p[2].equals("telemetry")) {
            telemetry.add(j);
          } else if (p[0].equals("jobs") && p[2].equals("events")) {
            events.merge(p[1], 1, Integer::sum);
            String type = j.getString("type");
            if ("accepted".equals(type) || "rejected".equals(type)) {
              answers.put(p[1], j);
            } else if ("forwarded".equals(type)) {
              forwarded.merge(p[1], 1, Integer::sum);
            }
          }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) { }
      });
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(false);
      o.setAutomaticReconnect(true);
      o.setMaxReconnectDelay(1000);
      o.setMaxInflight(1000);
      if (user != null) {
        o.setUserName(user);
        o.setPassword(password);
      }
      client.connect(o).waitForCompletion(10_000);
      subscribe(base);
    }

    private long lastKick;

    /**
     * Connected, or else nudges the client to reconnect now (at most every 2 s) and returns false. Paho
     * 1.2.5's automatic reconnect once stayed silent for 20 s after a broker restart on a loaded machine
     * (no connection attempt in the broker's log); this test client, not the server under test, is
     * kicked so the test measures the server.
     */
    synchronized boolean connectedOrReconnect() {
      if (client.isConnected()) {
        return true;
      }
      long now = System.currentTimeMillis();
      if (now - lastKick > 2000) {
        lastKick = now;
        try {
          client.reconnect();
        } catch (MqttException e) {
          // already connecting, or the broker still down: try again on the next poll
        }
      }
      return false;
    }

    private void subscribe(String base) {
      try {
        client.subscribe(new String[] {base + "jobs/+/result", base + "boards/+/status", base + "jobs/+/events", base + "boards/+/telemetry"},
            new int[] {1, 1, 1, 1}).waitForCompletion(10_000);
      } catch (Exception e) {
        System.err.println("collector subscribe failed: " + e);
      }
    }

    /**
     * Submits a job over MQTT the way README "MQTT" asks: QoS 1, then resubmitted (same id) until the
     * server's "accepted" event for it arrives. The broker's PUBACK alone does not mean a server has
     * the job: Mosquitto 2.0 does not restore "$share" subscriptions from its persistence, so right
     * after a broker restart, before the server has subscribed again, a submission goes to nobody.
     */
    void submit(String site, JsonObject job) throws Exception {
      String id = job.getString("id");
      long deadline = System.currentTimeMillis() + 60_000;
      while (true) {
        MqttMessage m = new MqttMessage(job.encode().getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        try {
          client.publish("edgeamp/v1/" + site + "/jobs/submit", m).waitForCompletion(10_000);
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
        }
        long wait = System.currentTimeMillis() + 3_000;
        while (!answers.containsKey(id) && System.currentTimeMillis() < wait) {
          Thread.sleep(20);
        }
        JsonObject a = answers.get(id);
        if (a != null) {
          if (!"accepted".equals(a.getString("type"))) {
            throw new AssertionError("submission " + id + " rejected: " + a.encode());
          }
          return;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("no accepted event for submission " + id);
        }
        System.err.println("collector: no accepted event for " + id + " yet; submitting again");
      }
    }

    @Override
    public void close() {
      try {
        if (client.isConnected()) {
          client.disconnect(2000).waitForCompletion(3000);
        }
        client.close(true);
      } catch (Exception e) {
        // best effort
      }
    }
  }
}
