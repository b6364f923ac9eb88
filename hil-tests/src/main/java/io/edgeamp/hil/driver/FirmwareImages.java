package io.edgeamp.hil.driver;

import io.edgeamp.hil.HilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The firmware in the formats real flashers take: st-flash writes a raw binary ({bin}), nrfjprog an
 * Intel HEX file ({hex}); both are made from the job's ELF with arm-none-eabi-objcopy, and only when
 * the flasher's argv asks for them.
 */
public final class FirmwareImages {
  public static final String OBJCOPY = "arm-none-eabi-objcopy";
  private static final int TIMEOUT_S = 60;

  private FirmwareImages() {}

  /**
   * The image for a placeholder: the ELF itself for "elf", else a file made in imageDir
   * ({@code <name>.bin}, {@code <name>.hex}; flashers such as nrfjprog go by the extension), with
   * objcopy's output in logDir.
   */
  public static Path image(String placeholder, Path elf, Path imageDir, Path logDir) throws IOException {
    switch (placeholder) {
      case "elf":
        return elf;
      case "bin":
        return convert(elf, "binary", imageDir.resolve(baseName(elf) + ".bin"), logDir);
      case "hex":
        return convert(elf, "ihex", imageDir.resolve(baseName(elf) + ".hex"), logDir);
      default:
        throw new IllegalArgumentException("not a firmware image placeholder: {" + placeholder + "}");
    }
  }

  private static Path convert(Path elf, String format, Path out, Path logDir) throws IOException {
    Files.createDirectories(out.getParent());
    Path log = logDir.resolve("objcopy.log");
    List<String> argv = List.of(OBJCOPY, "-O", format, elf.toString(), out.toString());
    int rc;
    try {
      rc = CommandDriver.run(argv, TIMEOUT_S, log);
    } catch (HarnessClient.BoardLostException e) {
      throw new HilException(500, OBJCOPY + " -O " + format + " did not finish: " + e.getMessage());
    } catch (IOException e) {
      // the server's host lost the tool since the hardware map was checked: not the board's fault
      throw new HilException(500, "cannot run " + OBJCOPY + " to make the flasher's " + format + " image (" + e.getMessage()
          + "); install it (Debian: apt-get install binutils-arm-none-eabi)");
    }
    if (rc != 0) {
      throw new HilException(400, OBJCOPY + " -O " + format + " " + elf.getFileName() + " exited with " + rc + ": "
          + CommandDriver.lastLines(log) + " (the firmware is not an ELF objcopy can convert)");
    }
    return out;
  }

  private static String baseName(Path elf) {
    String n = elf.getFileName().toString();
    return n.endsWith(".elf") ? n.substring(0, n.length() - 4) : n;
  }
}
