package io.edgeamp.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build folder reused from another checkout: its CMake cache names a device-runtime that is gone (as
 * after `codegen --bench --bench-out DIR` from a moved or deleted worktree). The build must follow the
 * runtime it is given now instead of failing on the cached path.
 */
class FirmwareBuildCacheTest {
  @TempDir Path work;

  @Test
  void aCacheNamingAnotherRuntimeDoesNotBreakTheBuild() throws Exception {
    assumeTrue(FirmwareBuild.run(List.of("cmake", "--version"), null, 30, null).exit() == 0, "cmake not available");
    Path runtime = Fixtures.root().resolve("device-runtime");
    BoardProfile board = Fixtures.board("qemu-mps2-an386");
    QuantizedModel m = Fixtures.zooModel("CLS_4k_NPU", 4, new int[] {8, 8, 8, 8, 8}, TargetSpec.of(board));
    Codegen.Result g = Codegen.generate(m, "cache test", board, work.resolve("gen"),
        Codegen.Options.defaults().withName("cache").withVectors(2).withRuntimeDir(runtime));
    Path bin = FirmwareBuild.build(runtime, List.of(g.out()), null, work.resolve("build"), 2);
    Path cache = bin.resolve("CMakeCache.txt");
    String moved = runtime.toAbsolutePath().normalize().toString().replace('\\', '/');
    String text = Files.readString(cache);
    assertTrue(text.contains("EDGEAMP_RUNTIME_DIR:PATH=" + moved), "the cache records the runtime");
    Files.writeString(cache, text.replace("EDGEAMP_RUNTIME_DIR:PATH=" + moved, "EDGEAMP_RUNTIME_DIR:PATH=/no/such/checkout/device-runtime"));

    bin = FirmwareBuild.build(runtime, List.of(g.out()), null, work.resolve("build"), 2);
    assertTrue(Files.readString(bin.resolve("CMakeCache.txt")).contains("EDGEAMP_RUNTIME_DIR:PATH=" + moved));
    assertTrue(Files.isExecutable(bin.resolve("0").resolve(g.cName() + "_selftest")), "host self-test built");
  }
}
