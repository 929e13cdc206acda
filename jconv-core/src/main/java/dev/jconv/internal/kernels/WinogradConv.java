package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;

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
 * <p>Three steps, each parallel: transform the input tiles, 36 GEMMs, transform back. Tiles go
 * in chunks whose transformed data ({@code 36 x tiles x (cin + cout)} floats) stays in L3. Raw
 * kernel: arguments are trusted ({@code assert} only), layouts as in
 * {@code ConvParams}: input {@code (n, cin, h, w)}, weight {@code (cout, cin, 3, 3)}, output
 * {@code (n, cout, outH, outW)}, all C order; groups 1, dilation 1.
 */
public final class WinogradConv {

  /** Output tile edge. */
  static final int M = 4;
  /** Input tile edge: M + 3 - 1. */
  static final int T = 6;
  private static final int E = T * T;

  private static final double SIXTH = 1.0 / 6;
  private static final double TWELFTH = 1.0 / 12;
  private static final double TWENTYFOURTH = 1.0 / 24;

  /**
   * Bytes of transformed input and products per chunk of tiles: they go through the L3 cache
   * between the three steps (4 MB measured faster than 2 or 16), and bound the memory a call keeps.
   */
  private static final long CHUNK_BYTES = 4L << 20;

  /**
   * Work arrays kept per thread between calls (about 4 MB for V and M plus the transformed
   * filters): allocating them afresh costs more than the convolution on mid-sized layers, in
   * zeroing, page faults and GC. Slots: filters, V and M on the calling thread; the padded input
   * planes and output tiles on each worker.
   */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);
  private static final int SLOT_U = 0;
  private static final int SLOT_V = 1;
  private static final int SLOT_M = 2;
  private static final int SLOT_PADDED = 3;
  private static final int SLOT_TILES = 4;

  private static float[] scratch(int slot, int length) {
    float[][] s = SCRATCH.get();
    if (s[slot].length < length) {
      s[slot] = new float[length];
    }
    return s[slot];
  }

  /** Fewer tiles than this per chunk would make the GEMMs too thin to run well. */
  private static final int MIN_CHUNK_TILES = 64;


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
    assert x.length >= (long) n * cin * h * w && weight.length >= (long) cout * cin * 9;
    assert out.length >= (long) n * cout * outH * outW;
    assert bias == null || bias.length >= cout;
    if (n == 0 || cout == 0 || outH <= 0 || outW <= 0) {
      return;
    }
    int tilesH = (outH + M - 1) / M;
    int tilesW = (outW + M - 1) / M;
    int tiles = n * tilesH * tilesW;
    int uStride = planeStride(cout * cin);
    float[] u = scratch(SLOT_U, E * uStride);
    transformFilters(weight, cout, cin, u);
    long perTileBytes = 4L * E * (cin + cout);
    int chunk = (int) Math.max(MIN_CHUNK_TILES, Math.min(tiles, CHUNK_BYTES / perTileBytes));
    int maxTb = Math.min(chunk, tiles);
    float[] v = scratch(SLOT_V, E * planeStride(cin * maxTb));
    float[] prod = scratch(SLOT_M, E * planeStride(cout * maxTb));
    // Each channel is copied into a zero-bordered plane covering every patch (hp x wp), so the
    // transforms need no bounds checks; patchAt[t] is tile t's top-left corner in that copy.
    int hp = tilesH * M + 2;
    int wp = tilesW * M + 2;
    int tilesPerImage = tilesH * tilesW;
    int[] patchAt = new int[maxTb];
    for (int t0 = 0; t0 < tiles; t0 += chunk) {
      int tb = Math.min(chunk, tiles - t0);
      int first = t0;
      int img0 = t0 / tilesPerImage;
      int images = (t0 + tb - 1) / tilesPerImage - img0 + 1;
      for (int t = 0; t < tb; t++) {
        int tile = t0 + t;
        int rem = tile % tilesPerImage;
        patchAt[t] = (tile / tilesPerImage - img0) * hp * wp + (rem / tilesW) * M * wp + (rem % tilesW) * M;
      }
      int vStride = planeStride(cin * tb);
      int mStride = planeStride(cout * tb);
      Parallel.forRange(cin, 1, (start, end) -> {
        float[] padded = scratch(SLOT_PADDED, images * hp * wp);
        for (int c = start; c < end; c++) {
          copyPadded(x, cin, h, w, c, img0, images, padTop, padLeft, hp, wp, padded);
          kernels.winogradInput(padded, 0, wp, patchAt, 0, tb, v, c * tb, vStride);
        }
      });
      // One whole GEMM per position of the transformed tile, on one thread each: 36 big products
      // keep the cores busy without a fork per product, and each pack of U[e] serves every tile.
      Parallel.forRange(E, 1, (start, end) -> {
        for (int e = start; e < end; e++) {
          kernels.sgemm(false, false, cout, tb, cin, u, e * uStride, cin, v, e * vStride, tb,
              0f, prod, e * mStride, tb);
        }
      });
      Parallel.forRange(cout, 1, (start, end) -> {
        float[] y = scratch(SLOT_TILES, M * M * tb);
        for (int co = start; co < end; co++) {
          kernels.winogradOutput(prod, co * tb, mStride, tb, y, tb);
          scatterTiles(y, tb, first, tilesH, tilesW, co, cout, outH, outW,
              bias == null ? 0f : bias[co], out);
        }
      });
    }
  }

  /**
   * Copies channel c of images img0..img0+images-1 into {@code padded} (hp x wp per image) with
   * the input's top-left at (padTop, padLeft) and zeros around it.
   */
  private static void copyPadded(float[] x, int cin, int h, int w, int c, int img0, int images,
      int padTop, int padLeft, int hp, int wp, float[] padded) {
    java.util.Arrays.fill(padded, 0, images * hp * wp, 0f);
    // Pixels right of or below the last patch are never read, nor are they copied.
    int rows = Math.min(h, hp - padTop);
    int cols = Math.min(w, wp - padLeft);
    if (rows <= 0 || cols <= 0) {
      return;
    }
    for (int i = 0; i < images; i++) {
      int src = ((img0 + i) * cin + c) * h * w;
      int dst = i * hp * wp + padTop * wp + padLeft;
      for (int r = 0; r < rows; r++) {
        System.arraycopy(x, src + r * w, padded, dst + r * wp, cols);
      }
    }
  }

  /**
   * Writes the 4x4 tiles y[(4r + c)*tb + t] (+ bias) of output channel co into {@code out}, tile t
   * of the chunk being tile {@code first + t} overall; tiles on the bottom and right edges are
   * clipped to the output size.
   */
  private static void scatterTiles(float[] y, int tb, int first, int tilesH, int tilesW, int co,
      int cout, int outH, int outW, float bias, float[] out) {
    int tilesPerImage = tilesH * tilesW;
    int plane = outH * outW;
    int tile = first;
    int img = tile / tilesPerImage;
    int rem = tile - img * tilesPerImage;
    int ty = rem / tilesW;
    int tx = rem - ty * tilesW;
    for (int t = 0; t < tb; t++) {
      int oy0 = ty * M;
      int ox0 = tx * M;
      int rows = Math.min(M, outH - oy0);
      int cols = Math.min(M, outW - ox0);
      int dst = (img * cout + co) * plane + oy0 * outW + ox0;
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          out[dst + r * outW + c] = y[(M * r + c) * tb + t] + bias;
        }
      }
      if (++tx == tilesW) {
        tx = 0;
        if (++ty == tilesH) {
          ty = 0;
          img++;
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
   * Writes U[e][co][ci] = (G g G^T)[e] for the filter of (co, ci) into {@code u}, plane e starting
   * at {@code e * planeStride(cout * cin)}; computed in double, stored as float.
   */
  static void transformFilters(float[] weight, int cout, int cin, float[] u) {
    int step = planeStride(cout * cin);
    double[] gg = new double[T * 3];
    for (int co = 0; co < cout; co++) {
      for (int ci = 0; ci < cin; ci++) {
        int g = (co * cin + ci) * 9;
        // G g: 6x3, one column of g at a time. Multiplying by rounded reciprocals instead of
        // dividing changes the double result by an ulp, far below the float it is stored in.
        for (int col = 0; col < 3; col++) {
          double g0 = weight[g + col];
          double g1 = weight[g + 3 + col];
          double g2 = weight[g + 6 + col];
          gg[col] = g0 * 0.25;
          gg[3 + col] = -(g0 + g1 + g2) * SIXTH;
          gg[6 + col] = -(g0 - g1 + g2) * SIXTH;
          gg[9 + col] = g0 * TWENTYFOURTH + g1 * TWELFTH + g2 * SIXTH;
          gg[12 + col] = g0 * TWENTYFOURTH - g1 * TWELFTH + g2 * SIXTH;
          gg[15 + col] = g2;
        }
        // (G g) G^T: the same combination along each row.
        for (int r = 0; r < T; r++) {
          double g0 = gg[r * 3];
          double g1 = gg[r * 3 + 1];
          double g2 = gg[r * 3 + 2];
          int base = r * T * step + co * cin + ci;
          u[base] = (float) (g0 * 0.25);
          u[base + step] = (float) (-(g0 + g1 + g2) * SIXTH);
          u[base + 2 * step] = (float) (-(g0 - g1 + g2) * SIXTH);
          u[base + 3 * step] = (float) (g0 * TWENTYFOURTH + g1 * TWELFTH + g2 * SIXTH);
          u[base + 4 * step] = (float) (g0 * TWENTYFOURTH - g1 * TWELFTH + g2 * SIXTH);
          u[base + 5 * step] = (float) g2;
        }
      }
    }
  }
}
