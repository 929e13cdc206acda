package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;

/**
 * LP pooling in one pass, reproducing PyTorch's composition step by step in the element type:
 * {@code a = avg_pool2d(x.pow(p))} (no padding, so a ceil-mode partial window is averaged over its
 * own size), then {@code (sign(a) * relu(|a|)).mul(kW*kH).pow(1/p)}. Hence norm 1 gives the signed
 * sum, and a negative window sum under a fractional root gives NaN. {@code pow} follows ATen's
 * special cases (exponent 0, 1, 2, 3, 0.5, -0.5, -1, -2) so those are exact. No argument checks.
 */
public final class LpPool2dKernel {
  private LpPool2dKernel() {}

  /** Pools {@code x} into {@code out}; modifies only {@code out}. {@code p} has no padding. */
  public static void forward(float[] x, int xOff, float[] out, int outOff, Pool2dParams p, double normType) {
    assert p.pH() == 0 && p.pW() == 0 && p.countIncludePad() && p.divisorOverride() == 0;
    Parallel.forRange(p.planes(), MaxPool2dKernel.grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        plane(x, xOff + c * p.inPlane(), out, outOff + c * p.outPlane(), p, normType);
      }
    });
  }

  /** The float64 version. */
  public static void forward(double[] x, int xOff, double[] out, int outOff, Pool2dParams p, double normType) {
    assert p.pH() == 0 && p.pW() == 0 && p.countIncludePad() && p.divisorOverride() == 0;
    Parallel.forRange(p.planes(), MaxPool2dKernel.grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        plane(x, xOff + c * p.inPlane(), out, outOff + c * p.outPlane(), p, normType);
      }
    });
  }

  /**
   * The int64 version with an integral, non-negative norm (a Python int in PyTorch): the power,
   * the average (truncated) and the scaling stay int64; only the final root goes to float32.
   */
  public static void forward(long[] x, int xOff, float[] out, int outOff, Pool2dParams p, long normType) {
    assert p.pH() == 0 && p.pW() == 0 && normType >= 0;
    Parallel.forRange(p.planes(), MaxPool2dKernel.grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        plane(x, xOff + c * p.inPlane(), out, outOff + c * p.outPlane(), p, normType);
      }
    });
  }

  private static void plane(float[] x, int xo, float[] out, int oo, Pool2dParams p, double norm) {
    final int inW = p.inW();
    final float scale = (float) ((long) p.kW() * p.kH());
    final double root = 1.0 / norm;
    for (int oh = 0; oh < p.outH(); oh++) {
      int h0 = oh * p.sH();
      int h1 = (int) Math.min((long) h0 + p.kH(), p.inH());
      for (int ow = 0; ow < p.outW(); ow++) {
        int w0 = ow * p.sW();
        int w1 = (int) Math.min((long) w0 + p.kW(), inW);
        float sum = 0;
        for (int h = h0; h < h1; h++) {
          int row = xo + h * inW;
          for (int w = w0; w < w1; w++) {
            sum += pow(x[row + w], norm);
          }
        }
        float a = sum / ((long) (h1 - h0) * (w1 - w0));
        float sign = a > 0 ? 1f : a < 0 ? -1f : 0f; // torch.sign: 0 for NaN and both zeros
        out[oo + oh * p.outW() + ow] = pow(sign * Math.abs(a) * scale, root);
      }
    }
  }

  private static void plane(double[] x, int xo, double[] out, int oo, Pool2dParams p, double norm) {
    final int inW = p.inW();
    final double scale = (double) ((long) p.kW() * p.kH());
    final double root = 1.0 / norm;
    for (int oh = 0; oh < p.outH(); oh++) {
      int h0 = oh * p.sH();
      int h1 = (int) Math.min((long) h0 + p.kH(), p.inH());
      for (int ow = 0; ow < p.outW(); ow++) {
        int w0 = ow * p.sW();
        int w1 = (int) Math.min((long) w0 + p.kW(), inW);
        double sum = 0;
        for (int h = h0; h < h1; h++) {
          int row = xo + h * inW;
          for (int w = w0; w < w1; w++) {
            sum += pow(x[row + w], norm);
          }
        }
        double a = sum / ((long) (h1 - h0) * (w1 - w0));
        double sign = a > 0 ? 1 : a < 0 ? -1 : 0;
        out[oo + oh * p.outW() + ow] = pow(sign * Math.abs(a) * scale, root);
      }
    }
  }

  private static void plane(long[] x, int xo, float[] out, int oo, Pool2dParams p, long norm) {
    final int inW = p.inW();
    final long scale = (long) p.kW() * p.kH();
    final double root = 1.0 / norm;
    for (int oh = 0; oh < p.outH(); oh++) {
      int h0 = oh * p.sH();
      int h1 = (int) Math.min((long) h0 + p.kH(), p.inH());
      for (int ow = 0; ow < p.outW(); ow++) {
        int w0 = ow * p.sW();
        int w1 = (int) Math.min((long) w0 + p.kW(), inW);
        long sum = 0;
        for (int h = h0; h < h1; h++) {
          int row = xo + h * inW;
          for (int w = w0; w < w1; w++) {
            sum += pow(x[row + w], norm);
          }
        }
        long a = sum / ((long) (h1 - h0) * (w1 - w0));
        out[oo + oh * p.outW() + ow] = pow((float) (Long.signum(a) * Math.abs(a) * scale), root);
      }
    }
  }

  /**
   * {@code torch.pow(float tensor, exponent)}: ATen's exact special cases, otherwise the power in
   * double rounded to float (ATen's vector path uses a 1-ulp powf, so other exponents may differ
   * from PyTorch in the last bit).
   */
  static float pow(float base, double exp) {
    if (exp == 0) {
      return 1f;
    } else if (exp == 1) {
      return base;
    } else if (exp == 2) {
      return base * base;
    } else if (exp == 3) {
      return base * base * base;
    } else if (exp == 0.5) {
      return (float) Math.sqrt(base);
    } else if (exp == -0.5) {
      return 1f / (float) Math.sqrt(base);
    } else if (exp == -1) {
      return 1f / base;
    } else if (exp == -2) {
      return 1f / (base * base);
    }
    return (float) Math.pow(base, exp);
  }

  /** The float64 twin of {@link #pow(float, double)}. */
  static double pow(double base, double exp) {
    if (exp == 0) {
      return 1;
    } else if (exp == 1) {
      return base;
    } else if (exp == 2) {
      return base * base;
    } else if (exp == 3) {
      return base * base * base;
    } else if (exp == 0.5) {
      return Math.sqrt(base);
    } else if (exp == -0.5) {
      return 1 / Math.sqrt(base);
    } else if (exp == -1) {
      return 1 / base;
    } else if (exp == -2) {
      return 1 / (base * base);
    }
    return Math.pow(base, exp);
  }

  /** Integer power by repeated squaring, wrapping on overflow as C++ int64 does. */
  static long pow(long base, long exp) {
    long result = 1;
    long b = base;
    for (long e = exp; e > 0; e >>= 1) {
      if ((e & 1) != 0) {
        result *= b;
      }
      b *= b;
    }
    return result;
  }
}
