package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.bench.BenchSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad options of {@code jconv bench}: exit 2, one line that names the option and the problem. */
class BenchUsageTest {

  private static String usageError(String... args) {
    Run run = Run.of(args);
    assertEquals(2, run.exitCode(), run.err() + run.out());
    assertEquals("", run.out());
    String[] lines = run.errLines();
    assertTrue(lines[1].startsWith("Usage: jconv bench"), run.err());
    assertEquals("Try 'jconv bench --help' for more information.", lines[lines.length - 1]);
    return lines[0];
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--threads|0|jconv bench: --threads: thread counts must be at least 1, got 0",
      "--threads|1,-2|jconv bench: --threads: thread counts must be at least 1, got -2",
      "--iterations|0|jconv bench: --iterations must be at least 1, got 0",
      "--warmup|-1|jconv bench: --warmup must be 0 or more, got -1",
      "--warmup-ms|-5|jconv bench: --warmup-ms must be 0 or more, got -5.0",
      "--sample-ms|0|jconv bench: --sample-ms must be a positive number of milliseconds, got 0.0",
      "--sample-ms|NaN|jconv bench: --sample-ms must be a positive number of milliseconds, got NaN",
      "--settle-ms|-1|jconv bench: --settle-ms must be 0 to 60000 milliseconds, got -1.0",
      "--settle-ms|1e9|jconv bench: --settle-ms must be 0 to 60000 milliseconds, got 1.0E9",
      "--peak-gflops|265,0|jconv bench: --peak-gflops: peaks must be positive numbers, got 0.0",
      "--peak-gbs|-40|jconv bench: --peak-gbs must be a positive number, got -40.0",
      "--compare|maybe|jconv bench: Invalid value for option '--compare': 'maybe' is not one of torch, none, auto",
      "--threads|two|jconv bench: Invalid value for option '--threads' (N[,N...]): 'two' is not an int"})
  void badValue_exits2_namesTheOption(String option, String value, String expected) {
    assertEquals(expected, usageError("bench", option, value));
  }

  @Test
  void unknownCase_exits2_listsTheCases() {
    String line = usageError("bench", "--cases", "seed,resnet50");
    assertTrue(line.startsWith("jconv bench: Invalid value for option '--cases'"), line);
    assertTrue(line.contains("no case named 'resnet50' (the cases: " + String.join(", ", BenchSuite.names()) + ")"), line);
  }

  @Test
  void backwardOfAPooling_exits2_namesItAndTheConvolutions() {
    assertEquals("jconv bench: --backward times convolutions only; not a convolution: gap, maxpool_2 (the convolutions:"
        + " seed, lenet1, lenet2, res3x3_56, res3x3_28, res3x3_14, res1x1_56, res_stem, res3x3_s2, dw3x3_112, dilated)",
        usageError("bench", "--backward", "--cases", "seed,gap,maxpool_2"));
  }

  @Test
  void unknownOption_exits2_suggests() {
    String line = usageError("bench", "--iteration", "3");
    assertTrue(line.startsWith("jconv bench: unknown option '--iteration'"), line);
    assertTrue(line.contains("--iterations"), line);
  }

  @Test
  void help_showsOptionsAndExamples() {
    Run run = Run.of("bench", "--help");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().startsWith("Usage: jconv bench"), run.out());
    for (String option : new String[] {"--threads", "--cases", "--compare", "--iterations", "--warmup", "--warmup-ms", "--sample-ms",
        "--json", "--list", "--backward", "--peak-gflops", "--peak-gbs", "--python", "--torch-script"}) {
      assertTrue(run.out().contains(option), option);
    }
    assertTrue(run.out().contains("\nExamples:\n  ./jconv bench "), run.out());
  }
}
