package dev.jconv.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code jconv} command: {@code ./jconv demo}, {@code ./jconv info}. The launcher script at the
 * repository root builds the CLI and runs this class with the Vector API enabled.
 *
 * <p>Exit codes: 0 success, 1 an error while running a command, 2 bad usage (unknown command or
 * option, bad value) — then one line names the problem, followed by the usage.
 */
@Command(
    name = "jconv",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "PyTorch's convolution and pooling layers in pure Java.",
    commandListHeading = "%nCommands:%n",
    footerHeading = "%nExamples:%n",
    footer = {
        "  ./jconv demo                  the book's convolution chapter, cell by cell",
        "  ./jconv demo --seed 42        the same after torch.manual_seed(42)",
        "  ./jconv demo --cell corr2d    one cell (./jconv demo --list names them)",
        "  ./jconv info                  version, JDK, kernel provider, vector width",
        "  ./jconv bench --compare torch the benchmark suite, side by side with PyTorch",
        "  ./jconv help demo             the options of one command"})
public final class Main {
  static final int EXIT_OK = 0;
  static final int EXIT_ERROR = 1;
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command line {@code args}, printing to {@code out} and {@code err}; returns the exit
   * code. Never calls {@code System.exit}, so tests run it in-process.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cmd = commandLine(out, err);
    return cmd.execute(args);
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cmd = new CommandLine(new Main())
        .addSubcommand(new DemoCommand(out))
        .addSubcommand(new InfoCommand(out))
        .addSubcommand(new TrainCommand(out))
        .addSubcommand(new BenchCommand(out))
        .addSubcommand(new CommandLine.HelpCommand());
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    // Colours only on a real terminal: tests and pipes get plain text.
    boolean terminal = out == System.out && System.console() != null;
    cmd.setColorScheme(Help.defaultColorScheme(terminal ? Help.Ansi.AUTO : Help.Ansi.OFF));
    cmd.setParameterExceptionHandler(Main::usageError);
    cmd.setExecutionExceptionHandler((ex, failed, parseResult) -> {
      // A command that throws is a bug in jconv (the demo's inputs are fixed): say so, with the trace.
      PrintWriter w = failed.getErr();
      w.println(failed.getCommandSpec().qualifiedName() + ": error: " + ex);
      ex.printStackTrace(w);
      w.flush();
      return EXIT_ERROR;
    });
    return cmd;
  }

  /** Bad usage: one line naming the problem, then the command's synopsis and where to read more. */
  private static int usageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter w = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    w.println(name + ": " + problem(ex));
    w.print(cmd.getHelp().fullSynopsis());
    w.println("Try '" + name + " --help' for more information.");
    w.flush();
    return EXIT_USAGE;
  }

  private static String problem(ParameterException ex) {
    String message = ex.getMessage();
    if (message.startsWith("Missing required subcommand")) {
      return "missing command (one of: " + String.join(", ", ex.getCommandLine().getSubcommands().keySet()) + ")";
    }
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      boolean hasCommands = !ex.getCommandLine().getSubcommands().isEmpty();
      if (!first.startsWith("-") && hasCommands) {
        message = "unknown command '" + first + "'";
      } else if (first.startsWith("-")) {
        message = "unknown option '" + first + "'";
      }
      if (!u.getSuggestions().isEmpty()) {
        message += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
      }
    }
    // picocli's messages are one line except in rare multi-error cases: keep the first line.
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** The version of jconv, for {@code --version} and {@code info}. */
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    // The jar's manifest has it (Implementation-Version); classes run from target/classes do not.
    return "unknown (not run from the jconv-cli jar)";
  }

  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"jconv " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
  }
}
