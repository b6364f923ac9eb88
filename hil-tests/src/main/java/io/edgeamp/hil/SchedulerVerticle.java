package io.edgeamp.hil;

import io.edgeamp.hil.board.Board;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Matches queued jobs to free boards. Runs on one event loop: reading the queue, claiming, running
 * and recording an attempt are each blocking steps on workers, composed as futures; the attempt
 * itself runs on a worker pool sized to the number of boards.
 */
public final class SchedulerVerticle extends VerticleBase {
  public static final String WAKE = "hil.scheduler.wake";
  private static final Logger LOG = Logger.getLogger(SchedulerVerticle.class.getName());

  private final HilService service;
  private final Set<String> inFlight = new HashSet<>();
  private WorkerExecutor pool;
  private boolean reading;
  private boolean again;

  public SchedulerVerticle(HilService service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    int n = Math.max(1, service.boards.all().size());
    pool = vertx.createSharedWorkerExecutor("hil-jobs", n, 24, TimeUnit.HOURS);
    vertx.setPeriodic(service.cfg.schedulerTickMs, id -> tick());
    vertx.eventBus().consumer(WAKE, m -> tick());
    return Future.succeededFuture();
  }

  private void tick() {
    if (service.stopping()) {
      return;
    }
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    vertx.executeBlocking(() -> service.store.queuedJobs(500), false).onComplete(ar -> {
      reading = false;
      if (ar.succeeded()) {
        dispatch(ar.result());
      } else {
        LOG.log(Level.WARNING, "reading the job queue failed", ar.cause());
      }
      if (again) {
        again = false;
        tick();
      }
    });
  }

  private void dispatch(List<JsonObject> queued) {
    for (JsonObject row : queued) {
      String id = row.getString("id");
      if (inFlight.contains(id)) {
        continue;
      }
      Board b = service.acquireBoard(row);
      if (b == null) {
        continue;
      }
      inFlight.add(id);
      pool.<Integer>executeBlocking(() -> service.claim(id, b), false)
          .compose(attempt -> attempt < 0 ? Future.<HilService.Outcome>succeededFuture(null)
              : pool.executeBlocking(() -> service.run(row, b, attempt), false))
          .compose(outcome -> outcome == null ? Future.succeededFuture()
              : vertx.executeBlocking(() -> {
                service.record(outcome);
                return null;
              }, false))
          .onComplete(ar -> {
            inFlight.remove(id);
            if (ar.failed()) {
              LOG.log(Level.WARNING, "job " + id + ": scheduling step failed", ar.cause());
              if (b.job() != null && id.equals(b.job())) {
                b.release(false, "scheduler error: " + ar.cause());
              }
            }
            tick();
          });
    }
  }

  @Override
  public Future<?> stop() {
    if (pool != null) {
      return pool.close();
    }
    return Future.succeededFuture();
  }
}
