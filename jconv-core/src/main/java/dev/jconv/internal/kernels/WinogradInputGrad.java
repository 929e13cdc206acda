package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;

/**
 * The input gradient of a 3x3, stride-1, undilated, ungrouped convolution as the adjoint of the
 * forward's Winograd F(4x4, 3x3). The forward computes each 4x4 output tile as
 * {@code Y = A^T [sum_ci U[co][ci] ⊙ (B^T d_ci B)] A} with {@code U = G g G^T}; its adjoint in the
 * input tile d is {@code B [sum_co U[co][ci] ⊙ (A gY_co A^T)] B^T}, added over the overlapping 6x6
 * input tiles. Per position e of the 6x6 transformed tile that is one GEMM
 * {@code Z[e] (tiles x cin) = Ĝ[e] (tiles x cout) · U[e] (cout x cin)}, with {@code Ĝ = A gY A^T}.
 *
 * <p>Against the other route (a forward convolution of gOut with the flipped, transposed weight) it
 * needs the filters as the forward transforms them (not flipped, and not packed: U[e] is the GEMM's
 * row-major B), and, like {@link WinogradWeightGrad}, it keeps the data tile-major with the channels
 * across the vector lanes: gOut and the input gradient go through channel-interleaved copies made
 * by register transposes, and every transform reads and writes whole vectors. So it needs the Vector
 * API and channel counts in whole vectors ({@link #applies}).
 *
 * <p>It mixes every value of a tile, so an infinite or NaN weight or gOut is left to the other
 * forms (the caller checks). Writes every element of the input gradient. No argument checks.
 */
final class WinogradInputGrad {
  private WinogradInputGrad() {}

  private static final KernelProvider KERNELS = KernelProviders.get();

  /** Tests turn the form on or off ({@code null} = by the problem). */
  static Boolean force;

  /** By-hand timing (BackwardSwitchesAbMain) turns off sharing gOut's transform with the weight gradient. */
  static boolean share = true;

  /** Tests and timing turn the padded filter rows off ({@code false}: rows of cin floats). */
  static boolean padRows = true;

  /** Fewest channels (in and out), as {@link WinogradWeightGrad#MIN_CHANNELS}. */
  static final int MIN_CHANNELS = 32;

  /** Whether {@link #run} computes the input gradient of {@code p} with the vector kernel {@code vec}. */
  static boolean applies(ConvParams p, ConvBackward.WeightKernel vec) {
    if (vec == null || Boolean.FALSE.equals(force)) {
      return false;
    }
    boolean shape = WinogradWeightGrad.fits(p) && WinogradWeightGrad.fitsLanes(p, vec);
    if (force != null) {
      return shape;
    }
    return shape && p.cin() >= MIN_CHANNELS && p.cout() >= MIN_CHANNELS;
  }


  /**
   * Work arrays kept per calling thread: the transformed filters, Ĝ, Z, the interleaved gOut and the
   * interleaved input gradient of one chunk of images.
   */
  private static final ThreadScratch SCRATCH = new ThreadScratch(5, WinogradWeightGrad.MAX_KEPT_FLOATS);

  /** Writes the input gradient of {@code p} into {@code gX} (requires {@link #applies}, finite weight and gOut). */
  static void run(ConvParams p, float[] weight, float[] gOut, float[] gX, ConvBackward.WeightKernel vec) {
    Part part = new Part(p, weight, gX, vec);
    float[] g = SCRATCH.get(3, part.images * p.cout() * 16 * part.grid.perImage());
    float[] gHat = SCRATCH.get(1, 36 * p.cout() * part.images * part.grid.perImage());
    for (int n0 = 0; n0 < p.n(); n0 += part.images) {
      int nc = Math.min(part.images, p.n() - n0);
      WinogradWeightGrad.gradOutputLanes(vec, p, gOut, n0, nc, g, gHat);
      part.chunk(n0, nc, gHat);
    }
  }

  /**
   * One call's input gradient, chunk of images by chunk: the transformed filters are made once, and
   * each chunk takes its Ĝ from the caller, so that {@link WinogradWeightGrad}, which transforms gOut
   * the same way for the weight gradient, can share it when both gradients are wanted.
   */
  static final class Part {
    private final ConvParams p;
    private final float[] gX;
    private final ConvBackward.WeightKernel vec;
    final WinogradWeightGrad.Tiles grid;
    /** Images per chunk, as {@link WinogradWeightGrad} cuts them. */
    final int images;
    private final int ldu;
    private final int uStride;
    private final float[] filters;
    private final float[] z;
    private final float[] dx;

