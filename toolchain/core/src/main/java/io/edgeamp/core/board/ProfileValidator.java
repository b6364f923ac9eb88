package io.edgeamp.core.board;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeamp.core.board.BoardProfileException.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks what Jackson bound ({@link ProfileYaml}) and builds the {@link BoardProfile}. Collects every
 * problem with its key path instead of stopping at the first, so one run shows all that is wrong.
 */
final class ProfileValidator {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
  static final List<Integer> NPU_BITS = List.of(2, 4, 8);
  static final List<Integer> COST_BITS = List.of(2, 4, 8, 32);

  private final Path source;
  private final List<Problem> problems = new ArrayList<>();

  ProfileValidator(Path source) {
    this.source = source;
  }

  /** Returns the profile, or throws {@link BoardProfileException} listing every problem. */
  BoardProfile validate(ProfileYaml.Root r) {
    BoardProfile p = build(r);
    if (!problems.isEmpty()) throw new BoardProfileException(source.toString(), problems);
    return p;
  }

  private void err(String path, String message) {
    problems.add(new Problem(path, message));
  }

  private <T> T required(String path, T value, String what) {
    if (value == null) err(path, "missing; add it (" + what + ")");
    return value;
  }

  private String requiredText(String path, String value, String what) {
    if (value == null) {
      err(path, "missing; add it (" + what + ")");
    } else if (value.isBlank()) {
      err(path, "is empty; give " + what);
      return null;
    }
    return value;
  }

  private <E extends Enum<E>> E oneOf(String path, String value, Class<E> type, Function<E, String> name, String what) {
    if (requiredText(path, value, what) == null) return null;
    for (E e : type.getEnumConstants()) if (name.apply(e).equals(value)) return e;
    err(path, "'" + value + "' is not one of "
        + Arrays.stream(type.getEnumConstants()).map(name).collect(Collectors.joining(", ")));
    return null;
  }

  private long positive(String path, Long v, String what) {
    if (required(path, v, what) == null) return 0;
    if (v <= 0) err(path, v + " must be positive (" + what + ")");
    return v;
  }

  private long nonNegative(String path, Long v, String what) {
    if (required(path, v, what) == null) return 0;
    if (v < 0) err(path, v + " is negative; give " + what);
    return v;
  }

  private List<String> stringList(String path, List<String> v, boolean required, String what) {
    if (v == null) {
      if (required) err(path, "missing; add it (" + what + ")");
      return List.of();
    }
    for (int i = 0; i < v.size(); i++) {
      if (v.get(i) == null || v.get(i).isEmpty()) err(path + "[" + i + "]", "is empty; every element must be a non-empty string");
    }
    return v.stream().map(s -> s == null ? "" : s).collect(Collectors.toList());
  }

