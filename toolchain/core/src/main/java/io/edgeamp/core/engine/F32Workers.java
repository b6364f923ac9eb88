package io.edgeamp.core.engine;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Helper threads for {@link Float32Inference}: one per extra core, started on first use, that spin
 * briefly after each call before parking, as ONNX Runtime's pool does.
 *
 * <p>Why not the common ForkJoinPool: its parked worker took about 0.3 ms to start (more on a loaded
 * machine), a tenth of a whole REGR_13k forward, so the second core took only a third of the chunks
 * and two cores were no faster than one. A helper that is still spinning from the previous call
 * joins within microseconds; one that has parked is unparked and joins late, and the caller never
 * waits for a helper that has not started: a job is closed when the caller runs out of chunks, and
 * only helpers already inside it are waited for. Chunks come from a shared counter in the job body,
 * so which thread runs which chunk does not change any result.
 *
 * <p>One job runs at a time; a call that finds the helpers busy (another thread inferring) runs its
 * chunks alone on the calling thread.
 */
final class F32Workers {
  /** How long a helper spins for the next job before parking (-Dedgeamp.f32.spinMicros). */
  private static final long SPIN_NANOS = Long.getLong("edgeamp.f32.spinMicros", 500) * 1000;

  private static volatile F32Workers instance;

  static F32Workers get(int helpers) {
    F32Workers w = instance;
    if (w == null || w.threads.length < helpers) {
      synchronized (F32Workers.class) {
        w = instance;
        if (w == null || w.threads.length < helpers) instance = w = new F32Workers(helpers);
      }
    }
    return w;
  }

  /** One call's work: the body claims chunks itself; state counts helpers inside, CLOSED bars new ones. */
  private static final class Job {
    static final int CLOSED = 1 << 30;
    final Runnable body;
    final AtomicInteger state = new AtomicInteger();
    volatile Throwable error;

    Job(Runnable body) {
      this.body = body;
    }

    boolean enter() {
      while (true) {
        int s = state.get();
        if ((s & CLOSED) != 0) return false;
        if (state.compareAndSet(s, s + 1)) return true;
      }
    }

    void closeAndAwait() {
      while (true) {
        int s = state.get();
        if (state.compareAndSet(s, s | CLOSED)) break;
      }
      while ((state.get() & ~CLOSED) != 0) Thread.onSpinWait();
    }
  }

  private final Thread[] threads;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile Job current;

  private F32Workers(int helpers) {
    threads = new Thread[helpers];
    for (int i = 0; i < helpers; i++) {
      Thread t = new Thread(this::loop, "edgeamp-f32-worker-" + i);
      t.setDaemon(true);
      threads[i] = t;
      t.start();
    }
  }

  private void loop() {
    Job last = null;
    long idleSince = System.nanoTime();
    while (true) {
      Job j = current;
      if (j != null && j != last) {
        last = j;
        if (j.enter()) {
          try {
            j.body.run();
          } catch (Throwable e) {
            j.error = e;
          } finally {
            j.state.decrementAndGet();
          }
        }
        idleSince = System.nanoTime();
        continue;
      }
      if (System.nanoTime() - idleSince < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(this, 50_000_000L);
        idleSince = System.nanoTime();
      }
    }
  }

  /** Runs body on this thread and on the helpers that join; returns when every joined run is done. */
  void run(Runnable body) {
    if (threads.length == 0 || !busy.compareAndSet(false, true)) {
      body.run();
      return;
    }
    Job job = new Job(body);
    try {
      current = job;
      for (Thread t : threads) LockSupport.unpark(t);
      body.run();
    } finally {
      job.closeAndAwait();
      current = null;
      busy.set(false);
    }
    Throwable e = job.error;
    if (e instanceof RuntimeException re) throw re;
    if (e instanceof Error err) throw err;
    if (e != null) throw new IllegalStateException(e);
  }
}
