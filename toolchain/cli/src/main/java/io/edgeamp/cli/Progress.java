package io.edgeamp.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work: a progress bar (me.tongfei:progressbar) on an interactive terminal; plain
 * log lines otherwise (CI logs, pipes), so redirected output stays readable.
 */
final class Progress implements AutoCloseable {
  private static final int SCALE = 100;
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  static Progress start(String task, int units) {
    boolean terminal = System.console() != null && System.getenv("CI") == null;
    if (!terminal) return new Progress(null);
    ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax((long) units * SCALE)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200).hideEta().build();
    return new Progress(bar);
  }

  /** Sets progress to {@code done} units with a short status message. */
  void step(double done, String message) {
    if (bar != null) {
      bar.stepTo((long) (done * SCALE));
      bar.setExtraMessage(" " + message);
    }
  }

  /** A line that stays in the log (printed above the bar on a terminal). */
  void log(String line) {
    if (bar != null) {
      System.err.print("\r\033[K");
    }
    System.err.println(line);
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
