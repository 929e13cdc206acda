package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;

/**
 * The weight gradient of a 3x3, stride-1, undilated, ungrouped convolution in the Winograd
 * F(4x4, 3x3) domain. The forward computes each 4x4 output tile as
 * {@code Y = A^T [(G g G^T) ⊙ (B^T d B)] A}, bilinear in the filter g and the 6x6 input tile d; its
 * adjoint in g is {@code G^T [(A gY A^T) ⊙ (B^T d B)] G}. Summed over tiles (and the channel pairs),
 * that is 36 GEMMs {@code M[e] (cout x cin) += U[e] (cout x tiles) · V[e]^T (tiles x cin)} with
 * {@code U = A gY A^T} and {@code V = B^T d B}, then one small transform per (co, ci): 36 multiply-adds
 * per tile and channel pair where the direct form has 144 (res3x3_28: 4x fewer FLOPs).
 *
 * <p>Output tiles past the output's edge read gOut as 0, so the input beyond the padded input only
 * ever meets zeros; an infinite or NaN input or gOut, though, would spread to the whole tile
 * (0 * inf) and is left to the other forms (the caller checks). No argument checks.
 */
final class WinogradWeightGrad {
  private WinogradWeightGrad() {}

  private static final KernelProvider KERNELS = KernelProviders.get();

  /** Tests turn the form on or off ({@code null} = by the problem). */
  static Boolean force;

  /**
   * Target size of the transformed input or gOut per chunk of images (floats: 36 * channels *
   * tiles), so that the transforms' output is still in cache when the GEMMs read it: res3x3_56 ran
   * 1.5x faster in chunks of 2 images (2^19) than all 8 at once (2^22); 1 image (2^18) was slower.
   */
  static final long MAX_CHUNK_FLOATS = 1L << 19;

  /**
   * Fewest tiles per chunk (the GEMMs' shared dimension) even past {@link #MAX_CHUNK_FLOATS}: res3x3_14
   * has 16 per image.
   */
  static final int MIN_TILES = 128;

  /** Largest transformed input or gOut of one chunk (floats); larger problems take the other forms. */
  static final long MAX_SCRATCH_FLOATS = 1L << 24;

  /**
   * Fewest channels (in and out) for which it runs: the 36 GEMMs are {@code cout x cin}, and
   * small ones run far below the GEMM's speed while the transforms cost the same.
   */
  static final int MIN_CHANNELS = 32;

  /** Whether {@link #run} computes the weight gradient of {@code p}. */
  static boolean applies(ConvParams p) {
    boolean shape = fits(p);
    if (force != null) {
      return force && shape;
    }
    return shape && p.cin() >= MIN_CHANNELS && p.cout() >= MIN_CHANNELS;
  }

  /**
   * Whether {@code p} is a layer the Winograd forms of this package take (3x3, stride 1, undilated,
   * ungrouped) with a chunk's transformed data within {@link #MAX_SCRATCH_FLOATS}: the weight
   * gradient, {@link WinogradInputGrad} and {@link WinogradForwardLanes}.
   */
  static boolean fits(ConvParams p) {
    return WinogradConv.supports(p.kh(), p.kw(), p.strideH(), p.strideW(), p.dilationH(), p.dilationW(), p.groups())
        && 36L * Math.max(p.cin(), p.cout()) * Math.max(tiles(p), MIN_TILES) <= MAX_SCRATCH_FLOATS;
  }

  /**
   * Whether the channels of {@code p} fill whole vectors of {@code vec} (which the channel-interleaved
   * forms need) and the 36 transformed filter planes, rows padded by a cache line, fit an array.
   */
  static boolean fitsLanes(ConvParams p, ConvBackward.WeightKernel vec) {
    return vec != null && p.cin() % vec.lanes() == 0 && p.cout() % vec.lanes() == 0
        && 36L * (p.cin() + 16) * (p.cout() + 16) <= Integer.MAX_VALUE / 2;
  }

  /** Images per chunk: the transforms' output of a chunk stays in cache for its GEMMs. */
  static int chunkImages(ConvParams p) {
    int perImage = tiles(p);
    return (int) Math.min(p.n(), Math.max(Math.ceilDiv(MIN_TILES, perImage),
        MAX_CHUNK_FLOATS / (36L * Math.max(p.cin(), p.cout()) * perImage)));
  }