    Part(ConvParams p, float[] weight, float[] gX, ConvBackward.WeightKernel vec) {
      this.p = p;
      this.gX = gX;
      this.vec = vec;
      int cin = p.cin();
      int cout = p.cout();
      int lanes = vec.lanes();
      int nbi = cin / lanes;
      grid = WinogradWeightGrad.Tiles.of(p);
      images = WinogradWeightGrad.chunkImages(p);
      int maxT = images * grid.perImage();
      // U[e] is the GEMMs' B, read in place (not packed) when its rows spread over L1's sets: a row
      // of an even number of 16-float lines is padded by one line.
      ldu = cin % 32 == 0 && padRows ? cin + 16 : cin;
      uStride = WinogradConv.planeStride(cout * ldu);
      filters = SCRATCH.get(0, 36 * uStride);
      z = SCRATCH.get(2, 36 * cin * maxT);
      // The padded input's gradient: the tiles' 6x6 patches start every 4 pixels, from the padding's
      // top-left corner; 4*tiles + 2 rows and columns hold them all, and the input inside.
      dx = SCRATCH.get(4, images * cin * grid.plane());
      float[] u = filters;
      int ld = ldu;
      int step = uStride;
      Parallel.forRange(cout, Math.max(1, 4096 / Math.max(1, cin)), (c0, c1) -> {
        float[] tmp = new float[27 * lanes];
        for (int co = c0; co < c1; co++) {
          for (int cb = 0; cb < nbi; cb++) {
            vec.winogradFiltersLanes(weight, (co * cin + cb * lanes) * 9, 9, tmp, u, co * ld + cb * lanes, step);
          }
        }
      });
    }

    /**
     * Images [first, first + nc) of gX from their Ĝ ({@code gHat[e*t*cout + tile*cout + co]}, t = nc
     * tiles per image times nc).
     */
    void chunk(int first, int nc, float[] gHat) {
      int cin = p.cin();
      int cout = p.cout();
      int lanes = vec.lanes();
      int nbi = cin / lanes;
      int tY = grid.tY();
      int tX = grid.tX();
      int t = nc * grid.perImage();
      int hp = grid.hp();
      int wp = grid.wp();
      int plane = grid.plane();
      // Z[e] = Ĝ[e] · U[e]: the 36 GEMMs shared out whole among the threads.
      Parallel.forRange(36, 1, (e0, e1) -> {
        for (int e = e0; e < e1; e++) {
          KERNELS.sgemm(false, false, t, cin, cout, gHat, e * t * cout, cout, filters, e * uStride, ldu, 0f, z,
              e * t * cin, cin);
        }
      });
      // Per (image, channel block): B Z B^T of its tiles added up in its own interleaved block (tiles
      // overlap by two pixels, so one task owns all the tiles of a block), then the block's input
      // pixels out into gX while they are in the cache.
      Parallel.forRange(nc * nbi, 1, (q0, q1) -> {
        float[] tmp = new float[36 * lanes];
        for (int q = q0; q < q1; q++) {
          int i = q / nbi;
          int cb = q % nbi;
          int block = q * plane * lanes;
          java.util.Arrays.fill(dx, block, block + plane * lanes, 0f);
          for (int ty = 0; ty < tY; ty++) {
            for (int tx = 0; tx < tX; tx++) {
              int tile = (i * tY + ty) * tX + tx;
              vec.winogradInputAdjointLanes(z, tile * cin + cb * lanes, t * cin, tmp, dx,
                  block + (4 * ty * wp + 4 * tx) * lanes, wp * lanes);
            }
          }
          int dst = ((first + i) * cin + cb * lanes) * p.h() * p.w();
          for (int y = 0; y < p.h(); y++) {
            vec.deinterleaveRows(dx, block + ((y + p.padTop()) * wp + p.padLeft()) * lanes, gX, dst + y * p.w(),
                p.h() * p.w(), p.w());
          }
        }
      });
    }
  }
}
