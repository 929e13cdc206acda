package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.internal.parallel.Parallel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelProvider#packA(int, int, int, KernelProvider.PackSource, PackedMatrix[])}: matrices
 * written by a source straight into the packed layout, on every native provider, against
 * {@code packA} of the same matrices and against the matrices themselves.
 */
class PackSetTest {

  /** Rows around MR (6) and past a few panels; depths of one KC step, two (300) and four (777). */
  private static final int[] ROWS = {1, 5, 6, 7, 13, 207};
  private static final int[] DEPTHS = {1, 7, 300, 777};
  private static final int COUNT = 3;

  /** Matrices {@code m x k}, row-major, with no zeros (so that -0 and +0 cannot hide a mistake). */
  private static float[][] matrices(SplittableRandom rnd, int m, int k) {
    float[][] a = new float[COUNT][m * k];
    for (float[] x : a) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (rnd.nextDouble(0.5, 1.5) * (rnd.nextBoolean() ? 1 : -1));
      }
    }
    return a;
  }

  /** A source copying from {@code a}, counting how often each element is written. */
  private static KernelProvider.PackSource source(float[][] a, int k, AtomicIntegerArray writes) {
    return (i0, rows, p0, cols, dst, off, matrixStride, rowStep, colStep) -> {
      for (int e = 0; e < a.length; e++) {
        for (int i = i0; i < i0 + rows; i++) {
          for (int p = p0; p < p0 + cols; p++) {
            dst[off + e * matrixStride + (i - i0) * rowStep + (p - p0) * colStep] = a[e][i * k + p];
            writes.incrementAndGet((e * (writes.length() / a.length)) + i * k + p);
          }
        }
      }
    };
  }

  private static float[] product(KernelProvider p, PackedMatrix a, float[] b, int n) {
    float[] c = new float[a.rows() * n];
    p.sgemmPacked(a, false, n, b, 0, n, 0f, c, 0, n);
    return c;
  }

  private static float[] identity(int k) {
    float[] b = new float[k * k];
    for (int i = 0; i < k; i++) {
      b[i * k + i] = 1f;
    }
    return b;
  }

  @Test
  void packSet_everyNativeProviderAndShape_equalsPackAOfEachMatrix() {
    List<KernelProvider> providers = KernelProviders.allNative();
    SplittableRandom rnd = new SplittableRandom(21);
    int before = Parallel.getNumThreads();
    int checked = 0;
    int exact = 0;
    try {
      for (int threads : new int[] {1, 3}) {
        Parallel.setNumThreads(threads);
        for (int m : ROWS) {
          for (int k : DEPTHS) {
            float[][] a = matrices(rnd, m, k);
            int n = 9;
            float[] b = new float[k * n];
            for (int i = 0; i < b.length; i++) {
              b[i] = (float) rnd.nextDouble(-1, 1);
            }
            for (KernelProvider p : providers) {
              String what = p + " " + m + "x" + k + " threads " + threads;
              AtomicIntegerArray writes = new AtomicIntegerArray(COUNT * m * k);
              PackedMatrix[] set = p.packA(COUNT, m, k, source(a, k, writes), null);
              for (int i = 0; i < writes.length(); i++) {
                if (writes.get(i) != 1) {
                  fail(what + ": element " + i + " written " + writes.get(i) + " times");
                }
              }
              assertEquals(COUNT, set.length);
              for (int e = 0; e < COUNT; e++) {
                assertEquals(m, set[e].rows());
                assertEquals(k, set[e].cols());
                assertArrayEquals(product(p, p.packA(false, m, k, a[e], 0, k), b, n),
                    product(p, set[e], b, n), what + " matrix " + e);
              }
              // Against the matrices themselves: A times the identity is A, exactly.
              if (m <= 13 && k <= 300) {
                for (int e = 0; e < COUNT; e++) {
                  assertArrayEquals(a[e], product(p, set[e], identity(k), k), what + " A I, matrix " + e);
                }
                exact++;
              }
              checked++;
            }
          }
        }
      }
    } finally {
      Parallel.setNumThreads(before);
    }
    assertEquals(2 * ROWS.length * DEPTHS.length * providers.size(), checked);
    assertEquals(2 * 5 * 3 * providers.size(), exact);
  }

  @Test
  void packSet_reuse_overwritesOnlyASetOfTheSameShapeAndProvider() {
    SplittableRandom rnd = new SplittableRandom(22);
    int m = 13;
    int k = 300;
    int checked = 0;
    for (KernelProvider p : KernelProviders.allNative()) {
      float[][] first = matrices(rnd, m, k);
      float[][] second = matrices(rnd, m, k);
      AtomicIntegerArray writes = new AtomicIntegerArray(COUNT * m * k * 2);
      PackedMatrix[] set = p.packA(COUNT, m, k, source(first, k, writes), null);
      PackedMatrix[] again = p.packA(COUNT, m, k, source(second, k, writes), set);
      assertTrue(again == set, p + ": same shape, same provider: the set is reused");
      for (int e = 0; e < COUNT; e++) {
        assertArrayEquals(second[e], product(p, again[e], identity(k), k), p + " matrix " + e);
      }
      // Another count, shape or provider, or matrices packed one by one, are not reused.
      assertFalse(p.packA(COUNT - 1, m, k, source(java.util.Arrays.copyOf(first, COUNT - 1), k, writes), set) == set);
      assertFalse(p.packA(COUNT, m - 1, k, source(matrices(rnd, m - 1, k), k, writes), set) == set);
      assertFalse(p.packA(COUNT, m, k - 1, source(matrices(rnd, m, k - 1), k - 1, writes), set) == set);
      PackedMatrix[] single = new PackedMatrix[COUNT];
      for (int e = 0; e < COUNT; e++) {
        single[e] = p.packA(false, m, k, first[e], 0, k);
      }
      assertFalse(p.packA(COUNT, m, k, source(first, k, writes), single) == single);
      PackedMatrix[] foreign = KernelProviders.plain().packA(COUNT, m, k, source(first, k, writes), null);
      assertEquals(p == KernelProviders.plain(), p.packA(COUNT, m, k, source(first, k, writes), foreign) == foreign);
      checked++;
    }
    assertEquals(KernelProviders.allNative().size(), checked);
  }

  @Test
  void packA_intoAMatrixOfASet_writesOnlyThatMatrix() {
    SplittableRandom rnd = new SplittableRandom(23);
    int m = 7;
    int k = 13;
    int checked = 0;
    for (KernelProvider p : KernelProviders.allNative()) {
      float[][] a = matrices(rnd, m, k);
      PackedMatrix[] set = p.packA(COUNT, m, k, source(a, k, new AtomicIntegerArray(COUNT * m * k)), null);
      float[] other = matrices(rnd, m, k)[0];
      assertTrue(p.packA(false, m, k, other, 0, k, set[1]) == set[1], p + ": a matrix of the set is reused");
      assertArrayEquals(a[0], product(p, set[0], identity(k), k), p + " matrix 0");
      assertArrayEquals(other, product(p, set[1], identity(k), k), p + " matrix 1");
      assertArrayEquals(a[2], product(p, set[2], identity(k), k), p + " matrix 2");
      checked++;
    }
    assertEquals(KernelProviders.allNative().size(), checked);
  }
}
