package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.PackedMatrix;
import java.util.Arrays;

/**
 * The backward pass of 2-D convolution through the same machinery as the forward: per image and
 * group, the input patches are unfolded (im2col) and
 * <ul>
 *   <li>the weight gradient is {@code gOut (coutG x hw) · col^T (hw x K)}, summed over images;
 *   <li>the input gradient is {@code W^T (K x coutG) · gOut (coutG x hw)}, folded back onto the input
 *       (col2im, adding where patches overlap);
 *   <li>the bias gradient is the sum of {@code gOut} over images and pixels.
 * </ul>
 * GEMMs go through the kernel provider (Vector API when present). A 1x1 kernel with stride 1 and no
 * padding needs no unfolding (the input is the matrix). Work is
 * split into (image, group) tasks when there are enough to keep every thread busy (each thread then
 * sums its own weight gradient, added up at the end); otherwise the GEMMs run in parallel inside.
 * Stride-1 problems first try the faster forms of {@link ConvBackwardDirect} (wide rows, the input
 * gradient as a forward convolution), and 3x3 ones with many channels take the weight gradient in
 * the Winograd domain ({@link WinogradWeightGrad}); the forms above run what those leave. Strided
 * and dilated problems with enough channels go first to {@link PhaseBackward} (stride-1 problems
 * on their phases); the strided ones it declines unfold and fold through {@link PhasePlanes}
 * (stride-1 runs instead of strided gathers).
 * No argument checks: {@link ConvParams} was validated by the forward.
 */
public final class ConvBackward {
  private ConvBackward() {}

  /**
   * Largest per-thread table of partial products (floats) for the weight gradient's "long rows"
   * form. When the weight gradient is small and the pixels many (LeNet: 6 x 25 weights, 784 pixels),
   * a GEMM over the pixels has a tiny output and runs slowly; instead each thread keeps, per weight,
   * a row of per-pixel partial sums that full-width vector FMAs update, and sums the rows once at the
   * end.
   */
  static final int MAX_PARTIAL_FLOATS = 1 << 18;

  /**
   * Largest unfolded chunk (floats) per thread, for the patches and for their gradient each: two
   * chunks of 1152 x 392 on res3x3_s2 (the forward's 2^18 cut it into 227 + 227 + 227 + 103
   * columns, and the GEMMs ran slower on the narrow pieces).
   */
  static final int MAX_COL_FLOATS = 1 << 19;

  /**
   * Most pixels per chunk of a 1x1 convolution's backward when it computes both gradients with
   * GEMMs: the weight gradient's GEMM leaves the chunk of gOut (res1x1_56: 256 x 448, 450 KB) in L2
   * for the input gradient's, which otherwise reads the whole 3.2 MB image again from memory.
   * res1x1_56 input + weight gradient: 0.96x the time at 1 thread, 0.89-0.96x at 2 (same JVM,
   * A/B alternating; 256 and 1024 pixels did no better than whole images).
   */
  static final int POINTWISE_CHUNK_COLS = 512;

  /** The Vector API weight-gradient kernel ({@link VectorConvBackward}), or null without the module. */
  interface WeightKernel {
    int lanes();

    /**
     * {@code gwT[gOff + r*cp + co] += sum_j b[bOff + r*ldb + j] * at[j*cp + co]} for r in [0, k), co in
     * [0, cp).
     */
    void accumulate(float[] at, int cp, float[] b, int bOff, int ldb, int k, int cols, float[] gwT, int gOff);

    /**
     * {@code gw[wOff + co*k + r] += sum_j g[gOff + co*ldg + j] * b[bOff + r*ldb + j]}: the weight gradient
     * as dot products over the pixels, for fewer output channels than vector lanes.
     */
    void accumulateDot(float[] g, int gOff, int ldg, int coutG, float[] b, int bOff, int ldb, int k, int cols,
        float[] gw, int wOff);

    /** {@code dst[d + i] += src[s + i]} for i in [0, len). */
    void addInto(float[] src, int s, float[] dst, int d, int len);

    /**
     * Lane-wise partial weight gradients over "wide" rows ({@link ConvBackwardDirect}): for row co in
     * [0, rows), tap t in [0, k) and lane l, {@code part[partOff + (co*k + t)*lanes + l] += sum_v g[gOff +
     * co*ldg + v*lanes + l] * x[xOff + off[t] + v*lanes + l]} over the {@code len/lanes} vectors
     * ({@code len} a multiple of {@link #lanes()}).
     */
    void wideAccumulate(float[] g, int gOff, int ldg, int rows, float[] x, int xOff, int[] off, int k, int len,
        float[] part, int partOff);

