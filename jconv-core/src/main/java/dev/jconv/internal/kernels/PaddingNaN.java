package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import java.util.function.IntPredicate;

/**
 * Infinities and NaN the way PyTorch 1.13 treats them in a convolution's weight gradient and forward.
 * PyTorch's own im2col kernels (float64 always; float32 where {@link ConvSelector#pytorchUsesOneDnn}
 * is false) multiply the padding's zeros like any input, so a non-finite value meeting the padding
 * gives NaN (0 * inf): in the weight gradient at tap (ky, kx) of output channel co wherever some
 * output of co whose gOut is not finite reads padding through that tap; in the forward at every
 * output that reads padding through a non-finite weight. oneDNN skips the padding and gives the
 * definition's sums, up to paddings where it multiplies them too ({@link #forwardSkipsPadding},
 * {@link #weightGradSkipsPadding}).
 *
 * <p>jconv's float32 weight-gradient forms multiply zeros of their own (padding, the borders of wide
 * rows), so for the output channels whose gOut is not finite {@link #weightGrad} recomputes the row
 * from the definition and then adds PyTorch's NaN where its im2col kernel would have them. Finite
 * gradients, the common case, cost a look at the bias gradient (or at the weight gradient without
 * one; see {@link #nonFiniteRows}).
 */
final class PaddingNaN {
  private PaddingNaN() {}

  static boolean padded(ConvParams p) {
    return p.padTop() > 0 || p.padLeft() > 0 || p.padBottom() > 0 || p.padRight() > 0;
  }

  /** Whether tap (ky, kx) of output (oy, ox) reads padding. */
  private static boolean readsPadding(ConvParams p, int oy, int ox, int ky, int kx) {
    int iy = oy * p.strideH() - p.padTop() + ky * p.dilationH();
    int ix = ox * p.strideW() - p.padLeft() + kx * p.dilationW();
    return iy < 0 || iy >= p.h() || ix < 0 || ix >= p.w();
  }

  /**
   * The output channels whose gOut holds a non-finite value. With a bias gradient, its sums (in
   * double) tell: they are not finite exactly then. Without one, the rows of the weight gradient
   * that are not finite are the candidates (a non-finite gOut makes its row infinite or NaN through
   * any input it meets, zeros included), checked against gOut itself, so that a non-finite input
   * alone does not count; every row is a candidate when some output reads padding only, since such an
   * output meets no input in the forms that skip the padding.
   */
  static boolean[] nonFiniteRows(ConvParams p, IntPredicate gOutNonFinite, IntPredicate biasNonFinite,
      IntPredicate weightGradNonFinite) {
    boolean[] rows = new boolean[p.cout()];
    if (biasNonFinite != null) {
      for (int co = 0; co < p.cout(); co++) {
        rows[co] = biasNonFinite.test(co);
      }
      return rows;
    }
    // Candidates on the calling thread (the weight gradient is small), gOut only for them.
    int row = p.cinPerGroup() * p.kh() * p.kw();
    boolean blind = outputReadingPaddingOnly(p);
    boolean[] candidate = new boolean[p.cout()];
    boolean any = false;
    for (int co = 0; co < p.cout(); co++) {
      for (int i = co * row; i < (co + 1) * row && !candidate[co]; i++) {
        candidate[co] = blind || weightGradNonFinite.test(i);
      }
      any |= candidate[co];
    }
    if (!any) {
      return rows;
    }
    int plane = p.outH() * p.outW();
    Parallel.forRange(p.cout(), Math.max(1, (1 << 16) / Math.max(1, p.n() * plane)), (c0, c1) -> {
      for (int co = c0; co < c1; co++) {
        for (int n = 0; n < p.n() && candidate[co] && !rows[co]; n++) {
          int o = (n * p.cout() + co) * plane;
          for (int i = 0; i < plane; i++) {
            if (gOutNonFinite.test(o + i)) {
              rows[co] = true;
              break;
            }
          }
        }
      }
    });
    return rows;
  }

