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

  private static void plane(float[] x, int xo, float[] out, int oo, Pool2dParams p) {
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
        float sum = 0;
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
