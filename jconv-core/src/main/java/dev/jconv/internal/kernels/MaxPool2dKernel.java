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
  public static int grain(Pool2dParams p) {
    long perPlane = (long) p.inPlane() + p.outPlane();
    return (int) Math.max(1, (1 << 16) / Math.max(1, perPlane));
  }

  /** First in-bounds tap position of a window starting at {@code start}: ATen's while loop. */
  public static int firstTap(long start, int dilation) {
    if (start >= 0) {
      return (int) start;
    }
    long steps = (-start + dilation - 1) / dilation;
    return (int) (start + steps * dilation);
  }

  /** One past the last tap position, clipped to the input (may be at or before firstTap). */
  public static int tapEnd(long start, int kernel, int dilation, int size) {
    return (int) Math.min(start + (long) (kernel - 1) * dilation + 1, size);
  }

  /**
   * The first output column whose window lies wholly inside the input horizontally (no clipping),
   * i.e. the first {@code ow} with {@code ow*sW - pW >= 0}.
   */
  public static int interiorStart(int outW, int sW, int pW) {
    return Math.min(outW, (pW + sW - 1) / sW);
  }

  /** One past the last output column whose window ends inside the input (at least {@code lo}). */
  public static int interiorEnd(int lo, int outW, int inW, int kW, int sW, int pW, int dW) {
    long lastStart = (long) inW - 1 - (long) (kW - 1) * dW + pW;
    if (lastStart < 0) {
      return lo;
    }
    return (int) Math.max(lo, Math.min(outW, lastStart / sW + 1));
  }

  /**
   * The float paths run the unclipped columns of each output row tap by tap (for each kernel tap,
   * a long loop over the columns), keeping the running max in the output row itself. The taps are
   * still visited in row-major order. The running value is {@code Math.max}, an intrinsic without
   * branches, where a per-window loop of 2 or 3 taps mispredicts on every new maximum (about 6x
   * slower here). {@code Math.max} agrees with ATen's rule ({@code v > max || v != v}, first
   * maximum kept) on every value except a tie between -0.0 and 0.0, so a zero result is redone
   * (values) or read back at its exact index (indices). Clipped columns take the per-window path.
   */
  private static void planeIndices(float[] x, int xo, float[] out, int oo, long[] idx, int io, Pool2dParams p) {
    final int inW = p.inW();
    final int outW = p.outW();
    final int sW = p.sW();
    final int pW = p.pW();
    final int dH = p.dH();
    final int dW = p.dW();
    final int lo = interiorStart(outW, sW, pW);
    final int hi = interiorEnd(lo, outW, inW, p.kW(), sW, pW, dW);
    for (int oh = 0; oh < p.outH(); oh++) {
      long hs = (long) oh * p.sH() - p.pH();
      int h0 = firstTap(hs, dH);
      int h1 = tapEnd(hs, p.kH(), dH, p.inH());
      int orow = oo + oh * outW;
      int irow = io + oh * outW;
      for (int ow = 0; ow < lo; ow++) {
        windowIndices(x, xo, out, orow + ow, idx, irow + ow, p, h0, h1, ow);
      }
      for (int ow = lo; ow < hi; ow++) {
        out[orow + ow] = Float.NEGATIVE_INFINITY;
        idx[irow + ow] = (long) h0 * inW + (long) ow * sW - pW;
      }
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0; j < p.kW(); j++) {
          // tap (h, j) of window ow is at column ow*sW - pW + j*dW of row h
          int col0 = j * dW - pW;
          int base = xo + h * inW + col0;
          long at0 = (long) h * inW + col0;
          for (int ow = lo; ow < hi; ow++) {
            float v = x[base + ow * sW];
            float m = out[orow + ow];
            // The index follows ATen's rule exactly; a select on longs compiles to a cmov.
            boolean take = (v > m) | (v != v);
            out[orow + ow] = Math.max(m, v);
            idx[irow + ow] = take ? at0 + (long) ow * sW : idx[irow + ow];
          }
        }
      }
      for (int ow = lo; ow < hi; ow++) {
        if (out[orow + ow] == 0f) {
          out[orow + ow] = x[xo + (int) idx[irow + ow]]; // the sign of the first zero
        }
      }
      for (int ow = hi; ow < outW; ow++) {
        windowIndices(x, xo, out, orow + ow, idx, irow + ow, p, h0, h1, ow);
      }
    }
  }

  /**
   * One window {@code ow} of an output row (rows {@code h0, h0+dH, ... < h1}), clipped to the
   * input: its max into {@code out[o]} and index into {@code idx[io]}. Used for border columns.
   */
  public static void windowIndices(float[] x, int xo, float[] out, int o, long[] idx, int io, Pool2dParams p,
      int h0, int h1, int ow) {
    final int inW = p.inW();
    long ws = (long) ow * p.sW() - p.pW();
    int w0 = firstTap(ws, p.dW());
    int w1 = tapEnd(ws, p.kW(), p.dW(), inW);
    float max = Float.NEGATIVE_INFINITY;
    long at = (long) h0 * inW + w0;
    for (int h = h0; h < h1; h += p.dH()) {
      int row = xo + h * inW;
      for (int w = w0; w < w1; w += p.dW()) {
        float v = x[row + w];
        if (v > max || v != v) {
          max = v;
          at = (long) h * inW + w;
        }
      }
    }
    out[o] = max;
    idx[io] = at;
  }

  private static void planeValues(float[] x, int xo, float[] out, int oo, Pool2dParams p) {
    final int inW = p.inW();
    final int outW = p.outW();
    final int sW = p.sW();
    final int pW = p.pW();
    final int dH = p.dH();
    final int dW = p.dW();
    final int lo = interiorStart(outW, sW, pW);
    final int hi = interiorEnd(lo, outW, inW, p.kW(), sW, pW, dW);
    for (int oh = 0; oh < p.outH(); oh++) {
      long hs = (long) oh * p.sH() - p.pH();
      int h0 = firstTap(hs, dH);
      int h1 = tapEnd(hs, p.kH(), dH, p.inH());
      int orow = oo + oh * outW;
      for (int ow = 0; ow < lo; ow++) {
        out[orow + ow] = windowValue(x, xo, p, h0, h1, ow);
      }
      java.util.Arrays.fill(out, orow + lo, orow + hi, Float.NEGATIVE_INFINITY);
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0; j < p.kW(); j++) {
          int base = xo + h * inW + j * dW - pW;
          for (int ow = lo; ow < hi; ow++) {
            out[orow + ow] = Math.max(out[orow + ow], x[base + ow * sW]);
          }
        }
      }
      for (int ow = lo; ow < hi; ow++) {
        if (out[orow + ow] == 0f) {
          out[orow + ow] = windowValue(x, xo, p, h0, h1, ow); // the sign of the first zero
        }
      }
      for (int ow = hi; ow < outW; ow++) {
        out[orow + ow] = windowValue(x, xo, p, h0, h1, ow);
      }
    }
  }

  /** The max of one window, as {@link #windowIndices} computes it, without the index. */
  public static float windowValue(float[] x, int xo, Pool2dParams p, int h0, int h1, int ow) {
    final int inW = p.inW();
    long ws = (long) ow * p.sW() - p.pW();
    int w0 = firstTap(ws, p.dW());
    int w1 = tapEnd(ws, p.kW(), p.dW(), inW);
    float max = Float.NEGATIVE_INFINITY;
    for (int h = h0; h < h1; h += p.dH()) {
      int row = xo + h * inW;
      for (int w = w0; w < w1; w += p.dW()) {
        float v = x[row + w];
        if (v > max || v != v) {
          max = v;
        }
      }
    }
    return max;
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
