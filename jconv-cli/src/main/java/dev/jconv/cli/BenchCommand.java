package dev.jconv.cli;

import dev.jconv.Torch;
import dev.jconv.internal.bench.BenchCase;
import dev.jconv.internal.bench.BenchSuite;
import dev.jconv.internal.bench.CheckResult;
import dev.jconv.internal.bench.ConvBackwardCase;
import dev.jconv.internal.bench.ConvCase;
import dev.jconv.internal.bench.Workload;
import dev.jconv.internal.vector.KernelInfo;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code jconv bench}: the design's benchmark suite in jconv and, side by side in the same run,
 * in PyTorch. Every jconv result is checked against the slow reference before it is timed; a wrong
 * one is reported as wrong and not timed, and the command then exits with 1.
 */
@Command(
    name = "bench",
    description = {
        "Times the benchmark suite of the design notes (11 convolutions, 4 poolings; forward, float32,"
            + " through the public API F, output allocation included) in jconv and, when Debian's Python"
            + " with torch is installed, the same cases in PyTorch in the same run.",
        "With --backward: the backward of the 11 convolutions instead, all three gradients (input, weight,"
            + " bias) from a fixed output gradient. jconv's side is ConvBackward.backward with fresh gradient"
            + " arrays, the call autograd's ConvolutionBackward0 makes (graph bookkeeping not timed); PyTorch's is"
            + " torch.ops.aten.convolution_backward(..., output_mask=[True, True, True]), the op its autograd"
            + " calls. GFLOP/s count twice the forward's flops (grad input + grad weight); the bias gradient is"
            + " timed, not counted. The gradients are checked against float64 sums written from the definition"
            + " (whole bias gradient, spread weight channels, spread input channels of the first and last image).",
        "Per case: the median time, GFLOP/s (2*N*Cout*Hout*Wout*Cin/groups*kh*kw / time) or GB/s"
            + " ((input + output bytes) / time), the ratio jconv/PyTorch throughput (> 1: jconv faster)"
            + " and the share of the machine's peak. Each jconv result is first checked against the slow"
            + " reference on a sample (first and last image, spread channels); a wrong kernel is not timed.",
        "jconv and PyTorch samples alternate case by case, so a busy machine slows both alike."},
    sortOptions = false,
    footerHeading = "%nExamples:%n",
    footer = {
        "  ./jconv bench                               the whole suite, 1 and 2 threads, PyTorch if installed",
        "  ./jconv bench --compare torch               the same, and say so if PyTorch cannot be run",
        "  ./jconv bench --cases res3x3_28,gap --threads 2",
        "  ./jconv bench --backward --compare torch   the convolutions' backward, beside PyTorch's",
        "  ./jconv bench --backward --cases lenet1,lenet2 --threads 1",
        "  ./jconv bench --compare none --iterations 3 --sample-ms 50   a quicker jconv-only run",
        "  ./jconv bench --json > bench.jsonl          one JSON object per case and thread count",
        "  ./jconv bench --list                        the cases and their shapes",
        "  JCONV_JAVA_OPTS=-Djconv.vector.bits=256 ./jconv bench   jconv's 256-bit (AVX2-width) kernels",
        "",
        "PyTorch runs as /usr/bin/python3 tools/bench/torch_bench.py --serve THREADS, with OpenBLAS/OpenMP set to",
        "the same threads, GLIBC_TUNABLES raising malloc's mmap/trim thresholds, and OPENBLAS_CORETYPE unset."})
final class BenchCommand implements Callable<Integer> {

  /** Whether to run PyTorch beside jconv. */
  enum Compare { AUTO, TORCH, NONE }

  private final PrintStream out;
  private final PrintStream err;

