package dev.jconv.internal.kernels;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.parallel.Parallel;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.functional.F;
import java.util.Arrays;
import java.util.function.Supplier;

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
 * GB/s counts the bytes a pooling must move at least once: the float32 input plus the output.
 * Each figure is the median over {@code runs} timed calls of {@code F} (output allocation
 * included, as in PyTorch) after a warm-up.
 */
public final class PoolBandwidthMain {
  private PoolBandwidthMain() {}

  record Case(String name, int n, int c, int h, int w, java.util.function.Function<Tensor, Tensor> op) {}

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 31;
    Parallel.setNumThreads(threads);
    Case[] cases = {
      new Case("maxpool_3s2", 8, 64, 112, 112, x -> F.maxPool2d(x, MaxPool2dOptions.of(3).stride(2).padding(1))),
      new Case("maxpool_2", 256, 6, 28, 28, x -> F.maxPool2d(x, 2)),
      new Case("avgpool_2", 256, 6, 28, 28, x -> F.avgPool2d(x, AvgPool2dOptions.of(2))),
      new Case("gap", 8, 2048, 7, 7, F::globalAvgPool2d),
    };
    System.out.printf("threads=%d runs=%d java=%s%n", threads, runs, System.getProperty("java.version"));
    for (Case k : cases) {
      Torch.manualSeed(0);
      Tensor x = Torch.rand(k.n(), k.c(), k.h(), k.w());
      Tensor y = k.op().apply(x);
      long bytes = 4L * (x.numel() + y.numel());
      double[] ms = time(() -> k.op().apply(x), runs);
      double med = ms[ms.length / 2];
      System.out.printf("%-12s in %-18s out %-18s %7.3f ms (min %7.3f)  %6.2f GB/s%n", k.name(),
          Arrays.toString(x.shapeArray()), Arrays.toString(y.shapeArray()), med, ms[0], bytes / med / 1e6);
    }
  }

  private static double[] time(Supplier<Tensor> f, int runs) {
    long warmUntil = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < warmUntil) {
      f.get();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      f.get();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }
}
