package io.edgeamp.hil.fleet;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * GET /api/v1/events: server-sent events bridged from the {@link FleetFeed}'s MQTT subscription (the
 * bearer token is checked by the /api/* route before this runs). The browser reads the stream with
 * fetch() so the token travels in the Authorization header, never in a URL.
 *
 * <p>Per connection, the feed's threads (Paho's callback, or the embedded broker's interceptor for telemetry) append to a bounded queue and schedule one flush on the
 * connection's event loop, so a burst is written as one chunk and the event loop is not hit per
 * message. Beyond {@link #MAX_QUEUED} pending events, telemetry is dropped (and counted in a
 * {@code dropped} event) rather than statuses, job events or results. A comment line every 15 s keeps
 * proxies from closing an idle stream.
 */
public final class SseHandler implements Handler<RoutingContext> {
  static final int MAX_QUEUED = 5000;

  private final Vertx vertx;
  private final FleetFeed feed;
  private final Supplier<JsonObject> hello;

  public SseHandler(Vertx vertx, FleetFeed feed, Supplier<JsonObject> hello) {
    this.vertx = vertx;
    this.feed = feed;
    this.hello = hello;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse res = ctx.response();
    res.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache, no-store").putHeader("X-Accel-Buffering", "no");
    Context context = vertx.getOrCreateContext();
    ArrayDeque<String> queue = new ArrayDeque<>();
    AtomicBoolean scheduled = new AtomicBoolean();
    AtomicLong dropped = new AtomicLong();
    AtomicBoolean open = new AtomicBoolean(true);

    Runnable flush = () -> {
      scheduled.set(false);
      StringBuilder sb = new StringBuilder();
      synchronized (queue) {
        while (!queue.isEmpty()) {
          sb.append(queue.poll());
        }
      }
      long d = dropped.getAndSet(0);
      if (d > 0) {
        sb.append(frame("dropped", new JsonObject().put("telemetry", d)));
      }
      if (open.get() && sb.length() > 0) {
        res.write(sb.toString());
      }
    };
    Consumer<FleetFeed.FleetEvent> listener = e -> {
      String f = frame(e.kind, e.toJson());
      synchronized (queue) {
        if (queue.size() >= MAX_QUEUED || (res.writeQueueFull() && "telemetry".equals(e.kind))) {
          if ("telemetry".equals(e.kind)) {
            dropped.incrementAndGet();
            return;
          }
        }
        queue.add(f);
      }
      if (scheduled.compareAndSet(false, true)) {
        context.runOnContext(v -> flush.run());
      }
    };
    long ping = vertx.setPeriodic(15_000, id -> {
      if (open.get()) {
        res.write(": ping\n\n");
      }
    });
    Runnable closed = () -> {
      if (open.compareAndSet(true, false)) {
        feed.removeListener(listener);
        vertx.cancelTimer(ping);
      }
    };
    res.closeHandler(v -> closed.run());
    res.exceptionHandler(t -> closed.run());

    JsonObject h = hello.get();
    JsonArray boards = new JsonArray();
    for (JsonObject b : feed.boards()) {
      boards.add(b);
    }
    // retry: the browser's reconnect delay hint; the snapshot lets a late dashboard show the fleet at once
    res.write("retry: 1000\n\n" + frame("hello", h) + frame("snapshot", new JsonObject().put("boards", boards)));
    feed.addListener(listener);
  }

  static String frame(String event, JsonObject data) {
    // JSON encoding escapes newlines, so one data line per event is enough
    return "event: " + event + "\ndata: " + data.encode() + "\n\n";
  }
}
