package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * By-hand timing (not a unit test) of the convolution backward's two halves on the design's cases:
 * the input gradient alone, the weight gradient alone, and both, through {@link ConvBackward#backward}
 * with fresh gradient arrays. Shows which half a slow case loses in.
 *
 * <pre>
 * mvn -q -pl jconv-core test-compile
 * java --add-modules jdk.incubator.vector -Dthreads=2 -cp jconv-core/target/classes:jconv-core/target/test-classes \
 *     dev.jconv.internal.kernels.ConvBackwardSplitMain [case ...]
 * </pre>
 *
 * Prints medians of 15 rounds (the three calls alternate) after 1.5 s of warm-up. GFLOP/s count the
 * forward's flops for each half.
 */
public final class ConvBackwardSplitMain {
  private ConvBackwardSplitMain() {}

  public static void main(String[] args) {
    Parallel.setNumThreads(Integer.getInteger("threads", 2));
    System.out.println("threads " + Parallel.getNumThreads() + "; median ms (GFLOP/s)");
    Random r = new Random(1);
    for (Map.Entry<String, ConvParams> c : SuiteProblems.chosen(args).entrySet()) {
      ConvParams p = c.getValue();
      float[][] d = SuiteProblems.gaussian(r, p.inputLength(), p.weightLength(), p.outputLength());
      long end = System.nanoTime() + 1_500_000_000L;
      while (System.nanoTime() < end) {
        for (int m = 0; m < 3; m++) {
          time(p, d, m);
        }
      }
      double[][] t = new double[3][15];
      for (int i = 0; i < 15; i++) {
        for (int m = 0; m < 3; m++) {
          t[m][i] = time(p, d, m);
        }
      }
      for (double[] x : t) {
        Arrays.sort(x);
      }
      double gflop = 2.0 * p.outputLength() * p.cinPerGroup() * p.kh() * p.kw() / 1e9;
      System.out.printf("%-10s input %7.2f (%5.0f)  weight %7.2f (%5.0f)  both %7.2f%n", c.getKey(), t[0][7],
          gflop / t[0][7] * 1e3, t[1][7], gflop / t[1][7] * 1e3, t[2][7]);
    }
    System.exit(0);
  }

  /** One call: 0 the input gradient, 1 the weight gradient, 2 both; milliseconds. */
  private static double time(ConvParams p, float[][] d, int which) {
    float[] gx = which != 1 ? new float[p.inputLength()] : null;
    float[] gw = which != 0 ? new float[p.weightLength()] : null;
    long start = System.nanoTime();
    ConvBackward.backward(p, d[0], d[1], d[2], gx, gw, null);
    return (System.nanoTime() - start) / 1e6;
  }
}
