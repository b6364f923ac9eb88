package io.edgeamp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code toolchain} command; each sub-command lives in its own class. */
@Command(
    name = "toolchain",
    mixinStandardHelpOptions = true,
    version = "EdgeAMP toolchain 0.1.0",
    description = "Mixed-precision deployment toolchain for neural networks on microcontrollers with NPUs.",
    subcommands = {CommandLine.HelpCommand.class, DatasetCommand.class})
public final class Toolchain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Toolchain());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
