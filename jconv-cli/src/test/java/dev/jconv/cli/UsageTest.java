package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad usage exits with 2 after one line naming the problem and the usage; --help works everywhere. */
class UsageTest {

  /** Checks the shape of a usage error and returns its first line. */
  private static String usageError(Run run, String command) {
    assertEquals(2, run.exitCode(), run.err());
    assertEquals("", run.out());
    String[] lines = run.errLines();
    assertTrue(lines.length >= 3, run.err());
    assertTrue(lines[0].startsWith(command + ": "), run.err());
    assertTrue(lines[1].startsWith("Usage: " + command), run.err());
    assertEquals("Try '" + command + " --help' for more information.", lines[lines.length - 1]);
    return lines[0];
  }

  @Test
  void noCommand_exits2_saysACommandIsMissing() {
    String line = usageError(Run.of(), "jconv");
    assertEquals("jconv: missing command (one of: demo, info, train, bench, help)", line);
  }

  @Test
  void unknownCommand_exits2_namesItAndSuggests() {
    String line = usageError(Run.of("demoo"), "jconv");
    assertEquals("jconv: unknown command 'demoo' (did you mean demo?)", line);
  }

  @Test
  void unknownOption_onDemo_exits2_namesItAndSuggests() {
    String line = usageError(Run.of("demo", "--sed", "3"), "jconv demo");
    assertTrue(line.startsWith("jconv demo: unknown option '--sed'"), line);
    assertTrue(line.contains("--seed"), line);
  }

  @Test
  void unknownOption_onInfo_exits2() {
    String line = usageError(Run.of("info", "--json"), "jconv info");
    assertTrue(line.startsWith("jconv info: unknown option '--json'"), line);
  }

  @Test
  void extraArgument_onInfo_exits2() {
    String line = usageError(Run.of("info", "now"), "jconv info");
    assertTrue(line.contains("'now'"), line);
  }

  @Test
  void seedNotANumber_exits2_namesOptionAndValue() {
    String line = usageError(Run.of("demo", "--seed", "abc"), "jconv demo");
    assertEquals("jconv demo: Invalid value for option '--seed': 'abc' is not an integer", line);
  }

  @ParameterizedTest
  @ValueSource(strings = {"18446744073709551616", "-9223372036854775809"})
  void seedOutOfPyTorchsRange_exits2_givesTheRange(String seed) {
    String line = usageError(Run.of("demo", "--seed", seed), "jconv demo");
    assertTrue(line.contains("'" + seed + "' is out of range"), line);
    assertTrue(line.contains("[-9223372036854775808, 18446744073709551615]"), line);
  }

  @Test
  void seedWithoutValue_exits2() {
    String line = usageError(Run.of("demo", "--seed"), "jconv demo");
    assertTrue(line.contains("--seed"), line);
  }

  @Test
  void unknownCell_exits2_listsTheCells() {
    String line = usageError(Run.of("demo", "--cell", "lenet"), "jconv demo");
    assertTrue(line.contains("no cell named 'lenet'"), line);
    for (String name : Demo.names()) {
      assertTrue(line.contains(name), line);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "demo", "info", "bench"})
  void help_onEveryCommand_printsUsageAndExamples(String command) {
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
    Run run = Run.of(args);

    assertEquals(0, run.exitCode(), run.err());
    String name = command.isEmpty() ? "jconv" : "jconv " + command;
    assertTrue(run.out().startsWith("Usage: " + name), run.out());
    assertTrue(run.out().contains("\nExamples:\n  ./jconv " + (command.isEmpty() ? "demo" : command)), run.out());
    assertEquals("", run.err());
  }

  @Test
  void helpCommand_showsTheCommandsHelp() {
    Run run = Run.of("help", "demo");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(Run.of("demo", "--help").out(), run.out());
  }

  @Test
  void topLevelHelp_listsTheCommands() {
    String out = Run.of("--help").out();
    assertTrue(out.contains("\nCommands:\n"), out);
    assertTrue(out.contains("  demo ") && out.contains("  info ") && out.contains("  help "), out);
  }

  @Test
  void demoHelp_documentsEveryOption() {
    String out = Run.of("demo", "--help").out();
    for (String option : new String[] {"--seed=N", "--cell=NAME", "--list", "--help"}) {
      assertTrue(out.contains(option), option + " in\n" + out);
    }
  }

  @Test
  void version_printsJconvAndJava() {
    Run run = Run.of("--version");

    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().split("\n");
    assertEquals("jconv " + Main.version(), lines[0]);
    assertTrue(lines[1].startsWith("Java " + Runtime.version()), run.out());
  }
}
