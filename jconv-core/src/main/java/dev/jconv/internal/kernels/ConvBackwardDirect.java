package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProviders;

/**
 * Faster forms of the convolution backward for stride 1, used by {@link ConvBackward} where they
 * apply (it keeps im2col + GEMM + col2im for everything else).
 *
 * <p>"Wide rows": the input (or its gradient) is held zero-padded in planes of width
 * {@code Wp = w + padLeft + padRight}, and {@code gOut} in rows of the same width, with zeros in
 * the {@code Wp - outW} extra columns. Tap (ci, ky, kx) then sits at a fixed offset
 * {@code ci*plane + ky*d*Wp + kx*d} from gOut's position, so every tap is one long contiguous run
 * of full vectors: no gather, no masks, no per-row bookkeeping. The extra columns multiply values
 * outside the tap's reach by zero, which is exact only when those are finite: an input with NaN or
 * infinity takes the im2col path for the weight gradient, and a weight with them for the input
 * gradient (checked by the caller).
 * <ul>
 *   <li>Weight gradient over wide rows: each weight is a dot product of a gOut row and a shifted
 *       input row, in register blocks of 3 rows by 4 taps ({@link #wide}).
 *   <li>Input gradient over wide rows, for up to 64 output channels: each tap's weighted sum of the
 *       gOut rows is added to the padded input gradient at the tap's offset ({@link #wide};
 *       LeNet conv2: 1.7x faster than the forward route's direct kernel, which also computes every
 *       tap that falls in gOut's padding).
 *   <li>Input gradient as a forward convolution: {@code gX} is the "full" convolution of {@code gOut}
 *       with the weights flipped in both spatial dimensions and input/output channels swapped within
 *       each group, padded by {@code d*(k-1) - p} on each side (top/bottom and left/right apart, so
 *       SAME with even kernels works). Its output is exactly the input's size, and it runs on the
 *       forward's Winograd and depthwise kernels ({@link #inputGrad}). Winograd (plain and
 *       dilated) reads the weight flipped and transposed in place as it transforms the filters,
 *       straight into the GEMM's packed layout; the other algorithms get a flipped copy. Either
 *       way the filters are one-off: they never enter Winograd's filter cache (kept for weights
 *       that are used again).
 * </ul>
 */
final class ConvBackwardDirect {
  private ConvBackwardDirect() {}

  /**
   * Largest per-thread scratch (floats) of the wide forms: padded input (or its gradient), wide
   * gOut, and the weight gradient's lane-wise partial sums {@code cout * K * lanes}. Beyond it, the
   * other forms. (Summing each block over the lanes instead, to fit res3x3_28 and res3x3_14, ran
   * 0.98x and 0.64x of im2col + GEMM there: their rows are short for the reductions.)
   */
  static final long MAX_WIDE_FLOATS = 1L << 21;

  /** Tests turn the forms off one by one ({@code null} = decided by the problem). */
  static Boolean forceInputAsForward;
  static Boolean forceWideWeight;
  static Boolean forceWideInput;

  /**
   * The wide input gradient up to this many output channels per group (its accumulators run over
   * them, and beyond, a GEMM reuses loads better). Measured on one thread against the forward
   * route: LeNet conv2 1.6 vs 2.7 ms (direct), conv1 1.8 vs 3.2, seed (64 channels) 0.028 vs 0.051;
   * Winograd (res3x3_56: 8.7 vs 19.5 ms) and depthwise (2.4 vs 7.3) keep the forward route.
   */
  static final int WIDE_INPUT_MAX_COUT = 64;

  /**
   * The wide weight gradient from this many FLOPs (below, its scratch and final sums cost more than
   * they save: seed's 1.4 MFLOP ran 0.048 ms against im2col's 0.039).
   */
  static final long WIDE_WEIGHT_MIN_FLOPS = 1L << 22;

