package io.edgeamp.hil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Settings of one HIL server. Mutable, filled by the CLI or a test, then handed to {@link HilServer}. */
public final class HilConfig {
  public Path workDir;
  /** Loopback by default; the REST API is for the lab network only with a token. */
  public String host = "127.0.0.1";
  /** 0 = any free port. */
  public int httpPort = 0;
  public String site = "lab";
  /** MQTT client ids and persistent sessions derive from it. null: the id in the work dir's {@code server-id}
   * file, made at the first start (see HilServer#serverId). */
  public String serverId;

  /** null: start the embedded broker (Moquette, isolated class loader). */
  public String mqttUrl;
  /** Port of the embedded broker; 0 = free port, chosen at first start and then kept in the work dir. */
  public int embeddedMqttPort = 0;
  public String mqttUsername;
  public char[] mqttPassword;
  /** Client TLS: trust store (JKS/PKCS12) for an ssl:// broker URL. */
  public Path mqttTrustStore;
  public char[] mqttTrustStorePassword;
  /** Embedded broker TLS listener: key store and its password; the TLS port (0 = free). */
  public Path brokerKeyStore;
  public char[] brokerKeyStorePassword;
  public int brokerTlsPort = -1;
  /** Shared subscription for job submissions: null = on for an external broker, off for the embedded
   * Moquette 0.17, which has no shared subscriptions (MQTT 5 feature, arrives in Moquette 0.18). On, the
   * submissions are taken over MQTT 5 (clean start, session expiry 0), so the broker must speak MQTT 5;
   * off, over MQTT 3.1.1 with a persistent session (see mqtt.SubmissionSubscriber). */
  public Boolean sharedSubscription;
  /** Shared group only: an MQTT submission for boards this server lacks goes back to the group; it is rejected
   * once this many servers in a row had no matching board (README "Scale-out"). */
  public int maxSubmitHops = 16;

  /** Hardware map (YAML) of real boards; null = none. */
  public Path hardwareMap;
  /** Emulated boards to create: QEMU profile id (e.g. qemu-mps2-an386) -> instances. */
  public final Map<String, Integer> qemuBoards = new LinkedHashMap<>();
  /** QoS of the fleet feed's telemetry subscription (dashboard stream) when it subscribes to telemetry (external
   * broker, or fleetTelemetryInProcess off). 1 = no loss; Moquette 0.17 sends at most 10 unacknowledged QoS 1
   * messages per session, which caps one subscriber's QoS 1 rate near 10,000/s. */
  public int fleetTelemetryQos = 1;
  /** Embedded broker only: the fleet feed takes telemetry from the broker's publish interceptor rather than
   * from its subscription (see FleetFeed#takeTelemetryFrom). false = subscription, as with an external broker. */
  public boolean fleetTelemetryInProcess = true;
  /** Prefix of emulated board ids (e.g. "a-"), so boards of several servers on one broker stay distinct. */
  public String boardIdPrefix = "";
  public String qemuBinary = "qemu-system-arm";
  /** Directories outside the work directory from which CMake firmware sources may be built. */
  public final List<Path> sourceRoots = new ArrayList<>();

  public long maxUploadBytes = 16L << 20;
  public int defaultMaxAttempts = 3;
  public int flashTimeoutS = 20;
  public int bootTimeoutS = 10;
  public int runTimeoutS = 120;
  public int buildTimeoutS = 300;
  public long schedulerTickMs = 200;
  public long healthIntervalMs = 2000;
  /** An idle board goes offline after this many failed health checks in a row (one failure may be the
   * host's, e.g. QEMU slow to start on a loaded machine). */
  public int healthFailuresBeforeOffline = 3;
  /** How long QEMU's machine list (the emulated boards' health check) is reused before QEMU is asked again. */
  public long qemuHealthCacheMs = 30_000;
  /** A board taken offline stays out at least this long before a health check may bring it back. */
  public long offlineCooldownMs = 3000;
  public long leaseSweepMs = 1000;
  public int maxLeaseTtlS = 24 * 3600;

  public HilConfig workDir(Path p) {
    this.workDir = p;
    return this;
  }

  public HilConfig qemu(String profile, int instances) {
    qemuBoards.put(profile, instances);
    return this;
  }

  public boolean embeddedBroker() {
    return mqttUrl == null;
  }

  public boolean useSharedSubscription() {
    return sharedSubscription != null ? sharedSubscription : !embeddedBroker();
  }
}
