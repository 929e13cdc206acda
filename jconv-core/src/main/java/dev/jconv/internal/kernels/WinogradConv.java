package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.PackedMatrix;

/**
 * 3x3, stride-1 convolution by Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray, 2015):
 * each 4x4 block of output costs 36 multiplies per input channel instead of 144, so a 3x3 layer
 * runs on a quarter of the GEMM flops. The price is three cheap linear transforms and a little
 * accuracy (the transforms scale values by up to 8 and 1/24).
 *
 * <p>For output tile {@code Y} (4x4) of one output channel,
 * {@code Y = A^T [ sum_c (G g_c G^T) .* (B^T d_c B) ] A}, where {@code d_c} is the 6x6 input patch
 * and {@code g_c} the 3x3 filter of input channel {@code c}. The sum over channels of the 36
 * element-wise products is 36 independent matrix products, one per position of the 6x6 transformed
 * tile: {@code M[e] (cout x tiles) = U[e] (cout x cin) * V[e] (cin x tiles)}, run through the
 * {@link KernelProvider}'s GEMM.
 *
 * <p>The filters are transformed and packed for the GEMM once per call; then each thread takes
 * blocks of whole tile rows ("bands") and runs input transform, 36 products and output transform
 * on its block alone, so the transformed data stays in its core's caches and the threads never
 * wait for each other. Raw kernel: arguments are trusted ({@code assert} only), layouts as in
 * {@code ConvParams}: input {@code (n, cin, h, w)}, weight {@code (cout, cin, 3, 3)}, output
 * {@code (n, cout, outH, outW)}, all C order; groups 1, dilation 1.
 */
public final class WinogradConv {

  /** Output tile edge. */
  static final int M = 4;
  /** Input tile edge: M + 3 - 1. */
  static final int T = 6;
  private static final int E = T * T;

  private static final float SIXTH_F = 1f / 6;
  private static final float TWELFTH_F = 1f / 12;
  private static final float TWENTYFOURTH_F = 1f / 24;

  /**
   * Bytes of transformed input and products (V and M) one block aims at: about a core's L2, where
   * they stay between the three steps.
   */
  private static final long BLOCK_BYTES = 2L << 20;

  /**
   * Tiles per block at least: they are the GEMM's columns, and fewer than two 32-wide panels
   * would waste vector lanes (at the cost of spilling V and M to L3 on very wide layers).
   */
  private static final int MIN_BLOCK_TILES = 64;

  /**
   * Work arrays kept per thread between calls (V, M, the banded input copy and the output tiles
   * of one block: about a megabyte): allocating them afresh costs more than the convolution on
   * mid-sized layers, in zeroing, page faults and GC.
   */
  private static final ThreadScratch SCRATCH = new ThreadScratch(4, Long.MAX_VALUE);
  private static final int SLOT_V = 0;
  private static final int SLOT_M = 1;
  private static final int SLOT_BANDS = 2;
  private static final int SLOT_TILES = 3;

  private static float[] scratch(int slot, int length) {
    return SCRATCH.get(slot, length);
  }

  private WinogradConv() {}

  /** Whether F(4x4, 3x3) computes this convolution. */
  public static boolean supports(int kh, int kw, int strideH, int strideW, int dilationH,
      int dilationW, int groups) {
    return kh == 3 && kw == 3 && strideH == 1 && strideW == 1 && dilationH == 1 && dilationW == 1
        && groups == 1;
  }

  /**
   * Writes the convolution of {@code x} by {@code weight} plus {@code bias} (may be null) into
   * {@code out}; only {@code out} is modified. {@code outH = h + padTop + padBottom - 2} and
   * likewise {@code outW}: the bottom and right padding are implied by the output size.
   */
  public static void forward(KernelProvider kernels, int n, int cin, int h, int w, int cout,
      int padTop, int padLeft, int outH, int outW, float[] x, float[] weight, float[] bias,
      float[] out) {
    forward(kernels, n, cin, h, w, cout, padTop, padLeft, outH, outW, x, weight, bias, out, true);
  }

  /**
   * {@link #forward(KernelProvider, int, int, int, int, int, int, int, int, int, float[], float[],
   * float[], float[])}; with {@code reused} false the weight was made for this one call (a backward
   * pass's flipped weights), so its filters are transformed without entering {@link FilterCache}
   * (where they would only copy the weight and push out the filters of weights that are reused).
   */
  static void forward(KernelProvider kernels, int n, int cin, int h, int w, int cout, int padTop,
      int padLeft, int outH, int outW, float[] x, float[] weight, float[] bias, float[] out,
      boolean reused) {
    assert weight.length >= (long) cout * cin * 9;
    if (n == 0 || cout == 0 || outH <= 0 || outW <= 0) {
      return;
    }
    forward(filters(kernels, weight, cout, cin, reused), n, h, w, padTop, padLeft, outH, outW, x,
        bias, out);
  }

