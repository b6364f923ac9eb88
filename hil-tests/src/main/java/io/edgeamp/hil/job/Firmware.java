package io.edgeamp.hil.job;

import io.edgeamp.hil.HilConfig;
import io.edgeamp.hil.HilException;
import io.edgeamp.hil.Ids;
import io.edgeamp.hil.board.Board;
import io.edgeamp.hil.driver.CommandDriver;
import io.edgeamp.hil.store.HilStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Firmware images: uploads are stored content-addressed under work/firmware/ (id = fw-<sha256 prefix>),
 * paths are confined to the work directory, CMake sources to the work directory or configured source
 * roots, and builds go to work/builds/. All blocking.
 */
public final class Firmware {
  private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};
  private final HilConfig cfg;
  private final HilStore store;
  private final Map<Path, Object> buildLocks = new ConcurrentHashMap<>();

  public Firmware(HilConfig cfg, HilStore store) {
    this.cfg = cfg;
    this.store = store;
  }

  /** Stores an uploaded ELF; returns its id (the same bytes always get the same id). */
  public String upload(byte[] elf) {
    if (elf.length < 52 || elf[0] != ELF_MAGIC[0] || elf[1] != ELF_MAGIC[1] || elf[2] != ELF_MAGIC[2] || elf[3] != ELF_MAGIC[3]) {
      throw new HilException(400, "firmware is not an ELF file");
    }
    if (elf.length > cfg.maxUploadBytes) {
      throw new HilException(413, "firmware larger than " + cfg.maxUploadBytes + " bytes");
    }
    String sha = sha256(elf);
    String id = "fw-" + sha.substring(0, 24);
    try {
      Path dir = Files.createDirectories(cfg.workDir.resolve("firmware"));
      Path target = dir.resolve(id + ".elf");
      if (!Files.exists(target)) {
        Path tmp = dir.resolve(id + ".tmp");
        Files.write(tmp, elf);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      store.putFirmware(id, "firmware/" + id + ".elf", sha, elf.length);
    } catch (IOException e) {
      throw new HilException(500, "cannot store firmware: " + e.getMessage(), e);
    }
    return id;
  }

  /**
   * Checks the firmware reference of a submission and makes it durable: inline ELF bytes are stored
   * and replaced by their id, so the stored job never depends on the request body.
   */
  public void normalize(io.vertx.core.json.JsonObject spec) {
    io.vertx.core.json.JsonObject fw = spec.getJsonObject("firmware");
    if (fw.containsKey("elf_base64")) {
      byte[] elf;
      try {
        elf = Base64.getDecoder().decode(fw.getString("elf_base64"));
      } catch (IllegalArgumentException e) {
        throw new HilException(400, "firmware.elf_base64 is not base64");
      }
      spec.put("firmware", new io.vertx.core.json.JsonObject().put("id", upload(elf)));
    } else if (fw.containsKey("id")) {
      if (store.firmware(fw.getString("id")).isEmpty()) {
        throw new HilException(400, "unknown firmware id " + fw.getString("id"));
      }
    } else if (fw.containsKey("path")) {
      Path p = Ids.confine(cfg.workDir, fw.getString("path"));
      if (!Files.isRegularFile(p)) {
        throw new HilException(400, "firmware path is not a file in the work directory: " + fw.getString("path"));
      }
    } else {
      io.vertx.core.json.JsonObject c = fw.getJsonObject("cmake");
      if (c == null) {
        throw new HilException(400, "firmware.cmake must be an object");
      }
      Path src = sourceDir(c);
      if (!Files.isRegularFile(src.resolve("CMakeLists.txt"))) {
        throw new HilException(400, "firmware.cmake.source has no CMakeLists.txt");
      }
      Ids.requireId(c.getString("target"), "cmake target");
      Ids.confine(src, c.getString("toolchain_file", "cmake/arm-none-eabi.cmake"));
    }
  }

  private Path sourceDir(io.vertx.core.json.JsonObject c) {
    String s = c.getString("source");
    if (s == null) {
      throw new HilException(400, "firmware.cmake.source is required");
    }
    if (!Path.of(s).isAbsolute()) {
      return Ids.confine(cfg.workDir, s);
    }
    List<Path> roots = new ArrayList<>(cfg.sourceRoots);
    roots.add(cfg.workDir);
    return Ids.confineAbsolute(roots, Path.of(s));
  }

  /** The ELF to flash on this board (builds it first for a CMake source). */
  public Path elfFor(io.vertx.core.json.JsonObject fw, Board board, Path logDir) throws IOException {
    if (fw.containsKey("id")) {
      io.vertx.core.json.JsonObject row = store.firmware(fw.getString("id"))
          .orElseThrow(() -> new HilException(400, "unknown firmware id " + fw.getString("id")));
      return Ids.confine(cfg.workDir, row.getString("path"));
    }
    if (fw.containsKey("path")) {
      return Ids.confine(cfg.workDir, fw.getString("path"));
    }
    io.vertx.core.json.JsonObject c = fw.getJsonObject("cmake");
    String machine = board.qemu != null ? board.qemu.machine : board.hw.buildBoard;
    if (machine == null) {
      throw new HilException(400, "board " + board.id + " has no build_board for CMake builds");
    }
    Path src = sourceDir(c);
    String target = c.getString("target");
    Path toolchain = Ids.confine(src, c.getString("toolchain_file", "cmake/arm-none-eabi.cmake"));
    String key = sha256((src + "|" + target + "|" + machine + "|" + toolchain).getBytes()).substring(0, 16);
    Path buildDir = cfg.workDir.resolve("builds").resolve(machine + "-" + target + "-" + key);
    synchronized (buildLocks.computeIfAbsent(buildDir, k -> new Object())) {
      Files.createDirectories(buildDir);
      Path log = logDir.resolve("build.log");
      int rc = CommandDriver.run(List.of("cmake", "-S", src.toString(), "-B", buildDir.toString(),
          "-DCMAKE_TOOLCHAIN_FILE=" + toolchain, "-DEDGEAMP_BOARD=" + machine, "-DEDGEAMP_BUILD_TESTS=OFF"),
          cfg.buildTimeoutS, log);
      if (rc == 0) {
        rc = CommandDriver.run(List.of("cmake", "--build", buildDir.toString(), "-j2", "--target", target), cfg.buildTimeoutS, log);
      }
      if (rc != 0) {
        throw new BuildFailedException("firmware build failed (exit " + rc + "), see " + log);
      }
      try (Stream<Path> s = Files.walk(buildDir)) {
        return s.filter(p -> p.getFileName().toString().equals(target + ".elf")).findFirst()
            .orElseThrow(() -> new BuildFailedException("build produced no " + target + ".elf"));
      }
    }
  }

  /** The job's own fault: retrying on another board will not help. */
  public static final class BuildFailedException extends HilException {
    private static final long serialVersionUID = 1L;

    public BuildFailedException(String m) {
      super(400, m);
    }
  }

  public static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
