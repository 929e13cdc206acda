package dev.jconv.bench;

import dev.jconv.internal.bench.BenchSuite;
import dev.jconv.internal.bench.CheckResult;
import dev.jconv.internal.bench.ConvBackwardCase;
import dev.jconv.internal.bench.Workload;
import dev.jconv.internal.parallel.Parallel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The backward of the suite's convolution cases (grad input, grad weight and grad bias, through the
 * kernel entry the autograd node calls), the same calls {@code ./jconv bench --backward} times. Each
 * trial first checks the gradients against the slow reference. GFLOP/s counts twice the forward's
 * flops.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp jconv-bench/target/benchmarks.jar dev.jconv.bench.BenchMain \
 *     ConvBackwardBench -p conv=lenet1,lenet2 -p threads=2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g",
    "-XX:+UseParallelGC"})
public class ConvBackwardBench {

  @Param({"seed", "lenet1", "lenet2", "res3x3_56", "res3x3_28", "res3x3_14", "res1x1_56", "res_stem",
      "res3x3_s2", "dw3x3_112", "dilated"})
  public String conv;

  @Param({"1", "2"})
  public int threads;

  private Workload.Trial<ConvBackwardCase.Grads> trial;

  @Setup(Level.Trial)
  public void setUp() {
    ConvBackwardCase c = BenchSuite.CONV_BACKWARD.stream().filter(b -> b.name().equals(conv)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no convolution case named " + conv));
    Parallel.setNumThreads(threads);
    trial = c.trial();
    CheckResult check = trial.check(trial.run());
    // A fast wrong answer is worth nothing: refuse to time it.
    if (!check.ok()) {
      throw new IllegalStateException(conv + " backward gives wrong gradients: " + check.detail());
    }
  }

  @Benchmark
  public ConvBackwardCase.Grads backward() {
    return trial.run();
  }
}