  private static int tiles(ConvParams p) {
    return Tiles.of(p).perImage();
  }

  /**
   * The F(4x4, 3x3) tile grid of a layer's output, shared by the Winograd forms of this package:
   * {@code tY x tX} tiles of 4x4 outputs ({@code perImage} per image), whose 6x6 input patches start
   * every 4 pixels of a padded plane of {@code hp x wp} (4 per tile + 2), and the output rounded up
   * to whole tiles, {@code gh x gw}.
   */
  record Tiles(int tY, int tX) {
    static Tiles of(ConvParams p) {
      return new Tiles(Math.ceilDiv(p.outH(), 4), Math.ceilDiv(p.outW(), 4));
    }

    int perImage() {
      return tY * tX;
    }

    int hp() {
      return 4 * tY + 2;
    }

    int wp() {
      return 4 * tX + 2;
    }

    int plane() {
      return hp() * wp();
    }

    int gh() {
      return 4 * tY;
    }

    int gw() {
      return 4 * tX;
    }
  }

  /**
   * Writes the weight gradient of {@code p} into {@code gW}, every element (requires {@link #applies}, finite x and
   * gOut).
   */
  static void run(ConvParams p, float[] x, float[] gOut, float[] gW) {
    run(p, x, gOut, gW, null);
  }

