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
   * (16 MB of it) between the three steps, and bound the memory a call allocates.
   */
  private static final long CHUNK_BYTES = 16L << 20;

  /** Fewer tiles than this per chunk would make the GEMMs too thin to run well. */
  private static final int MIN_CHUNK_TILES = 64;

  /** (channel, tile) pairs per parallel task at least: each is ~100 ns of work. */
  private static final int GRAIN = 256;

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
    float[] u = transformFilters(weight, cout, cin);
    long perTileBytes = 4L * E * (cin + cout);
    int chunk = (int) Math.max(MIN_CHUNK_TILES, Math.min(tiles, CHUNK_BYTES / perTileBytes));
    int maxTb = Math.min(chunk, tiles);
    float[] v = new float[E * planeStride(cin * maxTb)];
    float[] prod = new float[E * planeStride(cout * maxTb)];
    int uStride = planeStride(cout * cin);
    for (int t0 = 0; t0 < tiles; t0 += chunk) {
      int tb = Math.min(chunk, tiles - t0);
      int first = t0;
      int vStride = planeStride(cin * tb);
      int mStride = planeStride(cout * tb);
      Parallel.forRange(cin * tb, GRAIN, (start, end) ->
          transformInput(x, cin, h, w, padTop, padLeft, tilesH, tilesW, first, tb, start, end, v,
              vStride));
      // One whole GEMM per position of the transformed tile, on one thread each: 36 big products
      // keep the cores busy without a fork per product, and each pack of U[e] serves every tile.
      Parallel.forRange(E, 1, (start, end) -> {
        for (int e = start; e < end; e++) {
          kernels.sgemm(false, false, cout, tb, cin, u, e * uStride, cin, v, e * vStride, tb,
              0f, prod, e * mStride, tb);
        }
      });
      Parallel.forRange(cout * tb, GRAIN, (start, end) ->
          transformOutput(prod, mStride, cout, outH, outW, tilesH, tilesW, first, tb, start, end,
              bias, out));
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
   * U[e][co][ci] = (G g G^T)[e] for the filter of (co, ci), plane e starting at
   * {@code e * planeStride(cout * cin)}; computed in double, stored as float.
   */
  static float[] transformFilters(float[] weight, int cout, int cin) {
    int step = planeStride(cout * cin);
    float[] u = new float[E * step];
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
    return u;
  }

  /**
   * V[e][c][t] = (B^T d B)[e] for the pairs q = c*tb + t in [from, to) of a chunk of tb tiles
   * starting at tile t0; d is the 6x6 patch of channel c at the tile's origin, zero outside the
   * image. Channel-major order: consecutive tiles read neighbouring pixels of one plane and write
   * consecutive floats of each of the 36 planes of V.
   */
  private static void transformInput(float[] x, int cin, int h, int w, int padTop, int padLeft,
      int tilesH, int tilesW, int t0, int tb, int from, int to, float[] v, int eStride) {
    float[] d = new float[E];
    float[] tmp = new float[E];
    int plane = h * w;
    int tilesPerImage = tilesH * tilesW;
    int q = from;
    while (q < to) {
      int c = q / tb;
      int t = q - c * tb;
      int tEnd = Math.min(tb, t + (to - q));
      // Walk the tiles of this channel in order, carrying (image, tile row, tile column).
      int tile = t0 + t;
      int img = tile / tilesPerImage;
      int rem = tile - img * tilesPerImage;
      int ty = rem / tilesW;
      int tx = rem - ty * tilesW;
      for (; t < tEnd; t++) {
        int src = (img * cin + c) * plane;
        int iy0 = ty * M - padTop;
        int ix0 = tx * M - padLeft;
        float[] s;
        int base;
        int ld;
        if (iy0 >= 0 && ix0 >= 0 && iy0 + T <= h && ix0 + T <= w) {
          s = x;
          base = src + iy0 * w + ix0;
          ld = w;
        } else {
          for (int r = 0; r < T; r++) {
            int iy = iy0 + r;
            for (int col = 0; col < T; col++) {
              int ix = ix0 + col;
              d[r * T + col] = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[src + iy * w + ix] : 0f;
            }
          }
          s = d;
          base = 0;
          ld = T;
        }
        // B^T along the columns (tmp = B^T d), then along the rows (V = tmp B).
        for (int col = 0; col < T; col++) {
          inputTransform1d(s, base + col, ld, tmp, col, T);
        }
        int dst = c * tb + t;
        for (int r = 0; r < T; r++) {
          inputTransform1d(tmp, r * T, 1, v, dst + r * T * eStride, eStride);
        }
        if (++tx == tilesW) {
          tx = 0;
          if (++ty == tilesH) {
            ty = 0;
            img++;
          }
        }
      }
      q += tEnd - (q - c * tb);
    }
  }

  /** out[o + k*os] = (B^T s)[k] for the 6 values s[i + k*is]. */
  private static void inputTransform1d(float[] s, int i, int is, float[] out, int o, int os) {
    float d0 = s[i];
    float d1 = s[i + is];
    float d2 = s[i + 2 * is];
    float d3 = s[i + 3 * is];
    float d4 = s[i + 4 * is];
    float d5 = s[i + 5 * is];
    // Shared partial sums: rows 1-2 and 3-4 of B^T differ only in the signs of d1 and d3.
    float a = d4 - 4 * d2;
    float b = d3 - 4 * d1;
    float p = d4 - d2;
    float q = 2 * (d3 - d1);
    out[o] = 4 * d0 - 5 * d2 + d4;
    out[o + os] = a + b;
    out[o + 2 * os] = a - b;
    out[o + 3 * os] = p + q;
    out[o + 4 * os] = p - q;
    out[o + 5 * os] = 4 * d1 - 5 * d3 + d5;
  }

  /**
   * Output tiles {@code A^T M A + bias}, clipped to the output size, for the pairs
   * q = co*tb + t in [from, to) of a chunk of tb tiles starting at tile t0.
   */
  private static void transformOutput(float[] prod, int eStride, int cout, int outH, int outW,
      int tilesH, int tilesW, int t0, int tb, int from, int to, float[] bias, float[] out) {
    float[] tmp = new float[M * T];
    float[] y = new float[M * M];
    int plane = outH * outW;
    int tilesPerImage = tilesH * tilesW;
    int q = from;
    while (q < to) {
      int co = q / tb;
      int t = q - co * tb;
      int tEnd = Math.min(tb, t + (to - q));
      int tile = t0 + t;
      int img = tile / tilesPerImage;
      int rem = tile - img * tilesPerImage;
      int ty = rem / tilesW;
      int tx = rem - ty * tilesW;
      float bv = bias == null ? 0f : bias[co];
      for (; t < tEnd; t++) {
        int src = co * tb + t;
        // A^T along the columns (tmp = A^T M, 4x6), then along the rows (Y = tmp A, 4x4).
        for (int col = 0; col < T; col++) {
          outputTransform1d(prod, src + col * eStride, T * eStride, tmp, col, T);
        }
        int oy0 = ty * M;
        int ox0 = tx * M;
        int dst = (img * cout + co) * plane + oy0 * outW + ox0;
        if (oy0 + M <= outH && ox0 + M <= outW) {
          for (int r = 0; r < M; r++) {
            outputTransform1d(tmp, r * T, 1, out, dst + r * outW, 1);
            for (int col = 0; col < M; col++) {
              out[dst + r * outW + col] += bv;
            }
          }
        } else {
          for (int r = 0; r < M; r++) {
            outputTransform1d(tmp, r * T, 1, y, r * M, 1);
          }
          int rows = Math.min(M, outH - oy0);
          int cols = Math.min(M, outW - ox0);
          for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
              out[dst + r * outW + col] = y[r * M + col] + bv;
            }
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
      q += tEnd - (q - co * tb);
    }
  }

  /** out[o + k*os] = (A^T s)[k] for the 6 values s[i + k*is], k < 4. */
  private static void outputTransform1d(float[] s, int i, int is, float[] out, int o, int os) {
    float m0 = s[i];
    float m1 = s[i + is];
    float m2 = s[i + 2 * is];
    float m3 = s[i + 3 * is];
    float m4 = s[i + 4 * is];
    float m5 = s[i + 5 * is];
    float sum12 = m1 + m2;
    float dif12 = m1 - m2;
    float sum34 = m3 + m4;
    float dif34 = m3 - m4;
    out[o] = m0 + sum12 + sum34;
    out[o + os] = dif12 + 2 * dif34;
    out[o + 2 * os] = sum12 + 4 * sum34;
    out[o + 3 * os] = dif12 + 8 * dif34 + m5;
  }
}