    /** Whether {@code a[off, off + len)} holds only finite values (no NaN, no infinity). */
    boolean allFinite(float[] a, int off, int len);

    /**
     * The input gradient over wide rows ({@link ConvBackwardDirect}): for each tap {@code r} of
     * {@code taps[0, k)}, {@code gx[xOff + off[r] + j] += sum_co w[wOff + co*k + r] * g[gOff + co*ldg + j]}
     * for j in [0, len) ({@code len} a multiple of {@link #lanes()}), taps applied in the order given.
     */
    void wideScatter(float[] w, int wOff, int k, float[] g, int gOff, int ldg, int coutG, int[] taps, int[] off,
        int len, float[] gx, int xOff);

    /** Copies {@code rows} rows of {@code cols} floats from {@code src[s + r*lds]} to {@code dst[d + r*ldd]}. */
    void copyRows(float[] src, int s, int lds, int cols, float[] dst, int d, int ldd, int rows);

    /** The sum of {@code a[off, off + len)}, in lanes (so not in sequential order). */
    float sum(float[] a, int off, int len);

    /**
     * The last step of {@link WinogradWeightGrad} for one output channel and {@code len} input
     * channels: {@code gW[dst + 9q + 3a + b] = (G^T M_q G)[a][b]}, where {@code M_q[r][c] =
     * m[mBase + (6r + c)*ldm + q]} and G is F(4x4, 3x3)'s 6x3 filter transform. The sums run in the
     * order of the plain form (r, then c, each a chain of FMAs over the non-zero coefficients).
     */
    void winogradFilterGrad(float[] m, int mBase, int ldm, int len, float[] gW, int dst);

    /**
     * F(4x4, 3x3)'s input transform {@code B^T d B} of one tile for {@link #lanes()} channels at
     * once, from a channel-interleaved copy: {@code d[r][c]} of lane l is {@code src[base + r*ld + c*lanes + l]}.
     * Result e (of 36) of lane l goes to {@code v[vOff + e*vStride + l]}. {@code tmp}: 36 * lanes floats.
     */
    void winogradInputLanes(float[] src, int base, int ld, float[] tmp, float[] v, int vOff, int vStride);

    /**
     * The output-gradient transform {@code A gY A^T} (4x4 to 6x6) of one tile for {@link #lanes()}
     * channels, interleaved as in {@link #winogradInputLanes}. {@code tmp}: 24 * lanes floats.
     */
    void winogradGradOutputLanes(float[] src, int base, int ld, float[] tmp, float[] u, int uOff, int uStride);

    /**
     * Interleaves {@link #lanes()} rows: {@code dst[d + x*lanes + l] = src[s + l*ld + x]} for x in [0, n)
     * and every lane l (a transpose of lanes x n).
     */
    void interleaveRows(float[] src, int s, int ld, float[] dst, int d, int n);

    /** The inverse of {@link #interleaveRows}: {@code dst[d + l*ld + x] = src[s + x*lanes + l]}. */
    void deinterleaveRows(float[] src, int s, float[] dst, int d, int ld, int n);

    /**
     * The adjoint of {@link #winogradInputLanes} for one tile: {@code B Z B^T} (6x6), added into a
     * channel-interleaved block, {@code dst[base + r*ld + c*lanes + l] += (B Z_l B^T)[r][c]}, where
     * {@code Z_l[k1][k2] = z[zOff + (6*k1 + k2)*zStride + l]}. {@code tmp}: 36 * lanes floats.
     */
    void winogradInputAdjointLanes(float[] z, int zOff, int zStride, float[] tmp, float[] dst, int base, int ld);

    /**
     * F(4x4, 3x3)'s filter transform {@code G g G^T} of {@link #lanes()} filters at once: filter l's
     * taps are {@code w[wOff + fs*l + k]}, its 36 values go to {@code u[uOff + e*uStride + l]} (the
     * arithmetic of {@code WinogradConv.transformFilters}). Filter l starts {@code fs} floats after
     * filter l - 1 (9 for consecutive input channels, 9 cin for consecutive output channels).
     * {@code tmp}: 27 * lanes floats.
     */
    void winogradFiltersLanes(float[] w, int wOff, int fs, float[] tmp, float[] u, int uOff, int uStride);

