package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;

/**
 * Average pooling over NCHW planes, one pass over the input, parallel over planes. Each window is
 * summed in the element type in row-major order and divided once by {@link Pool2dParams#divisor},
 * which is what ATen's kernel does, so float32 results match PyTorch bit for bit. int64 sums are
 * exact (wrapping as C++ does) and the division truncates toward zero. No argument checks.
 */
public final class AvgPool2dKernel {
  private AvgPool2dKernel() {}

  /** Pools {@code x} (from {@code xOff}) into {@code out} (from {@code outOff}); modifies only {@code out}. */
  public static void forward(float[] x, int xOff, float[] out, int outOff, Pool2dParams p) {
    assert x.length >= xOff + (long) p.planes() * p.inPlane();
    assert out.length >= outOff + (long) p.planes() * p.outPlane();
    Parallel.forRange(p.planes(), MaxPool2dKernel.grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        plane(x, xOff + c * p.inPlane(), out, outOff + c * p.outPlane(), p);
      }
    });
  }

  /** The float64 version of {@link #forward(float[], int, float[], int, Pool2dParams)}. */
  public static void forward(double[] x, int xOff, double[] out, int outOff, Pool2dParams p) {
    assert x.length >= xOff + (long) p.planes() * p.inPlane();
    assert out.length >= outOff + (long) p.planes() * p.outPlane();
    Parallel.forRange(p.planes(), MaxPool2dKernel.grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        plane(x, xOff + c * p.inPlane(), out, outOff + c * p.outPlane(), p);
      }
    });
  }

  /** The int64 version: exact sums, quotient truncated toward zero. */
  public static void forward(long[] x, int xOff, long[] out, int outOff, Pool2dParams p) {
    assert x.length >= xOff + (long) p.planes() * p.inPlane();
    assert out.length >= outOff + (long) p.planes() * p.outPlane();
    Parallel.forRange(p.planes(), MaxPool2dKernel.grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        plane(x, xOff + c * p.inPlane(), out, outOff + c * p.outPlane(), p);
      }
    });
  }

  /**
   * Unclipped columns run tap by tap (a long loop over the columns for each kernel tap) with the
   * running sums in the output row; the taps still arrive in row-major order, so each sum is
   * PyTorch's, bit for bit, while the inner loop is long and branch-free. Clipped columns at the
   * edges take the per-window path.
   */
  private static void plane(float[] x, int xo, float[] out, int oo, Pool2dParams p) {
    final int inW = p.inW();
    final int outW = p.outW();
    final int sW = p.sW();
    final int pW = p.pW();
    final int lo = MaxPool2dKernel.interiorStart(outW, sW, pW);
    final int hi = MaxPool2dKernel.interiorEnd(lo, outW, inW, p.kW(), sW, pW, 1);
    for (int oh = 0; oh < p.outH(); oh++) {
      long hs = (long) oh * p.sH() - p.pH();
      int h0 = (int) Math.max(hs, 0);
      int h1 = (int) Math.min(hs + p.kH(), p.inH());
      int orow = oo + oh * outW;
      for (int ow = 0; ow < lo; ow++) {
        out[orow + ow] = window(x, xo, p, h0, h1, oh, ow);
      }
      if (lo < hi) {
        java.util.Arrays.fill(out, orow + lo, orow + hi, 0f);
        for (int h = h0; h < h1; h++) {
          for (int j = 0; j < p.kW(); j++) {
            int base = xo + h * inW + j - pW;
            for (int ow = lo; ow < hi; ow++) {
              out[orow + ow] += x[base + ow * sW];
            }
          }
        }
        // Unclipped columns share one divisor per output row.
        long divisor = p.divisor(oh, lo);
        for (int ow = lo; ow < hi; ow++) {
          out[orow + ow] = out[orow + ow] / divisor;
        }
      }
      for (int ow = hi; ow < outW; ow++) {
        out[orow + ow] = window(x, xo, p, h0, h1, oh, ow);
      }
    }
  }

  /** The average of window (oh, ow), rows {@code [h0, h1)}, clipped to the input. Used for border columns. */
  public static float window(float[] x, int xo, Pool2dParams p, int h0, int h1, int oh, int ow) {
    final int inW = p.inW();
    long ws = (long) ow * p.sW() - p.pW();
    int w0 = (int) Math.max(ws, 0);
    int w1 = (int) Math.min(ws + p.kW(), inW);
    float sum = 0;
    for (int h = h0; h < h1; h++) {
      int row = xo + h * inW;
      for (int w = w0; w < w1; w++) {
        sum += x[row + w];
      }
    }
    return sum / p.divisor(oh, ow);
  }

  private static void plane(double[] x, int xo, double[] out, int oo, Pool2dParams p) {
    final int inW = p.inW();
    for (int oh = 0; oh < p.outH(); oh++) {
      long hs = (long) oh * p.sH() - p.pH();
      int h0 = (int) Math.max(hs, 0);
      int h1 = (int) Math.min(hs + p.kH(), p.inH());
      int orow = oo + oh * p.outW();
      for (int ow = 0; ow < p.outW(); ow++) {
        long ws = (long) ow * p.sW() - p.pW();
        int w0 = (int) Math.max(ws, 0);
        int w1 = (int) Math.min(ws + p.kW(), inW);
        double sum = 0;
        for (int h = h0; h < h1; h++) {
          int row = xo + h * inW;
          for (int w = w0; w < w1; w++) {
            sum += x[row + w];
          }
        }
        out[orow + ow] = sum / p.divisor(oh, ow);
      }
    }
  }

  private static void plane(long[] x, int xo, long[] out, int oo, Pool2dParams p) {
    final int inW = p.inW();
    for (int oh = 0; oh < p.outH(); oh++) {
      long hs = (long) oh * p.sH() - p.pH();
      int h0 = (int) Math.max(hs, 0);
      int h1 = (int) Math.min(hs + p.kH(), p.inH());
      int orow = oo + oh * p.outW();
      for (int ow = 0; ow < p.outW(); ow++) {
        long ws = (long) ow * p.sW() - p.pW();
        int w0 = (int) Math.max(ws, 0);
        int w1 = (int) Math.min(ws + p.kW(), inW);
        long sum = 0;
        for (int h = h0; h < h1; h++) {
          int row = xo + h * inW;
          for (int w = w0; w < w1; w++) {
            sum += x[row + w];
          }
        }
        out[orow + ow] = sum / p.divisor(oh, ow);
      }
    }
  }
}
