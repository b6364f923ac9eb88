package io.edgeamp.hil.mqtt;

import io.edgeamp.hil.HilConfig;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How every client of this server reaches the broker (credentials, TLS trust, automatic reconnect,
 * keep-alive), for both Paho clients: the MQTT 3.1.1 one and the MQTT 5 one the submission
 * subscriber uses on an external broker. One place, so the two protocols cannot drift apart.
 * Session settings (clean session / clean start, session expiry, will) are the caller's.
 */
final class ConnectOptions {
  static final int KEEP_ALIVE_S = 10;
  static final int CONNECTION_TIMEOUT_S = 10;
  static final int MAX_RECONNECT_DELAY_MS = 2000;

  private ConnectOptions() {}

  static org.eclipse.paho.client.mqttv3.MqttConnectOptions v3(HilConfig cfg) {
    org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(MAX_RECONNECT_DELAY_MS);
    o.setConnectionTimeout(CONNECTION_TIMEOUT_S);
    o.setKeepAliveInterval(KEEP_ALIVE_S);
    o.setMaxInflight(1000);
    if (cfg.mqttUsername != null) {
      o.setUserName(cfg.mqttUsername);
      o.setPassword(cfg.mqttPassword == null ? new char[0] : cfg.mqttPassword);
    }
    SSLSocketFactory tls = tls(cfg);
    if (tls != null) {
      o.setSocketFactory(tls);
    }
    return o;
  }

  static org.eclipse.paho.mqttv5.client.MqttConnectionOptions v5(HilConfig cfg) {
    org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(MAX_RECONNECT_DELAY_MS);
    o.setConnectionTimeout(CONNECTION_TIMEOUT_S);
    o.setKeepAliveInterval(KEEP_ALIVE_S);
    if (cfg.mqttUsername != null) {
      o.setUserName(cfg.mqttUsername);
      o.setPassword(cfg.mqttPassword == null ? new byte[0]
          : new String(cfg.mqttPassword).getBytes(StandardCharsets.UTF_8));
    }
    SSLSocketFactory tls = tls(cfg);
    if (tls != null) {
      o.setSocketFactory(tls);
    }
    return o;
  }

  /** The client TLS socket factory for an ssl:// broker URL from the configured trust store, or null. */
  private static SSLSocketFactory tls(HilConfig cfg) {
    if (cfg.mqttTrustStore == null) {
      return null;
    }
    try (FileInputStream in = new FileInputStream(cfg.mqttTrustStore.toFile())) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(in, cfg.mqttTrustStorePassword);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot load MQTT trust store " + cfg.mqttTrustStore + ": " + e.getMessage(), e);
    }
  }
}
