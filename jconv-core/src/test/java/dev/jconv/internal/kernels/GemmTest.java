package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Gemm#sgemm} against a triple loop in double, across block edges and every flag. */
class GemmTest {

  private final int threads = Parallel.getNumThreads();

  @AfterEach
  void restoreThreads() {
    Parallel.setNumThreads(threads);
  }

  /** Sizes on both sides of the block edges (MB = 64, NB = KB = 256) plus tiny ones. */
  static Stream<Arguments> shapes() {
    int[][] mnk = {
      {1, 1, 1}, {1, 7, 13}, {7, 1, 13}, {13, 7, 1}, {4, 4, 4}, {5, 3, 9},
      {63, 65, 17}, {64, 256, 256}, {65, 257, 257}, {3, 300, 520}, {130, 33, 70}, {207, 13, 7},
    };
    List<Arguments> out = new ArrayList<>();
    for (int[] s : mnk) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          out.add(Arguments.of(s[0], s[1], s[2], ta, tb));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
  @MethodSource("shapes")
  void sgemm_matchesTripleLoop(int m, int n, int k, boolean transA, boolean transB) {
    SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k);
    // Offsets and leading dimensions larger than the rows, so indexing mistakes show.
    int aOff = 3;
    int bOff = 5;
    int cOff = 2;
    int lda = (transA ? m : k) + 2;
    int ldb = (transB ? k : n) + 1;
    int ldc = n + 3;
    float[] a = random(rnd, aOff + lda * (transA ? k : m));
    float[] b = random(rnd, bOff + ldb * (transB ? n : k));
    for (float beta : new float[] {0f, 1f}) {
      float[] c = random(rnd, cOff + ldc * m);
      float[] before = c.clone();
      if (beta == 0f) {
        // beta = 0 must not read C: NaN and infinity there must not leak into the result.
        for (int i = 0; i < c.length; i += 3) {
          c[i] = i % 2 == 0 ? Float.NaN : Float.POSITIVE_INFINITY;
        }
        System.arraycopy(c, 0, before, 0, c.length);
      }
      Gemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double sum = beta == 0f ? 0 : before[cOff + i * ldc + j];
          double mag = Math.abs(sum);
          for (int p = 0; p < k; p++) {
            double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            sum += av * bv;
            mag += Math.abs(av * bv);
          }
          float got = c[cOff + i * ldc + j];
          // Worst-case float rounding of a k-term sum, relative to the sum of magnitudes.
          double tol = 2.0 * (k + 1) * Math.ulp(1f) * mag + 1e-30;
          String where = "C[" + i + "][" + j + "] (beta " + beta + ")";
          double expected = sum;
          assertTrue(Math.abs(got - expected) <= tol, () -> where + ": got " + got + ", expected " + expected);
        }
      }
      // Padding columns between rows of C (ld > n) and the offset prefix must be untouched.
      for (int i = 0; i < cOff; i++) {
        assertEquals(before[i], c[i], 0f);
      }
      for (int i = 0; i < m; i++) {
        for (int j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
          assertEquals(Float.floatToRawIntBits(before[cOff + i * ldc + j]),
              Float.floatToRawIntBits(c[cOff + i * ldc + j]), "padding column " + j + " of row " + i);
        }
      }
    }
  }

  @Test
  void sgemm_singleThreadEqualsParallel_bitForBit() {
    // Blocks are independent and each sums in the same order, so the thread count must not
    // change a single bit.
    SplittableRandom rnd = new SplittableRandom(42);
    int m = 130;
    int n = 600;
    int k = 300;
    float[] a = random(rnd, m * k);
    float[] b = random(rnd, k * n);
    float[] c1 = new float[m * n];
    float[] c2 = new float[m * n];
    Parallel.setNumThreads(1);
    Gemm.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c1, 0, n);
    Parallel.setNumThreads(2);
    Gemm.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c2, 0, n);
    for (int i = 0; i < c1.length; i++) {
      assertEquals(Float.floatToRawIntBits(c1[i]), Float.floatToRawIntBits(c2[i]), "element " + i);
    }
  }

  @Test
  void sgemm_zeroDepth_betaZeroClears_betaOneKeeps() {
    float[] c = {Float.NaN, 2f, 3f, 4f};
    Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
    assertEquals(List.of(0f, 0f, 0f, 0f), List.of(c[0], c[1], c[2], c[3]));
    float[] d = {1f, 2f, 3f, 4f};
    Gemm.sgemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, 1f, d, 0, 2);
    assertEquals(List.of(1f, 2f, 3f, 4f), List.of(d[0], d[1], d[2], d[3]));
  }

  @Test
  void sgemm_smallKnownProduct() {
    // [[1, 2], [3, 4]] x [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
    float[] c = new float[4];
    Gemm.sgemm(false, false, 2, 2, 2, new float[] {1, 2, 3, 4}, 0, 2, new float[] {5, 6, 7, 8}, 0, 2, 0f, c, 0, 2);
    assertEquals(List.of(19f, 22f, 43f, 50f), List.of(c[0], c[1], c[2], c[3]));
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return v;
  }
}
