package io.edgeamp.cli;

import io.edgeamp.codegen.Codegen;
import io.edgeamp.codegen.CodegenException;
import io.edgeamp.codegen.bench.CodegenBench;
import io.edgeamp.core.artifact.ArtifactException;
import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.board.BoardProfileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code toolchain codegen}: a quantized-model artifact and a board profile in, C firmware sources and
 * the Java device twin out. A model the board cannot run (a layer outside the NPU's limits, too large
 * for flash or RAM) or an unusable profile or artifact is exit code 2 with nothing written.
 */
@Command(name = "codegen", mixinStandardHelpOptions = true,
    description = {"Generate C firmware sources (model.c/.h, weights, test vectors, CMake project) and a Java device twin",
        "from a quantized-model artifact for a board.", "",
        "  toolchain codegen --board qemu-mps2-an386 --model runs/regression-quantized/artifact --out runs/fw",
        "  toolchain codegen --bench [--bench-out DIR]   sizes, arena and instructions per inference of the zoo models"})
public final class CodegenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--board", description = "board profile id (board-profiles/<id>.yaml) or a path to a profile .yaml")
  String board;

  @Option(names = "--model", description = "quantized-model artifact folder (model.json + weights.bin)")
  Path model;

  @Option(names = "--out", description = "output folder (replaced as a whole; written to a temporary folder first)")
  Path out;

  @Option(names = "--allow-cpu-fallback", description = "run layers the board's NPU cannot run as float32 on the CPU instead of failing")
  boolean allowCpuFallback;

  @Option(names = "--vectors", defaultValue = "8", description = "number of test vectors (default: ${DEFAULT-VALUE})")
  int vectors;

  @Option(names = "--name", description = "model name in the firmware and twin (default: the artifact's)")
  String name;

  @Option(names = "--profiles", description = "extra folder to search for board profiles (before the standard ones)")
  List<Path> profiles = new ArrayList<>();

  @Option(names = "--runtime", description = "device-runtime folder (default: $EDGEAMP_HOME/device-runtime or found above the working folder)")
  Path runtime;

  @Option(names = "--no-portability-check", description = "skip compiling the sources with the profile's portability_check compiler")
  boolean noPortabilityCheck;

  @Option(names = "--bench", description = "run the code generator benchmark instead (zoo models x QEMU boards)")
  boolean bench;

  @Option(names = "--bench-out", description = "work folder of the benchmark (default: a temporary folder)")
  Path benchOut;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outw = spec.commandLine().getOut();
    if (bench) {
      CodegenBench.main(benchOut == null ? new String[0] : new String[] {benchOut.toString()});
      return 0;
    }
    List<String> missing = new ArrayList<>();
    if (board == null) missing.add("--board");
    if (model == null) missing.add("--model");
    if (out == null) missing.add("--out");
    if (!missing.isEmpty()) throw new UserError("codegen needs " + String.join(", ", missing) + " (see toolchain codegen --help)");
    if (vectors < 1 || vectors > 1000) throw new UserError("--vectors must be in 1..1000, got " + vectors);
    Codegen.Result r;
    BoardProfile b;
    try {
      b = Codegen.board(board, profiles);
      Codegen.Options o = Codegen.Options.defaults().withAllowCpuFallback(allowCpuFallback).withVectors(vectors).withName(name)
          .withRuntimeDir(runtime).withPortabilityCheck(!noPortabilityCheck);
      r = Codegen.generate(model, b, out, o);
    } catch (CodegenException | BoardProfileException | ArtifactException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 2;
    }
    for (String m : r.messages()) outw.println(m);
    var p = r.cmodel().plan();
    outw.printf(Locale.ROOT, "codegen: %s for %s -> %s%n", r.modelName(), b.id(), r.out());
    outw.printf(Locale.ROOT, "  layers: %d (%d on the CPU)%n", r.model().layers().size(), r.model().layers().stream().filter(l -> l.onCpu()).count());
    outw.printf(Locale.ROOT, "  arena: %,d bytes (planner peak %,d, lower bound %,d, %s; %,d without reuse)%n", r.cmodel().arenaBytes(), p.peak(),
        p.lowerBound(), p.peak() == p.lowerBound() ? "at the bound" : String.format(Locale.ROOT, "%.3f x the bound", (double) p.peak() / p.lowerBound()),
        p.withoutReuse());
    outw.printf(Locale.ROOT, "  flash: constant tables %,d bytes (weights %,d vs sum(params*bits/8) %,.0f); harness firmware estimated at flash %,d of %,d, RAM %,d of %,d (with the stack)%n",
        r.cmodel().constantBytes(), r.cmodel().weightBytes(), r.cmodel().idealWeightBytes(), r.fit().flashNeeded(), r.fit().flashBytes(),
        r.fit().ramNeeded(), r.fit().ramBytes());
    outw.printf(Locale.ROOT, "  twin: %s (twin/), %d test vectors%n", r.twinClass(), r.inputs().length);
    outw.flush();
    return 0;
  }
}