  /** The problem whose forward convolution is the input gradient of {@code p}, or null if there is none. */
  static ConvParams inputGradProblem(ConvParams p) {
    if (p.strideH() != 1 || p.strideW() != 1) {
      return null;
    }
    int spanH = p.dilationH() * (p.kh() - 1);
    int spanW = p.dilationW() * (p.kw() - 1);
    int top = spanH - p.padTop();
    int bottom = spanH - p.padBottom();
    int left = spanW - p.padLeft();
    int right = spanW - p.padRight();
    // Padding wider than the kernel's span would need a crop; those problems keep col2im.
    if (top < 0 || bottom < 0 || left < 0 || right < 0) {
      return null;
    }
    return new ConvParams(p.n(), p.cout(), p.outH(), p.outW(), p.cin(), p.groups(), p.kh(), p.kw(), 1, 1, top, left,
        bottom, right, p.dilationH(), p.dilationW(), p.h(), p.w());
  }

  /** Whether {@link #inputGrad} runs {@code p}. */
  static boolean useInputAsForward(ConvParams p) {
    if (forceInputAsForward != null) {
      return forceInputAsForward && inputGradProblem(p) != null;
    }
    ConvParams q = inputGradProblem(p);
    // 1x1: the existing path is already one GEMM per image, with nothing to fold.
    return q != null && !Im2colConv.isPointwise(p);
  }

  /**
   * Whether {@link #inputGrad} runs an algorithm that mixes whole tiles of gOut (Winograd), which
   * needs a finite gOut to give the definition's infinities and NaN.
   */
  static boolean inputGradMixesTiles(ConvParams p) {
    ConvParams q = inputGradProblem(p);
    return q != null && inputGradAlgorithm(q).mixesTiles();
  }

  /** The algorithm that runs the input gradient's forward problem {@code q}. */
  static ConvAlgorithm inputGradAlgorithm(ConvParams q) {
    ConvAlgorithm a = ConvSelector.select(q);
    // Few output channels (LeNet's 16 -> 6) with a patch above the forward's direct bound: the direct
    // kernel still beats unfolding 400-row patches.
    if (a == ConvAlgorithm.IM2COL_GEMM && ConvSelector.forced() == null && q.cout() < 16
        && ConvAlgorithm.DIRECT.supports(q) && q.patchSize() <= 1024) {
      return ConvAlgorithm.DIRECT;
    }
    return a;
  }

  /**
   * Writes the input gradient of {@code p} into {@code gX} (all of it) by a forward convolution of
   * {@code gOut}. Requires {@link #useInputAsForward} and a finite weight (the forward multiplies
   * the flipped weights by gOut's zero padding).
   */
  static void inputGrad(ConvParams p, float[] weight, float[] gOut, float[] gX) {
    ConvParams q = inputGradProblem(p);
    assert q != null;
    ConvAlgorithm a = inputGradAlgorithm(q);
    // Winograd reads the filters rotated and transposed as it transforms them: no flipped copy.
    if (a == ConvAlgorithm.WINOGRAD) {
      WinogradConv.forwardFlipped(KernelProviders.get(), q.n(), q.cin(), q.h(), q.w(), q.cout(),
          q.padTop(), q.padLeft(), q.outH(), q.outW(), gOut, weight, gX);
      return;
    }
    if (a == ConvAlgorithm.DILATED_WINOGRAD) {
      DilatedWinograd.forwardFlipped(q, gOut, weight, gX);
      return;
    }
    int groups = p.groups();
    int cinG = p.cinPerGroup();
    int coutG = p.coutPerGroup();
    int taps = p.kh() * p.kw();
    float[] flipped = new float[p.weightLength()];
    // flipped[g*cinG + ci][co][ky][kx] = weight[g*coutG + co][ci][kh-1-ky][kw-1-kx], by rows of
    // flipped (written in order; the reads stride), over the threads: a sequential transpose of
    // 590K weights took about a tenth of res3x3_14's input gradient (before Winograd read them in
    // place).
    Parallel.forRange(groups * cinG, Math.max(1, (1 << 14) / Math.max(1, coutG * taps)), (start, end) -> {
      for (int row = start; row < end; row++) {
        int g = row / cinG;
        int ci = row % cinG;
        for (int co = 0; co < coutG; co++) {
          int src = ((g * coutG + co) * cinG + ci) * taps;
          int dst = (row * coutG + co) * taps + taps - 1;
          for (int t = 0; t < taps; t++) {
            flipped[dst - t] = weight[src + t];
          }
        }
      }
    });
    a.forwardOnce(q, gOut, flipped, null, gX);
  }

