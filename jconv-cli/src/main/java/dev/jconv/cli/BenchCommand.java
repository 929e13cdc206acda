package dev.jconv.cli;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelInfo;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jconv bench}: times the design's benchmark suite in jconv and, with
 * {@code --compare torch}, the same cases in PyTorch in the same run, then prints one row per case
 * and thread count: both times, both throughputs, the ratio and jconv's share of the machine's
 * peak. Each jconv result is checked against sums in double before it is timed.
 */
@Command(
    name = "bench",
    description = "Times the benchmark suite (conv: GFLOP/s of the direct convolution; pooling: GB/s of"
        + " input + output) in jconv and optionally in PyTorch, side by side.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  ./jconv bench                          every case, 1 and 2 threads",
        "  ./jconv bench --compare torch          the same cases in PyTorch too, with ratios",
        "  ./jconv bench --cases res3x3_28,gap --threads 2",
        "  JCONV_JAVA_OPTS=-Djconv.vector.bits=256 ./jconv bench   the 256-bit kernels",
        "Ratio = PyTorch time / jconv time: above 1.0 jconv is faster. Peak: jconv's share of",
        "--peak-gflops per thread (conv) or of --mem-gbs (pooling); conv rates count the direct",
        "convolution's flops, so Winograd, which does fewer, can show more than 100%."})
