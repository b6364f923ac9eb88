package io.edgeamp.hil.suite;

import io.vertx.core.json.JsonArray;
import java.nio.file.Path;

/**
 * The build step of a suite case: firmware ELF and test vectors for one entry on one board profile.
 * {@code firmware: demo} is {@link DemoFirmwareBuilder}; {@code firmware: codegen} is wired by the CLI
 * (quantize -> codegen -> CMake), which owns the toolchain commands.
 */
public interface FirmwareBuilder {
  /** What a build produced: the ELF, the job's vectors ({input, expected?, label?}), the model name to expect (or null). */
  final class Built {
    public final Path elf;
    public final JsonArray vectors;
    public final String model;

    public Built(Path elf, JsonArray vectors, String model) {
      this.elf = elf;
      this.vectors = vectors;
      this.model = model;
    }
  }

  Built build(Suite suite, Suite.Case c, Path workDir) throws Exception;
}