    /**
     * F(4x4, 3x3)'s output transform {@code A^T M A} (6x6 to 4x4) of one tile for {@link #lanes()}
     * channels, {@code M_l[r][c] = m[mOff + (6r + c)*eStride + l]}, plus {@code bias[biasOff + l]}
     * (when not null), into a channel-interleaved block: {@code dst[base + r*ld + c*lanes + l]}.
     * {@code tmp}: 24 * lanes floats.
     */
    void winogradOutputLanes(float[] m, int mOff, int eStride, float[] tmp, float[] bias, int biasOff, float[] dst,
        int base, int ld);
  }

  static final WeightKernel VECTOR = loadVector();

  /** The GEMM of the kernel provider (Vector API when present, plain Java otherwise). */
  private static final dev.jconv.internal.vector.KernelProvider GEMM = dev.jconv.internal.vector.KernelProviders.get();

  /** Tests turn the vector kernel off to check the plain path ({@code -Djconv.convBackward.vector=false}). */
  static boolean useVector = !"false".equals(System.getProperty("jconv.convBackward.vector"));

  private static WeightKernel loadVector() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      return (WeightKernel) Class.forName("dev.jconv.internal.kernels.VectorConvBackward").getDeclaredConstructor()
          .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /**
   * Computes the requested gradients. {@code gX} ({@code n*cin*h*w}), {@code gW}
   * ({@code cout*cin/groups*kh*kw}) and {@code gB} ({@code cout}) are overwritten; pass null for a
   * gradient not needed. {@code x} is needed only for {@code gW}, {@code weight} only for {@code gX}.
   * Inputs are not modified.
   */
  public static void backward(ConvParams p, float[] x, float[] weight, float[] gOut, float[] gXAll, float[] gWAll,
      float[] gB) {
    // A 1x1 layer's bias gradient is summed in the chunks of gOut its GEMMs bring into the cache
    // (res1x1_56: a pass of its own over the 25.7 MB gOut cost about 0.55 ms of 11 at 1 thread).
    boolean fold = gB != null && Im2colConv.isPointwise(p);
    if (gB != null && !fold) {
      biasGrad(p, gOut, gB);
    }
    if (!gradients(p, x, weight, gOut, gXAll, gWAll, fold ? gB : null) && fold) {
      biasGrad(p, gOut, gB);
    }
    if (gWAll != null && p.n() > 0 && p.cout() > 0 && p.outH() > 0 && p.outW() > 0) {
      // A non-finite gOut: PyTorch's NaN, no more and no fewer (the forms above multiply zeros of their own).
      PaddingNaN.weightGrad(p, x, gOut, gB, gWAll);
    }
  }

