package io.edgeamp.hil.mqtt;

import io.edgeamp.hil.HilConfig;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * The client that takes job submissions ({@code edgeamp/v1/<site>/jobs/submit}) from the broker.
 * Both implementations keep the same guarantees:
 * <ul>
 *   <li>the handler runs on Paho's callback thread and stores the job before it returns; Paho sends
 *       the QoS 1 PUBACK only after the callback returned, so a job is durable before the broker
 *       forgets it;</li>
 *   <li>subscribing, including again after each reconnect, runs on the bridge's own executor, never
 *       on Paho's callback thread (waiting there for a SUBACK that thread would deliver deadlocks).</li>
 * </ul>
 * Which one a server uses is decided here, once: see {@link #create}.
 */
interface SubmissionSubscriber extends AutoCloseable {

  /**
   * MQTT 5 with a shared subscription when submissions are shared among servers (an external broker),
   * else MQTT 3.1.1 with a plain subscription and a persistent session (the embedded Moquette 0.17,
   * which speaks neither MQTT 5 nor shared subscriptions).
   */
  static SubmissionSubscriber create(HilConfig cfg, String url, Topics topics, BiConsumer<String, byte[]> handler,
      ExecutorService io) throws Exception {
    return cfg.useSharedSubscription()
        ? new SubmissionSubscriberV5(cfg, url, topics, handler, io)
        : new SubmissionSubscriberV3(cfg, url, topics, handler, io);
  }

  /** Connects (blocking up to the timeout); the subscription follows from the connect callback. */
  void connect(long timeoutMs) throws Exception;

  boolean connected();

  /** "mqtt5" or "mqtt3.1.1": the protocol of the submission session. */
  String protocol();

  /** The topic filter subscribed to ("$share/hil/..." or the plain submit topic). */
  String filter();

  @Override
  void close();

  /** Runs {@code task} on {@code io} after {@code delayMs} (a failed subscribe is retried that way). */
  static void retryLater(ExecutorService io, long delayMs, Runnable task) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(delayMs);
        io.execute(task);
      } catch (InterruptedException | RejectedExecutionException x) {
        // shutting down
      }
    }, "hil-mqtt-resubscribe");
    t.setDaemon(true);
    t.start();
  }
}
