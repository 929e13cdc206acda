package dev.jconv.internal.vector;

import dev.jconv.internal.parallel.Parallel;
import java.util.Arrays;

/**
 * Plain-Java float32 GEMM for {@link PlainProvider}: rows of C in parallel, each row built as a
 * sum of scaled rows of op(B) (the "axpy" order, whose inner loop C2 vectorizes). When B is
 * transposed, its rows are the columns we need, so each element is a dot product instead.
 */
final class PlainGemm {

  /** Below this many flops, forking costs more than it saves. */
  private static final long PARALLEL_MIN_FLOPS = 2L * 32 * 32 * 32;

  private PlainGemm() {}

  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    if (m <= 0 || n <= 0) {
      return;
    }
    long flops = 2L * m * n * k;
    int grain = flops < PARALLEL_MIN_FLOPS ? m : 1;
    Parallel.forRange(m, grain, (start, end) -> {
      for (int i = start; i < end; i++) {
        int ci = cOff + i * ldc;
        if (beta == 0f) {
          Arrays.fill(c, ci, ci + n, 0f);
        }
        if (transB) {
          for (int j = 0; j < n; j++) {
            int bj = bOff + j * ldb;
            float sum = 0f;
            if (!transA) {
              int ai = aOff + i * lda;
              for (int p = 0; p < k; p++) {
                sum += a[ai + p] * b[bj + p];
              }
            } else {
              for (int p = 0; p < k; p++) {
                sum += a[aOff + p * lda + i] * b[bj + p];
              }
            }
            c[ci + j] += sum;
          }
        } else {
          for (int p = 0; p < k; p++) {
            float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            int bp = bOff + p * ldb;
            for (int j = 0; j < n; j++) {
              c[ci + j] += aip * b[bp + j];
            }
          }
        }
      }
    });
  }
}