  /**
   * The input and weight gradients of {@link #backward}; also the bias gradient {@code gB} (may be
   * null) where the chunks of the im2col form sum it. Returns whether it computed {@code gB}.
   */
  private static boolean gradients(ConvParams p, float[] x, float[] weight, float[] gOut, float[] gXAll,
      float[] gWAll, float[] gB) {
    int hw = p.outH() * p.outW();
    WeightKernel wide = useVector ? VECTOR : null;
    // A stride-1 input gradient that goes the forward route (below) is written whole by the forward
    // convolution (every algorithm's forward overwrites its output: ConvAlgorithmsTest fills it with
    // NaN first), so zeroing gX before would be a wasted pass on one thread (12.8 MB on dw3x3_112).
    // So is the Winograd adjoint's (WinogradInputGrad), which writes every element too.
    boolean work = p.n() > 0 && p.cout() > 0 && hw > 0;
    boolean xByWinograd = gXAll != null && work && WinogradInputGrad.applies(p, wide);
    boolean wWinograd = gWAll != null && work && WinogradWeightGrad.applies(p);
    boolean xByForward = xByWinograd || gXAll != null && work && p.strideH() == 1 && p.strideW() == 1
        && p.dilationH() == 1 && p.dilationW() == 1
        && !ConvBackwardDirect.useWideInput(p, wide) && ConvBackwardDirect.useInputAsForward(p);
    // Likewise the phase forms of strided and dilated layers, when every input element lies in a
    // phase (res3x3_s2, dilated: 12.8 MB each); should they decline the problem, gX is zeroed then.
    boolean xByPhases = gXAll != null && !xByForward && work && PhaseBackward.coversInput(p);
    if (gXAll != null && !xByForward && !xByPhases) {
      Arrays.fill(gXAll, 0f);
    }
    // The Winograd-domain weight gradient (below) writes every element of gW; the other forms add.
    // gOut's finiteness only where a Winograd form would read it (a pass over 25.7 MB on res1x1_56).
    boolean finiteGOut = (xByWinograd || wWinograd) && ConvBackwardDirect.finite(gOut, p.outputLength(), wide);
    boolean wByWinograd = wWinograd && finiteGOut && ConvBackwardDirect.finite(x, p.inputLength(), wide);
    if (gWAll != null && !wByWinograd) {
      Arrays.fill(gWAll, 0f);
    }
    if ((gXAll == null && gWAll == null) || !work) {
      return false;
    }
    // Strided or dilated: stride-1 undilated problems on the input's phases, which take the forms below.
    if (PhaseBackward.run(p, x, weight, gOut, gXAll, gWAll)) {
      return false;
    }
    if (xByPhases) {
      Arrays.fill(gXAll, 0f);
    }
    // Stride 1: the faster forms of ConvBackwardDirect; what they leave (null) goes the im2col way.
    float[] gX = gXAll;
    // Both stride-1 input-gradient forms multiply the weights by zeros that are not in the problem
    // (zero columns, padding of gOut): with an infinite or NaN weight that makes NaN where im2col's
    // col2im gives a number, so such weights take the im2col path. The same holds for the input in
    // the wide weight gradient.
    if (gX != null && !ConvBackwardDirect.finite(weight, p.weightLength(), wide)) {
      if (xByForward) {
        Arrays.fill(gX, 0f);
      }
      rest(p, x, weight, gOut, gX, null, null);
      gX = null;
    }
    // 3x3 stride 1 with channels in whole vectors: the adjoint of the forward's Winograd. It mixes
    // every value of a tile, so an infinite or NaN gOut takes im2col (the forward route would run
    // Winograd too, and spread NaN over whole tiles where the definition has infinities).
    if (gX != null && xByWinograd) {
      if (finiteGOut && gWAll != null && wByWinograd && WinogradInputGrad.share
          && (Parallel.getNumThreads() == 1 || !Parallel.inRegion())) {
        // Both gradients from one transform of gOut (A gY A^T serves both): res3x3_14 0.95x the
        // time, res3x3_56 0.86x at 2 threads. Not where each thread runs a problem of its own (the
        // dilated layer's stacked phases): the shared form's larger working set then meets the other
        // thread's in L3, and the dilated layer took 1.05x the time at 2 threads.
        WinogradWeightGrad.run(p, x, gOut, gWAll, new WinogradInputGrad.Part(p, weight, gX, wide));
        gWAll = null;
      } else if (finiteGOut) {
        WinogradInputGrad.run(p, weight, gOut, gX, wide);
      } else {
        Arrays.fill(gX, 0f);
        rest(p, x, weight, gOut, gX, null, null);
      }
      gX = null;
    }
    float[] gW = gWAll;
    // 3x3 stride 1 with many channels: the Winograd-domain weight gradient (4x fewer FLOPs). It
    // mixes every value of a tile, so an infinite or NaN input or gOut takes the other forms.
    if (gW != null && wByWinograd) {
      WinogradWeightGrad.run(p, x, gOut, gW);
      gW = null;
    }
    boolean wideX = gX != null && ConvBackwardDirect.useWideInput(p, wide);
    boolean wideW = gW != null && ConvBackwardDirect.useWideWeight(p, wide)
        && ConvBackwardDirect.finite(x, p.inputLength(), wide);
    if (wideX || wideW) {
      ConvBackwardDirect.wide(p, x, weight, gOut, wideX ? gX : null, wideW ? gW : null, wide);
      gX = wideX ? null : gX;
      gW = wideW ? null : gW;
    }
    if (gX != null && ConvBackwardDirect.useInputAsForward(p)) {
      // gOut was checked above when a Winograd form could have taken either gradient.
      if (ConvBackwardDirect.inputGradMixesTiles(p)
          && !(xByWinograd || wWinograd ? finiteGOut : ConvBackwardDirect.finite(gOut, p.outputLength(), wide))) {
        // Winograd on a gOut with an infinity or NaN would spread NaN over whole tiles: im2col below.
        Arrays.fill(gX, 0f);
        xByForward = false;
      } else {
        ConvBackwardDirect.inputGrad(p, weight, gOut, gX);
        gX = null;
      }
    }
    assert gX == null || !xByForward : "gX was left unzeroed for the forward route";
    if (gX == null && gW == null) {
      return false;
    }
    return rest(p, x, weight, gOut, gX, gW, gB);
  }