  /**
   * The forward of an input gradient: {@code x} convolved with {@code weight} ({@code (cin, cout,
   * 3, 3)}, the forward layer's weight) transposed and rotated by 180 degrees, that is with filter
   * {@code (co, ci)} = {@code weight[ci][co][2 - ky][2 - kx]}; no bias. The filters are read from
   * {@code weight} as they are transformed: no rotated copy (on res3x3_14, 2.4 MB written and read
   * back per call). Other arguments as in the other forward.
   */
  static void forwardFlipped(KernelProvider kernels, int n, int cin, int h, int w, int cout,
      int padTop, int padLeft, int outH, int outW, float[] x, float[] weight, float[] out) {
    assert weight.length >= (long) cout * cin * 9;
    if (n == 0 || cout == 0 || outH <= 0 || outW <= 0) {
      return;
    }
    forward(flippedFilters(kernels, weight, cout, cin), n, h, w, padTop, padLeft, outH, outW, x,
        null, out);
  }

  /** The filters of {@code weight}: from {@link FilterCache} when the weight is {@code reused}. */
  static Filters filters(KernelProvider kernels, float[] weight, int cout, int cin, boolean reused) {
    if (reused) {
      return FilterCache.get(kernels, weight, cout, cin);
    }
    return oneOff(kernels, weight, cout, cin, false);
  }

  /**
   * One-off filters of {@code weight} ({@code (cin, cout, 3, 3)}) transposed and rotated, as
   * {@link #forwardFlipped} uses them.
   */
  static Filters flippedFilters(KernelProvider kernels, float[] weight, int cout, int cin) {
    return oneOff(kernels, weight, cout, cin, true);
  }

  private static Filters oneOff(KernelProvider kernels, float[] weight, int cout, int cin, boolean flip) {
    PackedMatrix[] kept = ONE_OFF.get();
    PackedMatrix[] u = transformAndPackFilters(kernels, weight, cout, cin, flip, kept);
    System.arraycopy(u, 0, kept, 0, E);
    return new Filters(kernels, cout, cin, u);
  }

  /**
   * Packed filters of one-off weights, kept per calling thread and overwritten by its next one-off
   * call: the filters only live for the call that made them, and packing into fresh arrays cost
   * res3x3_14's input gradient (36 x 256 x 256 floats) more in zeroing than the transform itself.
   */
  private static final ThreadLocal<PackedMatrix[]> ONE_OFF = ThreadLocal.withInitial(() -> new PackedMatrix[E]);

  /**
   * Transformed, packed filters of recent weight arrays ({@link WeightCache}: kept while the
   * array's contents are unchanged), so that inference, which passes the same weights on every
   * call, transforms them once (1-4 ms saved per call on 256-channel layers); at most
   * {@link #BUDGET_FLOATS} floats.
   */
  static final class FilterCache {
    static final long BUDGET_FLOATS = 16L << 20;

    private static final WeightCache<Filters> CACHE = new WeightCache<>(BUDGET_FLOATS);

    private FilterCache() {}

    /** How many weight arrays have filters kept (for tests). */
    static int size() {
      return CACHE.size();
    }

    /** Drops every entry (for tests that count entries). */
    static void clear() {
      CACHE.clear();
    }

    static Filters get(KernelProvider kernels, float[] weight, int cout, int cin) {
      return CACHE.get(weight, cout * cin * 9, java.util.List.of(kernels, cout, cin),
          () -> prepare(kernels, weight, cout, cin), (long) E * planeStride(cout * cin));
    }
  }

  /**
   * Filters transformed and packed for one provider: what {@link #forward} computes from the
   * weight on every call. A caller that runs the same weight many times (inference) can keep it;
   * it does not see later changes to the weight array.
   */
  public static final class Filters {
    final KernelProvider kernels;
    final int cout;
    final int cin;
    final PackedMatrix[] u;

    private Filters(KernelProvider kernels, int cout, int cin, PackedMatrix[] u) {
      this.kernels = kernels;
      this.cout = cout;
      this.cin = cin;
      this.u = u;
    }
  }

  /** Transforms and packs {@code weight} ({@code (cout, cin, 3, 3)}) for {@code kernels}. */
  public static Filters prepare(KernelProvider kernels, float[] weight, int cout, int cin) {
    assert weight.length >= (long) cout * cin * 9;
    return new Filters(kernels, cout, cin, transformAndPackFilters(kernels, weight, cout, cin,
        false, null));
  }

