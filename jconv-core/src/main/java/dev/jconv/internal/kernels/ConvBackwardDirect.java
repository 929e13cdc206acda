package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;

/**
 * Faster forms of the convolution backward for stride 1, used by {@link ConvBackward} where they
 * apply (it keeps im2col + GEMM + col2im for everything else):
 * <ul>
 *   <li>Input gradient as a forward convolution. With stride 1, {@code gX} is the "full" convolution
 *       of {@code gOut} with the weights flipped in both spatial dimensions and input/output channels
 *       swapped within each group, padded by {@code d*(k-1) - p} on each side (top/bottom and
 *       left/right apart, so SAME with even kernels works). Its output is exactly the input's size,
 *       and it runs on the forward's fast algorithms (Winograd, direct, depthwise, GEMM) instead of
 *       a GEMM whose output is folded back by col2im.
 *   <li>Weight gradient as dot products over "wide" rows, without im2col. The input is copied,
 *       zero-padded, to planes of width {@code Wp = w + padLeft + padRight}; {@code gOut} is copied to
 *       rows of the same width, with zeros in the {@code Wp - outW} extra columns. Tap (ci, ky, kx) then
 *       sees the input at a fixed offset {@code ci*plane + ky*d*Wp + kx*d} from gOut's position, so each
 *       weight is one long contiguous dot product: full vectors, no gather, no masks. The extra
 *       columns multiply input values that the tap does not really see by zero, which is exact only
 *       when those are finite: an input with NaN or infinity takes the im2col path.
 * </ul>
 */
final class ConvBackwardDirect {
  private ConvBackwardDirect() {}

  /**
   * Largest per-thread scratch (floats) of the wide weight gradient: padded input, wide gOut, and
   * the lane-wise partial sums {@code cout * K * lanes}. Beyond it, im2col + GEMM.
   */
  static final long MAX_WIDE_FLOATS = 1L << 21;

  /** Tests turn the forms off one by one ({@code null} = decided by the problem). */
  static Boolean forceInputAsForward;
  static Boolean forceWideWeight;

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
    return q != null && !Im2colConv.isPointwise(p) && (long) p.weightLength() <= Integer.MAX_VALUE;
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
   * {@code gOut}. Requires {@link #useInputAsForward}.
   */
  static void inputGrad(ConvParams p, float[] weight, float[] gOut, float[] gX) {
    ConvParams q = inputGradProblem(p);
    assert q != null;
    int groups = p.groups();
    int cinG = p.cinPerGroup();
    int coutG = p.coutPerGroup();
    int taps = p.kh() * p.kw();
    float[] flipped = new float[p.weightLength()];
    // flipped[g*cinG + ci][co][ky][kx] = weight[g*coutG + co][ci][kh-1-ky][kw-1-kx]
    for (int g = 0; g < groups; g++) {
      for (int co = 0; co < coutG; co++) {
        for (int ci = 0; ci < cinG; ci++) {
          int src = ((g * coutG + co) * cinG + ci) * taps;
          int dst = ((g * cinG + ci) * coutG + co) * taps + taps - 1;
          for (int t = 0; t < taps; t++) {
            flipped[dst - t] = weight[src + t];
          }
        }
      }
    }
    inputGradAlgorithm(q).forward(q, gOut, flipped, null, gX);
  }

  /** Whether {@link #weightGrad} runs {@code p} with the vector kernel {@code vec}. */
  static boolean useWideWeight(ConvParams p, ConvBackward.WeightKernel vec) {
    if (vec == null || p.strideH() != 1 || p.strideW() != 1) {
      return false;
    }
    long wp = (long) p.w() + p.padLeft() + p.padRight();
    long hp = (long) p.h() + p.padTop() + p.padBottom();
    long len = roundUp((long) p.outH() * wp, vec.lanes());
    long floats = (long) p.cinPerGroup() * hp * wp + (long) p.kw() * p.dilationW() + vec.lanes()
        + (long) p.coutPerGroup() * len + (long) p.cout() * p.patchSize() * vec.lanes();
    boolean fits = floats <= MAX_WIDE_FLOATS;
    if (forceWideWeight != null) {
      return forceWideWeight && fits;
    }
    return fits;
  }

  private static long roundUp(long v, int m) {
    return (v + m - 1) / m * m;
  }

  /**
   * Adds the weight gradient of {@code p} to {@code gW} (which the caller zeroed). Requires
   * {@link #useWideWeight}; returns false, doing nothing, when {@code x} holds a non-finite value.
   */
  static boolean weightGrad(ConvParams p, float[] x, float[] gOut, float[] gW, ConvBackward.WeightKernel vec) {
    if (!vec.allFinite(x, 0, p.inputLength())) {
      return false;
    }
    int lanes = vec.lanes();
    int h = p.h();
    int w = p.w();
    int wp = w + p.padLeft() + p.padRight();
    int hp = h + p.padTop() + p.padBottom();
    int plane = hp * wp;
    int outH = p.outH();
    int outW = p.outW();
    int hw = outH * outW;
    int cinG = p.cinPerGroup();
    int coutG = p.coutPerGroup();
    int k = p.patchSize();
    int len = (int) roundUp((long) outH * wp, lanes);
    int xFloats = cinG * plane + p.kw() * p.dilationW() + lanes;
    int[] off = new int[k];
    for (int ci = 0; ci < cinG; ci++) {
      for (int ky = 0; ky < p.kh(); ky++) {
        for (int kx = 0; kx < p.kw(); kx++) {
          off[(ci * p.kh() + ky) * p.kw() + kx] = ci * plane + ky * p.dilationH() * wp + kx * p.dilationW();
        }
      }
    }
    int tasks = p.n() * p.groups();
    Object lock = new Object();
    Parallel.forRange(tasks, 1, (start, end) -> {
      float[] xp = new float[xFloats];
      float[] gw = new float[coutG * len];
      float[] part = new float[p.cout() * k * lanes];
      for (int t = start; t < end; t++) {
        int g = t % p.groups();
        int n = t / p.groups();
        // Interior only: the padding and the extra columns were zeroed at allocation and stay zero.
        for (int ci = 0; ci < cinG; ci++) {
          int src = (n * p.cin() + g * cinG + ci) * h * w;
          int dst = ci * plane + p.padTop() * wp + p.padLeft();
          for (int iy = 0; iy < h; iy++) {
            System.arraycopy(x, src + iy * w, xp, dst + iy * wp, w);
          }
        }
        for (int co = 0; co < coutG; co++) {
          int src = (n * p.cout() + g * coutG + co) * hw;
          for (int oy = 0; oy < outH; oy++) {
            System.arraycopy(gOut, src + oy * outW, gw, co * len + oy * wp, outW);
          }
        }
        vec.wideAccumulate(gw, 0, len, coutG, xp, 0, off, k, len, part, g * coutG * k * lanes);
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
    return true;
  }
}
