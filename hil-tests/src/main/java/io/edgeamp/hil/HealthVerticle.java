package io.edgeamp.hil;

import io.edgeamp.hil.board.Board;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Board health: an offline board whose cool-down has passed is checked and brought back when the
 * check passes; idle boards are checked too and taken offline when it fails
 * {@code healthFailuresBeforeOffline} times in a row, so one slow or failed check on a loaded host does
 * not take a working board out. Checks run on workers; the counts live on this verticle's event loop.
 */
public final class HealthVerticle extends VerticleBase {
  private final HilService service;
  private final Set<String> checking = new HashSet<>();
  private final Map<String, Integer> failedInARow = new HashMap<>();

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
      if (!offline && !idle) {
        // a job on the board: its outcome says whether the board works
        failedInARow.remove(b.id);
        continue;
      }
      if (checking.contains(b.id) || (offline && now - b.offlineSince() < service.cfg.offlineCooldownMs)) {
        continue;
      }
      checking.add(b.id);
      vertx.executeBlocking(() -> service.healthy(b), false).onComplete(ar -> {
        checking.remove(b.id);
        boolean ok = ar.succeeded() && ar.result();
        if (ok) {
          failedInARow.remove(b.id);
          if (offline) {
            b.online("health check passed");
            vertx.eventBus().send(SchedulerVerticle.WAKE, "health");
          }
        } else if (!offline && failedInARow.merge(b.id, 1, Integer::sum) >= service.cfg.healthFailuresBeforeOffline) {
          failedInARow.remove(b.id);
          b.offline("health check failed");
        }
      });
    }
  }
}
