package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code dot} and {@code axpy} of every native provider against double-precision loops. */
class VectorOpsTest {

  /** Lucene's awkward lengths: below, at and around every vector and unroll boundary. */
  private static final int[] LENGTHS = {0, 1, 4, 6, 8, 13, 16, 25, 32, 64, 100, 128, 207, 256, 300,
      512, 702, 1024};

  @Test
  void dot_everyProviderAndLength_matchesDoubleLoop() {
    int checked = 0;
    SplittableRandom rnd = new SplittableRandom(3);
    for (int n : LENGTHS) {
      float[] x = random(rnd, n + 5);
      float[] y = random(rnd, n + 9);
      double want = 0;
      double abs = 0;
      for (int i = 0; i < n; i++) {
        want += (double) x[i + 5] * y[i + 9];
        abs += Math.abs((double) x[i + 5] * y[i + 9]);
      }
      for (KernelProvider p : KernelProviders.allNative()) {
        float got = p.dot(x, 5, y, 9, n);
        assertEquals(want, got, (n + 1) * 0x1p-23 * abs, p + " n=" + n);
        checked++;
      }
    }
    assertEquals(LENGTHS.length * KernelProviders.allNative().size(), checked);
  }

  @Test
  void axpy_everyProviderAndLength_matchesDoubleLoopAndLeavesTheRest() {
    int checked = 0;
    SplittableRandom rnd = new SplittableRandom(4);
    for (int n : LENGTHS) {
      float[] x = random(rnd, n + 2);
      float[] y0 = random(rnd, n + 6);
      for (KernelProvider p : KernelProviders.allNative()) {
        float[] y = y0.clone();
        p.axpy(n, -0.75f, x, 2, y, 3);
        for (int i = 0; i < y.length; i++) {
          boolean inside = i >= 3 && i < 3 + n;
          double want = inside ? y0[i] - 0.75 * x[i - 3 + 2] : y0[i];
          // One rounding (fused) or two (multiply, then add): within 2 ulps of the exact value.
          assertEquals(want, y[i], inside ? 2 * Math.ulp((float) Math.abs(want)) + 1e-7 : 0,
              p + " n=" + n + " i=" + i);
        }
        checked++;
      }
    }
    assertEquals(LENGTHS.length * KernelProviders.allNative().size(), checked);
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return x;
  }
}
