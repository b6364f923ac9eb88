package io.edgeamp.hil.broker;

import io.edgeamp.hil.HilException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moquette 0.17, in process, in its own class loader.
 *
 * <p>Why isolated: Moquette 0.17 is built on Netty 4.1.93 and brings H2 MVStore 2.1.212 and
 * Jackson 2.8; Vert.x 5.1 needs Netty 4.2, and the server's own H2 is 2.3 (the h2 jar holds the
 * same org.h2.mvstore packages). On one class path Maven would keep one Netty line for both (we saw
 * it pick 4.1.93 for netty-common next to Vert.x's 4.2 codecs) and two copies of org.h2.mvstore.
 * So the broker's jars ship inside this module as resources (io/edgeamp/hil/broker-lib/, listed in
 * broker-lib.txt, copied there by the pom), are unpacked into the work directory, and loaded by a
 * URLClassLoader whose parent is the platform class loader: nothing of the application's class
 * path is visible to it and nothing of it leaks out. Only JDK types (Properties) cross the boundary,
 * through reflection.
 *
 * <p>{@link #onPublish} gives the embedding server every message the broker accepts, through Moquette's
 * interceptor API (the hook Moquette offers applications that embed it). The fleet feed takes telemetry
 * this way: a QoS 1 subscriber session in Moquette 0.17 gets at most 10 unacknowledged messages at a
 * time (Session.INFLIGHT_WINDOW_SIZE, fixed), which caps one subscriber near 10,000 messages/s on a
 * quiet 2-core machine, while the interceptor sees each PUBLISH once, in arrival order, as soon as the
 * broker has taken it.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class.getName());
  private final Path libDir;
  private final Path dataDir;
  private URLClassLoader loader;
  private Object server;
  private int port;
  private final List<BiConsumer<String, byte[]>> publishSinks = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Calls sink(topic, payload) for every PUBLISH the broker accepts from any client (including retained
   * and QoS 0/1/2 messages), on the broker's interceptor thread, in arrival order. Registered sinks stay
   * across {@link #stop()}/{@link #start} of the broker. The sink must not block.
   */
  public void onPublish(BiConsumer<String, byte[]> sink) {
    publishSinks.add(sink);
  }

  public EmbeddedBroker(Path workDir) {
    this.libDir = workDir.resolve("broker-lib");
    this.dataDir = workDir.resolve("broker-data");
  }

  /**
   * Starts the broker on 127.0.0.1:port. With a username the broker refuses anonymous clients and
   * checks a SHA-256 password file; with a key store it also listens for TLS on tlsPort.
   */
  public synchronized void start(String host, int port, String username, char[] password, Path keyStore,
      char[] keyStorePassword, int tlsPort) {
    if (port <= 0) {
      throw new IllegalArgumentException("embedded broker needs a fixed port (clients and sessions find it again after a restart), got " + port);
    }
    try {
      Files.createDirectories(dataDir);
      if (loader == null) {
        loader = new URLClassLoader("moquette", unpack(), ClassLoader.getPlatformClassLoader());
      }
      Properties p = new Properties();
      p.setProperty("host", host);
      p.setProperty("port", Integer.toString(port));
      p.setProperty("websocket_port", "disabled");
      p.setProperty("persistence_enabled", "true");
      p.setProperty("data_path", dataDir.toAbsolutePath().toString());
      p.setProperty("telemetry_enabled", "false"); // Moquette reports usage to its authors by default
      p.setProperty("netty.mqtt.message_size", Integer.toString(32 << 20));
      p.setProperty("immediate_buffer_flush", "true");
      // one interceptor thread keeps the order in which the broker took the messages
      p.setProperty("intercept.thread_pool.size", "1");
      if (username != null) {
        Path pw = dataDir.resolve("passwords.conf");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(new String(password).getBytes(StandardCharsets.UTF_8)));
        Files.writeString(pw, username + ":" + hash + "\n");
        p.setProperty("password_file", pw.toAbsolutePath().toString());
        p.setProperty("allow_anonymous", "false");
      } else {
        p.setProperty("allow_anonymous", "true");
      }
      if (keyStore != null) {
        p.setProperty("ssl_port", Integer.toString(tlsPort));
        p.setProperty("jks_path", keyStore.toAbsolutePath().toString());
        p.setProperty("key_store_password", new String(keyStorePassword));
        p.setProperty("key_manager_password", new String(keyStorePassword));
      }
      Thread t = Thread.currentThread();
      ClassLoader previous = t.getContextClassLoader();
      t.setContextClassLoader(loader);
      try {
        Class<?> cls = loader.loadClass("io.moquette.broker.Server");
        server = cls.getConstructor().newInstance();
        cls.getMethod("startServer", Properties.class).invoke(server, p);
        // Not Moquette 0.17's getPort(): it reads a HashMap that its Netty thread may still be filling
        // (a ConcurrentModificationException seen in CI), and the port we asked for is the answer anyway.
        this.port = port;
        Class<?> handlerType = loader.loadClass("io.moquette.interception.InterceptHandler");
        cls.getMethod("addInterceptHandler", handlerType).invoke(server, publishInterceptor(handlerType));
      } finally {
        t.setContextClassLoader(previous);
      }
    } catch (HilException e) {
      throw e;
    } catch (Exception e) {
      Throwable c = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
      throw new HilException(500, "embedded MQTT broker failed to start on port " + port + ": " + c, c);
    }
  }

  /**
   * A Moquette InterceptHandler (an interface of the isolated class loader) as a JDK proxy: only
   * onPublish does work; it copies the payload, releases Moquette's retained duplicate (the handler owns
   * it) and hands topic and bytes to the sinks.
   */
  private Object publishInterceptor(Class<?> handlerType) throws ReflectiveOperationException {
    Class<?> publishType = loader.loadClass("io.moquette.interception.messages.InterceptPublishMessage");
    Class<?> byteBuf = loader.loadClass("io.netty.buffer.ByteBuf");
    Method topicName = publishType.getMethod("getTopicName");
    Method payload = publishType.getMethod("getPayload");
    Method readerIndex = byteBuf.getMethod("readerIndex");
    Method readable = byteBuf.getMethod("readableBytes");
    Method getBytes = byteBuf.getMethod("getBytes", int.class, byte[].class);
    Method release = byteBuf.getMethod("release");
    Class<?>[] types = {publishType};
    InvocationHandler h = (proxy, m, args) -> {
      switch (m.getName()) {
        case "getID":
          return "edgeamp-publish-sinks";
        case "getInterceptedMessageTypes":
          return types;
        case "onPublish":
          Object buf = payload.invoke(args[0]);
          try {
            byte[] bytes = new byte[(Integer) readable.invoke(buf)];
            getBytes.invoke(buf, readerIndex.invoke(buf), bytes);
            String topic = (String) topicName.invoke(args[0]);
            for (BiConsumer<String, byte[]> s : publishSinks) {
              try {
                s.accept(topic, bytes);
              } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "publish sink failed on " + topic, e);
              }
            }
          } finally {
            release.invoke(buf);
          }
          return null;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "edgeamp-publish-sinks";
        default:
          return null; // connect/disconnect/subscribe/... notifications: not used
      }
    };
    return Proxy.newProxyInstance(loader, new Class<?>[] {handlerType}, h);
  }

  public synchronized int port() {
    return port;
  }

  public synchronized boolean running() {
    return server != null;
  }

  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.getClass().getMethod("stopServer").invoke(server);
    } catch (Exception e) {
      // stopping anyway
    } finally {
      server = null;
    }
  }

  @Override
  public synchronized void close() {
    stop();
    if (loader != null) {
      try {
        loader.close();
      } catch (IOException ignored) {
        // closing at shutdown
      }
      loader = null;
    }
  }

  private URL[] unpack() throws IOException {
    Files.createDirectories(libDir);
    List<URL> urls = new ArrayList<>();
    String list;
    try (InputStream in = EmbeddedBroker.class.getResourceAsStream("/io/edgeamp/hil/broker-lib.txt")) {
      if (in == null) {
        throw new HilException(500, "broker-lib.txt missing from the class path");
      }
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String name : list.split("\\R")) {
      name = name.trim();
      if (name.isEmpty()) {
        continue;
      }
      Path target = libDir.resolve(name);
      try (InputStream in = EmbeddedBroker.class.getResourceAsStream("/io/edgeamp/hil/broker-lib/" + name)) {
        if (in == null) {
          throw new HilException(500, "embedded broker jar missing from the class path: " + name);
        }
        Path tmp = libDir.resolve(name + ".tmp");
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      urls.add(target.toUri().toURL());
    }
    return urls.toArray(new URL[0]);
  }
}
