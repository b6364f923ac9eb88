package io.edgeamp.hil;

import java.nio.file.Path;

/**
 * A HIL server in a JVM of its own, for tests that restart it as a new process or kill it with SIGKILL
 * (see {@link ChildServer}). Arguments: the work dir, then PROFILE=N per emulated board type. Prints
 * {@code ready <base url> <server id>} once it serves. It adds no shutdown hook of its own (the CLI's
 * serve adds one that calls stop()), so SIGTERM shows what the server itself does on exit.
 */
public final class ChildServerMain {
  private ChildServerMain() {}

  public static void main(String[] args) throws Exception {
    HilConfig cfg = new HilConfig().workDir(Path.of(args[0]));
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      cfg.qemu(kv[0], Integer.parseInt(kv[1]));
    }
    HilServer s = new HilServer(cfg).start();
    System.out.println("ready " + s.baseUrl() + " " + cfg.serverId);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
