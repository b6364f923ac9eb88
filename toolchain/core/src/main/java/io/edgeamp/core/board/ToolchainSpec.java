package io.edgeamp.core.board;

import java.util.List;

/**
 * How firmware for the board is compiled. YAML: {@code toolchain}.
 *
 * @param cc the C compiler command ({@code arm-none-eabi-gcc}, {@code cl2000})
 * @param cflags compiler flags, one argument per element (never a shell string)
 * @param ldflags linker flags, one argument per element
 * @param linkerScript the linker script, relative to the profile's folder, or null when the profile
 *     ships none (see {@code note})
 * @param runtimePort the device-runtime port ({@code device-runtime/ports/<port>}, the CMake
 *     {@code EDGEAMP_BOARD} value), or null when the board has no port yet
 * @param portabilityCheck a host compiler that also compiles the generated sources, for boards
 *     whose own compiler is not available here; null when {@code cc} itself is used
 * @param note free text for humans (what is missing, where the tools come from), or null
 */
public record ToolchainSpec(
    String cc,
    List<String> cflags,
    List<String> ldflags,
    String linkerScript,
    String runtimePort,
    PortabilityCheck portabilityCheck,
    String note) {

  /** A second compiler run whose only purpose is to catch non-portable C (YAML: {@code portability_check}). */
  public record PortabilityCheck(String cc, List<String> cflags) {
    public PortabilityCheck {
      cflags = List.copyOf(cflags);
    }
  }

  public ToolchainSpec {
    cflags = List.copyOf(cflags);
    ldflags = List.copyOf(ldflags);
  }
}
