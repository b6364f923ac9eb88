package io.edgeamp.hil.board;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.edgeamp.core.board.BoardProfiles;
import io.edgeamp.hil.Ids;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's real boards (YAML). Unknown keys are errors, like the board profiles'. The format, every
 * key, is documented in hil-tests/README.md ("Hardware map").
 *
 * <pre>
 * boards:
 *   - id: nucleo-f446-1
 *     profile: nucleo-f446re
 *     tags: [m4, bench-a]
 *     console: {kind: tcp, address: "127.0.0.1:7001"}      # or {kind: device, device: /dev/ttyACM0}
 *     flasher: {argv: [st-flash, --reset, write, "{bin}", "0x08000000"], timeout_s: 60}
 *     boot_timeout_s: 10                                  # optional; default: the job's boot_s
 *     health: {argv: [st-info, --probe], timeout_s: 10}   # optional; exit 0 = healthy
 *     build_board: mps2-an386                             # EDGEAMP_BOARD for CMake builds (optional)
 *     fixtures: {power: "relay-3"}                         # free-form, reported by the API
 * </pre>
 * Flasher and health argv run without a shell. Flasher placeholders: {elf}, {bin}, {hex} (the firmware
 * as ELF, raw binary, Intel HEX), {board}, {workdir}; health placeholders: {board}, {workdir}.
 */
