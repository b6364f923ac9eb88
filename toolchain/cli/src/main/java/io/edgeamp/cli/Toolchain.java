package io.edgeamp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code toolchain} command; each sub-command lives in its own class. */
@Command(
    name = "toolchain",
    mixinStandardHelpOptions = true,
    version = "EdgeAMP toolchain 0.1.0",
    description = "Mixed-precision deployment toolchain for neural networks on microcontrollers with NPUs.",
    subcommands = {QuantizeCommand.class, CodegenCommand.class, TrainCommand.class, DatasetCommand.class, BenchCommand.class, HilCommand.class,
        CommandLine.HelpCommand.class})
public final class Toolchain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The command line with error handling: user mistakes and bad input print one clear line and exit 2. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Toolchain());
    cl.setExecutionExceptionHandler((ex, line, parse) -> {
      if (ex instanceof UserError || ex instanceof IllegalArgumentException || ex instanceof io.edgeamp.core.data.DatasetException
          || ex instanceof io.edgeamp.core.engine.EngineException || ex instanceof java.io.UncheckedIOException
          || ex instanceof io.edgeamp.core.onnx.OnnxFormatException || ex instanceof io.edgeamp.core.artifact.ArtifactException
          || ex instanceof io.edgeamp.core.quant.QuantException) {
        line.getErr().println("error: " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
