package io.edgeamp.hil.fleet;

import io.edgeamp.hil.HilConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The fleet as the broker sees it: one more Paho client (clean session, in memory) subscribed to the
 * site's board status (retained), telemetry, job events and results, at QoS 1. Every message becomes
 * a flat {@link FleetEvent} handed to the listeners (the SSE endpoint bridges them to browsers), and
 * the latest status per board is kept so a new dashboard gets the whole fleet at once, including the
 * boards of other HIL servers on the same broker.
 *
 * <p>Because it reads from the broker and not from the server's own state, it works the same with the
 * embedded Moquette and with an external Mosquitto/EMQX/HiveMQ, and it is the ingest path measured by
 * the telemetry load test. messageArrived does only a JSON parse and hands over; listeners must not block.
 */
public final class FleetFeed implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FleetFeed.class.getName());

  /** One message from the broker: kind is status, telemetry, event or result; key is the board or job id. */
  public static final class FleetEvent {
    public final String kind;
    public final String key;
    public final JsonObject body;
    public final long receivedMs;

    FleetEvent(String kind, String key, JsonObject body, long receivedMs) {
      this.kind = kind;
      this.key = key;
      this.body = body;
      this.receivedMs = receivedMs;
    }

    public JsonObject toJson() {
      return new JsonObject().put("kind", kind).put("key", key).put("body", body).put("rx", receivedMs);
    }
  }

  private final HilConfig cfg;
  private final String url;
  private final String base;
  private final List<Consumer<FleetEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, JsonObject> boards = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong telemetry = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "hil-fleet-feed");
    t.setDaemon(true);
    return t;
  });
  private MqttAsyncClient client;
  private volatile boolean telemetryInProcess;

  public FleetFeed(HilConfig cfg, String url) {
    this.cfg = cfg;
    this.url = url;
    this.base = "edgeamp/v1/" + cfg.site + "/";
  }

  public void addListener(Consumer<FleetEvent> l) {
    listeners.add(l);
  }

  public void removeListener(Consumer<FleetEvent> l) {
    listeners.remove(l);
  }

  /** Latest retained status of every board seen on the broker (this server's and others'). */
  public List<JsonObject> boards() {
    return new ArrayList<>(boards.values());
  }

  public long received() {
    return received.get();
  }

  public long telemetryReceived() {
    return telemetry.get();
  }

  public long malformed() {
    return malformed.get();
  }

  /**
   * With the embedded broker: take telemetry from the broker's publish interceptor instead of a QoS 1
   * subscription (status, events and results stay on the subscription, which also brings retained
   * statuses). Same messages, same order, but without Moquette 0.17's 10-message in-flight window per
   * subscriber session, which capped QoS 1 telemetry near 10,000/s. Call before {@link #connect}.
   */
  public void takeTelemetryFrom(io.edgeamp.hil.broker.EmbeddedBroker broker) {
    telemetryInProcess = true;
    String telemetry = base + "boards/";
    broker.onPublish((topic, payload) -> {
      if (topic.startsWith(telemetry) && topic.endsWith("/telemetry")) {
        dispatch(topic, payload);
      }
    });
  }

  /** Where telemetry comes from: "interceptor" (embedded broker, in process) or "subscription QoS n". */
  public String telemetrySource() {
    return telemetryInProcess ? "embedded broker interceptor" : "subscription QoS " + cfg.fleetTelemetryQos;
  }

  public boolean connected() {
    return client != null && client.isConnected();
  }

  public void connect(long timeoutMs) throws MqttException {
    client = new MqttAsyncClient(url, cfg.serverId + "-fleet", new MemoryPersistence());
    client.setCallback(new MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverURI) {
        // clean session: subscribe again after every (re)connect, off Paho's callback thread
        io.execute(FleetFeed.this::subscribe);
      }

      @Override
      public void connectionLost(Throwable cause) {
        LOG.log(Level.INFO, "fleet feed connection lost: {0}", String.valueOf(cause));
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        dispatch(topic, message.getPayload());
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) { }
    });
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(2000);
    o.setKeepAliveInterval(10);
    o.setMaxInflight(65_535);
    if (cfg.mqttUsername != null) {
      o.setUserName(cfg.mqttUsername);
      o.setPassword(cfg.mqttPassword == null ? new char[0] : cfg.mqttPassword);
    }
    client.connect(o).waitForCompletion(timeoutMs);
  }

  private void subscribe() {
    try {
      if (client.isConnected() && telemetryInProcess) {
        client.subscribe(new String[] {base + "boards/+/status", base + "jobs/+/events", base + "jobs/+/result"},
            new int[] {1, 1, 1}).waitForCompletion(10_000);
      } else if (client.isConnected()) {
        client.subscribe(new String[] {base + "boards/+/status", base + "boards/+/telemetry", base + "jobs/+/events",
            base + "jobs/+/result"}, new int[] {1, cfg.fleetTelemetryQos, 1, 1}).waitForCompletion(10_000);
      }
    } catch (MqttException e) {
      LOG.log(Level.WARNING, "fleet feed subscribe failed", e);
    }
  }

  void dispatch(String topic, byte[] payload) {
    received.incrementAndGet();
    if (!topic.startsWith(base)) {
      return;
    }
    String[] p = topic.substring(base.length()).split("/");
    if (p.length != 3) {
      return;
    }
    String kind;
    if (p[0].equals("boards") && p[2].equals("status")) {
      kind = "status";
    } else if (p[0].equals("boards") && p[2].equals("telemetry")) {
      kind = "telemetry";
      telemetry.incrementAndGet();
    } else if (p[0].equals("jobs") && p[2].equals("events")) {
      kind = "event";
    } else if (p[0].equals("jobs") && p[2].equals("result")) {
      kind = "result";
    } else {
      return;
    }
    JsonObject body;
    try {
      body = new JsonObject(new String(payload, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      malformed.incrementAndGet();
      return;
    }
    if (kind.equals("status")) {
      boards.put(p[1], body.copy().put("board", p[1]));
    }
    if (kind.equals("result")) {
      // results carry per-vector detail the dashboard does not need live
      body.remove("per_vector");
    }
    FleetEvent e = new FleetEvent(kind, p[1], body, System.currentTimeMillis());
    for (Consumer<FleetEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException x) {
        LOG.log(Level.FINE, "fleet listener failed", x);
      }
    }
  }

  @Override
  public void close() {
    listeners.clear();
    if (client != null) {
      try {
        if (client.isConnected()) {
          client.disconnect(1000).waitForCompletion(2000);
        }
      } catch (MqttException e) {
        // best effort
      }
      try {
        client.close(true);
      } catch (MqttException e) {
        // best effort
      }
    }
    io.shutdownNow();
  }
}
