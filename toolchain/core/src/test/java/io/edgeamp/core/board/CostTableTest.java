package io.edgeamp.core.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cost table as the allocator uses it: layer estimates and weight bytes, from the shipped profiles. */
class CostTableTest {
  final BoardProfiles profiles = new BoardProfiles(List.of(RepoPaths.profiles()));

  @Test
  void estimateIsOverheadPlusMacsPlusInputs() {
    CostTable c = profiles.get("qemu-mps2-an386").cost();
    assertEquals("instructions", c.unit());
    // conv 8-bit: 300 + 1000 MACs * 2.0
    assertEquals(300 + 1000 * 2.0, c.estimate(LayerKind.CONV, 8, 1000, 0), 1e-9);
    // max pool on int8: 300 + 256 inputs * 3.0, no MACs
    assertEquals(300 + 256 * 3.0, c.estimate(LayerKind.MAX_POOL, 8, 0, 256), 1e-9);
    assertEquals(0.5, c.bytesPerWeight(4), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.perMac(LayerKind.CONV, 16));
    assertTrue(e.getMessage().contains("no entry for conv at 16 bits"), e.getMessage());
  }

  @Test
  void everyShippedTableCoversTheNpuBitsAndFloat() {
    for (BoardProfile p : profiles.list()) {
      CostTable c = p.cost();
      assertEquals(p.timer().unit(), c.unit(), p.id());
      for (LayerKind k : CostTable.MAC_KINDS) {
        for (int b : p.npu().bits()) assertTrue(c.perMac(k, b) > 0, p.id() + " " + k + " " + b);
        assertTrue(c.perMac(k, CostTable.FLOAT_BITS) > 0, p.id() + " " + k + " float");
      }
      assertEquals(4.0, c.bytesPerWeight(32), 0, p.id());
    }
  }

  @Test
  void onTheTiNpuNarrowerWeightsAreFasterWhileOnCpuKernelsTheyAreNot() {
    CostTable ti = profiles.get("launchxl-f28p55x").cost();
    assertTrue(ti.perMac(LayerKind.CONV, 2) < ti.perMac(LayerKind.CONV, 4));
    assertTrue(ti.perMac(LayerKind.CONV, 4) < ti.perMac(LayerKind.CONV, 8));
    assertTrue(ti.perMac(LayerKind.CONV, 8) < ti.perMac(LayerKind.CONV, 32));
    CostTable m4 = profiles.get("nucleo-f446re").cost();
    assertTrue(m4.perMac(LayerKind.CONV, 8) < m4.perMac(LayerKind.CONV, 4), "unpacking 4-bit costs time on a CPU");
  }
}
