package dev.jconv.internal.kernels;

import dev.jconv.internal.shape.PoolShapes;

/**
 * The slow, obviously correct oracle for every pooling op: one loop per dimension (plane, output
 * row, output column, kernel row, kernel column), a bounds test on every tap, double accumulation,
 * no clipping tricks and no threads. Tests hold every real kernel against it; nothing else uses it.
 */
public final class PoolReference {
  private PoolReference() {}

  /**
   * Max pooling: a tap wins when it is greater than the current max or NaN, so NaN propagates
   * (the last NaN's index is kept) and ties keep the first. Padding never takes part; the first
   * in-bounds tap starts the scan, so a window of only -inf reports its first in-bounds index.
   */
  public static void maxPool(double[] x, Pool2dParams p, double[] out, long[] idx) {
    for (int c = 0; c < p.planes(); c++) {
      for (int oh = 0; oh < p.outH(); oh++) {
        for (int ow = 0; ow < p.outW(); ow++) {
          double max = Double.NEGATIVE_INFINITY;
          long at = -1;
          for (int i = 0; i < p.kH(); i++) {
            for (int j = 0; j < p.kW(); j++) {
              long h = (long) oh * p.sH() - p.pH() + (long) i * p.dH();
              long w = (long) ow * p.sW() - p.pW() + (long) j * p.dW();
              if (h < 0 || h >= p.inH() || w < 0 || w >= p.inW()) {
                continue;
              }
              double v = x[(int) ((long) c * p.inPlane() + h * p.inW() + w)];
              if (at < 0 || v > max || Double.isNaN(v)) {
                max = v;
                at = h * p.inW() + w;
              }
            }
          }
          if (at < 0) {
            at = allPaddingIndex(p, oh, ow);
          }
          int o = c * p.outPlane() + oh * p.outW() + ow;
          out[o] = max;
          idx[o] = at;
        }
      }
    }
  }

  /**
   * PyTorch's index for a window with no in-bounds tap (possible only with dilation): its kernel
   * steps each start forward by the dilation until it is not negative and reports that position,
   * even though it lies outside the input.
   */
  private static long allPaddingIndex(Pool2dParams p, int oh, int ow) {
    long h = (long) oh * p.sH() - p.pH();
    while (h < 0) {
      h += p.dH();
    }
    long w = (long) ow * p.sW() - p.pW();
    while (w < 0) {
      w += p.dW();
    }
    return h * p.inW() + w;
  }

  /** Average pooling; the divisor counts the taps inside the padded input or inside the input. */
  public static void avgPool(double[] x, Pool2dParams p, double[] out) {
    for (int c = 0; c < p.planes(); c++) {
      for (int oh = 0; oh < p.outH(); oh++) {
        for (int ow = 0; ow < p.outW(); ow++) {
          double sum = 0;
          long inside = 0;
          long insidePadded = 0;
          for (int i = 0; i < p.kH(); i++) {
            for (int j = 0; j < p.kW(); j++) {
              long h = (long) oh * p.sH() - p.pH() + i;
              long w = (long) ow * p.sW() - p.pW() + j;
              if (h >= -p.pH() && h < p.inH() + p.pH() && w >= -p.pW() && w < p.inW() + p.pW()) {
                insidePadded++;
              }
              if (h < 0 || h >= p.inH() || w < 0 || w >= p.inW()) {
                continue;
              }
              sum += x[(int) ((long) c * p.inPlane() + h * p.inW() + w)];
              inside++;
            }
          }
          long divisor = p.divisorOverride() != 0 ? p.divisorOverride()
              : p.countIncludePad() ? insidePadded : inside;
          out[c * p.outPlane() + oh * p.outW() + ow] = sum / divisor;
        }
      }
    }
  }

  /** Integer average pooling: an exact sum, then division truncating toward zero (C++'s). */
  public static void avgPool(long[] x, Pool2dParams p, long[] out) {
    for (int c = 0; c < p.planes(); c++) {
      for (int oh = 0; oh < p.outH(); oh++) {
        for (int ow = 0; ow < p.outW(); ow++) {
          long sum = 0;
          long inside = 0;
          long insidePadded = 0;
          for (int i = 0; i < p.kH(); i++) {
            for (int j = 0; j < p.kW(); j++) {
              long h = (long) oh * p.sH() - p.pH() + i;
              long w = (long) ow * p.sW() - p.pW() + j;
              if (h >= -p.pH() && h < p.inH() + p.pH() && w >= -p.pW() && w < p.inW() + p.pW()) {
                insidePadded++;
              }
              if (h < 0 || h >= p.inH() || w < 0 || w >= p.inW()) {
                continue;
              }
              sum += x[(int) ((long) c * p.inPlane() + h * p.inW() + w)];
              inside++;
            }
          }
          long divisor = p.divisorOverride() != 0 ? p.divisorOverride()
              : p.countIncludePad() ? insidePadded : inside;
          out[c * p.outPlane() + oh * p.outW() + ow] = sum / divisor;
        }
      }
    }
  }