  /**
   * The im2col + GEMM + col2im form of whichever of {@code gX} and {@code gW} is not null (both
   * zeroed). A 1x1 layer's tasks also sum the bias gradient into {@code gB} (when not null) as they
   * go over gOut; returns whether they did.
   */
  private static boolean rest(ConvParams p, float[] x, float[] weight, float[] gOut, float[] gX, float[] gW,
      float[] gB) {
    int hw = p.outH() * p.outW();
    boolean pointwise = Im2colConv.isPointwise(p);
    int k = p.patchSize();
    // Equal chunks: a short last chunk runs its GEMM at a fraction of the speed of the others.
    int maxCols = (int) Math.max(1, Math.min(hw, MAX_COL_FLOATS / Math.max(1, k)));
    int wholeCols = pointwise ? hw : Math.ceilDiv(hw, Math.ceilDiv(hw, maxCols));
    boolean bigGW = gW != null && (long) p.cout() * k * wholeCols > MAX_PARTIAL_FLOATS;
    int chunkCols = pointwise && gX != null && bigGW
        ? Math.ceilDiv(hw, Math.ceilDiv(hw, POINTWISE_CHUNK_COLS)) : wholeCols;
    int tasks = p.n() * p.groups();
    int threads = Parallel.getNumThreads();
    boolean parallelTasks = tasks >= 2 * threads;
    WeightKernel vec = useVector ? VECTOR : null;
    boolean small = gW != null && !bigGW;
    // Vector forms: dot products over the pixels when the output channels fill less than a vector
    // (any size: they need no table), register blocks over output channels for small problems.
    boolean dot = parallelTasks && gW != null && vec != null && p.coutPerGroup() < vec.lanes();
    boolean vector = parallelTasks && small && vec != null && !dot;
    boolean rows = parallelTasks && small && vec == null;
    // W_g^T is the left operand of every input-gradient GEMM: packed once, not once per chunk
    // (res3x3_s2: 1152 x 392 x 128 runs 240 GFLOP/s packed, 199 not).
    PackedMatrix[] wT = gX == null || pointwise ? null : new PackedMatrix[p.groups()];
    for (int g = 0; wT != null && g < wT.length; g++) {
      wT[g] = GEMM.packA(true, k, p.coutPerGroup(), weight, g * p.coutPerGroup() * k, k);
    }
    boolean sumBias = gB != null && pointwise && parallelTasks;
    double[] biasSums = sumBias ? new double[p.cout()] : null;
    if (parallelTasks) {
      Object lock = new Object();
      int cp = vector ? (p.coutPerGroup() + vec.lanes() - 1) / vec.lanes() * vec.lanes() : 0;
      Parallel.forRange(tasks, 1, (start, end) -> {
        Scratch s = new Scratch(pointwise ? 0 : k * chunkCols, gW == null ? 0 : gW.length);
        s.phases(p, gX, gW, pointwise);
        if (dot) {
          s.dot = vec;
        }
        if (vector) {
          s.vec = vec;
          s.cp = cp;
          s.at = new float[chunkCols * cp];
          s.gwT = new float[p.groups() * k * cp];
        }
        if (sumBias) {
          s.biasSums = new double[p.cout()];
          s.sumVec = vec;
        }
        if (rows) {
          s.partial = new float[p.cout() * k][chunkCols];
          s.gRows = new float[p.coutPerGroup()][chunkCols];
          s.bRow = new float[chunkCols];
        }
        for (int t = start; t < end; t++) {
          task(p, x, weight, wT, gOut, gX, gW == null ? null : s.gW, t, chunkCols, pointwise, s, false);
        }
        if (vector) {
          int coutG = p.coutPerGroup();
          for (int g = 0; g < p.groups(); g++) {
            for (int co = 0; co < coutG; co++) {
              for (int r = 0; r < k; r++) {
                s.gW[(g * coutG + co) * k + r] += s.gwT[(g * k + r) * cp + co];
              }
            }
          }
        }
        if (rows) {
          for (int i = 0; i < s.partial.length; i++) {
            float[] row = s.partial[i];
            double sum = 0;
            for (float v : row) {
              sum += v;
            }
            s.gW[i] += (float) sum;
          }
        }
        if (gW != null || sumBias) {
          synchronized (lock) {
            for (int i = 0; gW != null && i < gW.length; i++) {
              gW[i] += s.gW[i];
            }
            for (int i = 0; sumBias && i < biasSums.length; i++) {
              biasSums[i] += s.biasSums[i];
            }
          }
        }
      });
      for (int i = 0; sumBias && i < biasSums.length; i++) {
        gB[i] = (float) biasSums[i];
      }
    } else {
      Scratch s = new Scratch(pointwise ? 0 : k * chunkCols, 0);
      s.phases(p, gX, gW, pointwise);
      for (int t = 0; t < tasks; t++) {
        task(p, x, weight, wT, gOut, gX, gW, t, chunkCols, pointwise, s, true);
      }
    }
    return sumBias;
  }