  /**
   * As {@link #run(ConvParams, float[], float[], float[])}, and, when {@code inputGrad} is not null,
   * the input gradient too, chunk by chunk from the same transformed gOut (where the channels fill
   * whole vectors; else after the weight gradient, on its own).
   */
  static void run(ConvParams p, float[] x, float[] gOut, float[] gW, WinogradInputGrad.Part inputGrad) {
    int cin = p.cin();
    int cout = p.cout();
    int outH = p.outH();
    int outW = p.outW();
    Tiles grid = Tiles.of(p);
    int tY = grid.tY();
    int tX = grid.tX();
    int perImage = grid.perImage();
    int hp = grid.hp();
    int wp = grid.wp();
    int plane = grid.plane();
    int images = chunkImages(p);
    int maxT = images * perImage;
    // Every element of v, u and padded is written before it is read, and m's first GEMMs run with
    // beta 0, so reused scratch needs no clearing; g's zeros past the edge do (below).
    float[] v = scratch(0, 36 * cin * maxT);
    float[] u = scratch(1, 36 * cout * maxT);
    float[] m = scratch(2, 36 * cout * cin);
    float[] padded = scratch(3, images * cin * plane);
    int gw = grid.gw();
    int gPlane = grid.gh() * gw;
    // The output gradient's planes with zeros past the edge (tiles there read gOut as 0): only the
    // inside is ever written, so the zeros stay.
    float[] g = scratch(4, images * cout * gPlane);
    // With the Vector API and channels in whole vectors, the transforms read channel-interleaved
    // copies (a tile's value for `lanes` channels is one vector load) instead of gathering each lane's
    // 36 (or 16) values one by one: res3x3_14's input transform took 24 ns per tile and channel so.
    ConvBackward.WeightKernel vec = ConvBackward.useVector && useLanes ? ConvBackward.VECTOR : null;
    int lanes = vec == null ? 0 : vec.lanes();
    boolean interleaved = lanes > 0 && cin % lanes == 0 && cout % lanes == 0;
    if (!interleaved) {
      java.util.Arrays.fill(g, 0, images * cout * gPlane, 0f);
    }
    // Lane j of the transforms is channel j % channels of tile j / channels: their results land
    // tile-major (V[e][tile][ci], U[e][tile][co]), and the 36 GEMMs M[e] = U[e]^T V[e] read both
    // operands along rows (transposed A read in place, B as is), where the channel-major layout
    // made them a product with B^T, whose panels must be gathered.
    int[] vOffsets = new int[interleaved ? 0 : maxT * cin];
    int[] uOffsets = new int[interleaved ? 0 : maxT * cout];
    for (int i = 0; !interleaved && i < images; i++) {
      for (int ty = 0; ty < tY; ty++) {
        for (int tx = 0; tx < tX; tx++) {
          int tile = (i * tY + ty) * tX + tx;
          for (int c = 0; c < cin; c++) {
            vOffsets[tile * cin + c] = (i * cin + c) * plane + 4 * ty * wp + 4 * tx;
          }
          for (int c = 0; c < cout; c++) {
            uOffsets[tile * cout + c] = (i * cout + c) * gPlane + 4 * ty * gw + 4 * tx;
          }
        }
      }
    }
    for (int n0 = 0; n0 < p.n(); n0 += images) {
      int nc = Math.min(images, p.n() - n0);
      int t = nc * perImage;
      int first = n0;
      if (interleaved) {
        inputLanes(vec, p, x, first, nc, padded, v);
        gradOutputLanes(vec, p, gOut, first, nc, g, u);
        gemms(cout, cin, t, u, v, n0 == 0 ? 0f : 1f, m);
        if (inputGrad != null) {
          // u is the input gradient's Ĝ = A gY A^T, in its layout (tile-major, t x cout per e).
          inputGrad.chunk(first, nc, u);
        }
        continue;
      }
      Parallel.forRange(nc * cin, 1, (q0, q1) -> {
        for (int q = q0; q < q1; q++) {
          // Zero padding around (and past) the input: the tiles read up to 4*tiles + 2 rows.
          int dst = q * plane;
          java.util.Arrays.fill(padded, dst, dst + plane, 0f);
          int src = (first * cin + q) * p.h() * p.w();
          int rows = Math.min(p.h(), hp - p.padTop());
          int cols = Math.min(p.w(), wp - p.padLeft());
          for (int y = 0; y < rows; y++) {
            System.arraycopy(x, src + y * p.w(), padded, dst + (y + p.padTop()) * wp + p.padLeft(), cols);
          }
        }
      });
      Parallel.forRange(nc * cout, 1, (q0, q1) -> {
        for (int q = q0; q < q1; q++) {
          int src = (first * cout + q) * outH * outW;
          for (int y = 0; y < outH; y++) {
            System.arraycopy(gOut, src + y * outW, g, q * gPlane + y * gw, outW);
          }
        }
      });
      Parallel.forRange(t * cin, TRANSFORM_GRAIN,
          (j0, j1) -> KERNELS.winogradInput(padded, 0, wp, vOffsets, j0, j1 - j0, v, j0, t * cin));
      Parallel.forRange(t * cout, TRANSFORM_GRAIN,
          (j0, j1) -> KERNELS.winogradGradOutput(g, 0, gw, uOffsets, j0, j1 - j0, u, j0, t * cout));
      gemms(cout, cin, t, u, v, n0 == 0 ? 0f : 1f, m);
      if (inputGrad != null) {
        inputGrad.chunk(first, nc, u);
      }
    }
    // gW = G^T M G per (co, ci) pair, for blocks of pairs of one co, along which both products run
    // as vector axpys into planes of the block; only the last step interleaves each pair's 9 values
    // into gW (res3x3_14's 65536 pairs took a third of its weight gradient pair by pair, in scalar
    // code). M is laid out [co][e][ci], so that a block's 36 planes are one contiguous read.
    int ciBlocks = Math.ceilDiv(cin, PAIR_BLOCK);
    ConvBackward.WeightKernel last = ConvBackward.useVector && useVectorFilterGrad ? ConvBackward.VECTOR : null;
    Parallel.forRange(cout * ciBlocks, 1, (b0, b1) -> {
      for (int blk = b0; blk < b1; blk++) {
        int co = blk / ciBlocks;
        int ci0 = (blk % ciBlocks) * PAIR_BLOCK;
        int len = Math.min(PAIR_BLOCK, cin - ci0);
        int mBase = co * 36 * cin + ci0;
        int dst = (co * cin + ci0) * 9;
        if (last != null) {
          // One pass with the whole transform in registers, vectors over the input channels: as
          // separate axpys (below), res3x3_14's 256 x 140 calls of 256 floats cost about 1 ms.
          last.winogradFilterGrad(m, mBase, cin, len, gW, dst);
        } else {
          filterGradPlain(m, mBase, cin, len, gW, dst);
        }
      }
    });
  }

