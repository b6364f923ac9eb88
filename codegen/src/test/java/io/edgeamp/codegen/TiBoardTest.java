package io.edgeamp.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.artifact.ArtifactReader;
import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TI LAUNCHXL-F28P55X: NPU limits become errors naming the layer, the limit and the numbers (or CPU
 * fallbacks), and the generated sources pass the profile's portability check (host gcc -pedantic),
 * since TI's cl2000 is not available; the host self-test of the generated code matches the twin.
 */
class TiBoardTest {
  @TempDir Path tmp;

  static BoardProfile ti() {
    return Fixtures.board("launchxl-f28p55x");
  }

  static boolean nothingWritten(Path parent) throws Exception {
    if (!Files.exists(parent)) return true;
    try (Stream<Path> s = Files.list(parent)) {
      return s.findAny().isEmpty();
    }
  }

  @Test
  void denseFanInBelowTheNpuMinimumIsAnErrorNamingLayerLimitAndNumbers() throws Exception {
    QuantizedModel m = Fixtures.quantize(Fixtures.tiSmall(), new int[] {8}, TargetSpec.of(ti()), 4, 32);
    Path out = tmp.resolve("gen").resolve("fw");
    CodegenException e = assertThrows(CodegenException.class, () -> Codegen.generate(m, "t", ti(), out, Codegen.Options.defaults()));
    System.out.println(e.getMessage());
    String dense = m.layers().stream().filter(l -> l.kind() == io.edgeamp.core.quant.LayerKind.DENSE).findFirst().orElseThrow().name();
    assertTrue(e.getMessage().contains("layer " + dense + ": npu.limits.fc_min_fan_in: dense fan-in 12 at 8-bit is below the minimum 16 (board launchxl-f28p55x)"),
        e.getMessage());
    assertTrue(nothingWritten(tmp.resolve("gen")));
  }

  @Test
  void cpuFallbackMovesTheLayersRequantizesAndStillMatchesTheTwinOnTheHost() throws Exception {
    QuantizedModel m = Fixtures.quantize(Fixtures.tiSmall(), new int[] {8}, TargetSpec.of(ti()), 4, 32);
    Path out = tmp.resolve("fw");
    Codegen.Result r = Codegen.generate(m, "t", ti(), out, Codegen.Options.defaults().withAllowCpuFallback(true).withName("ti_fallback"));
    assertEquals(2, r.fallbacks().size(), r.messages().toString());
    for (BoardCheck.Problem p : r.fallbacks()) {
      assertTrue(r.model().layer(p.layer()).onCpu());
      assertEquals(32, r.model().layer(p.layer()).bits());
      assertTrue(r.messages().stream().anyMatch(s -> s.startsWith("CPU fallback: layer " + p.layer())), r.messages().toString());
    }
    // The artifact written beside the firmware is the requantized one, and it reads back identically.
    QuantizedModel back = ArtifactReader.read(out.resolve("artifact"));
    for (QLayer l : back.layers()) assertEquals(r.model().layer(l.name()).target(), l.target(), l.name());
    assertTrue(Files.readString(out.resolve("model.c")).contains("ea_dense_f32("));
    assertNotNull(r.portabilityCheck(), "the profile's portability check runs");
    assertTrue(r.portabilityCheck().startsWith("gcc ") && r.portabilityCheck().contains("-pedantic"), r.portabilityCheck());
    hostSelftest(r);
  }

  @Test
  void anNpuLegalModelPassesThePortabilityCheckAndTheHostSelftest() throws Exception {
    // Dense layers at 4 bits (TI minimum fan-in 8), convs at 8 (power-of-two requantization) and 2.
    QuantizedModel m = Fixtures.quantize(Fixtures.tiSmall(), new int[] {8, 2, 4, 4}, TargetSpec.of(ti()), 4, 32);
    Codegen.Result r = Codegen.generate(m, "t", ti(), tmp.resolve("legal"), Codegen.Options.defaults().withName("ti_legal"));
    assertTrue(r.fallbacks().isEmpty());
    assertTrue(r.model().layers().stream().noneMatch(QLayer::onCpu));
    for (QLayer l : r.model().layers()) {
      if (l.kind().hasWeights() && l.bits() == 8) for (int mult : l.mult()) assertEquals(1, mult, "8-bit layers requantize by powers of two on TI");
    }
    assertNotNull(r.portabilityCheck());
    String cmake = Files.readString(r.out().resolve("CMakeLists.txt"));
    assertTrue(cmake.contains("has no device-runtime port"), "a cross build for the F28P55 explains why it cannot build here");
    hostSelftest(r);
  }

  @Test
  void anArtifactQuantizedForAnotherBoardFailsOnTheMultiplierWidth() throws Exception {
    QuantizedModel m = Fixtures.quantize(Fixtures.tiSmall(), new int[] {8, 2, 4, 4}, TargetSpec.GENERIC, 4, 32);
    CodegenException e = assertThrows(CodegenException.class, () -> Codegen.generate(m, "t", ti(), tmp.resolve("x"), Codegen.Options.defaults()));
    assertTrue(e.getMessage().contains("npu.requant_mult_bits"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("x")));
  }

  static void hostSelftest(Codegen.Result r) {
    Path runtime = Codegen.runtimeDir(null);
    Path bin = FirmwareBuild.build(runtime, List.of(r.out()), null, r.out().resolveSibling(r.out().getFileName() + "-build"), 2);
    FirmwareBuild.Run run = FirmwareBuild.run(List.of(bin.resolve("0").resolve(r.cName() + "_selftest").toString()), null, 60, null);
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("0 mismatches"), run.output());
  }
}
