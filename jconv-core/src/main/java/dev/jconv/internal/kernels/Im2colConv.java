package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import java.util.Arrays;

/**
 * 2-D convolution as matrix multiplication: for each image and group, unfold the input patches
 * into a {@code (cin/groups*kh*kw) x (outH*outW)} matrix (im2col) and multiply the group's weights
 * {@code (cout/groups) x (cin/groups*kh*kw)} by it with {@link Gemm}, writing straight into the
 * output. A 1x1 kernel with stride 1 and no padding needs no unfolding: the input already is that
 * matrix ({@link #forwardPointwise}).
 *
 * <p>Work is split into tasks of (image, group, column chunk). With enough tasks to keep every
 * thread busy they run in parallel, each with its own im2col buffer; otherwise they run one after
 * the other and the unfolding and the GEMM inside each are parallel.
 */
public final class Im2colConv {

  /**
   * Largest im2col buffer per task, in floats (1 MiB); larger unfoldings are done in column chunks.
   * A buffer near L2's size is still in cache when the GEMM reads it back; with a 16 MiB buffer
   * res3x3_56 (576 x 3136 per image) ran about 1.5x slower.
   */
  static final int MAX_COL_FLOATS = 1 << 18;

  private Im2colConv() {}

  /** Whether {@link #forwardPointwise} applies: 1x1 kernel, stride 1, no padding. */
  public static boolean isPointwise(ConvParams p) {
    return p.kh() == 1 && p.kw() == 1 && p.strideH() == 1 && p.strideW() == 1
        && p.padTop() == 0 && p.padLeft() == 0 && p.padBottom() == 0 && p.padRight() == 0;
  }

