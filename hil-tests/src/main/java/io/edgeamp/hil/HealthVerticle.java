package io.edgeamp.hil;

import io.edgeamp.hil.board.Board;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.HashSet;
import java.util.Set;

/**
 * Board health: an offline board whose cool-down has passed is checked and brought back when the
 * check passes; idle boards are checked too and taken offline when it fails. Checks run on workers.
 */
public final class HealthVerticle extends VerticleBase {
  private final HilService service;
  private final Set<String> checking = new HashSet<>();

  public HealthVerticle(HilService service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(service.cfg.healthIntervalMs, id -> sweep());
    return Future.succeededFuture();
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    for (Board b : service.boards.all()) {
      boolean offline = Board.OFFLINE.equals(b.state());
      boolean idle = b.job() == null && !offline;
      if (checking.contains(b.id) || (offline && now - b.offlineSince() < service.cfg.offlineCooldownMs) || (!offline && !idle)) {
        continue;
      }
      checking.add(b.id);
      vertx.executeBlocking(() -> service.healthy(b), false).onComplete(ar -> {
        checking.remove(b.id);
        boolean ok = ar.succeeded() && ar.result();
        if (ok && offline) {
          b.online("health check passed");
        } else if (!ok && !offline) {
          b.offline("health check failed");
        }
        if (ok && offline) {
          vertx.eventBus().send(SchedulerVerticle.WAKE, "health");
        }
      });
    }
  }
}