  /** The convolution with filters from {@link #prepare}; arguments as in the other forward. */
  public static void forward(Filters filters, int n, int h, int w, int padTop, int padLeft,
      int outH, int outW, float[] x, float[] bias, float[] out) {
    int cin = filters.cin;
    int cout = filters.cout;
    assert x.length >= (long) n * cin * h * w;
    assert out.length >= (long) n * cout * outH * outW;
    assert bias == null || bias.length >= cout;
    if (n == 0 || cout == 0 || outH <= 0 || outW <= 0) {
      return;
    }
    KernelProvider kernels = filters.kernels;
    PackedMatrix[] u = filters.u;
    Geometry g = new Geometry(cin, h, w, cout, padTop, padLeft, outH, outW);

    int bands = n * g.tilesH;
    int threads = Parallel.getNumThreads();
    long perTileBytes = 4L * E * (cin + cout);
    long target = Math.max(MIN_BLOCK_TILES, BLOCK_BYTES / perTileBytes);
    // Whole bands per block, and a multiple of the thread count of blocks (when there are enough
    // bands), so that no thread waits for another's last block.
    int blocks = (int) Math.max(1, (bands + (target + g.tilesW - 1) / g.tilesW - 1)
        / ((target + g.tilesW - 1) / g.tilesW));
    blocks = Math.min(bands, (blocks + threads - 1) / threads * threads);
    int bandsPerBlock = (bands + blocks - 1) / blocks;
    blocks = (bands + bandsPerBlock - 1) / bandsPerBlock;
    Parallel.forRange(blocks, 1, (start, end) -> {
      for (int blk = start; blk < end; blk++) {
        int b0 = blk * bandsPerBlock;
        int b1 = Math.min(bands, b0 + bandsPerBlock);
        block(kernels, g, x, u, bias, out, b0, b1);
      }
    });
  }

  /** Sizes shared by the steps. */
  private record Geometry(int cin, int h, int w, int cout, int padTop, int padLeft, int outH,
      int outW, int tilesH, int tilesW, int wp) {
    Geometry(int cin, int h, int w, int cout, int padTop, int padLeft, int outH, int outW) {
      this(cin, h, w, cout, padTop, padLeft, outH, outW, (outH + M - 1) / M, (outW + M - 1) / M,
          (outW + M - 1) / M * M + 2);
    }
  }

  /** Input transform, 36 products and output transform of the tiles of bands b0..b1-1. */
  private static void block(KernelProvider kernels, Geometry g, float[] x, PackedMatrix[] u,
      float[] bias, float[] out, int b0, int b1) {
    int tb = (b1 - b0) * g.tilesW;
    int cin = g.cin;
    int cout = g.cout;
    int vStride = planeStride(cin * tb);
    int mStride = planeStride(cout * tb);
    float[] v = scratch(SLOT_V, E * vStride);
    float[] prod = scratch(SLOT_M, E * mStride);
    // Each band's six input rows are copied with zero borders (T x wp per band), so the transform
    // needs no bounds checks; patchAt[t] is tile t's top-left corner in that copy.
    int bandSize = T * g.wp;
    float[] rows = scratch(SLOT_BANDS, (b1 - b0) * bandSize);
    int[] patchAt = new int[tb];
    for (int t = 0; t < tb; t++) {
      patchAt[t] = (t / g.tilesW) * bandSize + (t % g.tilesW) * M;
    }
    for (int c = 0; c < cin; c++) {
      copyBands(x, g, c, b0, b1, rows);
      kernels.winogradInput(rows, 0, g.wp, patchAt, 0, tb, v, c * tb, vStride);
    }
    for (int e = 0; e < E; e++) {
      kernels.sgemmPacked(u[e], false, tb, v, e * vStride, tb, 0f, prod, e * mStride, tb);
    }
    float[] y = scratch(SLOT_TILES, M * M * tb);
    int[] at = new int[tb];
    int[] fit = new int[tb];
    tilePlaces(g, b0, tb, at, fit);
    for (int co = 0; co < cout; co++) {
      kernels.winogradOutput(prod, co * tb, mStride, tb, y, tb);
      scatterTiles(y, tb, g, at, fit, co, bias == null ? 0f : bias[co], out);
    }
  }

