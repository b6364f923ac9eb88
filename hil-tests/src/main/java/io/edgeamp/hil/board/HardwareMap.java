package io.edgeamp.hil.board;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeamp.hil.Ids;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lab's real boards (YAML). Unknown keys are errors, like the board profiles'.
 *
 * <pre>
 * boards:
 *   - id: nucleo-f446-1
 *     profile: nucleo-f446re
 *     tags: [m4, bench-a]
 *     console: {kind: tcp, address: "127.0.0.1:7001"}      # or {kind: device, device: /dev/ttyACM0}
 *     flasher: {argv: [openocd, -f, board.cfg, -c, "program {elf} verify reset exit"], timeout_s: 60}
 *     boot_timeout_s: 10                                  # optional; default: the job's boot_s
 *     health: {argv: [probe-rs, info], timeout_s: 10}     # optional; exit 0 = healthy
 *     build_board: mps2-an386                             # EDGEAMP_BOARD for CMake builds (optional)
 *     fixtures: {power: "relay-3"}                         # free-form, reported by the API
 * </pre>
 * Flasher and health argv run without a shell; {elf}, {board} and {workdir} are substituted.
 */
public final class HardwareMap {
  public List<Entry> boards = new ArrayList<>();

  public static final class Entry {
    public String id;
    public String profile;
    public List<String> tags = new ArrayList<>();
    public Console console;
    public Command flasher;
    public Command health;
    /** Seconds from the flasher's exit until the harness answers; null: the job's boot_s. */
    @JsonProperty("boot_timeout_s")
    public Integer bootTimeoutS;
    @JsonProperty("build_board")
    public String buildBoard;
    public Map<String, Object> fixtures = new LinkedHashMap<>();
  }

  public static final class Console {
    /** tcp (a serial-to-TCP bridge such as ser2net) or device (a tty path already configured). */
    public String kind;
    public String address;
    public String device;
  }

  public static final class Command {
    public List<String> argv = new ArrayList<>();
    @JsonProperty("timeout_s")
    public int timeoutS = 60;
  }

  /**
   * Reads and checks the file. Every problem is an {@link IllegalArgumentException} naming the file and
   * the key (the CLI prints it as one line and exits 2), read before the server creates anything.
   */
  public static HardwareMap load(Path file) {
    HardwareMap map = HardwareMapYaml.read(file);
    map.validate(file);
    return map;
  }

  void validate(Path file) {
    if (boards == null) {
      throw new IllegalArgumentException("hardware map " + file + ": boards: expected a list of boards, got nothing");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < boards.size(); i++) {
      Entry e = boards.get(i);
      if (e == null) {
        throw new IllegalArgumentException("hardware map " + file + ": boards[" + i + "]: empty entry; a board needs id, profile,"
            + " console and flasher");
      }
      String where = "hardware map " + file + ": board " + e.id + " (boards[" + i + "])";
      if (!Ids.isId(e.id)) {
        throw new IllegalArgumentException(where + ": id: missing or invalid; use letters, digits, '.', '_', '-' (no '..')");
      }
      if (e.tags == null) {
        e.tags = new ArrayList<>();
      }
      if (!ids.add(e.id)) {
        throw new IllegalArgumentException(where + ": duplicate id");
      }
      if (e.profile == null || !Ids.isId(e.profile)) {
        throw new IllegalArgumentException(where + ": missing or invalid profile");
      }
      if (e.flasher == null || e.flasher.argv.isEmpty()) {
        throw new IllegalArgumentException(where + ": flasher.argv is required");
      }
      if (e.console == null || !("tcp".equals(e.console.kind) || "device".equals(e.console.kind))) {
        throw new IllegalArgumentException(where + ": console.kind must be tcp or device");
      }
      if ("tcp".equals(e.console.kind) && (e.console.address == null || !e.console.address.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d+"))) {
        throw new IllegalArgumentException(where + ": console.address must be host:port");
      }
      if ("device".equals(e.console.kind) && (e.console.device == null || !e.console.device.startsWith("/dev/"))) {
        throw new IllegalArgumentException(where + ": console.device must be a /dev path");
      }
      if (e.bootTimeoutS != null && (e.bootTimeoutS < 1 || e.bootTimeoutS > 86_400)) {
        throw new IllegalArgumentException(where + ": boot_timeout_s must be 1..86400 seconds, got " + e.bootTimeoutS);
      }
    }
  }
}
