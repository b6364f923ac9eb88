package io.edgeamp.hil.mqtt;

import io.edgeamp.hil.HilConfig;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Submissions over MQTT 5 through the shared subscription {@code $share/hil/edgeamp/v1/<site>/jobs/submit},
 * for several HIL servers on one external broker (Mosquitto 2, EMQX, HiveMQ): the broker hands each
 * submission to one member of the group "hil". Shared subscriptions are an MQTT 5 feature; over MQTT 5
 * the broker also says so explicitly (CONNACK "Shared Subscription Available", SUBACK reason 0x9E),
 * where a 3.1.1 broker without them may take "$share/hil/..." as an ordinary filter that never matches.
 *
 * <p><b>Session: clean start, session expiry interval 0.</b> The share of a member lives in its session.
 * Mosquitto (2.0.11 checked) hands shared messages round-robin to every member whose session exists,
 * connected or not, and queues them in that session; it does not pass a departed member's queued or
 * unacknowledged messages on to the other members. So with any expiry above 0 a stopped server keeps
 * drawing its share of new submissions into a session nobody reads (a resumed session would run them
 * after a restart, after the submitter, seeing no "accepted", had resubmitted them to another server:
 * the same job on two servers; with clean start they are discarded at the restart, so they only cost
 * the submitter a resubmit). With expiry 0 the session, and with it the share, ends the moment the
 * connection does: from then on the broker hands every submission to the servers still connected.
 * What was in flight to the stopped server is either stored already (its PUBACK follows the store) or
 * dropped by the broker with the session and resubmitted by the submitter, which waits for "accepted"
 * (README "MQTT"), so nothing is lost and nothing runs twice. EMQX's documentation gives the same
 * advice (a persistent session on a shared subscription keeps receiving while the client is away).
 * Nothing here needs the session to outlive a connection, so the client keeps no persistence either.
 *
 * <p><b>Receive Maximum {@value #RECEIVE_MAXIMUM}.</b> At most that many unacknowledged submissions
 * are in flight to this server. Paho 1.2.5 hands incoming messages to its single callback thread
 * through a queue of 10 (CommsCallback); with more in flight the network thread blocks on that queue
 * while the callback thread stores jobs, and stops reading PINGRESP and SUBACK as well. 10 keeps the
 * network thread free and is ample for a handler that commits one row per message. (Mosquitto still
 * assigns a member its round-robin share beyond that window; the rest waits queued in its session.)
 *
 * <p><b>PUBACK after the store.</b> Paho v5 1.2.5 (CommsCallback.handleMessage) sends the QoS 1 PUBACK
 * on the callback thread right after {@code messageArrived} returns, unless manual acks are on. The
 * handler stores the job before it returns, so automatic acks already give "durable before PUBACK".
 * Manual acks would only let a failed store withhold the PUBACK, which gains nothing here: without a
 * resumable session the broker never redelivers it, and the withheld message would hold a slot of the
 * receive maximum for the rest of the connection. A failure is reported by the handler ("rejected"),
 * or shows as a missing "accepted", and the submitter resubmits.
 */
final class SubmissionSubscriberV5 implements SubmissionSubscriber {
  private static final Logger LOG = Logger.getLogger(SubmissionSubscriberV5.class.getName());
  static final long SESSION_EXPIRY_S = 0;
  static final int RECEIVE_MAXIMUM = 10;

  private final HilConfig cfg;
  private final String url;
  private final String filter;
  private final ExecutorService io;
  private final MqttAsyncClient client;

  SubmissionSubscriberV5(HilConfig cfg, String url, Topics topics, BiConsumer<String, byte[]> handler, ExecutorService io)
      throws MqttException {
    this.cfg = cfg;
    this.url = url;
    this.filter = topics.submitSubscription(true);
    this.io = io;
    this.client = new MqttAsyncClient(url, cfg.serverId + "-sub", new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      @Override
      public void connectComplete(boolean reconnect, String serverURI) {
        // Every connect is a new session (clean start, expiry 0): subscribe each time, off the
        // callback thread, since subscribe() waits for a SUBACK that this thread would deliver.
        io.execute(() -> subscribe(reconnect));
      }

      @Override
      public void disconnected(MqttDisconnectResponse r) {
        LOG.log(Level.INFO, "MQTT 5 subscriber disconnected: {0}", String.valueOf(r));
      }

      @Override
      public void mqttErrorOccurred(MqttException e) {
        LOG.log(Level.WARNING, "MQTT 5 subscriber error", e);
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        // Client-wide callback: a "$share/..." subscription delivers under the plain topic.
        try {
          if (topic.equals(topics.submit())) {
            handler.accept(topic, message.getPayload());
          }
        } catch (RuntimeException e) {
          // Never throw here: Paho would drop the connection. The handler reports its own rejections.
          LOG.log(Level.WARNING, "job submission failed", e);
        }
      }

      @Override
      public void deliveryComplete(IMqttToken token) { }

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) { }
    });
  }

  @Override
  public void connect(long timeoutMs) throws MqttException {
    MqttConnectionOptions o = ConnectOptions.v5(cfg);
    o.setCleanStart(true);
    o.setSessionExpiryInterval(SESSION_EXPIRY_S);
    o.setReceiveMaximum(RECEIVE_MAXIMUM);
    IMqttToken t = client.connect(o);
    t.waitForCompletion(timeoutMs);
    MqttProperties connack = t.getResponseProperties();
    if (connack != null) {
      if (!connack.isSharedSubscriptionAvailable()) {
        LOG.log(Level.SEVERE, "broker {0} says it has no shared subscriptions (CONNACK): submissions will not be "
            + "shared among HIL servers; the subscription to {1} will be refused", new Object[] {url, filter});
      }
      Long expiry = connack.getSessionExpiryInterval();
      if (expiry != null && expiry != SESSION_EXPIRY_S) {
        // The broker may override the interval we asked for; a longer one keeps a stopped server in the share.
        LOG.log(Level.WARNING, "broker {0} set the submission session expiry to {1} s (asked for {2})",
            new Object[] {url, expiry, SESSION_EXPIRY_S});
      }
    }
  }

  private void subscribe(boolean reconnect) {
    long retryMs = 1000;
    try {
      if (!client.isConnected()) {
        return;
      }
      // QoS 1. No Local stays off: it is a protocol error on a shared subscription (MQTT 5, 3.8.3.1);
      // brokers send no retained messages to a shared subscription, so retain handling does not matter.
      IMqttToken t = client.subscribe(new MqttSubscription(filter, 1));
      t.waitForCompletion(10_000);
      int[] codes = t.getReasonCodes();
      int code = codes == null || codes.length == 0 ? 0x80 : codes[0];
      if (code >= 0x80) {
        retryMs = 10_000;
        throw new IllegalStateException("broker refused the subscription to " + filter + ": SUBACK reason 0x"
            + Integer.toHexString(code) + reason(code));
      }
      LOG.log(Level.INFO, "MQTT 5 subscriber {0} to {1}, {2} (QoS {3})",
          new Object[] {reconnect ? "reconnected" : "connected", url, filter, code});
    } catch (MqttException | RuntimeException e) {
      LOG.log(Level.WARNING, "MQTT 5 subscribe failed; retrying", e);
      SubmissionSubscriber.retryLater(io, retryMs, () -> subscribe(reconnect));
    }
  }

  private static String reason(int code) {
    switch (code) {
      case 0x87: return " (not authorized)";
      case 0x8F: return " (topic filter invalid)";
      case 0x97: return " (quota exceeded)";
      case 0x9E: return " (shared subscriptions not supported)";
      case 0xA2: return " (wildcard subscriptions not supported)";
      default: return "";
    }
  }

  @Override
  public boolean connected() {
    return client.isConnected();
  }

  @Override
  public String protocol() {
    return "mqtt5";
  }

  @Override
  public String filter() {
    return filter;
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        // DISCONNECT with reason "normal": the broker ends the session (expiry 0) and drops us from the share.
        client.disconnect(2000).waitForCompletion(3000);
      } else {
        client.disconnectForcibly(0, 1000, false);
      }
    } catch (MqttException e) {
      // best effort at shutdown
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      // best effort at shutdown
    }
  }
}