  /** Per-thread scratch (floats) both wide forms need: the padded input (or its gradient) and the wide gOut. */
  private static long wideFloats(ConvParams p, ConvBackward.WeightKernel vec) {
    long wp = (long) p.w() + p.padLeft() + p.padRight();
    long hp = (long) p.h() + p.padTop() + p.padBottom();
    long len = roundUp((long) p.outH() * wp, vec.lanes());
    return (long) p.cinPerGroup() * hp * wp + (long) p.kw() * p.dilationW() + vec.lanes()
        + (long) p.coutPerGroup() * len;
  }

  /** Whether {@link #wide} computes the input gradient of {@code p} with the vector kernel {@code vec}. */
  static boolean useWideInput(ConvParams p, ConvBackward.WeightKernel vec) {
    if (vec == null || p.strideH() != 1 || p.strideW() != 1) {
      return false;
    }
    boolean fits = wideFloats(p, vec) <= MAX_WIDE_FLOATS;
    if (forceWideInput != null) {
      return forceWideInput && fits;
    }
    if (!fits || p.coutPerGroup() > WIDE_INPUT_MAX_COUT || Im2colConv.isPointwise(p)) {
      return false;
    }
    // Where the forward has a better algorithm for the full convolution, it runs it.
    ConvParams q = inputGradProblem(p);
    if (q == null) {
      return true;
    }
    ConvAlgorithm a = ConvSelector.select(q);
    return a != ConvAlgorithm.WINOGRAD && a != ConvAlgorithm.DILATED_WINOGRAD && a != ConvAlgorithm.DEPTHWISE;
  }

  /** Whether {@code a[0, len)} is free of NaN and infinities: chunks over the threads, the vector kernel when given. */
  static boolean finite(float[] a, int len, ConvBackward.WeightKernel vec) {
    // Chunks over the threads: a whole input or gOut is up to tens of MB.
    java.util.concurrent.atomic.AtomicBoolean finite = new java.util.concurrent.atomic.AtomicBoolean(true);
    int chunk = 1 << 16;
    dev.jconv.internal.parallel.Parallel.forRange(Math.ceilDiv(len, chunk), 1, (c0, c1) -> {
      for (int c = c0; c < c1 && finite.get(); c++) {
        int off = c * chunk;
        if (!finite(a, off, Math.min(chunk, len - off), vec)) {
          finite.set(false);
        }
      }
    });
    return finite.get();
  }

  /** Whether {@code a[off, off + len)} is free of NaN and infinities. */
  static boolean finite(float[] a, int off, int len, ConvBackward.WeightKernel vec) {
    if (vec != null) {
      return vec.allFinite(a, off, len);
    }
    for (int i = off; i < off + len; i++) {
      if (!Float.isFinite(a[i])) {
        return false;
      }
    }
    return true;
  }

  /** Tap (ci, ky, kx)'s offset in a stack of padded planes: {@code ci*plane + ky*dh*wp + kx*dw}. */
  private static int[] offsets(ConvParams p, int plane, int wp) {
    int[] off = new int[p.patchSize()];
    for (int ci = 0; ci < p.cinPerGroup(); ci++) {
      for (int ky = 0; ky < p.kh(); ky++) {
        for (int kx = 0; kx < p.kw(); kx++) {
          off[(ci * p.kh() + ky) * p.kw() + kx] = ci * plane + ky * p.dilationH() * wp + kx * p.dilationW();
        }
      }
    }
    return off;
  }

  /** Whether {@link #wide} computes the weight gradient of {@code p} with the vector kernel {@code vec}. */
  static boolean useWideWeight(ConvParams p, ConvBackward.WeightKernel vec) {
    if (vec == null || p.strideH() != 1 || p.strideW() != 1) {
      return false;
    }
    // Plus the weight gradient's lane-wise partial sums.
    boolean fits = wideFloats(p, vec) + (long) p.cout() * p.patchSize() * vec.lanes() <= MAX_WIDE_FLOATS;
    if (forceWideWeight != null) {
      return forceWideWeight && fits;
    }
    // 1x1: the pixels are already the GEMM's operand (res1x1_56: GEMM 8.8 ms, wide rows 11.4).
    return fits && p.flops() >= WIDE_WEIGHT_MIN_FLOPS && !Im2colConv.isPointwise(p);
  }

