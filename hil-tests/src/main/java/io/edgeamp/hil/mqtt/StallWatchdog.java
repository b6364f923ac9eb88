package io.edgeamp.hil.mqtt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Notices a publisher that reports itself connected but gets no acknowledgements. Seen once in about
 * ten broker restarts (MosquittoHilTest): Paho 1.2.5's persistent-session client reconnected (its
 * CONNECT is in Mosquitto's log), then delivered nothing for a minute, so "accepted" events and
 * results queued behind it; a new connection brings it back (Paho resends what its persistence holds).
 *
 * <p>Tracks when each QoS 1 publish was handed to the client until its delivery completes. The client
 * has stalled when, while connected, the oldest outstanding publish has waited longer than the limit,
 * counted from the later of its send and the last (re)connect: messages buffered while the broker was
 * down are not counted before the connection is back.
 */
final class StallWatchdog {
  private final long limitMs;
  private final LongSupplier clockMs;
  private final Map<Object, Long> outstanding = new ConcurrentHashMap<>();
  private volatile long connectedAt;

  StallWatchdog(long limitMs, LongSupplier clockMs) {
    this.limitMs = limitMs;
    this.clockMs = clockMs;
    this.connectedAt = clockMs.getAsLong();
  }

  void sent(Object token) {
    outstanding.put(token, clockMs.getAsLong());
  }

  void delivered(Object token) {
    outstanding.remove(token);
  }

  void connected() {
    connectedAt = clockMs.getAsLong();
  }

  /** After a forced reconnect: Paho resends from its persistence under new tokens, so start over. */
  void reset() {
    outstanding.clear();
    connected();
  }

  int outstanding() {
    return outstanding.size();
  }

  /** Milliseconds the oldest outstanding publish has waited on a live connection, or 0. */
  long stalledMs(boolean clientConnected) {
    if (!clientConnected || outstanding.isEmpty()) {
      return 0;
    }
    long oldest = Long.MAX_VALUE;
    for (long t : outstanding.values()) {
      oldest = Math.min(oldest, t);
    }
    return Math.max(0, clockMs.getAsLong() - Math.max(oldest, connectedAt));
  }

  boolean stalled(boolean clientConnected) {
    return stalledMs(clientConnected) > limitMs;
  }
}
