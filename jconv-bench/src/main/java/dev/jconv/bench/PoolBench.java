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
 * The pooling cases of the design's suite through the public API ({@code F.maxPool2d},
 * {@code F.avgPool2d}, {@code F.adaptiveAvgPool2d(x, 1)}), as {@code ./jconv bench} times them,
 * checked against the reference first. {@link BenchMain} prints GB/s = (input + output bytes) / time.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp jconv-bench/target/benchmarks.jar dev.jconv.bench.BenchMain \
 *     PoolBench -p threads=1,2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g",
    "-XX:+UseParallelGC"})
public class PoolBench {

  @Param({"maxpool_3s2", "maxpool_2", "avgpool_2", "gap"})
  public String pool;

  @Param({"1", "2"})
  public int threads;

  private BenchCase.Instance instance;

  @Setup(Level.Trial)
  public void setUp() {
    instance = SuiteState.checked(pool, threads);
  }

  @Benchmark
  public Tensor forward() {
    return instance.run();
  }
}
