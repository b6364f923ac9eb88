package io.edgeamp.hil.mqtt;

import io.edgeamp.hil.HilConfig;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;

/**
 * The server's MQTT side, on Eclipse Paho: MQTT 3.1.1 (which both Moquette 0.17 and Mosquitto speak)
 * for everything except the job submissions of a shared group, which take MQTT 5.
 *
 * <ul>
 *   <li>One publishing client (MQTT 3.1.1, persistent session, file persistence in the work
 *       directory, disconnected buffer persisted too, automatic reconnect) publishes events,
 *       telemetry and results. Its LWT marks the server offline.</li>
 *   <li>One {@link SubmissionSubscriber} takes job submissions: with an external broker
 *       {@link SubmissionSubscriberV5} (MQTT 5 shared subscription "$share/hil/...", clean start,
 *       session expiry 0, receive maximum 10), with the embedded Moquette 0.17
 *       {@link SubmissionSubscriberV3} (MQTT 3.1.1, plain subscription, persistent session). It is a
 *       client of its own because Paho 1.2.5 routes every new message into a non-empty disconnected
 *       buffer to keep order, and a SUBSCRIBE there fails with a ClassCastException (MqttSubscribe
 *       cast to MqttPublish in ClientState.persistBufferedMessage): the subscriber has no buffer.</li>
 *   <li>One small client per board (MQTT 3.1.1) carries that board's retained status with an LWT
 *       "offline", since an MQTT connection has exactly one will.</li>
 *   <li>Submissions arrive through the client-wide callback (Paho's per-subscription listeners do not
 *       match "$share/..." filters against the real topic). The handler runs on Paho's callback
 *       thread and stores the job before returning, so the PUBACK only goes out once it is durable.</li>
 *   <li>Re-subscription after a reconnect and "delivered" bookkeeping run on our own executor, never
 *       on Paho's callback thread (a blocking Paho call there deadlocks the client).</li>
 * </ul>
 * All Paho calls are made from {@link #io} or Paho's threads, never from a Vert.x event loop.
 */
