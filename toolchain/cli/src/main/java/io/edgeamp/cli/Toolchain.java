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
public final class Toolchain implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** No command given: the usage, on stderr, and exit code 2 (a script that forgot the command must not pass). */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** The command line with error handling: user mistakes and bad input print one clear line and exit 2. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Toolchain());
    // A mistyped option or value: the one line that says what is wrong and where the help is, not the whole usage.
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine sub = ex.getCommandLine();
      sub.getErr().println("error: " + ex.getMessage());
      sub.getErr().println("(" + sub.getCommandSpec().qualifiedName() + " --help lists the options)");
      return 2;
    });
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
