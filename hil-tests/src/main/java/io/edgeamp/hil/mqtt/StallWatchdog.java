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
 * has stalled when, while connected, nothing was delivered for longer than the limit although a publish
 * has been waiting at least that long. Both are counted from the last (re)connect at the earliest, so
 * messages buffered while the broker was down do not count before the connection is back, and a long
 * backlog that is being delivered (progress) is not a stall however old its oldest message is.
 */
final class StallWatchdog {
  private final long limitMs;
  private final LongSupplier clockMs;
  private final Map<Object, Long> outstanding = new ConcurrentHashMap<>();
  private volatile long connectedAt;
  private volatile long progressAt;

  StallWatchdog(long limitMs, LongSupplier clockMs) {
    this.limitMs = limitMs;
    this.clockMs = clockMs;
    this.connectedAt = clockMs.getAsLong();
    this.progressAt = connectedAt;
  }

  void sent(Object token) {
    outstanding.put(token, clockMs.getAsLong());
  }

  void delivered(Object token) {
    if (outstanding.remove(token) != null) {
      progressAt = clockMs.getAsLong();
    }
  }

  void connected() {
    connectedAt = clockMs.getAsLong();
    progressAt = connectedAt;
  }

  /** After a forced reconnect: Paho resends from its persistence under new tokens, so start over. */
  void reset() {
    outstanding.clear();
    connected();
  }

  int outstanding() {
    return outstanding.size();
  }

  /** Milliseconds without a delivery while a publish waits on a live connection, or 0. */
  long stalledMs(boolean clientConnected) {
    if (!clientConnected || outstanding.isEmpty()) {
      return 0;
    }
    long oldest = Long.MAX_VALUE;
    for (long t : outstanding.values()) {
      oldest = Math.min(oldest, t);
    }
    long now = clockMs.getAsLong();
    long waiting = now - Math.max(oldest, connectedAt);
    long noProgress = now - progressAt;
    return Math.max(0, Math.min(waiting, noProgress));
  }

  boolean stalled(boolean clientConnected) {
    return stalledMs(clientConnected) > limitMs;
  }
}