  /** How a case's inputs and timed call are made: a seam for tests to put a wrong kernel in. */
  Function<Workload, Workload.Trial<?>> trials = Workload::trial;

  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--threads", paramLabel = "N[,N...]", split = ",", defaultValue = "1,2",
      description = "Thread counts to run the suite with, one section each (default: ${DEFAULT-VALUE}).")
  List<Integer> threads = new ArrayList<>();

  @Option(names = "--cases", paramLabel = "NAME[,NAME...]", split = ",", converter = CaseConverter.class,
      description = "Only these cases (default: all): ${COMPLETION-CANDIDATES}.",
      completionCandidates = CaseNames.class)
  List<BenchCase> cases = new ArrayList<>();

  @Option(names = "--backward",
      description = "Time the convolutions' backward (grad input, weight and bias; GFLOP/s of 2x the forward's"
          + " flops) instead of the forward. Only convolution cases; --cases defaults to all 11.")
  boolean backward;

  @Option(names = "--compare", paramLabel = "torch|none|auto", defaultValue = "auto",
      converter = CompareConverter.class,
      description = "torch: run PyTorch beside jconv, and say why if it cannot be run; none: jconv only;"
          + " auto (default): PyTorch when it is installed.")
  Compare compare;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "7",
      description = "Timed samples per case and framework; the median is reported (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "5",
      description = "Untimed warm-up samples per case and framework (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--warmup-ms", paramLabel = "MS", defaultValue = "1500",
      description = "jconv's warm-up goes on past --warmup samples until it has lasted this long, so that the JIT "
          + "has compiled the case's kernels before it is timed (default: ${DEFAULT-VALUE}).")
  double warmupMs;

  @Option(names = "--sample-ms", paramLabel = "MS", defaultValue = "100",
      description = "Least length of one sample: calls are repeated until it is reached, and the sample's"
          + " figure is its time per call (default: ${DEFAULT-VALUE}).")
  double sampleMs;

  @Option(names = "--settle-ms", paramLabel = "MS", defaultValue = "50",
      description = "With PyTorch compared: the pause before each sample, so that the other framework's idle"
          + " threads have stopped (PyTorch's OpenMP workers spin for 5-10 ms of CPU after each call, on a"
          + " core the next jconv sample needs; jconv's spin 0.1 ms) (default: ${DEFAULT-VALUE}).")
  double settleMs;

  @Option(names = "--json", description = "Print one JSON object per line (a header, then one per case and"
      + " thread count) instead of the table.")
  boolean json;

  @Option(names = "--list", description = "List the cases with their shapes and work, and exit.")
  boolean list;

  @Option(names = "--peak-gflops", paramLabel = "G1[,G2...]", split = ",", defaultValue = "265,518",
      description = "Float32 peak GFLOP/s with 1, 2, ... threads, for the convolutions' share of peak; more"
          + " threads than listed scale the last figure per thread (default: ${DEFAULT-VALUE}, this project's"
          + " AVX-512 machines: 2 FMA units x 16 lanes x 2 flops x the clock, which drops with both cores busy).")
  List<Double> peakGflops = new ArrayList<>();

  @Option(names = "--peak-gbs", paramLabel = "GB/s", defaultValue = "40",
      description = "Memory bandwidth, for the poolings' share of peak (default: ${DEFAULT-VALUE}).")
  double peakGbs;

  @Mixin
  TorchOptions torchOptions = new TorchOptions();

  BenchCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    validate();
    List<Workload> chosen = chosen();
    List<Integer> threadCounts = List.copyOf(new LinkedHashSet<>(threads));
    BenchReport.Peaks peaks = new BenchReport.Peaks(peakGflops, peakGbs);
    if (list) {
      for (Workload c : chosen) {
        out.printf(Locale.ROOT, "%-11s %-30s %10.4g %s per call%n", c.name(), c.describe(),
            c.work() / 1e9, c.unit() == BenchCase.Unit.GFLOPS ? "GFLOP" : "GB");
      }
      out.flush();
      return Main.EXIT_OK;
    }

    int threadsBefore = Torch.getNumThreads();
    Map<Integer, TorchServer> servers = new LinkedHashMap<>();
    try {
      String torchProblem = compare == Compare.NONE ? null : startTorch(threadCounts, servers);
      if (torchProblem != null && compare == Compare.TORCH) {
        err.println("jconv bench: --compare torch: PyTorch cannot be run: " + torchProblem
            + "; timing jconv alone");
        err.flush();
      }
      printHeader(chosen, threadCounts, servers, torchProblem);
      int wrong = 0;
      for (int t : threadCounts) {
        Torch.setNumThreads(t);
        if (!json) {
          out.println();
          out.println(BenchReport.section(t, peaks, backward ? Workload.Pass.BACKWARD : Workload.Pass.FORWARD));
          out.println(BenchReport.COLUMNS);
          out.println(BenchReport.COLUMNS2);
          out.flush();
        }
        List<BenchReport.Row> rows = new ArrayList<>();
        for (Workload c : chosen) {
          BenchReport.Row row = measure(c, t, servers.get(t));
          rows.add(row);
          wrong += row.wrong() ? 1 : 0;
          out.println(json ? BenchReport.jsonRow(row, peaks) : BenchReport.textRow(row, peaks));
          if (!json && row.torchNote() != null && servers.containsKey(t)) {
            out.println("            PyTorch: " + row.torchNote());
          }
          out.flush();
        }
        String summary = BenchReport.belowOne(rows);
        if (!json && !summary.isEmpty()) {
          out.println(summary);
        }
      }
      if (json) {
        out.println("{\"end\": true, \"load\": " + JsonFields.quote(loadLine("at the end")) + "}");
      } else {
        out.println();
        out.println("# machine    " + loadLine("at the end"));
      }
      out.flush();
      if (wrong > 0) {
        err.println("jconv bench: " + wrong + " result" + (wrong == 1 ? " differs" : "s differ")
            + " from the reference (marked WRONG above); their speed is not reported");
        err.flush();
        return Main.EXIT_ERROR;
      }
      return Main.EXIT_OK;
    } finally {
      servers.values().forEach(TorchServer::close);
      Torch.setNumThreads(threadsBefore);
    }
  }

  private void validate() {
    for (int t : threads) {
      if (t < 1) {
        throw usage("--threads: thread counts must be at least 1, got " + t);
      }
      if (t > dev.jconv.Torch.MAX_THREADS) {
        throw usage("--threads: thread counts must be at most " + dev.jconv.Torch.MAX_THREADS
            + ", got " + t);
      }
    }
    if (iterations < 1) {
      throw usage("--iterations must be at least 1, got " + iterations);
    }
    if (warmup < 0) {
      throw usage("--warmup must be 0 or more, got " + warmup);
    }
    if (!(warmupMs >= 0) || Double.isInfinite(warmupMs)) {
      throw usage("--warmup-ms must be 0 or more, got " + warmupMs);
    }
    if (!(sampleMs > 0) || Double.isInfinite(sampleMs)) {
      throw usage("--sample-ms must be a positive number of milliseconds, got " + sampleMs);
    }
    if (!(settleMs >= 0) || settleMs > 60_000) {
      throw usage("--settle-ms must be 0 to 60000 milliseconds, got " + settleMs);
    }
    for (double g : peakGflops) {
      if (!(g > 0) || Double.isInfinite(g)) {
        throw usage("--peak-gflops: peaks must be positive numbers, got " + g);
      }
    }
    if (!(peakGbs > 0) || Double.isInfinite(peakGbs)) {
      throw usage("--peak-gbs must be a positive number, got " + peakGbs);
    }
    if (backward) {
      List<String> pools = cases.stream().filter(c -> !(c instanceof ConvCase)).map(BenchCase::name).toList();
      if (!pools.isEmpty()) {
        throw usage("--backward times convolutions only; not a convolution: " + String.join(", ", pools)
            + " (the convolutions: " + String.join(", ", BenchSuite.CONV.stream().map(ConvCase::name).toList()) + ")");
      }
    }
  }

  /** The workloads to run: the chosen cases (all by default), their backward with --backward. */
  private List<Workload> chosen() {
    List<BenchCase> named = List.copyOf(new LinkedHashSet<>(cases));
    if (backward) {
      return named.isEmpty() ? List.copyOf(BenchSuite.CONV_BACKWARD)
          : named.stream().map(c -> (Workload) new ConvBackwardCase((ConvCase) c)).toList();
    }
    return named.isEmpty() ? List.copyOf(BenchSuite.ALL) : List.copyOf(named);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** Starts one PyTorch server per thread count; returns why PyTorch cannot be used, or null. */
  private String startTorch(List<Integer> threadCounts, Map<Integer, TorchServer> servers) {
    Path script = torchOptions.script("torch_bench.py");
    for (int t : threadCounts) {
      try {
        servers.put(t, TorchServer.start(torchOptions.python, script, t));
      } catch (TorchServer.Unavailable e) {
        servers.values().forEach(TorchServer::close);
        servers.clear();
        return e.getMessage();
      }
    }
    return null;
  }

  private void printHeader(List<Workload> chosen, List<Integer> threadCounts, Map<Integer, TorchServer> servers,
      String torchProblem) {
    KernelInfo k = KernelInfo.current();
    Map<String, String> h = new LinkedHashMap<>();
    h.put("jconv", Main.version() + ": " + chosen.size() + " cases of the design's suite, " + (backward
        ? "convolution backward (grad input, weight and bias), float32, through ConvBackward.backward (the call of"
            + " autograd's ConvolutionBackward0; graph not timed); GFLOP/s of 2x the forward's flops"
        : "forward, float32, through F"));
    h.put("java", Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
        + Runtime.getRuntime().availableProcessors() + " processors");
    h.put("kernels", k.provider() + (k.provider().equals("plain") ? " (plain Java)" : " (Vector API)")
        + ", " + k.vectorBits() + "-bit vectors, FMA " + (k.fma() == null ? "unknown" : k.fma() ? "yes" : "no"));
    h.put("threads", threadCounts.toString().replaceAll("[\\[\\] ]", ""));
    String torch;
    if (!servers.isEmpty()) {
      torch = "PyTorch " + servers.values().iterator().next().version() + " (" + torchOptions.python
          + (backward ? "; torch.ops.aten.convolution_backward, output_mask [True, True, True]" : "")
          + "; OpenBLAS/OpenMP threads = threads, GLIBC_TUNABLES malloc thresholds, OPENBLAS_CORETYPE unset)";
    } else if (compare == Compare.NONE) {
      torch = "not compared (--compare none)";
    } else {
      torch = "not compared: " + torchProblem;
    }
    h.put("compare", torch);
    h.put("timing", "median of " + iterations + " samples of >= " + BenchReport.json(sampleMs) + " ms after "
        + warmup + " warm-up sample" + (warmup == 1 ? "" : "s") + " (jconv: and >= " + BenchReport.json(warmupMs)
        + " ms)" + (servers.isEmpty() ? "" : "; jconv and PyTorch samples alternate, each after a pause of "
        + BenchReport.json(settleMs) + " ms"));
    h.put("ratio", "jconv throughput / PyTorch throughput (> 1: jconv faster)");
    StringBuilder peak = new StringBuilder();
    for (int i = 0; i < peakGflops.size(); i++) {
      peak.append(BenchReport.json(peakGflops.get(i))).append(" GFLOP/s on ").append(i + 1)
          .append(i == 0 ? " thread, " : " threads, ");
    }
    h.put("peak", peak + BenchReport.json(peakGbs) + " GB/s memory bandwidth");
    h.put("check", backward
        ? "each case's jconv gradients are compared with float64 sums from the definition before they are timed"
        : "each jconv result is compared with the slow reference before it is timed");
    h.put("machine", loadLine("at the start"));
    if (json) {
      StringBuilder s = new StringBuilder("{\"header\": true");
      h.forEach((key, v) -> s.append(", ").append(JsonFields.quote(key)).append(": ").append(JsonFields.quote(v)));
      s.append(", \"pass\": ").append(JsonFields.quote(backward ? "backward" : "forward"))
          .append(", \"provider\": ").append(JsonFields.quote(k.provider()))
          .append(", \"vector_bits\": ").append(k.vectorBits())
          .append(", \"torch\": ").append(servers.isEmpty() ? "null"
              : JsonFields.quote(servers.values().iterator().next().version()));
      out.println(s.append('}'));
    } else {
      BenchReport.header(h).forEach(out::println);
    }
    out.flush();
  }

  /**
   * The system load average, e.g. {@code 1.73 at the start (2 processors)}: other programs' work
   * slows both frameworks (PyTorch's OpenMP threads most), so a reader should know how busy the
   * machine was.
   */
  private static String loadLine(String when) {
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    String processors = " (" + Runtime.getRuntime().availableProcessors() + " processors)";
    return load < 0 ? "load average unknown on this system"
        : String.format(Locale.ROOT, "load average %.2f %s%s", load, when, processors);
  }

  /** Runs a trial once and checks what it returned. */
  private static <R> CheckResult runAndCheck(Workload.Trial<R> trial) {
    return trial.check(trial.run());
  }

  /** Checks, then times one case at {@code t} threads, PyTorch's samples alternating with jconv's. */
  private BenchReport.Row measure(Workload c, int t, TorchServer torch) {
    Workload.Trial<?> trial = trials.apply(c);
    CheckResult check = runAndCheck(trial);
    // The forward selector's choice; the backward has no selector (ConvBackward picks its GEMM form inside).
    String algorithm = c instanceof ConvCase conv ? conv.algorithm().toLowerCase(Locale.ROOT) : "";
    if (!check.ok()) {
      return new BenchReport.Row(c, t, check, null, null, null, algorithm);
    }
    Supplier<?> fn = trial::run;
    int reps = Sampler.calibrate(fn, sampleMs);
    long warmStart = System.nanoTime();
    for (int i = 0; i < warmup || (System.nanoTime() - warmStart) / 1e6 < warmupMs; i++) {
      // The first calls run before the JIT has compiled the kernels (Vector API code is ~100x slower
      // interpreted, and C2 may take half a second on a busy machine): calibrated on them alone, a sample
      // would be a few calls, far shorter than asked, and timed too early it would measure the interpreter.
      reps = Sampler.reps(Sampler.sample(fn, reps), sampleMs);
    }
    String note = null;
    boolean useTorch = false;
    if (torch != null && torch.alive()) {
      try {
        TorchServer.Prepared p = torch.prepare(c.name(), c.pass().word(), warmup, sampleMs);
        // An older script that does not know the pass times the forward: its work tells.
        if (Math.abs(p.work() - c.work()) > 1e-9 * c.work()) {
          note = "PyTorch's " + c.name() + " " + c.pass().word() + " is a different case (work " + p.work()
              + ", jconv's " + c.work() + "): not compared";
        } else {
          useTorch = true;
        }
      } catch (TorchServer.Unavailable e) {
        note = e.getMessage();
      }
    }
    double[] jconvMs = new double[iterations];
    double[] torchMs = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      if (useTorch) {
        settle();
      }
      jconvMs[i] = Sampler.sample(fn, reps);
      if (useTorch) {
        try {
          settle();
          torchMs[i] = torch.sample(c.name(), sampleMs);
        } catch (TorchServer.Unavailable e) {
          note = e.getMessage();
          useTorch = false;
        }
      }
    }
    return new BenchReport.Row(c, t, check, BenchReport.Timing.of(jconvMs),
        useTorch ? BenchReport.Timing.of(torchMs) : null, note, algorithm);
  }

  /** Sleeps {@link #settleMs}: the other framework's idle threads stop spinning meanwhile. */
  private void settle() {
    try {
      Thread.sleep(Math.round(settleMs));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static final class CaseConverter implements ITypeConverter<BenchCase> {
    @Override
    public BenchCase convert(String value) {
      return BenchSuite.byName(value.strip()).orElseThrow(() -> new TypeConversionException(
          "no case named '" + value + "' (the cases: " + String.join(", ", BenchSuite.names()) + ")"));
    }
  }

  static final class CaseNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return BenchSuite.names().iterator();
    }
  }

  static final class CompareConverter implements ITypeConverter<Compare> {
    @Override
    public Compare convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "torch", "pytorch" -> Compare.TORCH;
        case "none" -> Compare.NONE;
        case "auto" -> Compare.AUTO;
        default -> throw new TypeConversionException("'" + value + "' is not one of torch, none, auto");
      };
    }
  }
}
