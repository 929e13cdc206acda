package dev.jconv.internal.vector;

import dev.jconv.internal.parallel.Parallel;
import java.util.SplittableRandom;

/**
 * By-hand timing (not a unit test) of {@code sgemm} on the backward's weight-gradient shapes, in
 * the three layouts the product can take: {@code A B^T} (im2col: gOut times the unfolded input,
 * both along the pixels), {@code A^T B} (Winograd: tile-major transforms) and {@code A B} for
 * comparison. Shows what the transposes cost against the plain product.
 *
 * <pre>
 * mvn -q -pl jconv-core test-compile
 * java --add-modules jdk.incubator.vector -Dthreads=1 -Dbits=512 \
 *     -cp jconv-core/target/classes:jconv-core/target/test-classes dev.jconv.internal.vector.GemmShapesMain
 * </pre>
 *
 * Prints the best of 7 rounds of 100 calls (beta 1) after 200 warm-up calls, in GFLOP/s.
 */
public final class GemmShapesMain {
  private GemmShapesMain() {}

  public static void main(String[] args) {
    Parallel.setNumThreads(Integer.getInteger("threads", 1));
    KernelProvider p = KernelProviders.panama(Integer.getInteger("bits", 512));
    System.out.println(p + ", threads " + Parallel.getNumThreads() + "; GFLOP/s");
    // res1x1_56 per image, res3x3_s2 per chunk, dilated per chunk, Winograd per e (res3x3_56/28/14).
    int[][] shapes = {{256, 64, 3136}, {128, 1152, 392}, {64, 576, 784}, {64, 64, 196}, {128, 128, 147},
        {256, 256, 128}};
    SplittableRandom r = new SplittableRandom(1);
    for (int[] s : shapes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      float[] a = random(r, m * k);
      float[] b = random(r, n * k);
      float[] c = new float[m * n];
      double flop = 2.0 * m * n * k;
      double nt = flop / time(() -> p.sgemm(false, true, m, n, k, a, 0, k, b, 0, k, 1f, c, 0, n));
      double tn = flop / time(() -> p.sgemm(true, false, m, n, k, a, 0, m, b, 0, n, 1f, c, 0, n));
      double nn = flop / time(() -> p.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, 1f, c, 0, n));
      System.out.printf("%4d x %4d x %4d  A B^T %6.1f  A^T B %6.1f  A B %6.1f%n", m, n, k, nt, tn, nn);
    }
    System.exit(0);
  }

  private static float[] random(SplittableRandom r, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) (r.nextDouble() - 0.5);
    }
    return x;
  }

  /** Nanoseconds per call: the best of 7 rounds. */
  private static double time(Runnable call) {
    for (int i = 0; i < 200; i++) {
      call.run();
    }
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 7; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        call.run();
      }
      best = Math.min(best, (System.nanoTime() - t0) / 100.0);
    }
    return best;
  }
}
