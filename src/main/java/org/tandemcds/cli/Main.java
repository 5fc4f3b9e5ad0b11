package org.tandemcds.cli;

import org.tandemcds.domain.CdsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The Tandem command line. {@code ./tandem <command> --help} explains each command. */
@Command(
    name = "tandem",
    mixinStandardHelpOptions = true,
    version = "Tandem 0.1.0",
    description = {
      "Tandem reads a DICOM imaging study and the patient's FHIR R4 clinical notes together and",
      "returns AI suggestions that a clinician reviews. Every output is an AI suggestion, never a",
      "diagnosis."
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      AnalyzeCommand.class,
      GenerateSamplesCommand.class,
      BenchCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      AccountCommands.Users.class,
      AccountCommands.Tokens.class,
      ServeCommand.class
    })
public final class Main {

  /** Exit status for a coded input error ({@link CdsException}). */
  static final int EXIT_CODED_ERROR = 2;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree with Tandem's error handling, for {@link #main} and for tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::handle);
    return cli;
  }

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed)
      throws Exception {
    if (e instanceof CdsException coded) {
      cli.getErr().println("tandem: " + coded.getMessage());
      return EXIT_CODED_ERROR;
    }
    throw e;
  }
}
