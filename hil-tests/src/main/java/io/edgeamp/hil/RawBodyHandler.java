package io.edgeamp.hil;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body as bytes whatever its content type, up to a limit (413 beyond it, also for a
 * chunked body without Content-Length), and hands it on as {@link #body}. For the firmware upload:
 * BodyHandler decodes an application/x-www-form-urlencoded or multipart body (curl --data-binary's
 * default type) as a form, and an ELF is none, which failed with an exception without a message.
 * Must run before any other handler reads the body, on the request's event loop.
 */
final class RawBodyHandler implements Handler<RoutingContext> {
  private static final String KEY = RawBodyHandler.class.getName();
  private final long limit;

  RawBodyHandler(long limit) {
    this.limit = limit;
  }

  /** The body a RawBodyHandler read for this request. */
  static byte[] body(RoutingContext ctx) {
    Buffer b = ctx.get(KEY);
    return b == null ? new byte[0] : b.getBytes();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String declared = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > limit) {
      ctx.fail(tooLarge());
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] failed = {false};
    req.handler(chunk -> {
      if (failed[0]) {
        return;
      }
      if ((long) body.length() + chunk.length() > limit) {
        failed[0] = true;
        ctx.fail(tooLarge());
        return;
      }
      body.appendBuffer(chunk);
    });
    req.exceptionHandler(e -> {
      if (!failed[0]) {
        failed[0] = true;
        ctx.fail(e);
      }
    });
    req.endHandler(v -> {
      if (!failed[0]) {
        ctx.put(KEY, body);
        ctx.next();
      }
    });
    req.resume();
  }

  private HilException tooLarge() {
    return new HilException(413, "request body larger than " + limit + " bytes");
  }
}