  /**
   * U[e] = (G g G^T)[e] over all (co, ci), packed for the GEMM: 36 matrices cout x cin, in the
   * storage of {@code reuse} when that holds such a set (see {@link KernelProvider#packA(int, int,
   * int, KernelProvider.PackSource, PackedMatrix[])}); {@code flip} as in
   * {@link #transformFilters}.
   */
  private static PackedMatrix[] transformAndPackFilters(KernelProvider kernels, float[] weight,
      int cout, int cin, boolean flip, PackedMatrix[] reuse) {
    // Straight into the packed layout: the 36 planes of U are never stored unpacked (on res3x3_14,
    // 9.4 MB written, read back and written again per call).
    return kernels.packA(E, cout, cin, (i0, rows, p0, cols, dst, off, step, rowStep, colStep) ->
        transformFilters(weight, cout, cin, flip, i0, rows, p0, cols, dst, off, step, rowStep,
            colStep), reuse);
  }

  /**
   * Copies the six padded input rows of each band b0..b1-1 of channel c into {@code rows}
   * ({@code T x wp} per band), zeros where the patch leaves the image.
   */
  private static void copyBands(float[] x, Geometry g, int c, int b0, int b1, float[] rows) {
    int w = g.w;
    int wp = g.wp;
    int cols = Math.max(0, Math.min(w, wp - g.padLeft));
    for (int b = b0; b < b1; b++) {
      int img = b / g.tilesH;
      int ty = b - img * g.tilesH;
      int src = (img * g.cin + c) * g.h * w;
      int band = (b - b0) * T * wp;
      for (int r = 0; r < T; r++) {
        int iy = ty * M + r - g.padTop;
        int dst = band + r * wp;
        if (iy < 0 || iy >= g.h || cols == 0) {
          java.util.Arrays.fill(rows, dst, dst + wp, 0f);
          continue;
        }
        java.util.Arrays.fill(rows, dst, dst + g.padLeft, 0f);
        System.arraycopy(x, src + iy * w, rows, dst + g.padLeft, cols);
        java.util.Arrays.fill(rows, dst + g.padLeft + cols, dst + wp, 0f);
      }
    }
  }

  /**
   * Where each tile t of bands b0, b0+1, ... starts in output channel 0 ({@code at[t]}), and its
   * rows and columns inside the output ({@code fit[t] = rows * 8 + cols}, 4 and 4 for inner tiles).
   */
  private static void tilePlaces(Geometry g, int b0, int tb, int[] at, int[] fit) {
    int plane = g.outH * g.outW;
    for (int t = 0; t < tb; t++) {
      int b = b0 + t / g.tilesW;
      int img = b / g.tilesH;
      int oy0 = (b - img * g.tilesH) * M;
      int ox0 = (t % g.tilesW) * M;
      at[t] = img * g.cout * plane + oy0 * g.outW + ox0;
      fit[t] = Math.min(M, g.outH - oy0) * 8 + Math.min(M, g.outW - ox0);
    }
  }

