package dev.jconv.bench;

import dev.jconv.internal.bench.BenchSuite;
import dev.jconv.internal.vector.KernelProviders;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with its usual command-line options, then prints one line per result with the
 * throughput that matters (GFLOP/s for multiplies) next to the median time, threads, provider and
 * vector width, as JSON lines that {@code tools/bench/torch_bench.py} also writes.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp jconv-bench/target/benchmarks.jar \
 *     dev.jconv.bench.BenchMain GemmBench -p threads=1,2 -p shape=1024x1024x1024
 * </pre>
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions options = new CommandLineOptions(args);
    Collection<RunResult> results = new Runner(options).run();
    System.out.println();
    System.out.println("# median of the measurement iterations; flops: 2*M*N*K for GEMM, the direct"
        + " convolution's 2*N*Cout*Hout*Wout*Cin/groups*kh*kw for convolutions (twice that for"
        + " ConvBackwardBench); bytes: float32 input + output"
        + " for pooling");
    for (RunResult r : results) {
      System.out.println(line(r));
    }
  }

  static String line(RunResult r) {
    var params = r.getParams();
    String bench = params.getBenchmark();
    String shortName = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
    var stats = r.getPrimaryResult().getStatistics();
    double medianMs = toMillis(stats.getPercentile(50), r.getPrimaryResult().getScoreUnit());
    String provider = params.getParam("provider");
    int bits = params.getParam("bits") == null ? 0 : Integer.parseInt(params.getParam("bits"));
    if (provider == null) {
      // The suite benchmarks run through F with the fork's default provider, as a user's code
      // would (the fork has the Vector API module); -Djconv.* among its JVM arguments choose another.
      String forced = jvmProperty(params, "jconv.provider", "");
      String forcedBits = jvmProperty(params, "jconv.vector.bits", "");
      if (forced.equals("plain") || forcedBits.equals("0") || !KernelProviders.vectorModulePresent()) {
        provider = "plain";
        bits = 0;
      } else {
        provider = "panama";
        bits = forcedBits.isEmpty() ? Math.min(512, KernelProviders.preferredBits()) : Integer.parseInt(forcedBits);
      }
    } else if ("plain".equals(provider)) {
      bits = 0;
    } else if (bits == 0 && KernelProviders.vectorModulePresent()) {
      bits = Math.min(512, KernelProviders.preferredBits());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "{\"bench\": \"%s\", \"case\": \"%s\", \"threads\": %s, "
            + "\"provider\": \"%s\", \"bits\": %d, \"median_ms\": %.4f",
        shortName, caseName(shortName, params), params.getParam("threads"), provider, bits,
        medianMs));
    double flops = Double.NaN;
    double bytes = Double.NaN;
    if (params.getParam("conv") != null && shortName.startsWith("ConvBench")) {
      flops = BenchSuite.byName(params.getParam("conv")).orElseThrow().work();
    } else if (params.getParam("conv") != null && shortName.startsWith("ConvBackwardBench")) {
      flops = BenchSuite.CONV_BACKWARD.stream().filter(b -> b.name().equals(params.getParam("conv"))).findFirst()
          .orElseThrow().work();
    } else if (params.getParam("pool") != null) {
      bytes = BenchSuite.byName(params.getParam("pool")).orElseThrow().work();
    }
    if (shortName.startsWith("GemmBench")) {
      int[] mnk = GemmBench.parseShape(params.getParam("shape"));
      flops = 2.0 * mnk[0] * mnk[1] * mnk[2];
    } else if (shortName.startsWith("WinogradBench")) {
      flops = WinogradBench.flops(params.getParam("conv"));
      sb.append(", \"algorithm\": \"winograd\"");
      if (Boolean.parseBoolean(params.getParam("prepared"))) {
        sb.append(", \"prepared\": true");
      }
    }
    if (!Double.isNaN(flops)) {
      sb.append(String.format(Locale.ROOT, ", \"gflops\": %.1f", flops / (medianMs * 1e6)));
    }
    if (!Double.isNaN(bytes)) {
      sb.append(String.format(Locale.ROOT, ", \"gbs\": %.2f", bytes / (medianMs * 1e6)));
    }
    return sb.append('}').toString();
  }

  private static String caseName(String bench, org.openjdk.jmh.infra.BenchmarkParams params) {
    if (params.getParam("pool") != null) {
      return params.getParam("pool");
    }
    return params.getParam("conv") != null ? params.getParam("conv") : params.getParam("shape");
  }

  /** The value of {@code -Dname=...} among the fork's JVM arguments, or {@code otherwise}. */
  private static String jvmProperty(org.openjdk.jmh.infra.BenchmarkParams params, String name, String otherwise) {
    String prefix = "-D" + name + "=";
    String value = otherwise;
    for (String arg : params.getJvmArgs()) {
      if (arg.startsWith(prefix)) {
        value = arg.substring(prefix.length());
      }
    }
    return value;
  }

  private static double toMillis(double score, String unit) {
    return switch (unit) {
      case "ms/op" -> score;
      case "us/op" -> score / 1e3;
      case "ns/op" -> score / 1e6;
      case "s/op" -> score * 1e3;
      default -> throw new IllegalStateException("unexpected JMH unit " + unit);
    };
  }
}
