package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jconv.Tensor;
import dev.jconv.internal.Raw;
import dev.jconv.internal.bench.BenchCase;
import dev.jconv.internal.bench.BenchSuite;
import dev.jconv.internal.bench.CheckResult;
import dev.jconv.internal.bench.ConvBackwardCase;
import dev.jconv.internal.bench.Workload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code jconv bench} on tiny settings (one sample of about a millisecond: these tests check what is
 * printed and when, never how fast anything is). PyTorch's side is played by small shell scripts
 * that speak the server protocol of tools/bench/torch_bench.py, so no Python is needed.
 */
class BenchCommandTest {
  private static final String[] QUICK = {"--threads", "1", "--iterations", "2", "--warmup", "0", "--warmup-ms", "0", "--sample-ms", "1"};
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private static String[] args(String... more) {
    String[] all = Arrays.copyOf(new String[] {"bench"}, 1 + QUICK.length + more.length);
    System.arraycopy(QUICK, 0, all, 1, QUICK.length);
    System.arraycopy(more, 0, all, 1 + QUICK.length, more.length);
    return all;
  }

  /** An executable shell script in the temp dir. */
  private Path script(String name, String body) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  /**
   * A fake PyTorch server: every case takes {@code ms} per call and does {@code work} flops or bytes.
   * It writes the requests it gets to {@code requests.log} in the temp dir.
   */
  private Path fakeTorch(String work, String ms) throws IOException {
    return script("fake-python", """
        echo '{"ready": true, "torch": "9.9.9-fake", "threads": 1}'
        while read cmd name rest; do
          echo "$cmd $name $rest" >> "$(dirname "$0")/requests.log"
          case "$cmd" in
            prepare) echo "{\\"case\\": \\"$name\\", \\"kind\\": \\"conv\\", \\"work\\": %s, \\"reps\\": 3}" ;;
            sample) echo "{\\"case\\": \\"$name\\", \\"ms\\": %s}" ;;
            quit) exit 0 ;;
          esac
        done
        """.formatted(work, ms));
  }

  private List<JsonNode> jsonLines(String out) throws IOException {
    List<JsonNode> nodes = new java.util.ArrayList<>();
    for (String line : out.split("\n")) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  @Test
  void bench_jconvOnly_printsHeaderSectionAndCheckedRows() {
    Run run = Run.of(args("--cases", "seed,gap", "--compare", "none"));

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
    String out = run.out();
    assertTrue(out.contains("# kernels    "), out);
    assertTrue(out.contains("-bit vectors, FMA "), out);
    assertTrue(out.contains("# compare    not compared (--compare none)"), out);
    assertTrue(out.contains("\nthreads 1 (peak: 265 GFLOP/s for convolutions, 40 GB/s for pooling)\n"), out);
    String seed = line(out, "seed ");
    assertTrue(seed.startsWith("seed        N4 C3 12x12 -> 64 k3"), seed);
    assertTrue(seed.contains(" GFLOP/s "), seed);
    assertTrue(seed.contains(" ok, "), seed); // checked, then the algorithm
    String gap = line(out, "gap ");
    assertTrue(gap.contains(" GB/s "), gap);
    assertTrue(gap.endsWith(" ok"), gap);
    assertFalse(out.contains("below 1.0"), "nothing compared, no ratio summary");
    assertTrue(out.contains("# machine    load average "), out);
    assertTrue(out.endsWith(" at the end (" + Runtime.getRuntime().availableProcessors() + " processors)\n"), out);
  }

  @Test
  void bench_compareTorchButPythonMissing_saysSoAndStillRunsJconv() {
    Run run = Run.of(args("--cases", "seed", "--compare", "torch", "--python", tmp.resolve("no-python").toString()));

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("jconv bench: --compare torch: PyTorch cannot be run: " + tmp.resolve("no-python")
        + " does not exist or is not executable (Debian: apt-get install python3-torch); timing jconv alone\n",
        run.err());
    assertTrue(run.out().contains("# compare    not compared: " + tmp.resolve("no-python")), run.out());
    String seed = line(run.out(), "seed ");
    assertTrue(seed.matches("seed +N4 C3 12x12 -> 64 k3 +[0-9.]+ +- +[0-9.]+ +- +GFLOP/s +- +[0-9]+% +- +ok.*"), seed);
  }

  @Test
  void bench_compareTorchButTorchDoesNotImport_quotesPythonsError() throws IOException {
    Path python = script("python-without-torch", """
        echo 'Traceback (most recent call last):' >&2
        echo "ModuleNotFoundError: No module named 'torch'" >&2
        exit 1
        """);

    Run run = Run.of(args("--cases", "seed", "--compare", "torch", "--python", python.toString()));

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("jconv bench: --compare torch: PyTorch cannot be run: "), run.err());
    assertTrue(run.err().contains("stopped: ModuleNotFoundError: No module named 'torch'"), run.err());
    assertTrue(line(run.out(), "seed ").contains(" ok"), run.out());
  }

