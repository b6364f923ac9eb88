package io.edgeamp.hil;

import io.edgeamp.hil.board.Board;
import io.edgeamp.hil.fleet.FleetFeed;
import io.edgeamp.hil.fleet.SseHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Callable;

/**
 * The REST API (bearer token on everything under /api) and the static status page. Handlers never
 * block: database and file work goes through executeBlocking.
 */
public final class RestVerticle extends VerticleBase {
  private final HilService service;
  private final byte[] token;
  private final FleetFeed fleet;
  private HttpServer server;

  public RestVerticle(HilService service, String token) {
    this(service, token, null);
  }

  /** With a fleet feed: also the dashboard's live stream (GET /api/v1/events, server-sent events). */
  public RestVerticle(HilService service, String token, FleetFeed fleet) {
    this.service = service;
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.fleet = fleet;
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    Router r = Router.router(vertx);
    r.get("/healthz").handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("ok\n"));
    r.route("/api/*").handler(this::auth);
    if (fleet != null) {
      // before the BodyHandler: a stream has no body to wait for
      r.get("/api/v1/events").handler(new SseHandler(vertx, fleet, () -> new JsonObject().put("server", service.cfg.serverId)
          .put("site", service.cfg.site).put("ts", System.currentTimeMillis())));
    }
    // the ELF as sent, whatever the content type: before the BodyHandler, which would decode a form
    r.post("/api/v1/firmware").handler(new RawBodyHandler(service.cfg.maxUploadBytes)).handler(ctx -> blocking(ctx, 201, () -> {
      byte[] bytes = RawBodyHandler.body(ctx);
      String id = service.firmware.upload(bytes);
      return new JsonObject().put("id", id).put("size", bytes.length);
    }));
    r.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(service.cfg.maxUploadBytes));

    r.get("/api/v1/server").handler(ctx -> ctx.json(new JsonObject().put("server", service.cfg.serverId)
        .put("site", service.cfg.site).put("mqtt", new JsonObject().put("url", service.mqtt.url())
            .put("embedded", service.cfg.embeddedBroker()).put("connected", service.mqtt.connected())
            .put("submissions", service.mqtt.submissionInfo()))));
    r.get("/api/v1/boards").handler(ctx -> {
      JsonArray a = new JsonArray();
      for (Board b : service.boards.all()) {
        a.add(b.toJson());
      }
      ctx.json(a);
    });
    r.get("/api/v1/boards/:id").handler(ctx -> {
      String id = Ids.requireId(ctx.pathParam("id"), "board id");
      Board b = service.boards.get(id).orElseThrow(() -> new HilException(404, "no such board"));
      ctx.json(b.toJson());
    });

    r.post("/api/v1/leases").handler(ctx -> blocking(ctx, 201, () -> service.createLease(jsonBody(ctx))));
    r.get("/api/v1/leases").handler(ctx -> ctx.json(new JsonArray(service.leases())));
    r.post("/api/v1/leases/:id/renew").handler(ctx -> blocking(ctx, 200, () -> service.renewLease(ctx.pathParam("id"), jsonBody(ctx))));
    r.delete("/api/v1/leases/:id").handler(ctx -> blocking(ctx, 200, () -> {
      service.releaseLease(ctx.pathParam("id"));
      return new JsonObject().put("released", ctx.pathParam("id"));
    }));

    r.post("/api/v1/jobs").handler(ctx -> blocking(ctx, 202, () -> {
      JsonObject res = service.submit(jsonBody(ctx), "rest", false);
      vertx.eventBus().send(SchedulerVerticle.WAKE, "submit");
      return res;
    }));
    r.get("/api/v1/jobs").handler(ctx -> blocking(ctx, 200, () -> {
      String state = ctx.queryParams().get("state");
      if (state != null && !state.matches("queued|running|done|failed")) {
        throw new HilException(400, "state must be queued, running, done or failed");
      }
      JsonArray a = new JsonArray();
      for (JsonObject j : service.store.jobs(state, 1000)) {
        j.remove("spec");
        a.add(j);
      }
      return a;
    }));
    r.get("/api/v1/jobs/:id").handler(ctx -> blocking(ctx, 200, () -> {
      JsonObject j = service.store.job(Ids.requireId(ctx.pathParam("id"), "job id"))
          .orElseThrow(() -> new HilException(404, "no such job"));
      j.getJsonObject("spec").remove("vectors");
      return j;
    }));
    r.get("/api/v1/jobs/:id/result").handler(ctx -> blocking(ctx, 200, () -> service.store
        .result(Ids.requireId(ctx.pathParam("id"), "job id")).orElseThrow(() -> new HilException(404, "no result yet"))));
    r.get("/api/v1/results").handler(ctx -> blocking(ctx, 200, () -> {
      int limit = parseLimit(ctx.queryParams().get("limit"), 200);
      JsonArray a = new JsonArray();
      for (JsonObject res : service.store.recentResults(limit)) {
        res.remove("per_vector");
        a.add(res);
      }
      return a;
    }));
    r.get("/api/v1/jobs/:id/logs").handler(ctx -> vertx.executeBlocking(() -> JobLogs.read(service.cfg.workDir,
        Ids.requireId(ctx.pathParam("id"), "job id")), false).onComplete(ar -> {
          if (ar.failed()) {
            ctx.fail(ar.cause());
          } else {
            ctx.response().putHeader("content-type", "text/plain; charset=utf-8").end(ar.result());
          }
        }));
    r.get("/api/v1/latency-table").handler(ctx -> blocking(ctx, 200, () -> {
      String board = ctx.queryParams().get("board");
      String profile = ctx.queryParams().get("profile");
      return service.latencyTable(board == null ? null : Ids.requireId(board, "board"),
          profile == null ? null : Ids.requireId(profile, "profile"));
    }));

    r.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setCachingEnabled(true).setMaxAgeSeconds(3600));
    r.route("/*").handler(StaticHandler.create("io/edgeamp/hil/webroot").setCachingEnabled(false));
    r.route().failureHandler(this::failure);

    return vertx.createHttpServer().requestHandler(r).listen(service.cfg.httpPort, service.cfg.host).map(s -> {
      server = s;
      return s;
    });
  }

  private void auth(RoutingContext ctx) {
    String h = ctx.request().getHeader("Authorization");
    byte[] given = h != null && h.startsWith("Bearer ") ? h.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(given, token)) {
      ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"edgeamp-hil\"")
          .putHeader("content-type", "application/json").end(new JsonObject().put("error", "missing or wrong bearer token").encode());
      return;
    }
    ctx.next();
  }

  private static int parseLimit(String s, int dflt) {
    if (s == null) {
      return dflt;
    }
    try {
      return Math.max(1, Math.min(5000, Integer.parseInt(s)));
    } catch (NumberFormatException e) {
      throw new HilException(400, "limit must be a number");
    }
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject j = ctx.body().asJsonObject();
      if (j == null) {
        throw new HilException(400, "a JSON object body is required");
      }
      return j;
    } catch (DecodeException | ClassCastException e) {
      throw new HilException(400, "body is not a JSON object");
    }
  }

  private <T> void blocking(RoutingContext ctx, int status, Callable<T> work) {
    vertx.executeBlocking(work, false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json");
      Object o = ar.result();
      ctx.response().end(o instanceof JsonObject ? ((JsonObject) o).encode() : ((JsonArray) o).encode());
    });
  }

  private void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    String msg = t == null ? (status == 413 ? "request body too large" : "request failed") : t.getMessage();
    if (t instanceof HilException) {
      status = ((HilException) t).status();
    } else if (t != null && msg == null) {
      // never {"error": null}: at least say what failed
      msg = t.getClass().getSimpleName();
    }
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", msg).put("status", status).encode());
    }
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