  private BoardProfile build(ProfileYaml.Root r) {
    String id = requiredText("id", r.id, "the board id, which is also the file name without .yaml");
    if (id != null) {
      if (!ID.matcher(id).matches()) {
        err("id", "'" + id + "' is not a valid id; use lower-case letters, digits and '-' (e.g. nucleo-f446re)");
      }
      String fileName = source.getFileName() == null ? "" : source.getFileName().toString();
      String expected = fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - 5) : fileName;
      if (!id.equals(expected)) {
        err("id", "'" + id + "' does not match the file name " + fileName + "; rename the file to " + id
            + ".yaml or set id: " + expected);
      }
    }
    String description = requiredText("description", r.description, "one line saying what the board is");
    BoardProfile.Core core = oneOf("core", r.core, BoardProfile.Core.class, BoardProfile.Core::yamlName, "the CPU core");
    BoardProfile.Fpu fpu = oneOf("fpu", r.fpu, BoardProfile.Fpu.class, BoardProfile.Fpu::yamlName,
        "the hardware floating point: none, sp or dp");
    if (core != null && fpu != null && !core.mayHaveFpu() && fpu != BoardProfile.Fpu.NONE) {
      err("fpu", core.yamlName() + " has no FPU; set fpu: none");
    }
    long clockHz = positive("clock_hz", r.clockHz, "the core clock in Hz, e.g. 64000000");
    long flash = nonNegative("flash_bytes", r.flashBytes, "the code memory size in bytes");
    long ram = nonNegative("ram_bytes", r.ramBytes, "the data memory size in bytes");
    NpuSpec npu = npu(r.npu);
    ToolchainSpec toolchain = toolchain(r.toolchain);
    BoardProfile.Timer timer = oneOf("timer", r.timer, BoardProfile.Timer.class, BoardProfile.Timer::yamlName,
        "what the latency counter counts");
    ConsoleSpec console = console(r.console);
    FlasherSpec flasher = flasher(r.flasher);
    QemuSpec qemu = r.qemu == null ? null : qemu(r.qemu);
    if (flasher != null) {
      if (flasher.kind() == FlasherSpec.Kind.QEMU && r.qemu == null) {
        err("qemu", "missing; a board with flasher.kind qemu needs a qemu section {machine, cpu, extra_args}");
      }
      if (flasher.kind() == FlasherSpec.Kind.COMMAND && r.qemu != null) {
        err("qemu", "only used when flasher.kind is qemu; remove the qemu section or set flasher.kind: qemu");
      }
    }
    if (timer == BoardProfile.Timer.ICOUNT) {
      if (flasher != null && flasher.kind() != FlasherSpec.Kind.QEMU) {
        err("timer", "icount only exists under QEMU; a real board uses dwt, systick or cputimer");
      } else if (qemu != null && !qemu.usesIcount()) {
        err("qemu.extra_args", "timer is icount but the QEMU arguments lack -icount (add -icount, shift=0)");
      }
    }
    Boolean verified = required("verified", r.verified, "true only if a test runs this board");
    CostTable cost = cost(r.cost, npu, timer);
    if (!problems.isEmpty()) return null;
    return new BoardProfile(source, id, description, core, fpu, clockHz, flash, ram, npu, toolchain, timer,
        console, flasher, qemu, verified, cost);
  }

  private NpuSpec npu(ProfileYaml.Npu n) {
    if (required("npu", n, "the integer path: present, implementation, bits, requant_mult_bits, channel_multiple") == null) {
      return null;
    }
    Boolean present = required("npu.present", n.present, "true if the board runs 2/4/8-bit layers");
    if (present == null) return null;
    if (!present) {
      if (n.bits != null && !n.bits.isEmpty()) err("npu.bits", "must be absent or empty when npu.present is false");
      return NpuSpec.ABSENT;
    }
    NpuSpec.Implementation impl = oneOf("npu.implementation", n.implementation, NpuSpec.Implementation.class,
        NpuSpec.Implementation::yamlName, "what runs the integer layers");
    List<Integer> bits = new ArrayList<>();
    if (required("npu.bits", n.bits, "a list of weight bit widths from 2, 4, 8") != null) {
      if (n.bits.isEmpty()) err("npu.bits", "is empty; list the weight bit widths the NPU runs, from 2, 4, 8");
      for (int i = 0; i < n.bits.size(); i++) {
        Integer b = n.bits.get(i);
        if (b == null || !NPU_BITS.contains(b)) {
          err("npu.bits[" + i + "]", b + " is not one of 2, 4, 8");
        } else if (bits.contains(b)) {
          err("npu.bits[" + i + "]", b + " is listed twice");
        } else {
          bits.add(b);
        }
      }
    }
    Map<Integer, Integer> mult = requantMultBits(n.requantMultBits, bits);
    int channelMultiple = 1;
    if (required("npu.channel_multiple", n.channelMultiple, "1 for any channel count, e.g. 4 for multiples of 4") != null) {
      channelMultiple = n.channelMultiple;
      if (channelMultiple < 1 || channelMultiple > 1024) {
        err("npu.channel_multiple", channelMultiple + " is outside 1..1024");
        channelMultiple = 1;
      }
    }
    NpuLimits limits = limits(n.limits, bits);
    return new NpuSpec(true, impl, bits, mult, channelMultiple, limits);
  }

  private Map<Integer, Integer> requantMultBits(JsonNode node, List<Integer> bits) {
    String path = "npu.requant_mult_bits";
    Map<Integer, Integer> out = new TreeMap<>();
    if (node == null || node.isNull()) {
      err(path, "missing; add it (the multiplier width 1..31, or one per bit width like {2: 8, 4: 8, 8: 1})");
      return out;
    }
    if (node.isIntegralNumber()) {
      int v = node.asInt();
      if (!node.canConvertToInt() || v < 1 || v > 31) {
        err(path, node.asText() + " is outside 1..31 (1 = power-of-two scales only, 31 = a 31-bit multiplier)");
      }
      for (int b : bits) out.put(b, v);
      return out;
    }
    if (!node.isObject()) {
      err(path, "expected an integer 1..31 or a mapping bit width -> integer, got " + describe(node));
      return out;
    }
    var fields = node.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      String kp = path + "." + e.getKey();
      Integer b = parseInt(e.getKey());
      if (b == null || !bits.contains(b)) {
        err(kp, "key " + e.getKey() + " is not one of the npu.bits " + bits);
        continue;
      }
      JsonNode v = e.getValue();
      if (!v.isIntegralNumber()) {
        err(kp, "expected an integer 1..31, got " + describe(v));
      } else if (!v.canConvertToInt() || v.asInt() < 1 || v.asInt() > 31) {
        err(kp, v.asText() + " is outside 1..31");
      } else {
        out.put(b, v.asInt());
      }
    }
    for (int b : bits) {
      if (!out.containsKey(b) && !node.has(String.valueOf(b))) {
        err(path, "has no entry for " + b + "-bit weights; add " + b + ": <1..31>");
      }
    }
    return out;
  }

  private static Integer parseInt(String s) {
    try {
      return Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String describe(JsonNode n) {
    if (n.isTextual()) return "'" + n.asText() + "'";
    if (n.isArray()) return "a list";
    if (n.isObject()) return "a mapping";
    if (n.isBoolean()) return n.asText();
    if (n.isNumber()) return n.asText();
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private NpuLimits limits(ProfileYaml.Limits l, List<Integer> bits) {
    if (l == null) return NpuLimits.NONE;
    Map<Integer, Integer> fc = perBits("npu.limits.fc_min_fan_in", l.fcMinFanIn, bits, 1, 1 << 20);
    OptionalInt pool = OptionalInt.empty();
    if (l.maxPoolKernel != null) {
      if (l.maxPoolKernel < 1) err("npu.limits.max_pool_kernel", l.maxPoolKernel + " must be at least 1");
      else pool = OptionalInt.of(l.maxPoolKernel);
    }
    OptionalInt shift = OptionalInt.empty();
    if (l.maxRequantShift != null) {
      if (l.maxRequantShift < 0 || l.maxRequantShift > 63) err("npu.limits.max_requant_shift", l.maxRequantShift + " is outside 0..63");
      else shift = OptionalInt.of(l.maxRequantShift);
    }
    Map<Integer, Integer> bias = perBits("npu.limits.bias_bits", l.biasBits, bits, 8, 32);
    boolean single = l.convSingleInputChannel != null && l.convSingleInputChannel;
    return new NpuLimits(fc, pool, shift, bias, single);
  }

  private Map<Integer, Integer> perBits(String path, Map<Integer, Integer> m, List<Integer> bits, int lo, int hi) {
    Map<Integer, Integer> out = new TreeMap<>();
    if (m == null) return out;
    m.forEach((b, v) -> {
      String kp = path + "." + b;
      if (!bits.contains(b)) err(kp, "key " + b + " is not one of the npu.bits " + bits);
      else if (v == null) err(kp, "has no value; give an integer " + lo + ".." + hi);
      else if (v < lo || v > hi) err(kp, v + " is outside " + lo + ".." + hi);
      else out.put(b, v);
    });
    return out;
  }

  private ToolchainSpec toolchain(ProfileYaml.Toolchain t) {
    if (required("toolchain", t, "cc, cflags, ldflags, linker_script") == null) return null;
    String cc = requiredText("toolchain.cc", t.cc, "the C compiler command, e.g. arm-none-eabi-gcc");
    List<String> cflags = stringList("toolchain.cflags", t.cflags, true, "a list of compiler flags, one per element");
    List<String> ldflags = stringList("toolchain.ldflags", t.ldflags, true, "a list of linker flags, one per element");
    if (t.linkerScript != null && t.linkerScript.isBlank()) err("toolchain.linker_script", "is empty; give a path or remove the key");
    if (t.runtimePort != null && !ID.matcher(t.runtimePort).matches()) {
      err("toolchain.runtime_port", "'" + t.runtimePort + "' is not a device-runtime port name (a folder of device-runtime/ports)");
    }
    ToolchainSpec.PortabilityCheck pc = null;
    if (t.portabilityCheck != null) {
      String pcc = requiredText("toolchain.portability_check.cc", t.portabilityCheck.cc, "the host compiler, e.g. gcc");
      List<String> pfl = stringList("toolchain.portability_check.cflags", t.portabilityCheck.cflags, true,
          "the host compiler flags, e.g. [-std=c99, -Wall, -Wextra, -Werror]");
      if (pcc != null) pc = new ToolchainSpec.PortabilityCheck(pcc, pfl);
    }
    return new ToolchainSpec(cc, cflags, ldflags, t.linkerScript, t.runtimePort, pc, t.note);
  }

  private ConsoleSpec console(ProfileYaml.Console c) {
    if (required("console", c, "the harness UART: {uart, baud}") == null) return null;
    String uart = requiredText("console.uart", c.uart, "the UART's name on the board, e.g. UART0");
    int baud = 0;
    if (required("console.baud", c.baud, "the baud rate, e.g. 115200") != null) {
      baud = c.baud;
      if (baud <= 0) err("console.baud", baud + " must be positive, e.g. 115200");
    }
    return new ConsoleSpec(uart, baud);
  }

  private FlasherSpec flasher(ProfileYaml.Flasher f) {
    if (required("flasher", f, "{kind: qemu|command, argv, timeout_s}") == null) return null;
    FlasherSpec.Kind kind = oneOf("flasher.kind", f.kind, FlasherSpec.Kind.class, FlasherSpec.Kind::yamlName,
        "qemu or command");
    int timeout = 0;
    if (required("flasher.timeout_s", f.timeoutS, "seconds before the flash (or QEMU run) is abandoned, e.g. 60") != null) {
      timeout = f.timeoutS;
      if (timeout < 1 || timeout > 3600) err("flasher.timeout_s", timeout + " is outside 1..3600");
    }
    List<String> argv = List.of();
    if (kind == FlasherSpec.Kind.COMMAND) {
      argv = stringList("flasher.argv", f.argv, true,
          "the flash command as a list of arguments with {elf}, {hex} or {bin}, e.g. [openocd, -f, ...]");
      if (f.argv != null && f.argv.isEmpty()) err("flasher.argv", "is empty; give the flash command as a list of arguments");
      Set<String> used = new HashSet<>();
      for (int i = 0; i < argv.size(); i++) {
        Matcher m = FlasherSpec.PLACEHOLDER.matcher(argv.get(i));
        while (m.find()) {
          String name = m.group(1);
          if (!FlasherSpec.PLACEHOLDERS.contains(name)) {
            err("flasher.argv[" + i + "]", "unknown placeholder {" + name + "}; known: "
                + FlasherSpec.PLACEHOLDERS.stream().sorted().map(s -> "{" + s + "}").collect(Collectors.joining(", ")));
          }
          used.add(name);
        }
      }
      if (!argv.isEmpty() && used.stream().noneMatch(FlasherSpec.IMAGE_PLACEHOLDERS::contains)) {
        err("flasher.argv", "never names the firmware; put {elf}, {hex} or {bin} in one of the arguments");
      }
    } else if (kind == FlasherSpec.Kind.QEMU && f.argv != null) {
      err("flasher.argv", "not used with kind qemu (the command comes from the qemu section); remove it");
    }
    if (kind == null) return null;
    return new FlasherSpec(kind, argv, timeout);
  }

  private QemuSpec qemu(ProfileYaml.Qemu q) {
    String binary = q.binary == null ? "qemu-system-arm" : requiredText("qemu.binary", q.binary, "the QEMU executable");
    String machine = requiredText("qemu.machine", q.machine, "the -M machine, e.g. mps2-an386");
    String cpu = requiredText("qemu.cpu", q.cpu, "the -cpu model, e.g. cortex-m4");
    List<String> extra = stringList("qemu.extra_args", q.extraArgs, false, "");
    return new QemuSpec(binary, machine, cpu, extra);
  }

  private CostTable cost(ProfileYaml.Cost c, NpuSpec npu, BoardProfile.Timer timer) {
    if (required("cost", c, "the latency model: source, unit, layer_overhead, per_mac, bytes_per_weight") == null) return null;
    CostTable.Source source = oneOf("cost.source", c.source, CostTable.Source.class, CostTable.Source::yamlName,
        "estimate or measured");
    String unit = requiredText("cost.unit", c.unit, "cycles or instructions");
    if (unit != null && !unit.equals("cycles") && !unit.equals("instructions")) {
      err("cost.unit", "'" + unit + "' is not one of cycles, instructions");
    } else if (unit != null && timer != null && !unit.equals(timer.unit())) {
      err("cost.unit", "'" + unit + "' but timer " + timer.yamlName() + " counts " + timer.unit() + "; use unit: " + timer.unit());
    }
    double overhead = 0;
    if (required("cost.layer_overhead", c.layerOverhead, "the fixed time per layer, in cost.unit") != null) {
      overhead = c.layerOverhead;
      if (overhead < 0) err("cost.layer_overhead", overhead + " is negative");
    }
    List<Integer> needed = new ArrayList<>(npu == null ? List.of() : npu.bits());
    needed.add(CostTable.FLOAT_BITS);
    Map<LayerKind, Map<Integer, Double>> perMac = kindTable("cost.per_mac", c.perMac, true);
    for (LayerKind k : CostTable.MAC_KINDS) {
      Map<Integer, Double> row = perMac.get(k);
      if (row == null) {
        if (c.perMac != null) err("cost.per_mac", "has no row for " + k + "; add " + k + ": {bits: cost per MAC}");
        continue;
      }
      for (int b : needed) {
        if (!row.containsKey(b)) err("cost.per_mac." + k, "has no entry for " + b + " bits; add " + b + ": <cost per MAC>");
      }
    }
    Map<LayerKind, Map<Integer, Double>> perIn = kindTable("cost.per_input_element", c.perInputElement, false);
    Map<Integer, Double> bpw = new TreeMap<>();
    if (required("cost.bytes_per_weight", c.bytesPerWeight, "bytes per stored weight per bit width, e.g. {4: 0.5, 8: 1, 32: 4}") != null) {
      c.bytesPerWeight.forEach((b, v) -> {
        String kp = "cost.bytes_per_weight." + b;
        if (!COST_BITS.contains(b)) err(kp, "key " + b + " is not one of 2, 4, 8, 32");
        else if (v == null || v <= 0) err(kp, v + " must be positive");
        else bpw.put(b, v);
      });
      for (int b : needed) {
        if (!c.bytesPerWeight.containsKey(b)) err("cost.bytes_per_weight", "has no entry for " + b + " bits");
      }
    }
    return new CostTable(source, unit, overhead, perMac, perIn, bpw, c.note);
  }

  private Map<LayerKind, Map<Integer, Double>> kindTable(String path, Map<String, Map<Integer, Double>> m, boolean required) {
    Map<LayerKind, Map<Integer, Double>> out = new EnumMap<>(LayerKind.class);
    if (m == null) {
      if (required) err(path, "missing; add it (per layer kind, the cost per bit width, e.g. conv: {8: 2.0, 32: 4.0})");
      return out;
    }
    for (Map.Entry<String, Map<Integer, Double>> e : new LinkedHashMap<>(m).entrySet()) {
      String kp = path + "." + e.getKey();
      LayerKind k = LayerKind.fromYamlName(e.getKey());
      if (k == null || !e.getKey().equals(k.yamlName())) {
        err(kp, "unknown layer kind '" + e.getKey() + "'; known kinds: " + LayerKind.names());
        continue;
      }
      if (e.getValue() == null) {
        err(kp, "has no entries; give {bits: cost}");
        continue;
      }
      Map<Integer, Double> row = new TreeMap<>();
      e.getValue().forEach((b, v) -> {
        if (!COST_BITS.contains(b)) err(kp + "." + b, "key " + b + " is not one of 2, 4, 8, 32");
        else if (v == null || v < 0) err(kp + "." + b, v + " must be a non-negative number");
        else row.put(b, v);
      });
      out.put(k, row);
    }
    return out;
  }
}
