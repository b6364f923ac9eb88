package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Without a given server id a server keeps the one it made at its first start: the default was
 * "hil-<pid>", new with every process, so each restart left the last id's retained status "online" on the
 * broker and added an MQTT persistence dir. Two processes in turn on one work dir (a new pid each).
 */
class ServerIdHilTest {
  @Test
  void aRestartedServerKeepsItsDefaultId() throws Exception {
    Path work = TestSupport.freshDir("server-id");
    ChildServer first = ChildServer.start(work);
    first.stop();
    ChildServer second = ChildServer.start(work);
    try {
      assertNotEquals(first.process.pid(), second.process.pid());
      assertEquals(first.serverId, second.serverId);
      assertEquals(first.serverId, second.api().send("GET", "/api/v1/server", null, null).json().getString("server"));
      assertTrue(first.serverId.matches("hil-[0-9a-f]{8}"), first.serverId);
      assertEquals(first.serverId, Files.readString(work.resolve("server-id")).trim());
      try (Stream<Path> dirs = Files.list(work.resolve("mqtt-pub"))) {
        List<Path> sessions = dirs.toList();
        assertEquals(1, sessions.size(), "one publisher persistence dir: " + sessions);
      }
    } finally {
      second.stop();
    }
    // a given id wins, and is kept for the next start without one
    HilConfig named = new HilConfig().workDir(work);
    named.serverId = "hil-lab-7";
    new HilServer(named).start().stop();
    HilConfig unnamed = new HilConfig().workDir(work);
    try (HilServer s = new HilServer(unnamed).start()) {
      assertEquals("hil-lab-7", unnamed.serverId);
    }
  }
}