public final class MqttBridge implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MqttBridge.class.getName());
  /** No PUBACK for this long while a publish waits on a live connection: the publisher gets a new connection. */
  static final long STALL_LIMIT_MS = 20_000;

  private final HilConfig cfg;
  private final String url;
  private final Topics topics;
  private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "hil-mqtt-io");
    t.setDaemon(true);
    return t;
  });
  /** Every 5 s: is the publisher connected but not getting acknowledgements (see StallWatchdog)? */
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "hil-mqtt-watchdog");
    t.setDaemon(true);
    return t;
  });
  private final StallWatchdog watchdog = new StallWatchdog(STALL_LIMIT_MS, System::currentTimeMillis);
  private final Map<String, MqttAsyncClient> boardClients = new ConcurrentHashMap<>();
  private final Map<String, String> boardStatus = new ConcurrentHashMap<>();
  private MqttAsyncClient main;
  private volatile SubmissionSubscriber submissions;
  private volatile BiConsumer<String, byte[]> submitHandler = (t, p) -> { };
  private volatile Consumer<String> deliveredHandler = j -> { };
  private volatile Runnable reconnectHandler = () -> { };

  public MqttBridge(HilConfig cfg, String url) {
    this.cfg = cfg;
    this.url = url;
    this.topics = new Topics(cfg.site);
  }

  public Topics topics() {
    return topics;
  }

  public String url() {
    return url;
  }

  /** Called on Paho's thread with (topic, payload); must store the job before returning. */
  public void onSubmit(BiConsumer<String, byte[]> handler) {
    this.submitHandler = handler;
  }

  /** Called (on the io executor) with a job id when its result reached the broker. */
  public void onResultDelivered(Consumer<String> handler) {
    this.deliveredHandler = handler;
  }

  /** Called (on the io executor) after the publisher reconnected: results not yet delivered go out again. */
  public void onPublisherReconnect(Runnable r) {
    this.reconnectHandler = r;
  }

  /** Connects publisher and submission subscriber (blocking, up to the timeout; they keep retrying in the background). */
  public void connect(long timeoutMs) throws Exception {
    main = new MqttAsyncClient(url, cfg.serverId, new MqttDefaultFilePersistence(cfg.workDir.resolve("mqtt-pub").toString()));
    DisconnectedBufferOptions buf = new DisconnectedBufferOptions();
    buf.setBufferEnabled(true);
    buf.setPersistBuffer(true);
    buf.setBufferSize(100_000);
    buf.setDeleteOldestMessages(false);
    main.setBufferOpts(buf);
    main.setCallback(new MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverURI) {
        watchdog.connected();
        io.execute(() -> {
          publishNow(main, topics.serverStatus(cfg.serverId), state("online"), 1, true, null);
          LOG.log(Level.INFO, "MQTT publisher {0} to {1}", new Object[] {reconnect ? "reconnected" : "connected", url});
          if (reconnect) {
            try {
              reconnectHandler.run();
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "republishing results after reconnect failed", e);
            }
          }
        });
      }

      @Override
      public void connectionLost(Throwable cause) {
        LOG.log(Level.INFO, "MQTT publisher connection lost: {0}", String.valueOf(cause));
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) { }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
        watchdog.delivered(token);
        Object ctx = token.getUserContext();
        if (ctx instanceof String) {
          io.execute(() -> deliveredHandler.accept((String) ctx));
        }
      }
    });
    MqttConnectOptions o = ConnectOptions.v3(cfg);
    o.setCleanSession(false);
    o.setWill(topics.serverStatus(cfg.serverId), state("offline").encode().getBytes(StandardCharsets.UTF_8), 1, true);
    submissions = SubmissionSubscriber.create(cfg, url, topics, (topic, payload) -> submitHandler.accept(topic, payload), io);
    try {
      main.connect(o).waitForCompletion(timeoutMs);
    } finally {
      ticker.scheduleWithFixedDelay(() -> {
        try {
          io.execute(this::checkPublisher);
        } catch (RejectedExecutionException e) {
          // shutting down
        }
      }, 5, 5, TimeUnit.SECONDS);
      submissions.connect(timeoutMs);
    }
  }

  /** On io: a connected publisher whose oldest QoS 1 message waits too long gets a new connection. */
  private void checkPublisher() {
    MqttAsyncClient c = main;
    if (c == null || !watchdog.stalled(c.isConnected())) {
      return;
    }
    LOG.log(Level.WARNING, "MQTT publisher connected but no acknowledgement for {1} ms with {0} message(s) waiting; reconnecting",
        new Object[] {watchdog.outstanding(), watchdog.stalledMs(true)});
    try {
      c.disconnectForcibly(0, 1000, false);
    } catch (MqttException e) {
      LOG.log(Level.FINE, "forced disconnect", e);
    }
    watchdog.reset();
    try {
      c.reconnect();
    } catch (MqttException e) {
      // automatic reconnect may already be under way
      LOG.log(Level.FINE, "reconnect after stall", e);
    }
  }

  private JsonObject state(String s) {
    return new JsonObject().put("state", s).put("server", cfg.serverId).put("ts", System.currentTimeMillis());
  }

  // ------------------------------------------------------------------ publishing (never blocks the caller)

  public void event(String job, JsonObject event) {
    publish(topics.jobEvents(job), event.put("job", job).put("ts", System.currentTimeMillis()), 1, false, null);
  }

  public void telemetry(String board, JsonObject t) {
    publish(topics.boardTelemetry(board), t.put("ts", System.currentTimeMillis()), 0, false, null);
  }

  /** QoS 1, retained; the job id comes back through onResultDelivered once the broker has it. */
  public void result(String job, JsonObject result) {
    publish(topics.jobResult(job), result, 1, true, job);
  }

  /**
   * Puts a submission back on the submit topic (QoS 1, through the publisher's persisted buffer), where
   * the broker hands it to a member of the shared group: see HilService#passOn.
   */
  public void forwardSubmission(JsonObject submission) {
    publish(topics.submit(), submission, 1, false, null);
  }

  private void publish(String topic, JsonObject payload, int qos, boolean retained, String ctx) {
    io.execute(() -> publishNow(main, topic, payload, qos, retained, ctx));
  }

  private void publishNow(MqttAsyncClient c, String topic, JsonObject payload, int qos, boolean retained, String ctx) {
    if (c == null) {
      return;
    }
    try {
      MqttMessage m = new MqttMessage(payload.encode().getBytes(StandardCharsets.UTF_8));
      m.setQos(qos);
      m.setRetained(retained);
      IMqttDeliveryToken token = c.publish(topic, m, ctx, null);
      if (c == main && qos > 0) {
        watchdog.sent(token);
      }
    } catch (MqttException e) {
      LOG.log(Level.WARNING, "MQTT publish to " + topic + " failed", e);
    }
  }

  // ------------------------------------------------------------------ board presence

  /** Publishes a board's retained status through that board's own connection (LWT offline). */
  public void boardStatus(String board, JsonObject status) {
    String encoded = status.put("ts", System.currentTimeMillis()).encode();
    boardStatus.put(board, encoded);
    io.execute(() -> {
      try {
        MqttAsyncClient c = boardClients.computeIfAbsent(board, this::newBoardClient);
        publishNow(c, topics.boardStatus(board), new JsonObject(boardStatus.get(board)), 1, true, null);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "board status for " + board + " failed", e);
      }
    });
  }

  private MqttAsyncClient newBoardClient(String board) {
    try {
      MqttAsyncClient c = new MqttAsyncClient(url, cfg.serverId + "-" + board, new MemoryPersistence());
      DisconnectedBufferOptions buf = new DisconnectedBufferOptions();
      buf.setBufferEnabled(true);
      buf.setBufferSize(100);
      buf.setDeleteOldestMessages(true);
      c.setBufferOpts(buf);
      c.setCallback(new MqttCallbackExtended() {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
          if (reconnect) {
            io.execute(() -> {
              String s = boardStatus.get(board);
              if (s != null) {
                publishNow(c, topics.boardStatus(board), new JsonObject(s), 1, true, null);
              }
            });
          }
        }

        @Override
        public void connectionLost(Throwable cause) { }

        @Override
        public void messageArrived(String topic, MqttMessage message) { }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) { }
      });
      MqttConnectOptions o = ConnectOptions.v3(cfg);
      o.setCleanSession(true);
      o.setWill(topics.boardStatus(board), new JsonObject().put("state", "offline").put("board", board)
          .put("reason", "connection lost").put("ts", System.currentTimeMillis()).encode().getBytes(StandardCharsets.UTF_8), 1, true);
      c.connect(o).waitForCompletion(10_000);
      return c;
    } catch (MqttException e) {
      throw new IllegalStateException("MQTT board client for " + board + ": " + e.getMessage(), e);
    }
  }

  /** Publishes "offline" for every board and the server, then disconnects everything. */
  @Override
  public void close() {
    stopSubmissions();
    Runnable shutdown = () -> {
      for (Map.Entry<String, MqttAsyncClient> e : boardClients.entrySet()) {
        closeClient(e.getValue(), topics.boardStatus(e.getKey()),
            new JsonObject().put("state", "offline").put("board", e.getKey()).put("reason", "server stopped"));
      }
      if (main != null) {
        closeClient(main, topics.serverStatus(cfg.serverId), state("offline"));
      }
    };
    try {
      io.submit(shutdown).get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "MQTT shutdown", e);
    }
    ticker.shutdownNow();
    io.shutdownNow();
  }

  /**
   * Stops taking submissions (with a shared subscription the broker then hands new ones to the servers
   * still running); the publisher stays up. Runs as a task of its own on io: the "accepted" events of
   * submissions stored while it runs are queued behind it and so still go out before the publisher
   * closes. (Lost, the submitter would resubmit to another server and the job would run on both.)
   * The server calls this first when it stops, before boards and verticles; close() calls it too.
   */
  public void stopSubmissions() {
    if (io.isShutdown()) {
      return;
    }
    try {
      io.submit(() -> {
        SubmissionSubscriber s = submissions;
        submissions = null;
        if (s != null) {
          s.close();
        }
      }).get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "MQTT: stopping submissions", e);
    }
  }

  private void closeClient(MqttAsyncClient c, String topic, JsonObject last) {
    try {
      if (c.isConnected()) {
        MqttMessage m = new MqttMessage(last.put("ts", System.currentTimeMillis()).encode().getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        m.setRetained(true);
        c.publish(topic, m).waitForCompletion(3000);
        c.disconnect(3000).waitForCompletion(4000);
      } else {
        c.disconnectForcibly(0, 1000);
      }
    } catch (MqttException e) {
      // best effort at shutdown
    }
    try {
      c.close(true);
    } catch (MqttException e) {
      // best effort at shutdown
    }
  }

  /** Whether the publisher and the submission subscriber are both connected. */
  public boolean connected() {
    return main != null && main.isConnected() && submissions != null && submissions.connected();
  }

  /** The submission subscriber's protocol ("mqtt5" or "mqtt3.1.1") and topic filter, for /api/v1/server. */
  public JsonObject submissionInfo() {
    SubmissionSubscriber s = submissions;
    return s == null ? new JsonObject()
        : new JsonObject().put("protocol", s.protocol()).put("filter", s.filter()).put("connected", s.connected());
  }
}
