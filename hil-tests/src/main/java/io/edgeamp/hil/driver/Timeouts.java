package io.edgeamp.hil.driver;

/** Deadlines of one attempt, in milliseconds: flash (start/program), boot (to the first m-ready), run (each command). */
public final class Timeouts {
  public final long flashMs;
  public final long bootMs;
  public final long runMs;

  public Timeouts(long flashMs, long bootMs, long runMs) {
    this.flashMs = flashMs;
    this.bootMs = bootMs;
    this.runMs = runMs;
  }
}
