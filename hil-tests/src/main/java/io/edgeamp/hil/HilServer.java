package io.edgeamp.hil;

import io.edgeamp.hil.board.Board;
import io.edgeamp.hil.board.BoardRegistry;
import io.edgeamp.hil.board.HardwareMap;
import io.edgeamp.hil.board.ProfileMachineTable;
import io.edgeamp.hil.board.MachineTable;
import io.edgeamp.hil.broker.EmbeddedBroker;
import io.edgeamp.hil.driver.CommandDriver;
import io.edgeamp.hil.driver.QemuDriver;
import io.edgeamp.hil.driver.QemuProcesses;
import io.edgeamp.hil.fleet.FleetFeed;
import io.edgeamp.hil.job.Firmware;
import io.edgeamp.hil.job.JobRunner;
import io.edgeamp.hil.mqtt.MqttBridge;
import io.edgeamp.hil.store.HilStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One HIL server: database, MQTT (embedded Moquette or an external broker), boards, and the Vert.x
 * verticles (REST, scheduler, health, leases). {@link #start()} and {@link #stop()} block; call them
 * from a plain thread (CLI main, test), never from an event loop.
 */
public final class HilServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HilServer.class.getName());

  private final HilConfig cfg;
  private final MachineTable machines;
  private HilStore store;
  private EmbeddedBroker broker;
  private MqttBridge mqtt;
  private FleetFeed fleet;
  private BoardRegistry boards;
  private HilService service;
  private Vertx vertx;
  private RestVerticle rest;
  private String token;
  private String mqttUrl;
  private int brokerPort;
  private QemuProcesses qemuProcesses;
  private Thread shutdownHook;

  public HilServer(HilConfig cfg) {
    this(cfg, ProfileMachineTable.standard());
  }

  public HilServer(HilConfig cfg, MachineTable machines) {
    this.cfg = cfg;
    this.machines = machines;
  }

  public synchronized HilServer start() throws Exception {
    // first: a bad hardware map is refused (IllegalArgumentException naming file, board and key) before
    // the work dir, token, store or broker exist
    HardwareMap hardwareMap = cfg.hardwareMap == null ? null : HardwareMap.loadForServer(cfg.hardwareMap);
    Path work = Files.createDirectories(cfg.workDir.toAbsolutePath());
    cfg.workDir = work;
    token = loadOrCreateToken(work.resolve("token"));
    cfg.serverId = serverId(work.resolve("server-id"), cfg.serverId);
    store = new HilStore(work.resolve("db"));
    // after the store: its lock refuses a second server on this work dir before we touch any process
    qemuProcesses = new QemuProcesses(work.resolve("qemu-pids"));
    List<Long> leftovers = qemuProcesses.reapLeftovers();
    if (!leftovers.isEmpty()) {
      LOG.log(Level.WARNING, "ended {0} QEMU process(es) the last server on {1} left running: {2}",
          new Object[] {leftovers.size(), work, leftovers});
    }
    // a normal exit (SIGTERM, System.exit) without stop() leaves no QEMU behind either
    Thread hook = new Thread(qemuProcesses::killAll, "hil-qemu-reaper");
    Runtime.getRuntime().addShutdownHook(hook);
    shutdownHook = hook;
    List<String> requeued = store.recoverInterrupted();
    if (!requeued.isEmpty()) {
      LOG.log(Level.INFO, "requeued {0} job(s) interrupted by the last stop", requeued.size());
    }
    if (cfg.embeddedBroker()) {
      brokerPort = brokerPort(work.resolve("mqtt-port"));
      broker = new EmbeddedBroker(work);
      broker.start("127.0.0.1", brokerPort, cfg.mqttUsername, cfg.mqttPassword, cfg.brokerKeyStore,
          cfg.brokerKeyStorePassword, cfg.brokerTlsPort < 0 ? 0 : cfg.brokerTlsPort);
      mqttUrl = "tcp://127.0.0.1:" + brokerPort;
    } else {
      mqttUrl = cfg.mqttUrl;
    }
    mqtt = new MqttBridge(cfg, mqttUrl);
    boards = new BoardRegistry(cfg, hardwareMap, machines, b -> mqtt.boardStatus(b.id, b.status()));
    Firmware firmware = new Firmware(cfg, store);
    JobRunner runner = new JobRunner(cfg, firmware, new QemuDriver(cfg.qemuBinary, qemuProcesses), new CommandDriver(work), mqtt);
    service = new HilService(cfg, store, boards, mqtt, firmware, runner);
    mqtt.onSubmit(service::submitFromMqtt);
    mqtt.onResultDelivered(job -> {
      try {
        store.markPublished(job);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "markPublished after stop", e);
      }
    });
    mqtt.onPublisherReconnect(() -> {
      if (!service.stopping()) {
        service.republishPending();
      }
    });
    try {
      mqtt.connect(15_000);
    } catch (Exception e) {
      // Not fatal: Paho keeps reconnecting and buffers (persisted) what we publish meanwhile.
      LOG.log(Level.WARNING, "MQTT broker " + mqttUrl + " not reachable yet; will keep retrying", e);
    }
    fleet = new FleetFeed(cfg, mqttUrl);
    if (broker != null && cfg.fleetTelemetryInProcess) {
      fleet.takeTelemetryFrom(broker);
    }
    try {
      fleet.connect(15_000);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "fleet feed: broker " + mqttUrl + " not reachable yet; will keep retrying", e);
    }
    service.restoreLeases();
    for (Board b : boards.all()) {
      mqtt.boardStatus(b.id, b.status());
    }
    service.republishPending();

    vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(new FileSystemOptions()
        .setFileCachingEnabled(false).setFileCacheDir(work.resolve("vertx-cache").toString())));
    rest = new RestVerticle(service, token, fleet);
    await(vertx.deployVerticle(new LeaseVerticle(service))
        .compose(x -> vertx.deployVerticle(new HealthVerticle(service)))
        .compose(x -> vertx.deployVerticle(new SchedulerVerticle(service)))
        .compose(x -> vertx.deployVerticle(rest)));
    LOG.log(Level.INFO, "HIL server {0} on http://{1}:{2}, MQTT {3}, {4} board(s)",
        new Object[] {cfg.serverId, cfg.host, Integer.toString(rest.port()), mqttUrl, boards.all().size()});
    return this;
  }

  /**
   * Stops everything this server started: verticles, QEMU processes, MQTT clients, the embedded
   * broker, the database. Running attempts are left open in the database (as a crash would) and
   * are requeued by the next start.
   */
  public synchronized void stop() {
    if (service != null) {
      // first: no new attempt starts and outcomes of killed boards are not recorded (requeued at start)
      service.stopping(true);
    }
    if (mqtt != null) {
      // then no new submissions: other servers sharing them take them from here on
      mqtt.stopSubmissions();
    }
    if (service != null) {
      for (Board b : boards.all()) {
        Process p = b.process();
        if (p != null && p.isAlive()) {
          p.destroyForcibly();
        }
      }
    }
    if (vertx != null) {
      try {
        await(vertx.close());
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing Vert.x", e);
      }
      vertx = null;
    }
    if (boards != null) {
      for (Board b : boards.all()) {
        Process p = b.process();
        if (p != null) {
          try {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
    if (fleet != null) {
      fleet.close();
      fleet = null;
    }
    if (mqtt != null) {
      mqtt.close();
      mqtt = null;
    }
    if (broker != null) {
      broker.close();
      broker = null;
    }
    if (store != null) {
      store.close();
      store = null;
    }
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException exiting) {
        // stop() called from a shutdown hook: ours runs too, harmlessly
      }
      shutdownHook = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** For tests: stop and start the embedded broker (same port, same persistent store). */
  public synchronized void restartEmbeddedBroker(long downMs) throws InterruptedException {
    broker.stop();
    Thread.sleep(downMs);
    broker.start("127.0.0.1", brokerPort, cfg.mqttUsername, cfg.mqttPassword, cfg.brokerKeyStore,
        cfg.brokerKeyStorePassword, cfg.brokerTlsPort < 0 ? 0 : cfg.brokerTlsPort);
  }

  public String baseUrl() {
    return "http://" + (cfg.host.contains(":") ? "[" + cfg.host + "]" : cfg.host) + ":" + rest.port();
  }

  /**
   * The dashboard with the token in the URL fragment: browsers never send a fragment to the server
   * (so it stays out of access logs and Referer headers); the page moves it to sessionStorage and
   * removes it from the address bar.
   */
  public String dashboardUrl() {
    return baseUrl() + "/#token=" + token;
  }

  public FleetFeed fleet() {
    return fleet;
  }

  public String token() {
    return token;
  }

  public String mqttUrl() {
    return mqttUrl;
  }

  public HilService service() {
    return service;
  }

  public BoardRegistry boards() {
    return boards;
  }

  public HilConfig config() {
    return cfg;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** The REST token: 32 random bytes, created on first start with permissions 0600, then reused. */
  static String loadOrCreateToken(Path file) throws IOException {
    Set<PosixFilePermission> only = PosixFilePermissions.fromString("rw-------");
    if (!Files.exists(file)) {
      byte[] b = new byte[32];
      new SecureRandom().nextBytes(b);
      String t = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(only));
        Files.writeString(file, t + "\n", StandardCharsets.US_ASCII);
        return t;
      } catch (FileAlreadyExistsException e) {
        // another process created it first: read theirs
      }
    }
    if (!Files.getPosixFilePermissions(file).equals(only)) {
      Files.setPosixFilePermissions(file, only);
      LOG.log(Level.WARNING, "token file {0} had loose permissions; set to 0600", file);
    }
    String t = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (t.length() < 16) {
      throw new IOException("token file " + file + " holds no usable token");
    }
    return t;
  }

  /**
   * The server id: the one given, else the one the work dir's file holds, else a new random one; written
   * to the file either way, so a restart without --server-id keeps it. MQTT client ids, the publisher's
   * persistent session (and its persistence dir) and the retained {@code servers/<id>/status} belong to
   * it: a default that changed with every process ({@code hil-<pid>}) left the dead id's status "online"
   * on the broker for good and a new persistence dir per run.
   */
  static String serverId(Path file, String given) throws IOException {
    String kept = Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII).trim() : null;
    String id = given != null ? Ids.requireId(given, "server id") : Ids.isId(kept) ? kept : newServerId();
    if (!id.equals(kept)) {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, id + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return id;
  }

  private static String newServerId() {
    byte[] b = new byte[4];
    new SecureRandom().nextBytes(b);
    return "hil-" + java.util.HexFormat.of().formatHex(b);
  }

  /** The embedded broker keeps its port across restarts so clients and QoS 1 sessions find it again. */
  private int brokerPort(Path file) throws IOException {
    if (cfg.embeddedMqttPort > 0) {
      Files.writeString(file, Integer.toString(cfg.embeddedMqttPort));
      return cfg.embeddedMqttPort;
    }
    if (Files.exists(file)) {
      return Integer.parseInt(Files.readString(file).trim());
    }
    int p;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      p = s.getLocalPort();
    }
    Files.writeString(file, Integer.toString(p));
    return p;
  }
}
