package io.edgeamp.hil.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the publisher watchdog calls a connection stalled, on a controlled clock. */
class StallWatchdogTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final StallWatchdog w = new StallWatchdog(20_000, now::get);

  @Test
  void anAcknowledgedPublishIsNeverAStall() {
    Object t = new Object();
    w.sent(t);
    now.addAndGet(5_000);
    w.delivered(t);
    now.addAndGet(60_000);
    assertFalse(w.stalled(true));
    assertEquals(0, w.outstanding());
  }

  @Test
  void theOldestUnacknowledgedPublishOnALiveConnectionCounts() {
    Object old = new Object();
    Object fresh = new Object();
    w.sent(old);
    now.addAndGet(15_000);
    w.sent(fresh);
    now.addAndGet(5_001);
    assertTrue(w.stalled(true), "the first one waited 20.001 s");
    assertEquals(20_001, w.stalledMs(true));
    w.delivered(old);
    assertFalse(w.stalled(true), "the second one waited 5 s");
  }

  @Test
  void aBacklogThatKeepsMovingIsNotAStallHoweverOldItsOldestMessage() {
    Object[] backlog = new Object[100];
    for (int i = 0; i < backlog.length; i++) {
      backlog[i] = new Object();
      w.sent(backlog[i]);
    }
    for (int i = 0; i < backlog.length - 1; i++) {
      now.addAndGet(1_000); // one acknowledgement per second: slow, but moving
      w.delivered(backlog[i + 1]);
      assertFalse(w.stalled(true), "progress at " + i + " s");
    }
    now.addAndGet(20_001); // then nothing for 20 s while the first still waits
    assertTrue(w.stalled(true));
  }

  @Test
  void waitingWhileDisconnectedIsNotAStallUntilTheConnectionHasBeenBackLongEnough() {
    w.sent(new Object()); // buffered while the broker is down
    now.addAndGet(120_000);
    assertFalse(w.stalled(false), "not connected: Paho's buffer holds it, nothing to fix");
    w.connected();
    now.addAndGet(10_000);
    assertFalse(w.stalled(true), "counted from the reconnect: 10 s");
    now.addAndGet(10_001);
    assertTrue(w.stalled(true));
    w.reset();
    assertFalse(w.stalled(true));
    assertEquals(0, w.outstanding());
  }
}