  /** Per-thread buffers: the unfolded input, its gradient, and a private weight gradient. */
  private static final class Scratch {
    final float[] col;
    final float[] colGrad;
    final float[] gW;
    /** Per weight (row-major over cout x K), per-pixel partial sums; null for the GEMM form. */
    float[][] partial;
    float[][] gRows;
    float[] bRow;
    /** The vector form: gOut transposed (cols x cp) and the transposed weight gradient per group. */
    WeightKernel vec;
    /** The dot-product form of the weight gradient, or null. */
    WeightKernel dot;
    int cp;
    float[] at;
    float[] gwT;
    /** Per output channel, this thread's share of the bias gradient (1x1 layers), or null. */
    double[] biasSums;
    /** Sums the rows of gOut for {@link #biasSums} (null: plain loops). */
    WeightKernel sumVec;

    /** Phase planes ({@link PhasePlanes}) of the input and of its gradient, or null (strided loops). */
    float[] phX;
    float[] phG;

    Scratch(int colFloats, int weightFloats) {
      col = new float[colFloats];
      colGrad = new float[colFloats];
      gW = new float[weightFloats];
    }

    void phases(ConvParams p, float[] gX, float[] gW, boolean pointwise) {
      if (!pointwise && PhasePlanes.applies(p)) {
        int floats = (int) PhasePlanes.floats(p);
        phX = gW == null ? null : new float[floats];
        phG = gX == null ? null : new float[floats];
      }
    }
  }

