package io.edgeamp.core.board;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One board, as read from {@code board-profiles/<id>.yaml} by {@link BoardProfiles}; the schema is in
 * {@code board-profiles/README.md}. Immutable; every value has been checked.
 *
 * @param source the YAML file it was read from
 * @param clockHz the core clock; for emulated boards, the clock QEMU models for SysTick
 * @param npu the integer path; {@link NpuSpec#ABSENT} when the profile says {@code present: false}
 * @param qemu how to emulate the board; null unless {@code flasher.kind} is qemu
 * @param verified true only for boards that a test actually runs (the emulated ones today)
 */
public record BoardProfile(
    Path source,
    String id,
    String description,
    Core core,
    Fpu fpu,
    long clockHz,
    long flashBytes,
    long ramBytes,
    NpuSpec npu,
    ToolchainSpec toolchain,
    Timer timer,
    ConsoleSpec console,
    FlasherSpec flasher,
    QemuSpec qemu,
    boolean verified,
    CostTable cost) {

  /** The CPU core. YAML: {@code core}. */
  public enum Core {
    CORTEX_M0PLUS("cortex-m0plus", false),
    CORTEX_M3("cortex-m3", false),
    CORTEX_M4("cortex-m4", true),
    CORTEX_M7("cortex-m7", true),
    CORTEX_M33("cortex-m33", true),
    CORTEX_M55("cortex-m55", true),
    C28X("c28x", true);

    private final String yamlName;
    private final boolean mayHaveFpu;

    Core(String yamlName, boolean mayHaveFpu) {
      this.yamlName = yamlName;
      this.mayHaveFpu = mayHaveFpu;
    }

    public String yamlName() {
      return yamlName;
    }

    /** False for cores that never have a floating-point unit (M0+, M3). */
    public boolean mayHaveFpu() {
      return mayHaveFpu;
    }
  }

  /** Hardware floating point. YAML: {@code fpu}: none, sp (single precision), dp (double too). */
  public enum Fpu {
    NONE("none"),
    SP("sp"),
    DP("dp");

    private final String yamlName;

    Fpu(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }
  }

  /**
   * What the firmware's latency counter counts. YAML: {@code timer}. {@code dwt}: the DWT cycle
   * counter (real Cortex-M silicon). {@code systick}: SysTick on the core clock, in cycles. {@code
   * icount}: SysTick under QEMU {@code -icount shift=0}, which counts instructions, never cycles.
   * {@code cputimer}: a C28x CPU timer on SYSCLK, in cycles.
   */
  public enum Timer {
    DWT("dwt"),
    SYSTICK("systick"),
    ICOUNT("icount"),
    CPUTIMER("cputimer");

    private final String yamlName;

    Timer(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }

    /** "instructions" for icount, else "cycles": the unit of latency counts and of the cost table. */
    public String unit() {
      return this == ICOUNT ? "instructions" : "cycles";
    }
  }

  /** True when the board runs under QEMU ({@code flasher.kind: qemu}). */
  public boolean isEmulated() {
    return flasher.kind() == FlasherSpec.Kind.QEMU;
  }

  /** The folder of the profile file (what {@code {profile_dir}} expands to). */
  public Path profileDir() {
    Path parent = source.toAbsolutePath().getParent();
    return parent == null ? Path.of("").toAbsolutePath() : parent;
  }

  /** The linker script resolved against the profile's folder, if the profile names one. */
  public Optional<Path> linkerScript() {
    if (toolchain.linkerScript() == null) return Optional.empty();
    return Optional.of(profileDir().resolve(toolchain.linkerScript()).normalize());
  }
}
