package io.edgeamp.hil;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Releases expired leases (the store update runs on a worker). */
public final class LeaseVerticle extends VerticleBase {
  private final HilService service;
  private boolean sweeping;

  public LeaseVerticle(HilService service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(service.cfg.leaseSweepMs, id -> {
      if (sweeping) {
        return;
      }
      sweeping = true;
      vertx.executeBlocking(service::expireLeases, false).onComplete(ar -> {
        sweeping = false;
        if (ar.succeeded() && ar.result() > 0) {
          vertx.eventBus().send(SchedulerVerticle.WAKE, "lease");
        }
      });
    });
    return Future.succeededFuture();
  }
}
