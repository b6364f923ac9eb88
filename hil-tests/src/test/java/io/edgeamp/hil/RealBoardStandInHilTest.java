package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real boards of a hardware map, stood in by QEMU: the flasher is a script that (re)starts
 * qemu-system-arm in the background with the image it is given and exits 0, and the console is QEMU's
 * UART on a TCP server, as a ser2net bridge offers a real board's (the README's worked example).
 * <ul>
 *   <li>{@code standin-elf}: {@code wait=on}, so the firmware starts only when the server's console
 *       connects and its boot banner comes after the connect. A reviewer saw every such job fail with
 *       "name%: no m-name-dut- line": CommandDriver sent name% at once and took the banner for the reply.
 *   <li>{@code standin-bin}, {@code standin-hex}: the flasher takes {bin} (QEMU -kernel loads the raw
 *       image at 0) and {hex} (QEMU's generic loader reads Intel HEX), made from the ELF by objcopy.
 *   <li>{@code standin-booted}: {@code wait=off} and the script waits until the firmware has booted, so
 *       the banner is gone before the console opens; the server finds the harness with name% probes.
 * </ul>
 * Each job runs twice per board: the second flash "resets" the board (the script ends the last QEMU).
 */
class RealBoardStandInHilTest {
  static HilServer server;
  static HilClient api;
  static Path work;
  static String fw;

  /** The stand-in flasher (also in hil-tests/README.md): STATE BOARD PORT WAIT LOAD IMAGE. */
  static final String FLASHER = String.join("\n",
      "#!/bin/sh",
      "# Stand-in for a real board's flasher: 'flashes' IMAGE by (re)starting QEMU with it; the console is the",
      "# UART on a TCP server at 127.0.0.1:PORT, as ser2net would serve a real board's.",
      "set -eu",
      "state=$1 board=$2 port=$3 wait=$4 load=$5 image=$6",
      "mkdir -p \"$state\"",
      "if [ -f \"$state/$board.pid\" ]; then  # reset: end the board's last run",
      "  old=$(cat \"$state/$board.pid\")",
      "  kill \"$old\" 2>/dev/null || true",
      "  while kill -0 \"$old\" 2>/dev/null; do sleep 0.05; done",
      "fi",
      "case $load in",
      "  kernel) set -- -kernel \"$image\" ;;          # ELF, or a raw binary loaded at 0",
      "  loader) set -- -device \"loader,file=$image\" ;;  # Intel HEX (or ELF)",
      "esac",
      "qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic -semihosting-config enable=on,target=native \\",
      "  -icount shift=0 -monitor none -serial \"tcp:127.0.0.1:$port,server=on,wait=$wait\" \"$@\" \\",
      "  </dev/null >>\"$state/$board-qemu.log\" 2>&1 &",
      "echo $! > \"$state/$board.pid\"",
      "if [ \"$wait\" = off ]; then sleep 1; fi  # let it boot before the server connects",
      "");

  @BeforeAll
  static void start() throws Exception {
    Path elf = TestSupport.firmware();
    work = TestSupport.freshDir("standin");
    Path flasher = work.resolve("standin-flasher.sh");
    Files.writeString(flasher, FLASHER, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(flasher, PosixFilePermissions.fromString("rwx------"));
    StringBuilder map = new StringBuilder("boards:\n");
    board(map, flasher, "standin-elf", "on", "kernel", "{elf}");
    board(map, flasher, "standin-bin", "on", "kernel", "{bin}");
    board(map, flasher, "standin-hex", "on", "loader", "{hex}");
    board(map, flasher, "standin-booted", "off", "kernel", "{elf}");
    Path mapFile = work.resolve("lab.yaml");
    Files.writeString(mapFile, map, StandardCharsets.UTF_8);
    HilConfig cfg = new HilConfig().workDir(work.resolve("server"));
    cfg.hardwareMap = mapFile;
    server = new HilServer(cfg).start();
    api = new HilClient(server.baseUrl(), server.token());
    fw = api.uploadFirmware(elf);
  }

  private static void board(StringBuilder map, Path flasher, String id, String wait, String load, String image) throws IOException {
    int port = TestSupport.freePort();
    map.append("  - id: ").append(id).append('\n')
        .append("    profile: qemu-mps2-an386\n")
        .append("    tags: [standin]\n")
        .append("    console: {kind: tcp, address: \"127.0.0.1:").append(port).append("\"}\n")
        .append("    flasher: {argv: [").append(flasher).append(", \"{workdir}/standin\", \"{board}\", \"").append(port)
        .append("\", \"").append(wait).append("\", ").append(load).append(", \"").append(image).append("\"], timeout_s: 20}\n")
        .append("    boot_timeout_s: 15\n");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    // the stand-in boards run on after their flasher exited, as real boards do: end them here
    Path state = work.resolve("server").resolve("standin");
    if (Files.isDirectory(state)) {
      try (DirectoryStream<Path> pids = Files.newDirectoryStream(state, "*.pid")) {
        for (Path f : pids) {
          long pid = Long.parseLong(Files.readString(f).trim());
          ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
              h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
              h.destroyForcibly();
            }
          });
        }
      }
    }
  }

  @Test
  void jobsPassOnStandInBoardsWhateverTheBootAndImageFormat() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      for (String b : List.of("standin-elf", "standin-bin", "standin-hex", "standin-booted")) {
        JsonObject job = TestSupport.demoJob(b + "-" + round, "qemu-mps2-an386", fw, 4, round).put("board", b)
            .put("max_attempts", 1);
        job.remove("profile");
        assertEquals(202, api.send("POST", "/api/v1/jobs", job.encode().getBytes(), "application/json").status);
        ids.add(job.getString("id"));
      }
    }
    for (String id : ids) {
      JsonObject r = api.awaitResult(id, 120_000);
      assertEquals("done", r.getString("state"), r.encode());
      assertEquals("pass", r.getString("verdict"), r.encode());
      assertEquals(id.substring(0, id.lastIndexOf('-')), r.getString("board"));
      assertEquals(1, r.getInteger("attempts"), r.encode());
    }
    // the flasher got the formats it asked for, kept per board outside the logs (served as text)
    Path bin = work.resolve("server/images/standin-bin");
    Path hex = work.resolve("server/images/standin-hex");
    assertTrue(list(bin).stream().anyMatch(n -> n.endsWith(".bin")), list(bin).toString());
    assertTrue(list(hex).stream().anyMatch(n -> n.endsWith(".hex")), list(hex).toString());
    for (String n : list(hex)) {
      assertTrue(Files.readString(hex.resolve(n)).startsWith(":"), "Intel HEX records start with ':'");
    }
    assertTrue(list(work.resolve("server/logs/standin-bin-0/attempt-1")).stream().noneMatch(n -> n.endsWith(".bin")));
  }

  private static List<String> list(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
