package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.cli.DemoGolden.GoldenCell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The demo against the text PyTorch printed for the same cells ({@code tools/golden/gen_demo.py}). */
class DemoTest {

  static List<GoldenCell> goldenCells() {
    return DemoGolden.cells();
  }

  private static String runCell(String name, long seed) {
    Demo.Cell cell = Demo.cell(name).orElseThrow(() -> new AssertionError("the Java demo has no cell " + name));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      Demo.run(cell, seed, out);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCells")
  void demoCell_printsExactlyWhatPyTorchPrints(GoldenCell golden) {
    assertEquals(golden.output(), runCell(golden.name(), golden.seed()),
        () -> "cell " + golden + "; the PyTorch cell was:\n" + golden.code());
  }

  @Test
  void demoCells_sameNamesTitlesAndOrderAsTheGenerator() {
    for (long seed : new long[] {0, 42}) {
      List<GoldenCell> golden = DemoGolden.cells(seed);
      assertEquals(golden.stream().map(GoldenCell::name).toList(), Demo.names());
      assertEquals(golden.stream().map(GoldenCell::title).toList(),
          Demo.CELLS.stream().map(Demo.Cell::title).toList());
    }
  }

  @Test
  void demoCommand_seed42_printsEveryCellUnderItsHeading() {
    Run run = Run.of("demo", "--seed", "42");

    StringBuilder expected = new StringBuilder("# Dive into Deep Learning, the convolution chapter, in Java"
        + " (jconv). Each cell runs after torch.manual_seed(42).\n");
    for (GoldenCell g : DemoGolden.cells(42)) {
      expected.append("\n=== ").append(g.title()).append("  [").append(g.name()).append("]\n").append(g.output());
    }
    assertEquals(expected.toString(), run.out());
    assertEquals("", run.err());
    assertEquals(0, run.exitCode());
  }

  @Test
  void demoCommand_defaultSeed_isZero() {
    Run run = Run.of("demo", "--cell", "pooling-random");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().endsWith(golden("pooling-random", 0)), run.out());
    assertTrue(run.out().startsWith("# Dive into Deep Learning"), run.out());
  }

  @Test
  void demoCommand_cellOption_runsOnlyThoseCellsInTheGivenOrder() {
    Run run = Run.of("demo", "--cell", "pool2d,corr2d", "--cell", "conv2d-layer", "--seed", "1");

    String out = run.out();
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(3, out.split("\n=== ", -1).length - 1, out);
    int pool = out.indexOf("[pool2d]\n" + golden("pool2d", 1));
    int corr = out.indexOf("[corr2d]\n" + golden("corr2d", 1));
    int conv = out.indexOf("[conv2d-layer]\n" + golden("conv2d-layer", 1));
    assertTrue(pool > 0 && corr > pool && conv > corr, out);
  }

  @Test
  void demoCommand_seed2To64Minus1_isPyTorchsSeedMinus1() {
    // PyTorch accepts seeds up to 2^64-1 and gives 2^64-1 the generator state of -1 (the golden seed).
    Run run = Run.of("demo", "--cell", "pooling-random", "--seed", "18446744073709551615");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().endsWith("[pooling-random]\n" + golden("pooling-random", -1)), run.out());
  }

  @Test
  void demoCommand_list_printsEveryNameAndTitle() {
    Run run = Run.of("demo", "--list");

    assertEquals(0, run.exitCode());
    String[] lines = run.out().split("\n");
    assertEquals(Demo.CELLS.size(), lines.length, run.out());
    for (int i = 0; i < lines.length; i++) {
      Demo.Cell c = Demo.CELLS.get(i);
      assertTrue(lines[i].startsWith(c.name() + " ") && lines[i].endsWith(c.title()), lines[i]);
    }
  }

  private static String golden(String name, long seed) {
    return DemoGolden.cells(seed).stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no golden cell " + name)).output();
  }
}