final class BenchCommand implements Callable<Integer> {
  private final PrintStream out;

  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--threads", split = ",", defaultValue = "1,2",
      description = "Thread counts, comma-separated (default: ${DEFAULT-VALUE}).")
  List<Integer> threads;

  @Option(names = "--cases", split = ",", description = "Case names, comma-separated (default: all).")
  List<String> cases;

  @Option(names = "--compare", description = "Also time the cases in another framework: torch.")
  String compare;

  @Option(names = "--python", description = "Python with torch (default: /usr/bin/python3, else python3).")
  String python;

  @Option(names = "--torch-script", description = "Path of torch_bench.py (default: tools/bench/torch_bench.py"
      + " under the current directory or the jconv checkout).")
  File torchScript;

  @Option(names = "--min-sample-ms", defaultValue = "100", description = "Length of one timed sample (default: ${DEFAULT-VALUE}).")
  double minSampleMs;

  @Option(names = "--samples", defaultValue = "7", description = "Timed samples per case; the median is reported (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--warmup-ms", defaultValue = "1000", description = "Warm-up per case before timing, for the JIT (default: ${DEFAULT-VALUE}).")
  double warmupMs;

  @Option(names = "--peak-gflops", defaultValue = "265", description = "Float32 peak of one core in GFLOP/s (default: ${DEFAULT-VALUE}, this project's AVX-512 machines).")
  double peakGflops;

  @Option(names = "--mem-gbs", defaultValue = "40", description = "Memory bandwidth in GB/s (default: ${DEFAULT-VALUE}).")
  double memGbs;

  BenchCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    List<String> names = cases == null || cases.isEmpty() ? BenchSuite.names() : cases;
    for (String n : names) {
      if (!BenchSuite.names().contains(n)) {
        throw new ParameterException(spec.commandLine(), "--cases: unknown case '" + n
            + "'; known: " + String.join(", ", BenchSuite.names()));
      }
    }
    for (int t : threads) {
      if (t < 1) {
        throw new ParameterException(spec.commandLine(), "--threads: thread counts must be positive, got " + t);
      }
    }
    if (compare != null && !compare.equals("torch")) {
      throw new ParameterException(spec.commandLine(), "--compare: only 'torch' is known, got '" + compare + "'");
    }
    if (samples < 1 || !(minSampleMs > 0) || !(warmupMs >= 0)) {
      throw new ParameterException(spec.commandLine(),
          "--samples must be >= 1, --min-sample-ms > 0 and --warmup-ms >= 0");
    }
    out.println("# " + KernelInfo.current() + "; java " + Runtime.version());
    int before = Parallel.getNumThreads();
    List<BenchSuite.Timing> mine = new ArrayList<>();
    Map<String, Double> torch = new HashMap<>();
    try {
      // PyTorch right after jconv at each thread count: on a shared machine the load drifts, and
      // this keeps the two sides of a ratio close in time.
      for (int t : threads) {
        Parallel.setNumThreads(t);
        for (String n : names) {
          BenchSuite.Case c = BenchSuite.get(n);
          Runnable call = c.setup().get();
          double ms = BenchSuite.time(call, warmupMs, minSampleMs, samples);
          mine.add(new BenchSuite.Timing(n, c.conv(), t, ms, c.work()));
        }
        if (compare != null) {
          torch.putAll(runTorch(names, t));
        }
      }
    } finally {
      Parallel.setNumThreads(before);
    }
    printTable(mine, torch);
    return 0;
  }

  private void printTable(List<BenchSuite.Timing> mine, Map<String, Double> torch) {
    boolean cmp = compare != null;
    out.printf(Locale.ROOT, "%-12s %3s %10s %14s%s %7s%n", "case", "thr", "jconv ms", "jconv rate",
        cmp ? String.format(Locale.ROOT, " %10s %14s %6s", "torch ms", "torch rate", "ratio") : "", "peak");
    for (BenchSuite.Timing t : mine) {
      String unit = t.conv() ? "GFLOP/s" : "GB/s";
      double peak = t.conv() ? peakGflops * t.threads() : memGbs;
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s %3d %10.3f %14s",
          t.name(), t.threads(), t.medianMs(), String.format(Locale.ROOT, "%.1f %s", t.rate(), unit)));
      if (cmp) {
        Double tm = torch.get(t.name() + "@" + t.threads());
        if (tm == null) {
          row.append(String.format(Locale.ROOT, " %10s %14s %6s", "-", "-", "-"));
        } else {
          double rate = t.work() / (tm * 1e6);
          row.append(String.format(Locale.ROOT, " %10.3f %14s %6.2f", tm,
              String.format(Locale.ROOT, "%.1f %s", rate, unit), tm / t.medianMs()));
        }
      }
      row.append(String.format(Locale.ROOT, " %6.0f%%", 100 * t.rate() / peak));
      out.println(row);
    }
    out.flush();
  }

  private static final Pattern CASE = Pattern.compile("\"case\":\\s*\"([^\"]+)\"");
  private static final Pattern THREADS = Pattern.compile("\"threads\":\\s*(\\d+)");
  private static final Pattern MEDIAN = Pattern.compile("\"median_ms\":\\s*([0-9.eE+-]+)");

  /** Runs torch_bench.py; returns median ms by "case@threads". */
  private Map<String, Double> runTorch(List<String> names, int threadCount)
      throws IOException, InterruptedException {
    String py = python != null ? python : new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
    File script = torchScript != null ? torchScript : findScript();
    if (script == null || !script.isFile()) {
      throw new IllegalStateException("tools/bench/torch_bench.py not found; pass --torch-script PATH");
    }
    List<String> cmd = new ArrayList<>(List.of(py, script.getPath(), "--cases", String.join(",", names),
        "--threads", String.valueOf(threadCount),
        "--min-sample-ms", String.valueOf(minSampleMs), "--samples", String.valueOf(samples)));
    Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Map<String, Double> result = new HashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Matcher c = CASE.matcher(line);
        Matcher t = THREADS.matcher(line);
        Matcher m = MEDIAN.matcher(line);
        if (c.find() && t.find() && m.find()) {
          result.put(c.group(1) + "@" + t.group(1), Double.parseDouble(m.group(1)));
        }
      }
    }
    int rc = proc.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(py + " " + script + " failed (exit " + rc + "); is torch installed"
          + " for that Python? (Debian: apt-get install python3-torch; or pass --python)");
    }
    return result;
  }

  /** tools/bench/torch_bench.py under the current directory or above the CLI jar. */
  private static File findScript() {
    List<File> roots = new ArrayList<>();
    roots.add(new File(".").getAbsoluteFile());
    try {
      File jar = new File(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (File f = jar; f != null; f = f.getParentFile()) {
        roots.add(f);
      }
    } catch (Exception ignored) {
      // no code source: the current directory only
    }
    for (File root : roots) {
      File s = new File(root, "tools/bench/torch_bench.py");
      if (s.isFile()) {
        return s;
      }
    }
    return null;
  }
}
