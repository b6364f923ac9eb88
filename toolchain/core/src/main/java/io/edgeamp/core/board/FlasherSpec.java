package io.edgeamp.core.board;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How firmware gets onto the board. YAML: {@code flasher}.
 *
 * <p>{@link Kind#QEMU}: nothing is flashed; the firmware runs under QEMU with the command line of the
 * profile's {@link QemuSpec}, and {@code timeoutSeconds} bounds the run. {@link Kind#COMMAND}: {@code
 * argv} is run as a process (no shell), after replacing the placeholders {@code {elf}}, {@code {hex}},
 * {@code {bin}} (the firmware image in that format) and {@code {profile_dir}} (the folder of the profile
 * file) in each argument; it must finish within {@code timeoutSeconds}.
 *
 * @param argv the command template, one argument per element; empty for kind qemu
 */
public record FlasherSpec(Kind kind, List<String> argv, int timeoutSeconds) {

  public enum Kind {
    QEMU("qemu"),
    COMMAND("command");

    private final String yamlName;

    Kind(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }
  }

  /** The placeholders an argv may use. */
  public static final Set<String> PLACEHOLDERS = Set.of("elf", "hex", "bin", "profile_dir");

  /** The placeholders that name the firmware image; a command argv needs at least one. */
  public static final Set<String> IMAGE_PLACEHOLDERS = Set.of("elf", "hex", "bin");

  /** A placeholder: a lower-case word in braces. Anything else in braces is passed through. */
  static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)\\}");

  public FlasherSpec {
    argv = List.copyOf(argv);
  }

  /**
   * The argv with its placeholders replaced.
   *
   * @param values placeholder name (without braces) to value; must cover every placeholder argv uses
   */
  public List<String> expand(Map<String, String> values) {
    if (kind != Kind.COMMAND) throw new IllegalStateException("flasher kind " + kind.yamlName() + " has no argv");
    List<String> out = new ArrayList<>(argv.size());
    for (String a : argv) {
      Matcher m = PLACEHOLDER.matcher(a);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String v = values.get(m.group(1));
        if (v == null) {
          throw new IllegalArgumentException("flasher argument '" + a + "' needs a value for {" + m.group(1)
              + "}; given: " + values.keySet());
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(v));
      }
      m.appendTail(sb);
      out.add(sb.toString());
    }
    return out;
  }

  /** The placeholders argv uses, in order of first use. */
  public List<String> placeholdersUsed() {
    List<String> used = new ArrayList<>();
    for (String a : argv) {
      Matcher m = PLACEHOLDER.matcher(a);
      while (m.find()) if (!used.contains(m.group(1))) used.add(m.group(1));
    }
    return used;
  }
}
