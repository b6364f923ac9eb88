package io.edgeamp.hil.driver;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Ends a process and everything it started. A flasher script that hangs in {@code sleep 300 & wait}
 * left the sleep running, re-parented to init, when only the script was killed. The descendants are
 * listed while the process still runs (afterwards they are init's and no longer found through it), and
 * every one is killed forcibly, so none gets the chance to start another.
 */
public final class ProcessTree {
  private ProcessTree() {}

  public static void kill(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    Set<Long> seen = new HashSet<>();
    tree.forEach(h -> seen.add(h.pid()));
    p.destroyForcibly();
    // one may have forked since the listing: look below each one again just before it goes
    for (int i = 0; i < tree.size(); i++) {
      ProcessHandle h = tree.get(i);
      h.children().filter(c -> seen.add(c.pid())).forEach(tree::add);
      h.destroyForcibly();
    }
    try {
      p.waitFor(5, TimeUnit.SECONDS);
      for (ProcessHandle h : tree) {
        h.onExit().get(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // a process that did not go within 5 s after SIGKILL (uninterruptible I/O): nothing more we can do
    }
  }
}
