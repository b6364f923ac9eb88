package io.edgeamp.hil.suite;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The outcome of one suite run. */
public final class SuiteReport {
  public final Suite suite;
  public final List<CaseResult> cases = new ArrayList<>();
  public final long started = System.currentTimeMillis();
  public double seconds;
  public String server;
  /** Most QEMU boards that ran a job at the same time during the run (sampled). */
  public int maxConcurrentBoards;

  SuiteReport(Suite suite) {
    this.suite = suite;
  }

  public int count(String status) {
    int n = 0;
    for (CaseResult c : cases) {
      if (status.equals(c.status)) {
        n++;
      }
    }
    return n;
  }

  public boolean passed() {
    return count("pass") == cases.size();
  }

  /** The terminal summary: one line per case, then totals. */
  public void print(PrintStream out) {
    out.printf(Locale.ROOT, "suite %s (%s): %d case(s) on %s%n", suite.suite, suite.file, cases.size(), server);
    out.printf(Locale.ROOT, "  %-6s %-28s %-16s %-14s %-9s %-10s %-10s %-9s %s%n", "status", "entry", "board", "task", "metric",
        "lat_med", "lat_p95", "bitexact", "detail");
    for (CaseResult c : cases) {
      String detail = "pass".equals(c.status) ? String.format(Locale.ROOT, "%.1fs", c.seconds)
          : "fail".equals(c.status) ? String.join("; ", c.failures) : c.error;
      out.printf(Locale.ROOT, "  %-6s %-28s %-16s %-14s %-9s %-10s %-10s %-9s %s%n", c.status.toUpperCase(Locale.ROOT), c.c.entry.name,
          c.c.board, c.c.task, c.metric() == null ? "-" : String.format(Locale.ROOT, "%.3f", c.metric()),
          c.median() == null ? "-" : c.median(), c.p95() == null ? "-" : c.p95(),
          c.result == null ? "-" : String.valueOf(c.result.getValue("bit_exact")), detail);
    }
    out.printf(Locale.ROOT, "  %d passed, %d failed, %d errors in %.1f s; up to %d QEMU boards at once%s%n", count("pass"), count("fail"),
        count("error"), seconds, maxConcurrentBoards,
        cases.stream().anyMatch(c -> "instructions".equals(c.unit())) ? "; latencies are QEMU instruction counts, not cycles" : "");
  }
}