  private static void task(ConvParams p, float[] x, float[] weight, PackedMatrix[] wT, float[] gOut, float[] gX,
      float[] gW, int t,
      int chunkCols, boolean pointwise, Scratch s, boolean parallelInside) {
    int hw = p.outH() * p.outW();
    int k = p.patchSize();
    int coutG = p.coutPerGroup();
    int g = t % p.groups();
    int n = t / p.groups();
    int xOff = (n * p.cin() + g * p.cinPerGroup()) * p.h() * p.w();
    int wOff = g * coutG * k;
    int cinG = p.cinPerGroup();
    float[] phX = gW == null ? null : s.phX;
    float[] phG = gX == null ? null : s.phG;
    if (phX != null) {
      if (parallelInside) {
        Parallel.forRange(cinG, 1, (c0, c1) -> PhasePlanes.split(p, x, xOff, c0, c1, phX));
      } else {
        PhasePlanes.split(p, x, xOff, 0, cinG, phX);
      }
    }
    if (phG != null) {
      Arrays.fill(phG, 0f);
    }
    for (int j0 = 0; j0 < hw; j0 += chunkCols) {
      int j1 = Math.min(hw, j0 + chunkCols);
      int cols = j1 - j0;
      int oOff = (n * p.cout() + g * coutG) * hw + j0;
      if (gW != null) {
        float[] b;
        int bOff;
        int ldb;
        if (pointwise) {
          b = x;
          bOff = xOff + j0;
          ldb = hw;
        } else {
          int jj0 = j0;
          if (phX != null && parallelInside) {
            Parallel.forRange(k, Math.max(1, 4096 / Math.max(1, cols)),
                (r0, r1) -> PhasePlanes.im2col(p, phX, jj0, j1, r0, r1, s.col));
          } else if (phX != null) {
            PhasePlanes.im2col(p, phX, j0, j1, 0, k, s.col);
          } else if (parallelInside) {
            Parallel.forRange(k, Math.max(1, 4096 / Math.max(1, cols)),
                (r0, r1) -> Im2colConv.im2col(p, x, xOff, jj0, j1, r0, r1, s.col));
          } else {
            Im2colConv.im2col(p, x, xOff, j0, j1, 0, k, s.col);
          }
          b = s.col;
          bOff = 0;
          ldb = cols;
        }
        if (s.dot != null) {
          s.dot.accumulateDot(gOut, oOff, hw, coutG, b, bOff, ldb, k, cols, gW, wOff);
        } else if (s.vec != null) {
          for (int co = 0; co < coutG; co++) {
            int src = oOff + co * hw;
            for (int j = 0; j < cols; j++) {
              s.at[j * s.cp + co] = gOut[src + j];
            }
          }
          s.vec.accumulate(s.at, s.cp, b, bOff, ldb, k, cols, s.gwT, g * k * s.cp);
        } else if (s.partial != null) {
          accumulateRows(s, gOut, oOff, hw, b, bOff, ldb, g * coutG, coutG, k, cols);
        } else {
          // gW_g (coutG x K) += gOut_chunk (coutG x cols) · col^T (cols x K)
          GEMM.sgemm(false, true, coutG, k, cols, gOut, oOff, hw, b, bOff, ldb, 1f, gW, wOff, k);
        }
      }
      if (gX != null) {
        if (pointwise) {
          // gX_g (cin/groups x hw) = W_g^T (cin/groups x coutG) · gOut_g (coutG x hw)
          GEMM.sgemm(true, false, k, cols, coutG, weight, wOff, k, gOut, oOff, hw, 0f, gX, xOff + j0, hw);
        } else {
          // A vector kernel over the output channels (no packing) ran res_stem's 7x7 stride-2 input
          // gradient 3x slower than this packed GEMM, and was no faster down to 2 output channels.
          GEMM.sgemmPacked(wT[g], false, cols, gOut, oOff, hw, 0f, s.colGrad, 0, cols);
          int jj0 = j0;
          int khw = p.kh() * p.kw();
          if (phG != null && parallelInside) {
            // Rows of one input channel fold onto its own planes: channels can go in parallel.
            Parallel.forRange(cinG, 1,
                (c0, c1) -> PhasePlanes.col2im(p, s.colGrad, jj0, j1, c0 * khw, c1 * khw, phG));
          } else if (phG != null) {
            PhasePlanes.col2im(p, s.colGrad, j0, j1, 0, k, phG);
          } else if (parallelInside) {
            Parallel.forRange(cinG, 1,
                (c0, c1) -> col2im(p, s.colGrad, jj0, j1, c0 * khw, c1 * khw, gX, xOff));
          } else {
            col2im(p, s.colGrad, j0, j1, 0, k, gX, xOff);
          }
        }
      }
      if (s.biasSums != null) {
        // This chunk of gOut is still in the cache from the GEMMs above.
        for (int co = 0; co < coutG; co++) {
          int src = oOff + co * hw;
          float part = 0f;
          if (s.sumVec != null) {
            part = s.sumVec.sum(gOut, src, cols);
          } else {
            for (int j = 0; j < cols; j++) {
              part += gOut[src + j];
            }
          }
          s.biasSums[g * coutG + co] += part;
        }
      }
    }
    if (phG != null) {
      if (parallelInside) {
        Parallel.forRange(cinG, 1, (c0, c1) -> PhasePlanes.merge(p, phG, c0, c1, gX, xOff));
      } else {
        PhasePlanes.merge(p, phG, 0, cinG, gX, xOff);
      }
    }
  }

  /**
   * {@code partial[(co0 + co) * K + r][j] += gOut[co][j] * b[r][j]} for the chunk's columns. The rows
   * are copied to scratch arrays first so that every array in the inner loop is indexed by the same
   * {@code j}, which lets C2 turn it into vector FMAs.
   */
  private static void accumulateRows(Scratch s, float[] gOut, int oOff, int ldo, float[] b, int bOff, int ldb,
      int co0, int coutG, int k, int cols) {
    for (int co = 0; co < coutG; co++) {
      System.arraycopy(gOut, oOff + co * ldo, s.gRows[co], 0, cols);
    }
    float[] br = s.bRow;
    for (int r = 0; r < k; r++) {
      System.arraycopy(b, bOff + r * ldb, br, 0, cols);
      for (int co = 0; co < coutG; co++) {
        float[] gr = s.gRows[co];
        float[] pr = s.partial[(co0 + co) * k + r];
        for (int j = 0; j < cols; j++) {
          pr[j] = Math.fma(gr[j], br[j], pr[j]);
        }
      }
    }
  }

