package dev.jconv.internal.kernels;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.Raw;
import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.PoolingKernels;
import dev.jconv.internal.vector.PoolingProviders;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.functional.F;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * By-hand bandwidth measurement of the pooling kernels on the design's benchmark cases (not a unit
 * test; run it alone on a quiet machine, see tools/bench/pool_bench.py for PyTorch's side):
 *
 * <pre>
 * mvn -q -o -pl jconv-core test-compile
 * java --add-modules jdk.incubator.vector -cp jconv-core/target/classes:jconv-core/target/test-classes \
 *     dev.jconv.internal.kernels.PoolBandwidthMain [threads] [runs]
 * </pre>
 *
 * {@code -Djconv.provider=plain} or {@code -Djconv.vector.bits=256} choose the kernels, as for
 * jconv itself; the first line says which ran. GB/s counts the bytes a pooling must move at least
 * once: the float32 input plus the output. Each figure is the median over {@code runs} timed calls
 * after a warm-up: "F" is the public call (checks, output allocation — which zeroes the new array,
 * one more pass over the output — and the kernel, as PyTorch's figure includes its allocation);
 * "kernel" is the kernel alone writing into an output allocated once.
 */
public final class PoolBandwidthMain {
  private PoolBandwidthMain() {}

  record Case(String name, int n, int c, int h, int w, Function<Tensor, Tensor> op, Kernel kernel) {}

  /** The kernel of a case, writing into a preallocated output. */
  interface Kernel {
    void run(PoolingKernels k, float[] x, float[] out);
  }

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 31;
    Parallel.setNumThreads(threads);
    PoolingKernels kernels = PoolingProviders.get();
    Pool2dParams stem = Pool2dParams.max(8 * 64, 112, 112, 56, 56, 3, 3, 2, 2, 1, 1, 1, 1);
    Pool2dParams lenet = Pool2dParams.max(256 * 6, 28, 28, 14, 14, 2, 2, 2, 2, 0, 0, 1, 1);
    Pool2dParams lenetAvg = Pool2dParams.avg(256 * 6, 28, 28, 14, 14, 2, 2, 2, 2, 0, 0, true, 0);
    AdaptivePool2dParams gap = new AdaptivePool2dParams(8 * 2048, 7, 7, 1, 1);
    Case[] cases = {
      new Case("maxpool_3s2", 8, 64, 112, 112, x -> F.maxPool2d(x, MaxPool2dOptions.of(3).stride(2).padding(1)),
          (k, x, y) -> k.maxPool2d(x, 0, y, 0, null, 0, stem)),
      new Case("maxpool_2", 256, 6, 28, 28, x -> F.maxPool2d(x, 2),
          (k, x, y) -> k.maxPool2d(x, 0, y, 0, null, 0, lenet)),
      new Case("avgpool_2", 256, 6, 28, 28, x -> F.avgPool2d(x, AvgPool2dOptions.of(2)),
          (k, x, y) -> k.avgPool2d(x, 0, y, 0, lenetAvg)),
      new Case("gap", 8, 2048, 7, 7, F::globalAvgPool2d,
          (k, x, y) -> k.adaptiveAvgPool2d(x, 0, y, 0, gap)),
    };
    System.out.printf("jconv threads=%d runs=%d java=%s provider=%s vector_bits=%d%n", threads, runs,
        System.getProperty("java.version"), kernels.name(), kernels.vectorBits());
    for (Case k : cases) {
      Torch.manualSeed(0);
      Tensor x = Torch.rand(k.n(), k.c(), k.h(), k.w());
      Tensor y = k.op().apply(x);
      float[] xs = Raw.floats(x);
      float[] ys = new float[Math.toIntExact(y.numel())];
      k.kernel().run(kernels, xs, ys);
      if (!Arrays.equals(ys, Raw.floats(y))) {
        throw new AssertionError(k.name() + ": the kernel alone and F disagree");
      }
      long bytes = 4L * (x.numel() + y.numel());
      double[] ms = time(unused -> k.op().apply(x), runs);
      double[] kms = time(unused -> k.kernel().run(kernels, xs, ys), runs);
      double med = ms[ms.length / 2];
      double kmed = kms[kms.length / 2];
      System.out.printf("%-12s in %-18s out %-18s F %7.3f ms (min %7.3f) %6.2f GB/s | kernel %7.3f ms %6.2f GB/s%n",
          k.name(), Arrays.toString(x.shapeArray()), Arrays.toString(y.shapeArray()), med, ms[0],
          bytes / med / 1e6, kmed, bytes / kmed / 1e6);
    }
  }

  private static double[] time(Consumer<Void> f, int runs) {
    long warmUntil = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < warmUntil) {
      f.accept(null);
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      f.accept(null);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }
}