  @Test
  void bench_autoWithoutTorch_notesItInTheHeaderOnly() {
    Run run = Run.of(args("--cases", "gap", "--python", tmp.resolve("none").toString()));

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
    assertTrue(run.out().contains("# compare    not compared: "), run.out());
  }

  @Test
  void bench_withTorch_reportsItsMedianAndTheRatio() throws IOException {
    BenchCase seed = BenchSuite.byName("seed").orElseThrow();
    Path python = fakeTorch("1382400.0", "2.0");

    Run run = Run.of(args("--cases", "seed", "--compare", "torch", "--json", "--python", python.toString(),
        "--torch-script", python.toString()));

    assertEquals(0, run.exitCode(), run.err());
    List<JsonNode> lines = jsonLines(run.out());
    assertEquals(3, lines.size(), run.out());
    assertEquals("9.9.9-fake", lines.get(0).get("torch").asText());
    assertTrue(lines.get(2).get("end").asBoolean(), run.out());
    assertTrue(lines.get(2).get("load").asText().startsWith("load average "), run.out());
    JsonNode row = lines.get(1);
    assertEquals("seed", row.get("case").asText());
    assertEquals(1, row.get("threads").asInt());
    assertEquals(seed.work(), row.get("work").asDouble());
    assertEquals(265.0, row.get("peak").asDouble());
    assertTrue(row.get("check").get("ok").asBoolean());
    assertEquals(2.0, row.get("torch").get("median_ms").asDouble());
    assertEquals(List.of(2.0, 2.0), doubles(row.get("torch").get("samples_ms")));
    assertEquals(1382400.0 / 2e-3 / 1e9, row.get("torch").get("throughput").asDouble(), 1e-6);
    double jconvMs = row.get("jconv").get("median_ms").asDouble();
    assertEquals(2, row.get("jconv").get("samples_ms").size());
    assertEquals(2.0 / jconvMs, row.get("ratio").asDouble(), 1e-4 * (2.0 / jconvMs));
  }

