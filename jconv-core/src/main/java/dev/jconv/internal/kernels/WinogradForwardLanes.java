package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;

/**
 * The forward Winograd F(4x4, 3x3) convolution ({@link WinogradConv}'s arithmetic) with the data
 * tile-major and the channels across the vector lanes, as the backward's Winograd forms keep it
 * ({@link WinogradWeightGrad}, {@link WinogradInputGrad}): the input is copied channel-interleaved
 * by register transposes, so that the input transform reads and the output transform writes whole
 * vectors, where {@link WinogradConv} gathers each lane's 36 values one by one (about 24 ns per tile
 * and channel). Per position e of the transformed tile: {@code M[e] (tiles x cout) = V[e] (tiles x
 * cin) · U[e]^T}, with the transformed filters kept as {@code U^T} ({@code cin x cout} per e), the
 * GEMM's right operand. Needs the Vector API and channel counts in whole vectors ({@link #applies}).
 * No argument checks.
 */
final class WinogradForwardLanes {
  private WinogradForwardLanes() {}

  private static final KernelProvider KERNELS = KernelProviders.get();

  /** Tests and by-hand timing turn the form off ({@code false}: {@link WinogradConv}'s). */
  static boolean enabled = true;

  /** Per calling thread: the filters of one-off weights, V, M, the interleaved input and output blocks. */
  private static final ThreadScratch SCRATCH = new ThreadScratch(5, WinogradWeightGrad.MAX_KEPT_FLOATS);

  /** Whether {@link #forward} computes {@code p} with the vector kernel {@code vec}. */
  static boolean applies(ConvParams p, ConvBackward.WeightKernel vec) {
    return enabled && WinogradWeightGrad.fits(p) && WinogradWeightGrad.fitsLanes(p, vec);
  }

  /** Row length of U^T: cout, padded by one cache line when an even number of them (as WinogradInputGrad's). */
  private static int ldu(int cout) {
    return cout % 32 == 0 ? cout + 16 : cout;
  }

  /** U^T[e][ci][co] = (G g G^T)[e] of filter (co, ci), rows of {@link #ldu}, planes {@code uStride} apart. */
  static void transformFilters(ConvBackward.WeightKernel vec, float[] weight, int cout, int cin, float[] u,
      int uStride) {
    int lanes = vec.lanes();
    int ld = ldu(cout);
    int nbo = cout / lanes;
    Parallel.forRange(cin, Math.max(1, 4096 / Math.max(1, cout)), (c0, c1) -> {
      float[] tmp = new float[27 * lanes];
      for (int ci = c0; ci < c1; ci++) {
        for (int cb = 0; cb < nbo; cb++) {
          // lanes over output channels: filter (cb*lanes + l, ci) starts 9*cin floats after filter l - 1
          vec.winogradFiltersLanes(weight, (cb * lanes * cin + ci) * 9, 9 * cin, tmp, u, ci * ld + cb * lanes,
              uStride);
        }
      }
    });
  }

  /**
   * Writes the convolution of {@code x} by {@code weight} plus {@code bias} (may be null) into
   * {@code out}, every element; {@code reused}: the weight may come again (its filters are cached).
   */
  static void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out, boolean reused,
      ConvBackward.WeightKernel vec) {
    int cin = p.cin();
    int cout = p.cout();
    int ld = ldu(cout);
    int uStride = WinogradConv.planeStride(cin * ld);
    float[] u;
    if (reused) {
      u = CACHE.get(weight, cout * cin * 9, java.util.List.of(vec, cout, cin), () -> {
        float[] made = new float[36 * uStride];
        transformFilters(vec, weight, cout, cin, made, uStride);
        return made;
      }, 36L * uStride);
    } else {
      u = SCRATCH.get(0, 36 * uStride);
      transformFilters(vec, weight, cout, cin, u, uStride);
    }
    int lanes = vec.lanes();
    int nbo = cout / lanes;
    int outH = p.outH();
    int outW = p.outW();
    WinogradWeightGrad.Tiles grid = WinogradWeightGrad.Tiles.of(p);
    int tY = grid.tY();
    int tX = grid.tX();
    int perImage = grid.perImage();
    int plane = grid.plane();
    int gw = grid.gw();
    int oPlane = grid.gh() * gw;
    // Chunks of images as the weight gradient cuts them, times the threads: each thread's share of a
    // chunk's transforms then stays about the size that fits its cache, and a chunk's parallel steps
    // have work enough for every thread (res3x3_56, one image a chunk: no faster on 2 threads than 1).
    int images = (int) Math.min(p.n(), (long) WinogradWeightGrad.chunkImages(p) * Parallel.getNumThreads());
    int maxT = images * perImage;
    float[] v = SCRATCH.get(1, 36 * cin * maxT);
    float[] m = SCRATCH.get(2, 36 * cout * maxT);
    float[] padded = SCRATCH.get(3, images * cin * plane);
    float[] yBlock = SCRATCH.get(4, images * cout * oPlane);
    for (int n0 = 0; n0 < p.n(); n0 += images) {
      int nc = Math.min(images, p.n() - n0);
      int t = nc * perImage;
      int first = n0;
      WinogradWeightGrad.inputLanes(vec, p, x, first, nc, padded, v);
      // M[e] = V[e] · U[e]^T: the 36 GEMMs shared out whole among the threads.
      Parallel.forRange(36, 1, (e0, e1) -> {
        for (int e = e0; e < e1; e++) {
          KERNELS.sgemm(false, false, t, cout, cin, v, e * t * cin, cin, u, e * uStride, ld, 0f, m, e * t * cout,
              cout);
        }
      });
      // Per (image, output channel block): A^T M A of its tiles into its interleaved block, then the
      // block's outputs into out while they are in the cache.
      Parallel.forRange(nc * nbo, 1, (q0, q1) -> {
        float[] tmp = new float[24 * lanes];
        for (int q = q0; q < q1; q++) {
          int i = q / nbo;
          int cb = q % nbo;
          int block = q * oPlane * lanes;
          for (int ty = 0; ty < tY; ty++) {
            for (int tx = 0; tx < tX; tx++) {
              int tile = (i * tY + ty) * tX + tx;
              vec.winogradOutputLanes(m, tile * cout + cb * lanes, t * cout, tmp, bias, cb * lanes, yBlock,
                  block + (4 * ty * gw + 4 * tx) * lanes, gw * lanes);
            }
          }
          int dst = ((first + i) * cout + cb * lanes) * outH * outW;
          for (int y = 0; y < outH; y++) {
            vec.deinterleaveRows(yBlock, block + y * gw * lanes, out, dst + y * outW, outH * outW, outW);
          }
        }
      });
    }
  }

  /** Transformed filters (U^T) of recent weight arrays, as {@link WinogradConv.FilterCache} keeps the packed ones. */
  private static final WeightCache<float[]> CACHE = new WeightCache<>(WinogradConv.FilterCache.BUDGET_FLOATS);
}
