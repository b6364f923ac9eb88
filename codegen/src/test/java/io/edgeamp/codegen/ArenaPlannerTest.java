package io.edgeamp.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.codegen.ArenaPlanner.Buffer;
import io.edgeamp.codegen.ArenaPlanner.Placement;
import io.edgeamp.codegen.ArenaPlanner.Plan;
import io.edgeamp.core.quant.QTensor;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The liveness-based arena planner: valid placements, the lower bound, and reaching it on real models. */
class ArenaPlannerTest {
  @TempDir Path tmp;

  /** No two buffers that are live at the same step share a byte. */
  static void assertValid(Plan p) {
    List<Placement> ps = p.placements();
    for (int i = 0; i < ps.size(); i++) {
      Placement a = ps.get(i);
      assertTrue(a.offset() % 4 == 0, a + " is not 4-byte aligned");
      assertTrue(a.end() <= p.peak());
      for (int j = i + 1; j < ps.size(); j++) {
        Placement b = ps.get(j);
        boolean live = a.buffer().first() <= b.buffer().last() && b.buffer().first() <= a.buffer().last();
        boolean share = a.offset() < b.end() && b.offset() < a.end() && a.buffer().bytes() > 0 && b.buffer().bytes() > 0;
        assertFalse(live && share, a + " overlaps " + b);
      }
    }
  }

  @Test
  void lowerBoundIsTheLargestStep() {
    List<Buffer> b = List.of(new Buffer("a", 100, 0, 1, ""), new Buffer("b", 40, 1, 2, ""), new Buffer("c", 80, 2, 3, ""),
        new Buffer("s", 12, 1, 1, ""));
    assertEquals(152, ArenaPlanner.lowerBound(b)); // step 1: a + b + s
    Plan p = ArenaPlanner.plan(b);
    assertValid(p);
    assertEquals(152, p.peak());
    assertEquals(232, p.withoutReuse());
  }

  @Test
  void aChainPingPongsBetweenTwoRegions() {
    List<Buffer> b = new ArrayList<>();
    int[] sizes = {512, 512, 256, 1024, 64, 64, 32};
    for (int i = 0; i < sizes.length; i++) b.add(new Buffer("t" + i, sizes[i], i, i + 1, ""));
    Plan p = ArenaPlanner.plan(b);
    assertValid(p);
    assertEquals(1280, p.lowerBound());
    assertEquals(p.lowerBound(), p.peak());
  }

  @Test
  void randomIntervalGraphsArePlacedValidly() {
    Random r = new Random(3);
    int atBound = 0;
    for (int trial = 0; trial < 200; trial++) {
      List<Buffer> b = new ArrayList<>();
      int n = 2 + r.nextInt(14);
      for (int i = 0; i < n; i++) {
        int first = r.nextInt(10);
        b.add(new Buffer("b" + i, 4 * (1 + r.nextInt(64)), first, first + r.nextInt(4), ""));
      }
      Plan p = ArenaPlanner.plan(b);
      assertValid(p);
      assertTrue(p.peak() >= p.lowerBound());
      if (p.peak() == p.lowerBound()) atBound++;
    }
    System.out.println("random interval graphs at the lower bound: " + atBound + " / 200");
    assertTrue(atBound >= 150, atBound + " of 200 at the bound");
  }

  @Test
  void zooModelsAndTheResidualGraphReachTheLowerBound() throws Exception {
    TargetSpec t = TargetSpec.GENERIC;
    List<QuantizedModel> models = new ArrayList<>();
    for (String z : io.edgeamp.core.zoo.ModelZoo.NAMES) models.add(Fixtures.zooModel(z, 3, new int[] {8, 4, 32, 2}, t));
    models.add(Fixtures.quantize(Fixtures.importedOnnx(tmp), new int[] {8, 2, 32, 4}, t, 4, 32));
    models.add(Fixtures.quantize(Fixtures.importedOnnx(tmp), new int[] {4, 8, 8, 2}, t, 4, 32));
    for (QuantizedModel m : models) {
      CModel cm = new CModel(m, "x");
      Plan p = cm.plan();
      assertValid(p);
      System.out.printf("%-14s arena %,6d  lower bound %,6d  without reuse %,6d  (%s)%n", m.name(), p.peak(), p.lowerBound(), p.withoutReuse(), p.strategy());
      assertEquals(p.lowerBound(), p.peak(), m.name());
      // Every intermediate tensor is in the arena with its lifetime; input and output are not.
      for (QTensor q : m.tensors().values()) {
        boolean io = q.name().equals(m.inputTensor()) || q.name().equals(m.outputTensor());
        assertEquals(!io, p.placements().stream().anyMatch(x -> x.buffer().name().equals(q.name())), q.name());
      }
    }
  }
}
