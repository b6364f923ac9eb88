package io.edgeamp.hil.suite;

import io.edgeamp.hil.DemoFirmware;
import io.edgeamp.hil.board.BuiltinMachineTable;
import io.edgeamp.hil.board.QemuMachine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code firmware: demo}: device-runtime's demo harness (one int8 dense layer, not a network) built for
 * the board's QEMU machine, vectors generated from the case's seed with host-computed expected outputs
 * and labels. Tasks other than classification use the same firmware with bit-exactness as the metric;
 * the point is to exercise the runner, thresholds and reports on real QEMU boards until codegen output
 * is available for every task.
 */
public final class DemoFirmwareBuilder implements FirmwareBuilder {
  private final Path repo;
  private final Map<String, Path> built = new ConcurrentHashMap<>();

  public DemoFirmwareBuilder(Path repo) {
    this.repo = repo;
  }

  @Override
  public Built build(Suite suite, Suite.Case c, Path workDir) throws Exception {
    QemuMachine m = new BuiltinMachineTable().lookup(c.board)
        .orElseThrow(() -> new SuiteException("firmware demo runs on QEMU boards only, not " + c.board));
    Path elf = built.get(m.machine);
    if (elf == null) {
      elf = DemoFirmware.build(repo, m.machine, workDir.resolve("fw-demo-" + m.machine));
      built.put(m.machine, elf);
    }
    JsonArray v = DemoFirmware.vectors(c.vectors, c.seed);
    if ("regression".equals(c.task) || "forecasting".equals(c.task)) {
      for (Object o : v) {
        ((JsonObject) o).remove("label");
      }
    }
    return new Built(elf, v, "edgeamp-demo-dot");
  }
}
