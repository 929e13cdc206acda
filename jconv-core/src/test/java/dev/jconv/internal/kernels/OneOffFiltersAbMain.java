package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProviders;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * By-hand A/B timing (not a unit test): the input gradient with the old one-off filters (flipped
 * copy, transform into scratch, packA per plane) against the new ones, alternating in one JVM.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dthreads=2 -cp jconv-core/target/classes:jconv-core/target/test-classes \
 *     dev.jconv.internal.kernels.OneOffFiltersAbMain [case ...]
 * </pre>
 */
public final class OneOffFiltersAbMain {
  private OneOffFiltersAbMain() {}

  public static void main(String[] args) {
    Parallel.setNumThreads(Integer.getInteger("threads", 2));
    int rounds = Integer.getInteger("rounds", 41);
    System.out.println("threads " + Parallel.getNumThreads() + ", provider " + KernelProviders.get()
        + "; ms: median [q1 q3] of " + rounds + " alternating rounds");
    Random r = new Random(1);
    for (Map.Entry<String, ConvParams> c : SuiteProblems.chosen(args).entrySet()) {
      ConvParams p = c.getValue();
      float[][] d = SuiteProblems.gaussian(r, p.inputLength(), p.weightLength(), p.outputLength());
      long end = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < end) {
        for (int m = 0; m < 4; m++) {
          time(p, d, m);
        }
      }
      double[][] t = new double[4][rounds];
      for (int i = 0; i < rounds; i++) {
        for (int m = 0; m < 4; m++) {
          t[m][i] = time(p, d, m);
        }
      }
      String[] names = {"gradX old", "gradX new", "filters old", "filters new"};
      for (int m = 0; m < 4; m++) {
        Arrays.sort(t[m]);
        System.out.printf("%-10s %-12s %7.3f [%7.3f %7.3f]%n", c.getKey(), names[m], t[m][rounds / 2],
            t[m][rounds / 4], t[m][3 * rounds / 4]);
      }
      System.out.printf("%-10s gradX new/old %.3f, filters new/old %.3f%n", c.getKey(),
          t[1][rounds / 2] / t[0][rounds / 2], t[3][rounds / 2] / t[2][rounds / 2]);
    }
    System.exit(0);
  }

  /** 0/1: input gradient old/new; 2/3: the filters alone (as the input gradient makes them) old/new. */
  private static double time(ConvParams p, float[][] d, int which) {
    WinogradConv.legacyFilters = which % 2 == 0;
    float[] gx = which < 2 ? new float[p.inputLength()] : null;
    long start = System.nanoTime();
    if (which < 2) {
      ConvBackward.backward(p, d[0], d[1], d[2], gx, null, null);
    } else if (which == 2) {
      WinogradConv.filters(KernelProviders.get(), d[1], p.cin(), p.cout(), false);
    } else {
      WinogradConv.flippedFilters(KernelProviders.get(), d[1], p.cin(), p.cout());
    }
    return (System.nanoTime() - start) / 1e6;
  }
}
