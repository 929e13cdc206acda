package dev.jconv.cli;

import java.io.PrintStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code jconv demo}: the book's cells, each under a heading, printing what PyTorch prints. */
@Command(
    name = "demo",
    description = {
        "Runs the convolution chapter of \"Dive into Deep Learning\" (PyTorch edition) in Java, cell by cell:"
            + " corr2d, edge detection, Conv2d shapes, padding and stride, multiple channels, pooling.",
        "Each cell prints exactly what the PyTorch notebook prints. Every cell starts with"
            + " torch.manual_seed(SEED), so its random tensors equal PyTorch's."},
    sortOptions = false,
    footerHeading = "%nExamples:%n",
    footer = {
        "  ./jconv demo                          all cells, seed 0",
        "  ./jconv demo --seed 42                all cells after torch.manual_seed(42)",
        "  ./jconv demo --cell corr2d            one cell",
        "  ./jconv demo --cell pool2d,pooling-layers --seed 7",
        "  ./jconv demo --list                   the cells' names and titles",
        "",
        "The same cells in PyTorch, printed the same way (to diff against, with Debian's torch):",
        "  /usr/bin/python3 tools/golden/gen_demo.py --print 42"})
final class DemoCommand implements Callable<Integer> {
  private final PrintStream out;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", converter = SeedConverter.class,
      description = "The seed for torch.manual_seed before each cell (default: ${DEFAULT-VALUE}). Any"
          + " integer PyTorch accepts, from -2^63 to 2^64-1.")
  long seed;

  @Option(names = "--cell", paramLabel = "NAME", split = ",", converter = CellConverter.class,
      completionCandidates = CellNames.class,
      description = "Run only these cells (repeat the option or separate names with commas): ${COMPLETION-CANDIDATES}.")
  List<Demo.Cell> cells = new ArrayList<>();

  @Option(names = "--list", description = "List the cells' names and titles, and exit.")
  boolean list;

  DemoCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if (list) {
      for (Demo.Cell c : Demo.CELLS) {
        out.printf("%-20s %s%n", c.name(), c.title());
      }
      out.flush();
      return Main.EXIT_OK;
    }
    List<Demo.Cell> chosen = cells.isEmpty() ? Demo.CELLS : cells;
    out.print("# Dive into Deep Learning, the convolution chapter, in Java (jconv). Each cell runs after"
        + " torch.manual_seed(" + seed + ").\n");
    for (Demo.Cell c : chosen) {
      out.print("\n" + Demo.heading(c) + "\n");
      Demo.run(c, seed, out);
    }
    out.flush();
    return Main.EXIT_OK;
  }

  /**
   * Reads a seed as {@code torch.manual_seed} accepts it: an integer in [-2^63, 2^64-1]; the values
   * above 2^63-1 keep their 64 bits (the generator uses only the low 32 anyway).
   */
  static final class SeedConverter implements ITypeConverter<Long> {
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    @Override
    public Long convert(String value) {
      BigInteger v;
      try {
        v = new BigInteger(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not an integer");
      }
      if (v.compareTo(MIN) < 0 || v.compareTo(MAX) > 0) {
        throw new TypeConversionException("'" + value + "' is out of range: a seed must be within ["
            + MIN + ", " + MAX + "], as for torch.manual_seed");
      }
      return v.longValue();
    }
  }

  static final class CellConverter implements ITypeConverter<Demo.Cell> {
    @Override
    public Demo.Cell convert(String value) {
      return Demo.cell(value.strip()).orElseThrow(() -> new TypeConversionException(
          "no cell named '" + value + "' (the cells: " + String.join(", ", Demo.names()) + ")"));
    }
  }

  static final class CellNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Demo.names().iterator();
    }
  }
}