  /**
   * LP pooling by PyTorch's formula {@code (sign(a) * relu(|a|) * kH*kW)^(1/p)} with
   * {@code a = avg_pool(x^p)} (no padding, count_include_pad): a ceil-mode partial window is
   * averaged over its own size and then scaled as if it were full.
   */
  public static void lpPool(double[] x, Pool2dParams p, double normType, double[] out) {
    double[] powered = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      powered[i] = Math.pow(x[i], normType);
    }
    double[] avg = new double[out.length];
    avgPool(powered, p, avg);
    for (int i = 0; i < out.length; i++) {
      double a = avg[i];
      double sign = a > 0 ? 1 : a < 0 ? -1 : 0; // torch.sign: 0 for NaN and both zeros
      // relu(|a|) is |a| (NaN stays NaN, and then 0 * NaN is NaN).
      out[i] = Math.pow(sign * Math.abs(a) * ((double) p.kH() * p.kW()), 1.0 / normType);
    }
  }

  /** Adaptive average pooling over the integer bins of {@link PoolShapes}. */
  public static void adaptiveAvgPool(double[] x, AdaptivePool2dParams p, double[] out) {
    for (int c = 0; c < p.planes(); c++) {
      for (int oh = 0; oh < p.outH(); oh++) {
        for (int ow = 0; ow < p.outW(); ow++) {
          double sum = 0;
          long count = 0;
          for (int h = 0; h < p.inH(); h++) {
            for (int w = 0; w < p.inW(); w++) {
              if (inBin(h, oh, p.outH(), p.inH()) && inBin(w, ow, p.outW(), p.inW())) {
                sum += x[c * p.inPlane() + h * p.inW() + w];
                count++;
              }
            }
          }
          out[c * p.outPlane() + oh * p.outW() + ow] = sum / count;
        }
      }
    }
  }

  /** Adaptive max pooling: the bins of {@link PoolShapes}, the max rule of {@link #maxPool}. */
  public static void adaptiveMaxPool(double[] x, AdaptivePool2dParams p, double[] out, long[] idx) {
    for (int c = 0; c < p.planes(); c++) {
      for (int oh = 0; oh < p.outH(); oh++) {
        for (int ow = 0; ow < p.outW(); ow++) {
          double max = Double.NEGATIVE_INFINITY;
          long at = -1;
          for (int h = 0; h < p.inH(); h++) {
            for (int w = 0; w < p.inW(); w++) {
              if (!inBin(h, oh, p.outH(), p.inH()) || !inBin(w, ow, p.outW(), p.inW())) {
                continue;
              }
              double v = x[c * p.inPlane() + h * p.inW() + w];
              if (at < 0 || v > max || Double.isNaN(v)) {
                max = v;
                at = (long) h * p.inW() + w;
              }
            }
          }
          int o = c * p.outPlane() + oh * p.outW() + ow;
          out[o] = max;
          idx[o] = at;
        }
      }
    }
  }

  private static boolean inBin(int pos, int bin, int bins, int size) {
    return pos >= PoolShapes.adaptiveStart(bin, bins, size) && pos < PoolShapes.adaptiveEnd(bin, bins, size);
  }

  /**
   * Max unpooling: zeros, then each value written at its index in its plane, in order (a repeated
   * index keeps the last value). Indices must already be valid.
   */
  public static void maxUnpool(double[] x, long[] idx, Unpool2dParams p, double[] out) {
    java.util.Arrays.fill(out, 0.0);
    for (int c = 0; c < p.planes(); c++) {
      for (int i = 0; i < p.inPlane(); i++) {
        long at = idx[c * p.inPlane() + i];
        out[(int) (c * (long) p.outPlane() + at)] = x[c * p.inPlane() + i];
      }
    }
  }
}