public final class HardwareMap {
  /** A placeholder: a lower-case word in braces (as in board profiles' flasher argv). */
  public static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)\\}");
  public static final List<String> FLASHER_PLACEHOLDERS = List.of("elf", "bin", "hex", "board", "workdir");
  public static final List<String> HEALTH_PLACEHOLDERS = List.of("board", "workdir");
  /** The firmware image placeholders; a flasher argv needs one, a health argv has none to give. */
  public static final List<String> IMAGE_PLACEHOLDERS = List.of("elf", "bin", "hex");
  static final int MAX_TIMEOUT_S = 86_400;

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
   * Reads and checks the file on its own: syntax, keys, types, ids, console, placeholders, timeouts.
   * Every problem is an {@link IllegalArgumentException} naming the file, the board and the key.
   */
  public static HardwareMap load(Path file) {
    HardwareMap map = HardwareMapYaml.read(file);
    map.validate(file);
    return map;
  }

  /**
   * {@link #load} plus what the server's host must have for it: each board's profile in a
   * board-profiles folder ($EDGEAMP_HOME/board-profiles, ./board-profiles), the flasher and health
   * programs, and arm-none-eabi-objcopy when an argv asks for {bin} or {hex}. The server calls this
   * before it creates anything, so a bad map leaves no work dir behind.
   */
  public static HardwareMap loadForServer(Path file) {
    HardwareMap map = load(file);
    new HardwareMapHostCheck(file, BoardProfiles.standard(), System.getenv("PATH")).check(map);
    return map;
  }

  /** The placeholders an argument uses, without braces, in order. */
  public static List<String> placeholders(String arg) {
    List<String> out = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(arg);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** "hardware map lab.yaml: board nucleo-1 (boards[0])". */
  static String where(Path file, int index, Entry e) {
    return "hardware map " + file + ": board " + (e == null || e.id == null ? "#" + (index + 1) : e.id) + " (boards[" + index + "])";
  }

  void validate(Path file) {
    if (boards == null) {
      throw new IllegalArgumentException("hardware map " + file + ": boards: expected a list of boards, got nothing");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < boards.size(); i++) {
      Entry e = boards.get(i);
      String where = where(file, i, e);
      if (e == null) {
        throw new IllegalArgumentException(where + ": empty entry; a board needs id, profile, console and flasher");
      }
      if (!Ids.isId(e.id)) {
        throw new IllegalArgumentException(where + ": id: " + (e.id == null ? "missing" : "'" + e.id + "' is not a valid id")
            + "; use letters, digits, '.', '_', '-' (no '..'), starting with a letter or digit");
      }
      if (!ids.add(e.id)) {
        throw new IllegalArgumentException(where + ": id: duplicate; another board above has id " + e.id);
      }
      if (!Ids.isId(e.profile)) {
        throw new IllegalArgumentException(where + ": profile: " + (e.profile == null ? "missing" : "'" + e.profile + "' is not a valid id")
            + "; name a board profile, e.g. profile: nucleo-f446re (board-profiles/nucleo-f446re.yaml)");
      }
      if (e.buildBoard != null && !Ids.isId(e.buildBoard)) {
        throw new IllegalArgumentException(where + ": build_board: '" + e.buildBoard + "' is not a valid board name");
      }
      if (e.tags == null) {
        e.tags = new ArrayList<>();
      }
      for (String t : e.tags) {
        if (!Ids.isId(t)) {
          throw new IllegalArgumentException(where + ": tags: '" + t + "' is not a valid tag (letters, digits, '.', '_', '-')");
        }
      }
      checkConsole(where, e.console);
      if (e.flasher == null) {
        throw new IllegalArgumentException(where + ": flasher: missing; e.g. flasher: {argv: [st-flash, write, \"{bin}\", \"0x08000000\"], timeout_s: 60}");
      }
      checkCommand(where, "flasher", e.flasher, FLASHER_PLACEHOLDERS);
      if (e.flasher.argv.stream().flatMap(a -> placeholders(a).stream()).noneMatch(IMAGE_PLACEHOLDERS::contains)) {
        throw new IllegalArgumentException(where + ": flasher.argv: names no firmware image; pass it with {elf}, {bin} or {hex}");
      }
      if (e.health != null) {
        checkCommand(where, "health", e.health, HEALTH_PLACEHOLDERS);
      }
      if (e.bootTimeoutS != null) {
        checkTimeout(where, "boot_timeout_s", e.bootTimeoutS);
      }
    }
  }

  private static void checkConsole(String where, Console c) {
    if (c == null) {
      throw new IllegalArgumentException(where + ": console: missing; e.g. console: {kind: tcp, address: \"127.0.0.1:7001\"}"
          + " or console: {kind: device, device: /dev/ttyACM0}");
    }
    if ("tcp".equals(c.kind)) {
      Matcher m = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:(\\d{1,5})").matcher(c.address == null ? "" : c.address);
      if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535) {
        throw new IllegalArgumentException(where + ": console.address: " + (c.address == null ? "missing" : "'" + c.address + "'")
            + "; a tcp console needs host:port, e.g. address: \"127.0.0.1:7001\"");
      }
      if (c.device != null) {
        throw new IllegalArgumentException(where + ": console.device: only for kind device; remove it or set kind: device");
      }
    } else if ("device".equals(c.kind)) {
      if (c.device == null || !c.device.startsWith("/dev/")) {
        throw new IllegalArgumentException(where + ": console.device: " + (c.device == null ? "missing" : "'" + c.device + "'")
            + "; a device console needs a /dev path, e.g. device: /dev/ttyACM0");
      }
      if (c.address != null) {
        throw new IllegalArgumentException(where + ": console.address: only for kind tcp; remove it or set kind: tcp");
      }
    } else {
      throw new IllegalArgumentException(where + ": console.kind: " + (c.kind == null ? "missing" : "'" + c.kind + "'")
          + "; must be tcp (a serial-to-TCP bridge such as ser2net) or device (a tty such as /dev/ttyACM0)");
    }
  }

  private static void checkCommand(String where, String key, Command c, List<String> known) {
    if (c.argv == null || c.argv.isEmpty()) {
      throw new IllegalArgumentException(where + ": " + key + ".argv: missing or empty; give the program and its arguments as a list");
    }
    for (int i = 0; i < c.argv.size(); i++) {
      String a = c.argv.get(i);
      if (a == null || (i == 0 && a.isBlank())) {
        throw new IllegalArgumentException(where + ": " + key + ".argv[" + i + "]: empty; remove it or give a value");
      }
      for (String p : placeholders(a)) {
        if (!known.contains(p)) {
          throw new IllegalArgumentException(where + ": " + key + ".argv[" + i + "] '" + a + "': "
              + (IMAGE_PLACEHOLDERS.contains(p) ? "{" + p + "} has no value here (a health check runs without firmware)"
                  : "unknown placeholder {" + p + "}")
              + "; known: " + String.join(", ", known.stream().map(s -> "{" + s + "}").toList()));
        }
      }
    }
    checkTimeout(where, key + ".timeout_s", c.timeoutS);
  }

  private static void checkTimeout(String where, String key, int s) {
    if (s < 1 || s > MAX_TIMEOUT_S) {
      throw new IllegalArgumentException(where + ": " + key + ": " + s + " is out of range; give whole seconds from 1 to " + MAX_TIMEOUT_S);
    }
  }
}
