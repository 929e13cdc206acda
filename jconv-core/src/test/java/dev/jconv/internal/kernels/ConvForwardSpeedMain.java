package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import java.util.Map;
import java.util.Random;

/**
 * By-hand timing of the forward convolution kernels on the design's benchmark cases (not a unit
 * test, and not the published figures: those come from {@code ./jconv bench --compare torch}). On
 * a shared machine the best of many short samples is steadier than the median, which is why this
 * exists next to the bench:
 *
 * <pre>
 * mvn -q -pl jconv-core test-compile
 * java --add-modules jdk.incubator.vector -cp jconv-core/target/classes:jconv-core/target/test-classes \
 *     [-Djconv.conv.algorithm=NAME] dev.jconv.internal.kernels.ConvForwardSpeedMain THREADS [case ...]
 * </pre>
 *
 * Prints, after two seconds of warm-up, the best of 20 samples (each at least 20 ms of back-to-back calls, a new output array per
 * call as F allocates one), in GFLOP/s, by the wall clock and, with one thread, also by the
 * thread's CPU time (which a busy machine's other programs do not inflate).
 */
public final class ConvForwardSpeedMain {
  private ConvForwardSpeedMain() {}

  /** This thread's CPU time from Linux's schedstat (0 elsewhere: then the cpu column is void). */
  private static long cpuNanos() {
    try {
      String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/schedstat"));
      return Long.parseLong(s.substring(0, s.indexOf(' ')));
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  public static void main(String[] args) {
    Parallel.setNumThreads(Integer.parseInt(args[0]));
    Random r = new Random(1);
    for (Map.Entry<String, ConvParams> c
        : SuiteProblems.chosen(java.util.Arrays.copyOfRange(args, 1, args.length)).entrySet()) {
      String name = c.getKey();
      ConvParams p = c.getValue();
      float[][] d = SuiteProblems.gaussian(r, p.inputLength(), p.weightLength(), p.cout());
      float[] x = d[0];
      float[] w = d[1];
      float[] b = d[2];
      ConvAlgorithm alg = ConvSelector.select(p);
      double best = Double.MAX_VALUE;
      double bestCpu = Double.MAX_VALUE;
      // Two seconds of warm-up first: on a busy machine C2 can take over half a second to compile
      // a kernel, and code running before that is 40x slower.
      long warm = System.nanoTime();
      while (System.nanoTime() - warm < 2_000_000_000L) {
        alg.forward(p, x, w, b, new float[p.outputLength()]);
      }
      for (int rep = 0; rep < 20; rep++) {
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        int calls = 0;
        long t1;
        do {
          float[] out = new float[p.outputLength()];
          alg.forward(p, x, w, b, out);
          calls++;
          t1 = System.nanoTime();
        } while (t1 - t0 < 20_000_000L);
        long c1 = cpuNanos();
        {
          best = Math.min(best, (t1 - t0) / 1e9 / calls);
          bestCpu = Math.min(bestCpu, (c1 - c0) / 1e9 / calls);
        }
      }
      System.out.printf("%-10s %-18s %8.4f ms %6.1f GFLOP/s   cpu %8.4f ms %6.1f GFLOP/s%n", name, alg,
          best * 1e3, p.flops() / best / 1e9, bestCpu * 1e3, p.flops() / bestCpu / 1e9);
    }
  }
}
