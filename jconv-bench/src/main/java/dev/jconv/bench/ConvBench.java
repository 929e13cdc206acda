package dev.jconv.bench;

import dev.jconv.Tensor;
import dev.jconv.internal.bench.BenchCase;
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
 * The convolution cases of the design's suite through the public API ({@code F.conv2d}, bias
 * included, output allocated on every call as a user's is), the same calls {@code ./jconv bench}
 * times. Each trial first checks the result against the slow reference. {@link BenchMain} prints
 * GFLOP/s = {@code 2*N*Cout*Hout*Wout*(Cin/groups)*kh*kw / time}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp jconv-bench/target/benchmarks.jar dev.jconv.bench.BenchMain \
 *     ConvBench -p conv=res3x3_28,res1x1_56 -p threads=2
 * </pre>
 *
 * The provider is the default one; {@code -jvmArgsAppend -Djconv.provider=plain} (or
 * {@code -Djconv.vector.bits=256}) measures another.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g",
    "-XX:+UseParallelGC"})
public class ConvBench {

  @Param({"seed", "lenet1", "lenet2", "res3x3_56", "res3x3_28", "res3x3_14", "res1x1_56", "res_stem",
      "res3x3_s2", "dw3x3_112", "dilated"})
  public String conv;

  @Param({"1", "2"})
  public int threads;

  private BenchCase.Instance instance;

  @Setup(Level.Trial)
  public void setUp() {
    instance = SuiteState.checked(conv, threads);
  }

  @Benchmark
  public Tensor forward() {
    return instance.run();
  }
}