  /**
   * {@code v[e][tile][ci] = (B^T d B)[e]} for the tiles of images [first, first + nc) of the input
   * {@code x}, with the Vector API kernel {@code vec} (channels in whole vectors): x is copied into
   * {@code padded} channel-interleaved, with its padding, and each tile's 36 values for {@code lanes}
   * channels are then whole vector loads. The weight gradient's V, and the forward's
   * ({@link WinogradForwardLanes}).
   */
  static void inputLanes(ConvBackward.WeightKernel vec, ConvParams p, float[] x, int first, int nc, float[] padded,
      float[] v) {
    int cin = p.cin();
    int lanes = vec.lanes();
    int nbi = cin / lanes;
    Tiles grid = Tiles.of(p);
    int tX = grid.tX();
    int perImage = grid.perImage();
    int hp = grid.hp();
    int wp = grid.wp();
    int plane = grid.plane();
    int t = nc * perImage;
    Parallel.forRange(nc * nbi, 1, (q0, q1) -> {
      for (int q = q0; q < q1; q++) {
        interleave(vec, x, (first * cin + q * lanes) * p.h() * p.w(), p.h(), p.w(), p.padTop(), p.padLeft(), padded,
            q * plane * lanes, hp, wp);
      }
    });
    Parallel.forRange(t * nbi, Math.max(1, TRANSFORM_GRAIN / lanes), (j0, j1) -> {
      float[] tmp = new float[36 * lanes];
      for (int j = j0; j < j1; j++) {
        int tile = j / nbi;
        int cb = j % nbi;
        int i = tile / perImage;
        int ty = tile % perImage / tX;
        int tx = tile % tX;
        vec.winogradInputLanes(padded, (((i * nbi + cb) * hp + 4 * ty) * wp + 4 * tx) * lanes, wp * lanes, tmp, v,
            tile * cin + cb * lanes, t * cin);
      }
    });
  }

  /**
   * {@code u[e][tile][co] = (A gY A^T)[e]} for the tiles of images [first, first + nc) of gOut, with
   * the Vector API kernel {@code vec} (channels in whole vectors): gOut is copied into {@code g}
   * channel-interleaved, with zeros past the output's edge (tiles there read gOut as 0), and each
   * tile's 16 values for {@code lanes} channels are then whole vector loads. The weight gradient's
   * U, and the input gradient's Ĝ ({@link WinogradInputGrad}).
   */
  static void gradOutputLanes(ConvBackward.WeightKernel vec, ConvParams p, float[] gOut, int first, int nc,
      float[] g, float[] u) {
    int cout = p.cout();
    int outH = p.outH();
    int outW = p.outW();
    int lanes = vec.lanes();
    int nbo = cout / lanes;
    Tiles grid = Tiles.of(p);
    int tX = grid.tX();
    int perImage = grid.perImage();
    int gh = grid.gh();
    int gw = grid.gw();
    int gPlane = gh * gw;
    int t = nc * perImage;
    Parallel.forRange(nc * nbo, 1, (q0, q1) -> {
      for (int q = q0; q < q1; q++) {
        interleave(vec, gOut, (first * cout + q * lanes) * outH * outW, outH, outW, 0, 0, g, q * gPlane * lanes, gh,
            gw);
      }
    });
    Parallel.forRange(t * nbo, Math.max(1, TRANSFORM_GRAIN / lanes), (j0, j1) -> {
      float[] tmp = new float[24 * lanes];
      for (int j = j0; j < j1; j++) {
        int tile = j / nbo;
        int cb = j % nbo;
        int i = tile / perImage;
        int ty = tile % perImage / tX;
        int tx = tile % tX;
        vec.winogradGradOutputLanes(g, (((i * nbo + cb) * gh + 4 * ty) * gw + 4 * tx) * lanes, gw * lanes, tmp, u,
            tile * cout + cb * lanes, t * cout);
      }
    });
  }

  /**
   * The 36 GEMMs {@code M[e] (+)= U[e]^T V[e]} of one chunk of {@code t} tiles, shared out whole among
   * the threads (each then runs on its own thread): one fork for all instead of one per GEMM, and no
   * GEMM cut into thin slices.
   */
  private static void gemms(int cout, int cin, int t, float[] u, float[] v, float beta, float[] m) {
    Parallel.forRange(36, 1, (e0, e1) -> {
      for (int e = e0; e < e1; e++) {
        KERNELS.sgemm(true, false, cout, cin, t, u, e * t * cout, cout, v, e * t * cin, cin, beta, m, e * cin,
            36 * cin);
      }
    });
  }