  /**
   * Whether PyTorch's float32 forward of {@code p} skips the padding: oneDNN does
   * ({@link ConvSelector#pytorchUsesOneDnn}), except where some output reads padding only, where it
   * multiplies the padding as PyTorch's im2col kernel does (measured on PyTorch 1.13: a 3x3 layer
   * with padding 3, a 5x5 with 5, a 3x3 dilated by 2 with 5, not below).
   */
  static boolean forwardSkipsPadding(ConvParams p) {
    return ConvSelector.pytorchUsesOneDnn(p) && !outputReadingPaddingOnly(p);
  }

  /**
   * Whether PyTorch's float32 weight gradient of {@code p} skips the padding: with oneDNN, below a
   * padding of k (undilated layers) or of more than half the dilated kernel's extent (dilated ones),
   * or of 2 for groups of under 8 input channels; from there oneDNN multiplies the padding too
   * (measured on PyTorch 1.13 for kernels 1 to 7, dilations 1 to 4, paddings from 0 to the extent +
   * 1). Grouped layers with 8 or more input channels per group take the ungrouped rule, which they
   * follow only in part (oneDNN picks among its kernels by the channels per group too). PyTorch pads
   * symmetrically: the smaller of the two sides (the larger one of 'same' with an even kernel is a
   * real zero there).
   */
  static boolean weightGradSkipsPadding(ConvParams p) {
    if (!ConvSelector.pytorchUsesOneDnn(p)) {
      return false;
    }
    boolean dilated = p.dilationH() > 1 || p.dilationW() > 1;
    boolean fewPerGroup = p.groups() > 1 && p.cinPerGroup() < 8;
    return !multipliesPadding(Math.min(p.padTop(), p.padBottom()), p.kh(), p.dilationH(), dilated, fewPerGroup)
        && !multipliesPadding(Math.min(p.padLeft(), p.padRight()), p.kw(), p.dilationW(), dilated, fewPerGroup);
  }

  private static boolean multipliesPadding(int pad, int k, int d, boolean dilated, boolean fewPerGroup) {
    if (fewPerGroup) {
      // Depthwise and other groups of under 8 input channels: from a padding of 2 whatever the kernel
      // (measured for 1 and 4 channels per group, kernels 3 to 7, dilations 1 and 2).
      return pad >= 2;
    }
    return dilated ? pad > (d * (k - 1) + 1) / 2 : pad >= k;
  }

  /** Whether some output reads padding through every tap (padding at least the kernel's extent). */
  private static boolean outputReadingPaddingOnly(ConvParams p) {
    return lineReadingPaddingOnly(p.outH(), p.h(), p.kh(), p.strideH(), p.dilationH(), p.padTop())
        || lineReadingPaddingOnly(p.outW(), p.w(), p.kw(), p.strideW(), p.dilationW(), p.padLeft());
  }

  private static boolean lineReadingPaddingOnly(int out, int in, int k, int s, int d, int pad) {
    for (int o = 0; o < out; o++) {
      boolean reads = false;
      for (int t = 0; t < k && !reads; t++) {
        int i = o * s - pad + t * d;
        reads = i >= 0 && i < in;
      }
      if (!reads) {
        return true;
      }
    }
    return false;
  }