  /**
   * Convolution through im2col + GEMM; same contract as {@link ConvReference#forward}.
   *
   * @param out modified: every element is written; must not overlap the inputs
   */
  public static void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
    run(p, x, weight, bias, out, false);
  }

  /** 1x1 convolution as one GEMM per image and group, no unfolding; requires {@link #isPointwise}. */
  public static void forwardPointwise(ConvParams p, float[] x, float[] weight, float[] bias,
      float[] out) {
    assert isPointwise(p);
    run(p, x, weight, bias, out, true);
  }

  private static void run(ConvParams p, float[] x, float[] weight, float[] bias, float[] out,
      boolean pointwise) {
    int hw = p.outH() * p.outW();
    int k = p.patchSize();
    if (p.n() == 0 || p.cout() == 0 || hw == 0) {
      return;
    }
    int chunkCols = pointwise ? hw : (int) Math.max(1, Math.min(hw, MAX_COL_FLOATS / Math.max(1, k)));
    // A batch's unfolded matrix stays within a quarter of MAX_COL_FLOATS (256 KiB), so the GEMM
    // reads it back from L2: it has few rows to reuse it (measured: 1 MiB batches ran 2x slower).
    int fit = MAX_COL_FLOATS / 4 / Math.max(1, k) / hw;
    if (!pointwise && p.n() > 1 && fit >= 2) {
      runBatched(p, x, weight, bias, out, Math.min(p.n(), fit));
      return;
    }
    int chunks = (hw + chunkCols - 1) / chunkCols;
    int tasks = p.n() * p.groups() * chunks;
    int colFloats = pointwise ? 0 : k * chunkCols;
    int threads = Parallel.getNumThreads();
    if (tasks >= 2 * threads) {
      Parallel.forRange(tasks, 1, (start, end) -> {
        float[] col = new float[colFloats];
        // Last task first: the output was just allocated, and the JVM zeroed it front to back, so
        // its end is the part still in cache when the GEMM comes to overwrite it (res1x1_56 at 1
        // thread: 0.96-0.98x the time, same JVM A/B; 2 threads: no change).
        for (int i = start; i < end; i++) {
          int t = end - 1 - (i - start);
          task(p, x, weight, bias, out, pointwise, t, chunks, chunkCols, col, false);
        }
      });
    } else {
      float[] col = new float[colFloats];
      for (int t = 0; t < tasks; t++) {
        task(p, x, weight, bias, out, pointwise, t, chunks, chunkCols, col, true);
      }
    }
  }

  /**
   * Small images: several side by side in one unfolded matrix and one GEMM. One GEMM per image of,
   * say, 16 x 100 x 150 (LeNet's second layer) spends most of its time packing and on the ragged
   * edges of the register blocks; 17 images make one 16 x 1700 x 150 product. The GEMM writes a
   * scratch block (its columns run across images, the output's across one), bias included, which
   * is then copied out.
   */
  private static void runBatched(ConvParams p, float[] x, float[] weight, float[] bias,
      float[] out, int perBatch) {
    int hw = p.outH() * p.outW();
    int k = p.patchSize();
    int coutG = p.coutPerGroup();
    int threads = Parallel.getNumThreads();
    // Enough batches for every thread, when there are images enough.
    int per = Math.max(1, Math.min(perBatch, Math.ceilDiv(p.n(), 2 * threads)));
    int batches = Math.ceilDiv(p.n(), per);
    int tasks = batches * p.groups();
    Parallel.forRange(tasks, 1, (start, end) -> {
      float[] col = new float[k * per * hw];
      float[] tmp = new float[coutG * per * hw];
      for (int t = start; t < end; t++) {
        int g = t % p.groups();
        int i0 = (t / p.groups()) * per;
        int i1 = Math.min(p.n(), i0 + per);
        int cols = (i1 - i0) * hw;
        for (int i = i0; i < i1; i++) {
          int xOff = (i * p.cin() + g * p.cinPerGroup()) * p.h() * p.w();
          im2col(p, x, xOff, 0, hw, 0, k, col, (i - i0) * hw, cols);
        }
        if (bias != null) {
          Gemm.sgemmBias(false, false, coutG, cols, k, weight, g * coutG * k, k, col, 0, cols, bias,
              g * coutG, tmp, 0, cols);
        } else {
          Gemm.sgemm(false, false, coutG, cols, k, weight, g * coutG * k, k, col, 0, cols, 0f, tmp, 0, cols);
        }
        for (int i = i0; i < i1; i++) {
          for (int co = 0; co < coutG; co++) {
            System.arraycopy(tmp, co * cols + (i - i0) * hw, out, (i * p.cout() + g * coutG + co) * hw, hw);
          }
        }
      }
    });
  }

  private static void task(ConvParams p, float[] x, float[] weight, float[] bias, float[] out,
      boolean pointwise, int t, int chunks, int chunkCols, float[] col, boolean parallelInside) {
    int hw = p.outH() * p.outW();
    int k = p.patchSize();
    int coutG = p.coutPerGroup();
    int chunk = t % chunks;
    int g = (t / chunks) % p.groups();
    int n = t / chunks / p.groups();
    int j0 = chunk * chunkCols;
    int j1 = Math.min(hw, j0 + chunkCols);
    int cols = j1 - j0;
    int xOff = (n * p.cin() + g * p.cinPerGroup()) * p.h() * p.w();
    int cOff = (n * p.cout() + g * coutG) * hw + j0;
    float[] b;
    int bOff;
    int ldb;
    if (pointwise) {
      b = x;
      bOff = xOff + j0;
      ldb = hw;
    } else {
      if (parallelInside) {
        Parallel.forRange(k, Math.max(1, 4096 / Math.max(1, cols)),
            (r0, r1) -> im2col(p, x, xOff, j0, j1, r0, r1, col));
      } else {
        im2col(p, x, xOff, j0, j1, 0, k, col);
      }
      b = col;
      bOff = 0;
      ldb = cols;
    }
    if (bias != null) {
      Gemm.sgemmBias(false, false, coutG, cols, k, weight, g * coutG * k, k, b, bOff, ldb, bias,
          g * coutG, out, cOff, hw);
    } else {
      Gemm.sgemm(false, false, coutG, cols, k, weight, g * coutG * k, k, b, bOff, ldb, 0f, out, cOff, hw);
    }
  }

  /**
   * Fills rows [r0, r1) of the unfolded matrix for output pixels [j0, j1) of one image and group:
   * row {@code (c*kh + ky)*kw + kx}, column {@code j - j0} holds the input value under kernel tap
   * (ky, kx) for output pixel j, or 0 where that tap falls in the padding.
   */
  static void im2col(ConvParams p, float[] x, int xOff, int j0, int j1, int r0, int r1, float[] col) {
    im2col(p, x, xOff, j0, j1, r0, r1, col, 0, j1 - j0);
  }

  /** As above, row r written from {@code col[colOff + r*ldcol]} (images side by side). */
  static void im2col(ConvParams p, float[] x, int xOff, int j0, int j1, int r0, int r1, float[] col,
      int colOff, int ldcol) {
    int outW = p.outW();
    int sh = p.strideH();
    int sw = p.strideW();
    int h = p.h();
    int w = p.w();
    for (int r = r0; r < r1; r++) {
      int kx = r % p.kw();
      int ky = (r / p.kw()) % p.kh();
      int c = r / p.kw() / p.kh();
      int plane = xOff + c * h * w;
      int dst = colOff + r * ldcol;
      int xShift = kx * p.dilationW() - p.padLeft();
      int yShift = ky * p.dilationH() - p.padTop();
      // Output columns whose tap lands inside the input: 0 <= ox*sw + xShift < w.
      int oxLo = xShift >= 0 ? 0 : Math.ceilDiv(-xShift, sw);
      int oxHi = w - 1 - xShift < 0 ? 0 : Math.floorDiv(w - 1 - xShift, sw) + 1;
      int j = j0;
      while (j < j1) {
        int oy = j / outW;
        int rowStart = oy * outW;
        int a = j - rowStart;
        int e = Math.min(outW, j1 - rowStart);
        int iy = oy * sh + yShift;
        if (iy < 0 || iy >= h) {
          Arrays.fill(col, dst, dst + (e - a), 0f);
          dst += e - a;
        } else {
          int lo = Math.max(a, Math.min(oxLo, e));
          int hi = Math.min(e, Math.max(oxHi, lo));
          if (lo > a) {
            Arrays.fill(col, dst, dst + (lo - a), 0f);
            dst += lo - a;
          }
          int src = plane + iy * w + lo * sw + xShift;
          if (hi == lo) {
            // No tap of this row lands inside the input; src may even point before the array.
          } else if (sw == 1) {
            System.arraycopy(x, src, col, dst, hi - lo);
            dst += hi - lo;
          } else {
            for (int ox = lo; ox < hi; ox++, src += sw) {
              col[dst++] = x[src];
            }
          }
          if (e > hi) {
            Arrays.fill(col, dst, dst + (e - hi), 0f);
            dst += e - hi;
          }
        }
        j = rowStart + e;
      }
    }
  }
}