  /**
   * Copies {@code lanes} consecutive planes ({@code h x w}, from {@code src[s]}) into one
   * channel-interleaved block of {@code rows x cols} pixels at {@code dst[d]} (pixel (y, x) of plane l
   * at {@code d + (y*cols + x)*lanes + l}), the planes placed {@code top} rows and {@code left} columns
   * in, zeros around them: every element of the block is written.
   */
  static void interleave(ConvBackward.WeightKernel vec, float[] src, int s, int h, int w, int top, int left,
      float[] dst, int d, int rows, int cols) {
    int lanes = vec.lanes();
    int y0 = Math.min(rows, top);
    int y1 = Math.max(y0, Math.min(rows, top + h));
    int x0 = Math.min(cols, left);
    int x1 = Math.max(x0, Math.min(cols, left + w));
    java.util.Arrays.fill(dst, d, d + y0 * cols * lanes, 0f);
    for (int y = y0; y < y1; y++) {
      int row = d + y * cols * lanes;
      java.util.Arrays.fill(dst, row, row + x0 * lanes, 0f);
      java.util.Arrays.fill(dst, row + x1 * lanes, row + cols * lanes, 0f);
    }
    java.util.Arrays.fill(dst, d + y1 * cols * lanes, d + rows * cols * lanes, 0f);
    for (int y = y0; y < y1; y++) {
      vec.interleaveRows(src, s + (y - top) * w - left + x0, h * w, dst, d + (y * cols + x0) * lanes, x1 - x0);
    }
  }

  /** Tests compare the channel-interleaved transforms with the gathering ones ({@code false}: gathering). */
  static boolean useLanes = true;

  /** By-hand timing (BackwardSwitchesAbMain) compares the vector last step with the plain one ({@code false}). */
  static boolean useVectorFilterGrad = true;

  /**
   * The last step for one output channel and {@code len <= PAIR_BLOCK} input channels:
   * {@code gW[dst + 9q + 3a + b] = (G^T M_q G)[a][b]} with {@code M_q[r][c] = m[mBase + (6r + c)*ldm + q]}
   * ({@link ConvBackward.WeightKernel#winogradFilterGrad}), as vector axpys into planes of the block;
   * only the last step interleaves each pair's 9 values into gW.
   */
  static void filterGradPlain(float[] m, int mBase, int ldm, int len, float[] gW, int dst) {
    float[] half = new float[18 * len];
    float[] out = new float[9 * len];
    // half[a][c] = sum_r G[r][a] M[r][c]
    for (int a = 0; a < 3; a++) {
      for (int c = 0; c < 6; c++) {
        for (int r = 0; r < 6; r++) {
          if (G[r][a] != 0f) {
            KERNELS.axpy(len, G[r][a], m, mBase + (6 * r + c) * ldm, half, (6 * a + c) * len);
          }
        }
      }
    }
    // out[a][b] = sum_c half[a][c] G[c][b]
    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        for (int c = 0; c < 6; c++) {
          if (G[c][b] != 0f) {
            KERNELS.axpy(len, G[c][b], half, (6 * a + c) * len, out, (3 * a + b) * len);
          }
        }
      }
    }
    for (int q = 0, d = dst; q < len; q++, d += 9) {
      for (int ab = 0; ab < 9; ab++) {
        gW[d + ab] = out[ab * len + q];
      }
    }
  }

  private static final int PAIR_BLOCK = 256;

  /**
   * Scratch arrays kept by each calling thread from one call to the next: res3x3_14's 24 MB of
   * transforms and M, allocated (so zeroed) on every call, took about 1 ms of its 8. Arrays past
   * {@link #MAX_KEPT_FLOATS} are not kept.
   */
  private static final ThreadScratch SCRATCH = new ThreadScratch(5, WinogradWeightGrad.MAX_KEPT_FLOATS);

  /** Largest scratch array (floats) kept between calls: 16 MB. */
  static final int MAX_KEPT_FLOATS = 1 << 22;

  /** A scratch array of at least {@code size} floats for {@code slot}, with unspecified contents. */
  private static float[] scratch(int slot, int size) {
    return SCRATCH.get(slot, size);
  }

  /** Fewest tiles (times channels) per parallel transform task. */
  private static final int TRANSFORM_GRAIN = 1024;

  /** F(4x4, 3x3)'s filter transform G (6x3), the same as the forward's. */
  static final float[][] G = {
    {0.25f, 0, 0},
    {-1f / 6, -1f / 6, -1f / 6},
    {-1f / 6, 1f / 6, -1f / 6},
    {1f / 24, 1f / 12, 1f / 6},
    {1f / 24, -1f / 12, 1f / 6},
    {0, 0, 1},
  };
}
