package io.edgeamp.hil;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A small blocking client of the REST API (CLI `hil run`, benchmark, tests). */
public final class HilClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  public HilClient(String baseUrl, String token) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
  }

  /** The server's base URL, without a trailing slash. */
  public String baseUrl() {
    return base;
  }

  /** Status and body of one request; no exception for 4xx/5xx. */
  public static final class Reply {
    public final int status;
    public final String body;

    Reply(int status, String body) {
      this.status = status;
      this.body = body;
    }

    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public Reply send(String method, String path, byte[] body, String contentType) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  /** A request the server answered with a non-2xx status; {@link #reason()} is its JSON "error" field when it has one. */
  public static final class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String reason;

    HttpStatusException(String what, int status, String body) {
      super(what + ": HTTP " + status + " " + body);
      this.status = status;
      String r = body;
      try {
        String e = new JsonObject(body).getString("error");
        if (e != null) r = e;
      } catch (RuntimeException notJson) {
        // keep the raw body
      }
      this.reason = r;
    }

    public int status() {
      return status;
    }

    /** True for 4xx: the request was wrong (bad firmware, unknown board, bad token), not the server. */
    public boolean clientError() {
      return status / 100 == 4;
    }

    public String reason() {
      return reason;
    }
  }

  private JsonObject ok(Reply r, String what) throws IOException {
    if (r.status / 100 != 2) {
      throw new HttpStatusException(what, r.status, r.body);
    }
    return r.json();
  }

  public String uploadFirmware(Path elf) throws IOException {
    return ok(send("POST", "/api/v1/firmware", Files.readAllBytes(elf), "application/octet-stream"), "upload").getString("id");
  }

  public JsonObject submit(JsonObject job) throws IOException {
    return ok(send("POST", "/api/v1/jobs", job.encode().getBytes(), "application/json"), "submit");
  }

  public JsonObject job(String id) throws IOException {
    return ok(send("GET", "/api/v1/jobs/" + id, null, null), "job");
  }

  public Optional<JsonObject> result(String id) throws IOException {
    Reply r = send("GET", "/api/v1/jobs/" + id + "/result", null, null);
    return r.status == 404 ? Optional.empty() : Optional.of(ok(r, "result"));
  }

  public JsonObject awaitResult(String id, long timeoutMs) throws IOException {
    return awaitResult(id, timeoutMs, notice -> { });
  }

  /**
   * Polls for the job's result until {@code timeoutMs}. A server that stops answering (a crash, a
   * restart) is waited for rather than fatal: it keeps accepted jobs in its store and requeues them
   * on restart, so the result still comes. {@code notice} hears once when the server goes away and
   * once when it is back.
   */
  public JsonObject awaitResult(String id, long timeoutMs, java.util.function.Consumer<String> notice) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    IOException unreachable = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        Optional<JsonObject> r = result(id);
        if (unreachable != null) {
          notice.accept("the HIL server at " + base + " answers again; waiting for job " + id);
          unreachable = null;
        }
        if (r.isPresent()) {
          return r.get();
        }
      } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
        if (unreachable == null) {
          notice.accept("the HIL server at " + base + " does not answer (" + e.getClass().getSimpleName() + "); job " + id
              + " is in its store, waiting for it to come back");
        }
        unreachable = e;
      }
      try {
        Thread.sleep(unreachable == null ? 50 : 500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
    if (unreachable != null) {
      throw new IOException("no result for job " + id + " within " + timeoutMs + " ms: the HIL server at " + base + " has not answered since "
          + unreachable.getMessage() + "; the job stays in its store, ask again with GET /api/v1/jobs/" + id + "/result");
    }
    throw new IOException("no result for " + id + " within " + timeoutMs + " ms; job: " + job(id).encode());
  }

  public JsonArray boards() throws IOException {
    Reply r = send("GET", "/api/v1/boards", null, null);
    if (r.status != 200) {
      throw new HttpStatusException("boards", r.status, r.body);
    }
    return new JsonArray(r.body);
  }

  public JsonObject latencyTable() throws IOException {
    return ok(send("GET", "/api/v1/latency-table", null, null), "latency table");
  }
}