  /**
   * Writes the 4x4 tiles y[(4r + c)*tb + t] (+ bias) of output channel co into {@code out}, at
   * the places from {@link #tilePlaces}; tiles on the bottom and right edges are clipped.
   */
  private static void scatterTiles(float[] y, int tb, Geometry g, int[] at, int[] fit, int co,
      float bias, float[] out) {
    int outW = g.outW;
    int chan = co * g.outH * outW;
    for (int t = 0; t < tb; t++) {
      int dst = at[t] + chan;
      if (fit[t] == M * 8 + M) {
        for (int r = 0; r < M; r++) {
          int o = dst + r * outW;
          int i = M * r * tb + t;
          out[o] = y[i] + bias;
          out[o + 1] = y[i + tb] + bias;
          out[o + 2] = y[i + 2 * tb] + bias;
          out[o + 3] = y[i + 3 * tb] + bias;
        }
      } else {
        int rows = fit[t] >> 3;
        int cols = fit[t] & 7;
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            out[dst + r * outW + c] = y[(M * r + c) * tb + t] + bias;
          }
        }
      }
    }
  }

  /**
   * Distance between the 36 planes of U, V and M: the size rounded up to a cache line, plus one
   * line. Without the extra line, sizes like 256 x 256 put all 36 planes at multiples of 256 KB,
   * which share one cache set: the transforms, which touch all 36 at once, then miss L1 and L2 on
   * nearly every access.
   */
  static int planeStride(int size) {
    return (size + 15) / 16 * 16 + 16;
  }

  /**
   * The source of the packed filters ({@link KernelProvider.PackSource}): writes U[e][i][p] =
   * (G g G^T)[e] of filter (i, p), for i in [i0, i0 + rows) and p in [p0, p0 + cols), to
   * {@code u[off + e * step + (i - i0) * rowStep + (p - p0) * colStep]}. Filter (i, p) is
   * {@code weight[i][p]} ({@code (cout, cin, 3, 3)}), or with {@code flip} {@code weight[p][i]}
   * rotated by 180 degrees ({@code weight} then {@code (cin, cout, 3, 3)}).
   */
  static void transformFilters(float[] weight, int cout, int cin, boolean flip, int i0, int rows,
      int p0, int cols, float[] u, int off, int step, int rowStep, int colStep) {
    // Rows (output channels) innermost: the Vector API providers' layout keeps a panel's rows side
    // by side (rowStep 1), so the 36 stores of consecutive filters land next to each other; and a
    // flipped weight holds the filters of consecutive rows 9 floats apart, so the loads run on
    // contiguously too. (Vector API stores of 16 filters at a time, from taps first regrouped tap
    // by tap, ran 5x faster alone but no faster in the input gradient: writing the 9.4 MB of U and
    // reading the weight bound it there.)
    for (int p = p0; p < p0 + cols; p++) {
      int o = off + (p - p0) * colStep;
      if (flip) {
        // Filter (i, p) is weight[p][i] rotated: its taps in reverse order.
        for (int i = i0, g = (p * cout + i0) * 9; i < i0 + rows; i++, g += 9, o += rowStep) {
          transformFilter(weight[g + 8], weight[g + 7], weight[g + 6], weight[g + 5], weight[g + 4],
              weight[g + 3], weight[g + 2], weight[g + 1], weight[g], u, o, step);
        }
      } else {
        for (int i = i0, g = (i0 * cin + p) * 9; i < i0 + rows; i++, g += cin * 9, o += rowStep) {
          transformFilter(weight[g], weight[g + 1], weight[g + 2], weight[g + 3], weight[g + 4],
              weight[g + 5], weight[g + 6], weight[g + 7], weight[g + 8], u, o, step);
        }
      }
    }
  }

  /**
   * Writes {@code (G g G^T)[e]} of the 3x3 filter {@code g} (w0..w8 in row order) to
   * {@code u[o + e * step]}.
   */
  private static void transformFilter(float w0, float w1, float w2, float w3, float w4, float w5,
      float w6, float w7, float w8, float[] u, int o, int step) {
    // Rows of G g (6x3), each then expanded by G^T into a row of six. Kept in locals: a scratch
    // array here measured slower.
    int rs = T * step;
    filter1d(w0 * 0.25f, w1 * 0.25f, w2 * 0.25f, u, o, step);
    float a0 = (w0 + w6) * -SIXTH_F;
    float a1 = (w1 + w7) * -SIXTH_F;
    float a2 = (w2 + w8) * -SIXTH_F;
    float b0 = w3 * -SIXTH_F;
    float b1 = w4 * -SIXTH_F;
    float b2 = w5 * -SIXTH_F;
    filter1d(a0 + b0, a1 + b1, a2 + b2, u, o + rs, step);
    filter1d(a0 - b0, a1 - b1, a2 - b2, u, o + 2 * rs, step);
    float c0 = w0 * TWENTYFOURTH_F + w6 * SIXTH_F;
    float c1 = w1 * TWENTYFOURTH_F + w7 * SIXTH_F;
    float c2 = w2 * TWENTYFOURTH_F + w8 * SIXTH_F;
    float d0 = w3 * TWELFTH_F;
    float d1 = w4 * TWELFTH_F;
    float d2 = w5 * TWELFTH_F;
    filter1d(c0 + d0, c1 + d1, c2 + d2, u, o + 3 * rs, step);
    filter1d(c0 - d0, c1 - d1, c2 - d2, u, o + 4 * rs, step);
    filter1d(w6, w7, w8, u, o + 5 * rs, step);
  }

  /**
   * out[o + k*os] = (G (g0, g1, g2))[k]: rows (1/4, 0, 0), -(1, 1, 1)/6, -(1, -1, 1)/6,
   * (1/24, 1/12, 1/6), (1/24, -1/12, 1/6), (0, 0, 1), sharing the sums the rows have in common.
   * In float: the transformed filter is rounded to float anyway, and the few extra roundings
   * (relative 1e-7) are far below Winograd's own error.
   */
  private static void filter1d(float g0, float g1, float g2, float[] out, int o, int os) {
    float a = (g0 + g2) * -SIXTH_F;
    float b = g1 * -SIXTH_F;
    float c = g0 * TWENTYFOURTH_F + g2 * SIXTH_F;
    float d = g1 * TWELFTH_F;
    out[o] = g0 * 0.25f;
    out[o + os] = a + b;
    out[o + 2 * os] = a - b;
    out[o + 3 * os] = c + d;
    out[o + 4 * os] = c - d;
    out[o + 5 * os] = g2;
  }
}
