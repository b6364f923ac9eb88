package io.edgeamp.hil.mqtt;

import io.edgeamp.hil.HilConfig;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;

/**
 * Submissions over MQTT 3.1.1 with a plain (not shared) subscription: the embedded Moquette 0.17,
 * where this server is the only subscriber. Persistent session and file persistence
 * ({@code work/mqtt-sub}), so submissions published while the server was down are delivered when it
 * is back. No disconnected buffer: Paho 1.2.5 routes every new message into a non-empty buffer to
 * keep order, and a SUBSCRIBE there fails with a ClassCastException (MqttSubscribe cast to
 * MqttPublish in ClientState.persistBufferedMessage).
 */
final class SubmissionSubscriberV3 implements SubmissionSubscriber {
  private static final Logger LOG = Logger.getLogger(SubmissionSubscriberV3.class.getName());

  private final HilConfig cfg;
  private final String url;
  private final String filter;
  private final ExecutorService io;
  private final MqttAsyncClient client;

  SubmissionSubscriberV3(HilConfig cfg, String url, Topics topics, BiConsumer<String, byte[]> handler, ExecutorService io)
      throws MqttException {
    this.cfg = cfg;
    this.url = url;
    this.filter = topics.submitSubscription(false);
    this.io = io;
    this.client = new MqttAsyncClient(url, cfg.serverId + "-sub",
        new MqttDefaultFilePersistence(cfg.workDir.resolve("mqtt-sub").toString()));
    client.setCallback(new MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverURI) {
        // Off the callback thread: subscribe() waits for a SUBACK that this thread would deliver.
        io.execute(() -> subscribe(reconnect));
      }

      @Override
      public void connectionLost(Throwable cause) {
        LOG.log(Level.INFO, "MQTT subscriber connection lost: {0}", String.valueOf(cause));
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
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
      public void deliveryComplete(IMqttDeliveryToken token) { }
    });
  }

  @Override
  public void connect(long timeoutMs) throws MqttException {
    MqttConnectOptions o = ConnectOptions.v3(cfg);
    o.setCleanSession(false);
    client.connect(o).waitForCompletion(timeoutMs);
  }

  private void subscribe(boolean reconnect) {
    try {
      if (!client.isConnected()) {
        return;
      }
      client.subscribe(filter, 1).waitForCompletion(10_000);
      LOG.log(Level.INFO, "MQTT 3.1.1 subscriber {0} to {1}", new Object[] {reconnect ? "reconnected" : "connected", url});
    } catch (MqttException | RuntimeException e) {
      LOG.log(Level.WARNING, "MQTT subscribe failed; retrying", e);
      SubmissionSubscriber.retryLater(io, 1000, () -> subscribe(reconnect));
    }
  }

  @Override
  public boolean connected() {
    return client.isConnected();
  }

  @Override
  public String protocol() {
    return "mqtt3.1.1";
  }

  @Override
  public String filter() {
    return filter;
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(2000).waitForCompletion(3000);
      }
      client.close(true);
    } catch (MqttException e) {
      // best effort at shutdown
    }
  }
}