  /**
   * Adds rows [r0, r1) of an unfolded gradient (output pixels [j0, j1)) onto the input gradient: the
   * exact transpose of {@link Im2colConv#im2col}. Taps in the padding are dropped.
   */
  static void col2im(ConvParams p, float[] col, int j0, int j1, int r0, int r1, float[] gX, int xOff) {
    int cols = j1 - j0;
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
      int src = r * cols;
      int xShift = kx * p.dilationW() - p.padLeft();
      int yShift = ky * p.dilationH() - p.padTop();
      int oxLo = xShift >= 0 ? 0 : Math.ceilDiv(-xShift, sw);
      int oxHi = w - 1 - xShift < 0 ? 0 : Math.floorDiv(w - 1 - xShift, sw) + 1;
      int j = j0;
      while (j < j1) {
        int oy = j / outW;
        int rowStart = oy * outW;
        int a = j - rowStart;
        int e = Math.min(outW, j1 - rowStart);
        int iy = oy * sh + yShift;
        if (iy >= 0 && iy < h) {
          int lo = Math.max(a, Math.min(oxLo, e));
          int hi = Math.min(e, Math.max(oxHi, lo));
          int s = src + (lo - a);
          int d = plane + iy * w + lo * sw + xShift;
          if (sw == 1) {
            if (VECTOR != null && useVector && hi - lo >= 16) {
              VECTOR.addInto(col, s, gX, d, hi - lo);
            } else {
              for (int ox = lo; ox < hi; ox++) {
                gX[d++] += col[s++];
              }
            }
          } else {
            for (int ox = lo; ox < hi; ox++, d += sw) {
              gX[d] += col[s++];
            }
          }
        }
        src += e - a;
        j = rowStart + e;
      }
    }
  }

  /** gB[co] = sum over images and pixels of gOut[n, co, :, :], accumulated in double. */
  private static void biasGrad(ConvParams p, float[] gOut, float[] gB) {
    int hw = p.outH() * p.outW();
    // A sequential float sum runs at one add per add-latency; the vector kernel keeps lanes of sums.
    WeightKernel vec = useVector ? VECTOR : null;
    Parallel.forRange(p.cout(), Math.max(1, (1 << 16) / Math.max(1, p.n() * hw)), (c0, c1) -> {
      for (int co = c0; co < c1; co++) {
        double s = 0;
        for (int n = 0; n < p.n(); n++) {
          int off = (n * p.cout() + co) * hw;
          float part = 0f;
          if (vec != null) {
            part = vec.sum(gOut, off, hw);
          } else {
            for (int j = 0; j < hw; j++) {
              part += gOut[off + j];
            }
          }
          s += part;
        }
        gB[co] = (float) s;
      }
    });
  }

  /**
   * The input gradient of a padding-mode pad (reflect, replicate, circular): each padded pixel's
   * gradient is added to the pixel it was copied from. {@code g} holds {@code planes} planes of the
   * padded size; returns planes of {@code h x w}.
   */
  public static float[] modePadBackward(float[] g, int planes, int h, int w, int top, int bottom, int left,
      int right, dev.jconv.internal.shape.ConvShapes.PadMode mode) {
    int oh = h + top + bottom;
    int ow = w + left + right;
    float[] out = new float[planes * h * w];
    int[] srcCol = new int[ow];
    for (int j = 0; j < ow; j++) {
      srcCol[j] = ModePad.source(j - left, w, mode);
    }
    int[] srcRow = new int[oh];
    for (int i = 0; i < oh; i++) {
      srcRow[i] = ModePad.source(i - top, h, mode);
    }
    Parallel.forRange(planes, Math.max(1, (1 << 14) / Math.max(1, oh * ow)), (p0, p1) -> {
      for (int pl = p0; pl < p1; pl++) {
        int in = pl * h * w;
        int o = pl * oh * ow;
        for (int i = 0; i < oh; i++) {
          int row = in + srcRow[i] * w;
          for (int j = 0; j < ow; j++) {
            out[row + srcCol[j]] += g[o++];
          }
        }
      }
    });
    return out;
  }
}
