package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;

/**
 * Max pooling over NCHW planes, one pass over the input, parallel over planes. A tap wins when
 * {@code v > max || v != v}: NaN propagates and the last NaN's index is kept (as in ATen), ties
 * keep the first maximum, padding never takes part, and the scan starts at the first in-bounds
 * tap so a window of only -inf still reports an index. No argument checks: the public layer has
 * validated {@code p}.
 */
public final class MaxPool2dKernel {
  private MaxPool2dKernel() {}

  /**
   * Pools {@code p.planes()} planes of {@code x} (from {@code xOff}) into {@code out} (from
   * {@code outOff}) and, when {@code idx} is not null, the flat in-plane index of each max into
   * {@code idx} (from {@code idxOff}). Modifies only {@code out} and {@code idx}.
   */
  public static void forward(float[] x, int xOff, float[] out, int outOff, long[] idx, int idxOff, Pool2dParams p) {
    assert x.length >= xOff + (long) p.planes() * p.inPlane();
    assert out.length >= outOff + (long) p.planes() * p.outPlane();
    assert idx == null || idx.length >= idxOff + (long) p.planes() * p.outPlane();
    Parallel.forRange(p.planes(), grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        if (idx == null) {
          planeValues(x, xo, out, oo, p);
        } else {
          planeIndices(x, xo, out, oo, idx, idxOff + c * p.outPlane(), p);
        }
      }
    });
  }

  /** The float64 version of {@link #forward(float[], int, float[], int, long[], int, Pool2dParams)}. */
  public static void forward(double[] x, int xOff, double[] out, int outOff, long[] idx, int idxOff, Pool2dParams p) {
    assert x.length >= xOff + (long) p.planes() * p.inPlane();
    assert out.length >= outOff + (long) p.planes() * p.outPlane();
    Parallel.forRange(p.planes(), grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        planeDouble(x, xOff + c * p.inPlane(), out, outOff + c * p.outPlane(), idx,
            idx == null ? 0 : idxOff + c * p.outPlane(), p);
      }
    });
  }

  /** Enough planes per task that scheduling stays small next to the work (~64k elements). */
  static int grain(Pool2dParams p) {
    long perPlane = (long) p.inPlane() + p.outPlane();
    return (int) Math.max(1, (1 << 16) / Math.max(1, perPlane));
  }

  /** First in-bounds tap position of a window starting at {@code start}: ATen's while loop. */
  static int firstTap(long start, int dilation) {
    if (start >= 0) {
      return (int) start;
    }
    long steps = (-start + dilation - 1) / dilation;
    return (int) (start + steps * dilation);
  }

  /** One past the last tap position, clipped to the input (may be at or before firstTap). */
  static int tapEnd(long start, int kernel, int dilation, int size) {
    return (int) Math.min(start + (long) (kernel - 1) * dilation + 1, size);
  }

  private static void planeIndices(float[] x, int xo, float[] out, int oo, long[] idx, int io, Pool2dParams p) {
    final int inW = p.inW();
    final int dH = p.dH();
    final int dW = p.dW();
    for (int oh = 0; oh < p.outH(); oh++) {
      long hs = (long) oh * p.sH() - p.pH();
      int h0 = firstTap(hs, dH);
      int h1 = tapEnd(hs, p.kH(), dH, p.inH());
      for (int ow = 0; ow < p.outW(); ow++) {
        long ws = (long) ow * p.sW() - p.pW();
        int w0 = firstTap(ws, dW);
        int w1 = tapEnd(ws, p.kW(), dW, inW);
        float max = Float.NEGATIVE_INFINITY;
        long at = (long) h0 * inW + w0;
        for (int h = h0; h < h1; h += dH) {
          int row = xo + h * inW;
          for (int w = w0; w < w1; w += dW) {
            float v = x[row + w];
            if (v > max || v != v) {
              max = v;
              at = (long) h * inW + w;
            }
          }
        }
        int o = oh * p.outW() + ow;
        out[oo + o] = max;
        idx[io + o] = at;
      }
    }
  }

  private static void planeValues(float[] x, int xo, float[] out, int oo, Pool2dParams p) {
    final int inW = p.inW();
    final int dH = p.dH();
    final int dW = p.dW();
    for (int oh = 0; oh < p.outH(); oh++) {
      long hs = (long) oh * p.sH() - p.pH();
      int h0 = firstTap(hs, dH);
      int h1 = tapEnd(hs, p.kH(), dH, p.inH());
      int orow = oo + oh * p.outW();
      for (int ow = 0; ow < p.outW(); ow++) {
        long ws = (long) ow * p.sW() - p.pW();
        int w0 = firstTap(ws, dW);
        int w1 = tapEnd(ws, p.kW(), dW, inW);
        float max = Float.NEGATIVE_INFINITY;
        for (int h = h0; h < h1; h += dH) {
          int row = xo + h * inW;
          for (int w = w0; w < w1; w += dW) {
            float v = x[row + w];
            if (v > max || v != v) {
              max = v;
            }
          }
        }
        out[orow + ow] = max;
      }
    }
  }

  private static void planeDouble(double[] x, int xo, double[] out, int oo, long[] idx, int io, Pool2dParams p) {
    final int inW = p.inW();
    final int dH = p.dH();
    final int dW = p.dW();
    for (int oh = 0; oh < p.outH(); oh++) {
      long hs = (long) oh * p.sH() - p.pH();
      int h0 = firstTap(hs, dH);
      int h1 = tapEnd(hs, p.kH(), dH, p.inH());
      for (int ow = 0; ow < p.outW(); ow++) {
        long ws = (long) ow * p.sW() - p.pW();
        int w0 = firstTap(ws, dW);
        int w1 = tapEnd(ws, p.kW(), dW, inW);
        double max = Double.NEGATIVE_INFINITY;
        long at = (long) h0 * inW + w0;
        for (int h = h0; h < h1; h += dH) {
          int row = xo + h * inW;
          for (int w = w0; w < w1; w += dW) {
            double v = x[row + w];
            if (v > max || v != v) {
              max = v;
              at = (long) h * inW + w;
            }
          }
        }
        int o = oh * p.outW() + ow;
        out[oo + o] = max;
        if (idx != null) {
          idx[io + o] = at;
        }
      }
    }
  }
}
