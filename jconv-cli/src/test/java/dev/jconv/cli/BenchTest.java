package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTest {

  @Test
  void bench_oneSmallCase_printsARowWithItsThroughput() {
    Run run = Run.of("bench", "--cases", "seed,gap", "--threads", "1", "--samples", "1",
        "--min-sample-ms", "1", "--warmup-ms", "0");

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).startsWith("# provider="), run.out());
    assertTrue(lines.get(1).startsWith("case") && lines.get(1).contains("jconv ms"), run.out());
    assertTrue(lines.get(2).matches("seed +1 +[0-9.]+ +[0-9.]+ GFLOP/s +[0-9]+%"), lines.get(2));
    assertTrue(lines.get(3).matches("gap +1 +[0-9.]+ +[0-9.]+ GB/s +[0-9]+%"), lines.get(3));
    assertEquals(4, lines.size(), run.out());
  }

  @Test
  void bench_unknownCase_isAUsageErrorListingTheCases() {
    Run run = Run.of("bench", "--cases", "resnet50");

    assertEquals(2, run.exitCode());
    String first = run.errLines()[0];
    assertTrue(first.contains("jconv bench") && first.contains("resnet50") && first.contains("res3x3_28"), first);
  }

  @Test
  void bench_badThreadsOrFramework_isAUsageError() {
    assertEquals(2, Run.of("bench", "--threads", "0").exitCode());
    assertEquals(2, Run.of("bench", "--compare", "tensorflow").exitCode());
  }

  @Test
  void bench_compareWithMissingPython_failsWithAHint() {
    Run run = Run.of("bench", "--cases", "seed", "--threads", "1", "--samples", "1",
        "--min-sample-ms", "1", "--warmup-ms", "0", "--compare", "torch",
        "--python", "/nonexistent/python3");

    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("/nonexistent/python3"), run.err());
  }
}
