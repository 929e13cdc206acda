package dev.jconv.internal.vector;

import dev.jconv.internal.parallel.Parallel;

/**
 * Single-precision matrix multiply in plain Java for {@link PlainProvider}:
 * {@code C = op(A) op(B) + beta * C}, row-major (written for the convolution kernels, moved here
 * when GEMM went behind the providers). No argument checks beyond {@code assert}.
 *
 * <p>How it is fast without the Vector API: C2 auto-vectorizes a loop only when it can prove the
 * arrays it reads and writes do not overlap at different offsets. So each block of B is copied into
 * its own row arrays ({@code float[kb][nb]}) and four rows of C are accumulated in separate scratch
 * arrays; the inner loop then indexes every array with the same {@code j} and C2 turns it into
 * SIMD fused multiply-adds. Blocks of {@link #KB} x {@link #NB} floats (256 KiB) stay in L2 while
 * {@link #MB} rows of A stream past them; blocks of C are independent, so they run in parallel.
 */
final class PlainGemm {

  /** Columns of B (and C) per block: four scratch rows of C plus one row of B stay in L1. */
  static final int NB = 256;
  /** Depth (rows of B) per block: a KB x NB block of B fits in L2. */
  static final int KB = 256;
  /** Rows of C per parallel task; B's block is packed once per task, so this amortises packing. */
  static final int MB = 64;

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  private PlainGemm() {}

  /**
   * Computes {@code C = op(A) op(B) + beta * C} where op(A) is m x k, op(B) is k x n and C is m x n,
   * all row-major. {@code transA} means A is stored k x m (element (i, p) at {@code a[aOff + p*lda + i]});
   * {@code transB} means B is stored n x k. {@code beta} must be 0 or 1; with 0, C is not read (NaNs
   * in it are ignored). Only {@code c} is modified; {@code c} must not overlap {@code a} or {@code b}.
   */
  static void sgemm(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    assert beta == 0f || beta == 1f : "beta must be 0 or 1, got " + beta;
    assert m >= 0 && n >= 0 && k >= 0;
    assert ldc >= n && lda >= (transA ? m : k) && ldb >= (transB ? k : n);
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      if (beta == 0f) {
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
      }
      return;
    }
    int rowBlocks = (m + MB - 1) / MB;
    int colBlocks = (n + NB - 1) / NB;
    int tasks = rowBlocks * colBlocks;
    // A task below ~1 MFLOP costs less than handing it to another thread.
    long flopsPerTask = 2L * Math.min(m, MB) * Math.min(n, NB) * k;
    int grain = flopsPerTask >= (1 << 20) ? 1 : (int) Math.min(tasks, (1 << 20) / Math.max(1, flopsPerTask));
    Parallel.forRange(tasks, grain, (start, end) -> {
      Workspace ws = WORKSPACE.get();
      for (int t = start; t < end; t++) {
        int i0 = (t / colBlocks) * MB;
        int j0 = (t % colBlocks) * NB;
        block(transA, transB, i0, Math.min(m, i0 + MB), j0, Math.min(n, j0 + NB), k,
            a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws);
      }
    });
  }

  /** Rows [i0, i1) and columns [j0, j1) of C, over the whole depth in slices of KB. */
  private static void block(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc, Workspace ws) {
    int nb = j1 - j0;
    float[][] pb = ws.b;
    float[] c0 = ws.c[0];
    float[] c1 = ws.c[1];
    float[] c2 = ws.c[2];
    float[] c3 = ws.c[3];
    for (int p0 = 0; p0 < k; p0 += KB) {
      int kb = Math.min(KB, k - p0);
      packB(transB, p0, kb, j0, nb, b, bOff, ldb, pb);
      boolean load = beta != 0f || p0 > 0;
      int i = i0;
      for (; i + 4 <= i1; i += 4) {
        int r0 = cOff + i * ldc + j0;
        loadRow(load, c, r0, c0, nb);
        loadRow(load, c, r0 + ldc, c1, nb);
        loadRow(load, c, r0 + 2 * ldc, c2, nb);
        loadRow(load, c, r0 + 3 * ldc, c3, nb);
        // Stride between consecutive p for A's rows i..i+3 and between consecutive rows i.
        int aStep = transA ? lda : 1;
        int aRow = transA ? 1 : lda;
        int ap = aOff + p0 * aStep + i * aRow;
        for (int p = 0; p < kb; p++, ap += aStep) {
          float a0 = a[ap];
          float a1 = a[ap + aRow];
          float a2 = a[ap + 2 * aRow];
          float a3 = a[ap + 3 * aRow];
          float[] bp = pb[p];
          for (int j = 0; j < nb; j++) {
            float bv = bp[j];
            c0[j] = Math.fma(a0, bv, c0[j]);
            c1[j] = Math.fma(a1, bv, c1[j]);
            c2[j] = Math.fma(a2, bv, c2[j]);
            c3[j] = Math.fma(a3, bv, c3[j]);
          }
        }
        System.arraycopy(c0, 0, c, r0, nb);
        System.arraycopy(c1, 0, c, r0 + ldc, nb);
        System.arraycopy(c2, 0, c, r0 + 2 * ldc, nb);
        System.arraycopy(c3, 0, c, r0 + 3 * ldc, nb);
      }
      for (; i < i1; i++) {
        int r0 = cOff + i * ldc + j0;
        loadRow(load, c, r0, c0, nb);
        int aStep = transA ? lda : 1;
        int ap = aOff + p0 * aStep + i * (transA ? 1 : lda);
        int p = 0;
        // One row of C against four rows of B at a time: a quarter of the loads and stores of C.
        for (; p + 4 <= kb; p += 4, ap += 4 * aStep) {
          float a0 = a[ap];
          float a1 = a[ap + aStep];
          float a2 = a[ap + 2 * aStep];
          float a3 = a[ap + 3 * aStep];
          float[] b0 = pb[p];
          float[] b1 = pb[p + 1];
          float[] b2 = pb[p + 2];
          float[] b3 = pb[p + 3];
          for (int j = 0; j < nb; j++) {
            c0[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c0[j]))));
          }
        }
        for (; p < kb; p++, ap += aStep) {
          float a0 = a[ap];
          float[] b0 = pb[p];
          for (int j = 0; j < nb; j++) {
            c0[j] = Math.fma(a0, b0[j], c0[j]);
          }
        }
        System.arraycopy(c0, 0, c, r0, nb);
      }
    }
  }

  private static void loadRow(boolean load, float[] c, int from, float[] row, int nb) {
    if (load) {
      System.arraycopy(c, from, row, 0, nb);
    } else {
      java.util.Arrays.fill(row, 0, nb, 0f);
    }
  }

  /** Copies op(B)[p0 .. p0+kb) x [j0 .. j0+nb) into the rows of {@code pb}. */
  private static void packB(boolean transB, int p0, int kb, int j0, int nb,
      float[] b, int bOff, int ldb, float[][] pb) {
    if (!transB) {
      for (int p = 0; p < kb; p++) {
        System.arraycopy(b, bOff + (p0 + p) * ldb + j0, pb[p], 0, nb);
      }
    } else {
      for (int j = 0; j < nb; j++) {
        int src = bOff + (j0 + j) * ldb + p0;
        for (int p = 0; p < kb; p++) {
          pb[p][j] = b[src + p];
        }
      }
    }
  }

  /** Per-thread scratch: one packed block of B and four accumulator rows of C. */
  private static final class Workspace {
    final float[][] b = new float[KB][NB];
    final float[][] c = new float[4][NB];
  }
}