  private static long roundUp(long v, int m) {
    return (v + m - 1) / m * m;
  }

  /**
   * The wide forms, in one pass over the images that copies each gOut plane once for both: writes
   * the input gradient into {@code gX} and adds the weight gradient to {@code gW} (both zeroed by the
   * caller; either may be null). Requires {@link #useWideInput} and a finite weight for {@code gX},
   * {@link #useWideWeight} and a finite {@code x} for {@code gW} (the caller checks: the zero columns
   * would put NaN where it does not belong).
   */
  static void wide(ConvParams p, float[] x, float[] weight, float[] gOut, float[] gX, float[] gW,
      ConvBackward.WeightKernel vec) {
    int lanes = vec.lanes();
    int h = p.h();
    int w = p.w();
    int wp = w + p.padLeft() + p.padRight();
    int plane = (h + p.padTop() + p.padBottom()) * wp;
    int outH = p.outH();
    int outW = p.outW();
    int hw = outH * outW;
    int cinG = p.cinPerGroup();
    int coutG = p.coutPerGroup();
    int khw = p.kh() * p.kw();
    int k = p.patchSize();
    int len = (int) roundUp((long) outH * wp, lanes);
    int xFloats = cinG * plane + p.kw() * p.dilationW() + lanes;
    int[] off = offsets(p, plane, wp);
    // Input gradient: channels innermost, so the four taps of a block land in different planes and
    // their read-modify-writes never overlap (an overlap stalls store forwarding).
    int[] taps = new int[k];
    for (int kk = 0, i = 0; kk < khw; kk++) {
      for (int ci = 0; ci < cinG; ci++) {
        taps[i++] = ci * khw + kk;
      }
    }
    int tasks = p.n() * p.groups();
    Object lock = new Object();
    Parallel.forRange(tasks, 1, (start, end) -> {
      float[] gw = new float[coutG * len];
      float[] xp = gW == null ? null : new float[xFloats];
      float[] part = gW == null ? null : new float[p.cout() * k * lanes];
      float[] gxw = gX == null ? null : new float[xFloats];
      for (int t = start; t < end; t++) {
        int g = t % p.groups();
        int n = t / p.groups();
        // Interior only: the padding and the extra columns were zeroed at allocation and stay zero.
        for (int co = 0; co < coutG; co++) {
          vec.copyRows(gOut, (n * p.cout() + g * coutG + co) * hw, outW, outW, gw, co * len, wp, outH);
        }
        if (gW != null) {
          for (int ci = 0; ci < cinG; ci++) {
            vec.copyRows(x, (n * p.cin() + g * cinG + ci) * h * w, w, w, xp,
                ci * plane + p.padTop() * wp + p.padLeft(), wp, h);
          }
          vec.wideAccumulate(gw, 0, len, coutG, xp, 0, off, k, len, part, g * coutG * k * lanes);
        }
        if (gX != null) {
          java.util.Arrays.fill(gxw, 0f);
          vec.wideScatter(weight, g * coutG * k, k, gw, 0, len, coutG, taps, off, len, gxw, 0);
          for (int ci = 0; ci < cinG; ci++) {
            vec.copyRows(gxw, ci * plane + p.padTop() * wp + p.padLeft(), wp, w, gX,
                (n * p.cin() + g * cinG + ci) * h * w, w, h);
          }
        }
      }
      if (gW == null) {
        return;
      }
      float[] sums = new float[p.cout() * k];
      for (int i = 0; i < sums.length; i++) {
        float s = 0f;
        for (int l = 0; l < lanes; l++) {
          s += part[i * lanes + l];
        }
        sums[i] = s;
      }
      synchronized (lock) {
        for (int i = 0; i < sums.length; i++) {
          gW[i] += sums[i];
        }
      }
    });
  }
}
