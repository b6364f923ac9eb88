package io.edgeamp.hil.driver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a real board's harness is up, whichever way the console met the boot:
 * <ul>
 *   <li>the console opened before the firmware started (a QEMU stand-in with {@code wait=on}, a board
 *       reset by its flasher while the serial bridge is connected): the boot banner
 *       ({@code m-init-done}, {@code m-ready}) arrives and is consumed here, as QemuDriver does;
 *   <li>the board booted before the console opened: nothing comes, so {@code name%} is sent as a probe
 *       until the harness answers.
 * </ul>
 * Sending {@code name%} at once, as before, took the banner for its reply ("no m-name-dut- line") and
 * failed every job. A probe sent while the board was still resetting is lost or answered right after
 * the banner, so after the banner the console is drained until it stays quiet: the next command gets
 * its own reply.
 */
final class HarnessBoot {
  /** Listen this long for a banner before the first probe: a stand-in or freshly reset board prints it at once. */
  static final long SETTLE_MS = 300;
  /** A probe that got no reply in this time is sent again (lost while the board was in reset). */
  static final long PROBE_MS = 1_000;
  /** The console is quiet this long once the harness is up with probes unanswered: their replies are not coming. */
  static final long DRAIN_MS = 300;

  private HarnessBoot() {}

  /** Returns once the harness is up and no reply is pending; throws when it is not up within bootMs. */
  static void await(HarnessClient h, long bootMs) throws IOException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(bootMs);
    long nextProbe = start + TimeUnit.MILLISECONDS.toNanos(Math.min(SETTLE_MS, bootMs));
    long quietUntil = 0;
    boolean up = false;
    boolean banner = false;
    int probes = 0;
    int answers = 0;
    List<String> reply = new ArrayList<>();
    while (true) {
      long until = up ? Math.min(quietUntil, deadline) : Math.min(nextProbe, deadline);
      String l = h.nextLine(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
      long now = System.nanoTime();
      if (l == null) {
        if (up && (now - quietUntil >= 0 || now - deadline >= 0)) {
          return;
        }
        if (!up && now - deadline >= 0) {
          throw new HarnessClient.HarnessTimeoutException("boot: the harness did not come up within " + bootMs + " ms (no boot"
              + " banner m-init-done, " + probes + " name% probe(s) unanswered); last lines: " + h.tail());
        }
        if (!up && now - nextProbe >= 0) {
          h.send("name");
          probes++;
          nextProbe = now + TimeUnit.MILLISECONDS.toNanos(PROBE_MS);
        }
        continue;
      }
      if (l.startsWith("*** FAULT")) {
        throw new HarnessClient.BoardLostException("boot: firmware fault: " + l);
      }
      if (!l.equals("m-ready")) {
        reply.add(l);
        continue;
      }
      String error = reply.stream().filter(x -> x.startsWith("e-[")).findFirst().orElse(null);
      if (reply.contains("m-init-done")) {
        if (error != null) {
          throw new HarnessClient.HarnessErrorException("boot: firmware answered " + error);
        }
        banner = true;
        up = true;
      } else if (reply.stream().anyMatch(x -> x.startsWith("m-name-dut-"))) {
        answers++;
        up = true;
      }
      // anything else (an answer to line noise) is not ours to keep
      reply.clear();
      if (up) {
        if (probes == 0 || (!banner && answers >= probes)) {
          return;
        }
        quietUntil = now + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
      }
    }
  }
}
