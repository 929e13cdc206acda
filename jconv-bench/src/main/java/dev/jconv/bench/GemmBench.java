package dev.jconv.bench;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;
import java.util.SplittableRandom;
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
 * {@code C = A B} in float32 through a {@link KernelProvider}, on square shapes and on the skinny
 * shapes convolution produces (64x3136x576 is ResNet's 3x3 conv at 56x56 as im2col + GEMM;
 * 256x3136x64 its 1x1 expansion).
 *
 * <p>Params: {@code shape} = MxNxK; {@code threads} of jconv's pool; {@code provider} = plain or
 * panama; {@code bits} = vector width for panama (0 = the CPU's own, capped at 512). Run through
 * {@link BenchMain} to get GFLOP/s, e.g.
 * {@code java -cp jconv-bench/target/benchmarks.jar dev.jconv.bench.BenchMain Gemm -p threads=1,2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g",
    "-XX:+UseParallelGC"})
public class GemmBench {

  @Param({"256x256x256", "512x512x512", "1024x1024x1024", "64x3136x576", "256x3136x64"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  @Param({"panama"})
  public String provider;

  @Param({"0"})
  public int bits;

  private KernelProvider kernels;
  private int m;
  private int n;
  private int k;
  private float[] a;
  private float[] b;
  private float[] c;

  @Setup(Level.Trial)
  public void setUp() {
    int[] mnk = parseShape(shape);
    m = mnk[0];
    n = mnk[1];
    k = mnk[2];
    Parallel.setNumThreads(threads);
    kernels = provider(provider, bits);
    SplittableRandom rnd = new SplittableRandom(42);
    a = new float[m * k];
    b = new float[k * n];
    c = new float[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (rnd.nextDouble() - 0.5);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) (rnd.nextDouble() - 0.5);
    }
    kernels.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, 0, n);
    // A fast wrong answer is worth nothing: check sampled elements against double sums.
    for (int s = 0; s < 64; s++) {
      int i = rnd.nextInt(m);
      int j = rnd.nextInt(n);
      double want = 0;
      double abs = 0;
      for (int p = 0; p < k; p++) {
        want += (double) a[i * k + p] * b[p * n + j];
        abs += Math.abs((double) a[i * k + p] * b[p * n + j]);
      }
      if (!(Math.abs(c[i * n + j] - want) <= (k + 2) * 0x1p-23 * abs)) {
        throw new IllegalStateException(kernels + " " + shape + ": C[" + i + "][" + j + "] = "
            + c[i * n + j] + ", expected " + want);
      }
    }
  }

  @Benchmark
  public float[] sgemm() {
    kernels.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, 0, n);
    return c;
  }

  static int[] parseShape(String shape) {
    String[] parts = shape.split("x");
    if (parts.length != 3) {
      throw new IllegalArgumentException("shape must be MxNxK, got " + shape);
    }
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
  }

  /** The provider named by the {@code provider} and {@code bits} params. */
  static KernelProvider provider(String name, int bits) {
    return switch (name) {
      case "plain" -> KernelProviders.plain();
      case "panama" -> KernelProviders.panama(bits != 0 ? bits : Math.min(512, KernelProviders.preferredBits()));
      default -> throw new IllegalArgumentException("provider must be plain or panama, got " + name);
    };
  }
}