  /**
   * Indices of gW that PyTorch's im2col weight gradient makes NaN: (co, ci, ky, kx) for every input
   * channel ci of co's group, where an output of row co ({@code rows[co]}) whose gOut is not finite
   * reads padding through (ky, kx).
   */
  static int[] weightGradNaN(ConvParams p, boolean[] rows, IntPredicate gOutNonFinite) {
    int plane = p.outH() * p.outW();
    int khw = p.kh() * p.kw();
    int cinG = p.cinPerGroup();
    java.util.List<Integer> nan = new java.util.ArrayList<>();
    for (int co = 0; co < p.cout(); co++) {
      if (!rows[co]) {
        continue;
      }
      boolean[] taps = new boolean[khw];
      for (int n = 0; n < p.n(); n++) {
        int o = (n * p.cout() + co) * plane;
        for (int oy = 0; oy < p.outH(); oy++) {
          for (int ox = 0; ox < p.outW(); ox++) {
            if (gOutNonFinite.test(o + oy * p.outW() + ox)) {
              for (int t = 0; t < khw; t++) {
                taps[t] |= readsPadding(p, oy, ox, t / p.kw(), t % p.kw());
              }
            }
          }
        }
      }
      for (int ci = 0; ci < cinG; ci++) {
        for (int t = 0; t < khw; t++) {
          if (taps[t]) {
            nan.add((co * cinG + ci) * khw + t);
          }
        }
      }
    }
    return nan.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Indices of the output that PyTorch's im2col forward makes NaN: (n, co, oy, ox) for every image,
   * where output (oy, ox) of channel co reads padding through a tap whose weight (for some input
   * channel) is not finite.
   */
  static int[] forwardNaN(ConvParams p, IntPredicate weightNonFinite) {
    int khw = p.kh() * p.kw();
    int cinG = p.cinPerGroup();
    int plane = p.outH() * p.outW();
    java.util.List<Integer> nan = new java.util.ArrayList<>();
    for (int co = 0; co < p.cout(); co++) {
      boolean[] taps = new boolean[khw];
      boolean any = false;
      for (int ci = 0; ci < cinG; ci++) {
        for (int t = 0; t < khw; t++) {
          if (weightNonFinite.test((co * cinG + ci) * khw + t)) {
            taps[t] = true;
            any = true;
          }
        }
      }
      if (!any) {
        continue;
      }
      for (int oy = 0; oy < p.outH(); oy++) {
        for (int ox = 0; ox < p.outW(); ox++) {
          boolean hit = false;
          for (int t = 0; t < khw && !hit; t++) {
            hit = taps[t] && readsPadding(p, oy, ox, t / p.kw(), t % p.kw());
          }
          if (hit) {
            for (int n = 0; n < p.n(); n++) {
              nan.add((n * p.cout() + co) * plane + oy * p.outW() + ox);
            }
          }
        }
      }
    }
    return nan.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Makes the float32 weight gradient's rows whose gOut is not finite what PyTorch gives: the
   * definition's sums (oneDNN), plus NaN where its im2col kernel meets the padding when PyTorch
   * would use that kernel for {@code p}. Other rows are left as they are (their products with zeros
   * are zeros).
   */
  static void weightGrad(ConvParams p, float[] x, float[] gOut, float[] gB, float[] gW) {
    IntPredicate nonFinite = i -> !Float.isFinite(gOut[i]);
    boolean[] rows = nonFiniteRows(p, nonFinite, gB == null ? null : co -> !Float.isFinite(gB[co]),
        i -> !Float.isFinite(gW[i]));
    boolean any = false;
    for (boolean r : rows) {
      any |= r;
    }
    if (!any) {
      return;
    }
    definitionRows(p, x, gOut, rows, gW);
    if (padded(p) && !weightGradSkipsPadding(p)) {
      for (int i : weightGradNaN(p, rows, nonFinite)) {
        gW[i] = Float.NaN;
      }
    }
  }

  /**
   * Rows {@code co} of gW ({@code rows[co]}) as the definition's sums, skipping the padding
   * ({@link ConvReference#weightGrad}, in double), a row per task.
   */
  private static void definitionRows(ConvParams p, float[] x, float[] gOut, boolean[] rows, float[] gW) {
    int taps = p.patchSize();
    Parallel.forRange(p.cout(), 1, (c0, c1) -> {
      double[] sum = new double[taps];
      double[] magnitude = new double[taps];
      for (int co = c0; co < c1; co++) {
        if (!rows[co]) {
          continue;
        }
        java.util.Arrays.fill(sum, 0);
        ConvReference.weightGrad(p, x, gOut, co, sum, magnitude, 0);
        for (int t = 0; t < taps; t++) {
          gW[co * taps + t] = (float) sum[t];
        }
      }
    });
  }
}