  @Test
  void bench_withTorch_textTableShowsBothColumns() throws IOException {
    Path python = fakeTorch("3276800.0", "0.5");

    Run run = Run.of(args("--cases", "gap", "--python", python.toString(), "--torch-script", python.toString()));

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("# compare    PyTorch 9.9.9-fake (" + python + ";"), run.out());
    assertTrue(run.out().contains("jconv and PyTorch samples alternate"), run.out());
    String gap = line(run.out(), "gap ");
    // 3276800 bytes in 0.5 ms = 6.55 GB/s, 16% of 40 GB/s.
    assertTrue(gap.matches("gap +N8 C2048 7x7 -> 1x1 avg +[0-9.]+ +0\\.5000 +[0-9.]+ +6\\.55 +GB/s +[0-9.]+ +[0-9]+% +16% +ok"), gap);
    assertTrue(run.out().contains("\nbelow 1.0 (PyTorch faster): gap ") || run.out().contains("\nratio >= 1.0 on every compared case\n"),
        run.out());
  }

  @Test
  void bench_torchMeasuresADifferentCase_refusesTheRatio() throws IOException {
    Path python = fakeTorch("999.0", "2.0");

    Run run = Run.of(args("--cases", "seed", "--json", "--python", python.toString(), "--torch-script", python.toString()));

    assertEquals(0, run.exitCode(), run.err());
    JsonNode row = jsonLines(run.out()).get(1);
    assertTrue(row.get("torch").isNull(), row.toString());
    assertTrue(row.get("ratio").isNull(), row.toString());
    assertTrue(row.get("torch_note").asText().contains("is a different case"), row.toString());
  }

  @Test
  void bench_torchDiesMidway_jconvGoesOn() throws IOException {
    Path python = script("dying-python", """
        echo '{"ready": true, "torch": "9.9.9-fake", "threads": 1}'
        read line
        echo 'Segmentation fault' >&2
        exit 139
        """);

    Run run = Run.of(args("--cases", "seed,gap", "--python", python.toString(), "--torch-script", python.toString()));

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("PyTorch: " + python + " " + python.getFileName() + " stopped: Segmentation fault"),
        run.out());
    assertTrue(line(run.out(), "gap ").contains(" ok"), run.out());
  }

  /** A wrong kernel, put in through the command's seam: reported as wrong, not timed, exit 1. */
  @Test
  void bench_wrongKernel_isNotTimedAndExitsWith1() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      BenchCommand bench = new BenchCommand(o, e);
      bench.trials = c -> c.name().equals("seed") ? offByOne(((BenchCase) c).instance()) : c.trial();
      code = new CommandLine(bench).execute(Arrays.copyOfRange(args("--cases", "seed,gap", "--compare", "none"), 1,
          1 + QUICK.length + 4));
    }
    String printed = out.toString(StandardCharsets.UTF_8);

    assertEquals(1, code);
    String seed = line(printed, "seed ");
    assertTrue(seed.startsWith("seed        N4 C3 12x12 -> 64 k3           WRONG, not timed: output[0, 0, 0, 0] = "), seed);
    assertFalse(seed.contains("GFLOP/s"), seed);
    assertTrue(line(printed, "gap ").contains(" ok"), printed);
    assertEquals("jconv bench: 1 result differs from the reference (marked WRONG above); their speed is not reported\n",
        err.toString(StandardCharsets.UTF_8));
  }

  /** The case's kernel, but with output element 0 raised by one. */
  private static BenchCase.Instance offByOne(BenchCase.Instance real) {
    return new BenchCase.Instance() {
      @Override
      public Tensor run() {
        Tensor out = real.run();
        float[] data = Raw.floats(out).clone();
        data[0] += 1;
        return Raw.wrap(data, out.shapeArray());
      }

      @Override
      public CheckResult check(Tensor out) {
        return real.check(out);
      }
    };
  }

  @Test
  void bench_backward_timesTheConvolutionsBackward() {
    Run run = Run.of(args("--backward", "--cases", "seed,lenet2", "--compare", "none"));

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
    String out = run.out();
    assertTrue(out.contains("cases of the design's suite, convolution backward (grad input, weight and bias)"), out);
    assertTrue(out.contains("# check      each case's jconv gradients are compared with float64 sums"), out);
    assertTrue(out.contains("\nthreads 1, convolution backward (peak: 265 GFLOP/s)\n"), out);
    String seed = line(out, "seed ");
    // No forward algorithm on a backward row: "ok" alone.
    assertTrue(seed.matches("seed +N4 C3 12x12 -> 64 k3 +[0-9.]+ +- +[0-9.]+ +- +GFLOP/s +- +[0-9]+% +- +ok"), seed);
    assertTrue(line(out, "lenet2 ").endsWith(" ok"), out);
  }

  @Test
  void bench_backwardWithTorch_asksForTheBackward_andComparesTwiceTheWork() throws IOException {
    Path python = fakeTorch("2764800.0", "0.5");

    Run run = Run.of(args("--backward", "--cases", "seed", "--json", "--python", python.toString(),
        "--torch-script", python.toString()));

    assertEquals(0, run.exitCode(), run.err());
    List<JsonNode> lines = jsonLines(run.out());
    assertEquals(3, lines.size(), run.out());
    assertEquals("backward", lines.get(0).get("pass").asText());
    assertTrue(lines.get(0).get("compare").asText().contains("torch.ops.aten.convolution_backward"), run.out());
    JsonNode row = lines.get(1);
    assertEquals("seed", row.get("case").asText());
    assertEquals("backward", row.get("pass").asText());
    assertEquals(2_764_800.0, row.get("work").asDouble());
    assertTrue(row.get("algorithm").isNull(), row.toString());
    assertEquals(0.5, row.get("torch").get("median_ms").asDouble());
    assertEquals(2_764_800.0 / 0.5e-3 / 1e9, row.get("torch").get("throughput").asDouble(), 1e-6);
    double jconvMs = row.get("jconv").get("median_ms").asDouble();
    assertEquals(0.5 / jconvMs, row.get("ratio").asDouble(), 1e-4 * (0.5 / jconvMs));
    assertEquals(List.of("prepare seed 0 1.0 backward", "sample seed", "sample seed", "quit"),
        Files.readAllLines(tmp.resolve("requests.log")).stream().map(String::strip).toList());
  }

  /** A PyTorch side that answers the forward's work (a script that ignores the pass) is not compared. */
  @Test
  void bench_backwardButTorchTimesTheForward_refusesTheRatio() throws IOException {
    Path python = fakeTorch("1382400.0", "0.5");

    Run run = Run.of(args("--backward", "--cases", "seed", "--json", "--python", python.toString(),
        "--torch-script", python.toString()));

    assertEquals(0, run.exitCode(), run.err());
    JsonNode row = jsonLines(run.out()).get(1);
    assertTrue(row.get("torch").isNull(), row.toString());
    assertTrue(row.get("torch_note").asText().startsWith("PyTorch's seed backward is a different case (work 1382400"),
        row.toString());
  }

  /** A wrong gradient, put in through the seam: reported as wrong, not timed, exit 1. */
  @Test
  void bench_backwardWrongGradient_isNotTimedAndExitsWith1() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      BenchCommand bench = new BenchCommand(o, e);
      bench.trials = c -> c.name().equals("lenet2") ? doubledWeightGrad((ConvBackwardCase) c) : c.trial();
      code = new CommandLine(bench).execute(Arrays.copyOfRange(
          args("--backward", "--cases", "seed,lenet2", "--compare", "none"), 1, 1 + QUICK.length + 5));
    }
    String printed = out.toString(StandardCharsets.UTF_8);

    assertEquals(1, code);
    String lenet2 = line(printed, "lenet2 ");
    assertTrue(lenet2.startsWith("lenet2      N256 C6 14x14 -> 16 k5         WRONG, not timed: grad weight[0, 0, 0, 0] = "),
        lenet2);
    assertTrue(line(printed, "seed ").endsWith(" ok"), printed);
    assertEquals("jconv bench: 1 result differs from the reference (marked WRONG above); their speed is not reported\n",
        err.toString(StandardCharsets.UTF_8));
  }

  /** The case's backward, but with the weight gradient doubled. */
  private static Workload.Trial<ConvBackwardCase.Grads> doubledWeightGrad(ConvBackwardCase c) {
    Workload.Trial<ConvBackwardCase.Grads> real = c.trial();
    return new Workload.Trial<>() {
      @Override
      public ConvBackwardCase.Grads run() {
        ConvBackwardCase.Grads g = real.run();
        return new ConvBackwardCase.Grads(g.input(), g.weight().mul(2.0), g.bias());
      }

      @Override
      public CheckResult check(ConvBackwardCase.Grads result) {
        return real.check(result);
      }
    };
  }

  @Test
  void list_backward_printsTheConvolutionsWithTwiceTheWork() {
    Run run = Run.of("bench", "--backward", "--list");

    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().split("\n");
    assertEquals(11, lines.length);
    assertEquals("res_stem    N8 C3 224x224 -> 64 k7 s2 p3        3.776 GFLOP per call", lines[7]);
    assertTrue(lines[10].startsWith("dilated "), lines[10]);
  }

  @Test
  void list_printsEveryCaseWithShapeAndWork() {
    Run run = Run.of("bench", "--list");

    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().split("\n");
    assertEquals(BenchSuite.names().size(), lines.length);
    for (int i = 0; i < lines.length; i++) {
      assertTrue(lines[i].startsWith(BenchSuite.names().get(i) + " "), lines[i]);
    }
    assertEquals("res_stem    N8 C3 224x224 -> 64 k7 s2 p3        1.888 GFLOP per call", lines[7]);
    assertEquals("gap         N8 C2048 7x7 -> 1x1 avg          0.003277 GB per call", lines[14]);
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> v = new java.util.ArrayList<>();
    array.forEach(n -> v.add(n.asDouble()));
    return v;
  }

  private static String line(String out, String prefix) {
    return Arrays.stream(out.split("\n")).filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + out));
  }
}
