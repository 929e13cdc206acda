package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.shape.PoolShapes;

/**
 * Adaptive average and max pooling over NCHW planes, one pass, parallel over planes. Bins come
 * from {@link PoolShapes} in integer arithmetic. The average sums in the element type in row-major
 * order and divides by the bin height, then by its width, as ATen does; a float32 1x1 output is
 * PyTorch's {@code mean} instead (see {@link PlaneMean}). The max follows the rule of
 * {@link MaxPool2dKernel}. No argument checks.
 */
public final class AdaptivePool2dKernel {
  private AdaptivePool2dKernel() {}

  public static int grain(AdaptivePool2dParams p) {
    long perPlane = (long) p.inPlane() + p.outPlane();
    return (int) Math.max(1, (1 << 16) / Math.max(1, perPlane));
  }

  /** Adaptive average of {@code x} into {@code out}; modifies only {@code out}. */
  public static void avg(float[] x, int xOff, float[] out, int outOff, AdaptivePool2dParams p) {
    if (p.outH() == 1 && p.outW() == 1) {
      Parallel.forRange(p.planes(), grain(p), (start, end) -> {
        float[] scratch = PlaneMean.scratch();
        for (int c = start; c < end; c++) {
          out[outOff + c] = PlaneMean.mean(x, xOff + c * p.inPlane(), p.inPlane(), scratch);
        }
      });
      return;
    }
    Parallel.forRange(p.planes(), grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = (int) PoolShapes.adaptiveStart(oh, p.outH(), p.inH());
          int h1 = (int) PoolShapes.adaptiveEnd(oh, p.outH(), p.inH());
          for (int ow = 0; ow < p.outW(); ow++) {
            int w0 = (int) PoolShapes.adaptiveStart(ow, p.outW(), p.inW());
            int w1 = (int) PoolShapes.adaptiveEnd(ow, p.outW(), p.inW());
            float sum = 0;
            for (int h = h0; h < h1; h++) {
              int row = xo + h * p.inW();
              for (int w = w0; w < w1; w++) {
                sum += x[row + w];
              }
            }
            out[oo + oh * p.outW() + ow] = sum / (h1 - h0) / (w1 - w0);
          }
        }
      }
    });
  }

  /** The float64 version of {@link #avg(float[], int, float[], int, AdaptivePool2dParams)}. */
  public static void avg(double[] x, int xOff, double[] out, int outOff, AdaptivePool2dParams p) {
    Parallel.forRange(p.planes(), grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = (int) PoolShapes.adaptiveStart(oh, p.outH(), p.inH());
          int h1 = (int) PoolShapes.adaptiveEnd(oh, p.outH(), p.inH());
          for (int ow = 0; ow < p.outW(); ow++) {
            int w0 = (int) PoolShapes.adaptiveStart(ow, p.outW(), p.inW());
            int w1 = (int) PoolShapes.adaptiveEnd(ow, p.outW(), p.inW());
            double sum = 0;
            for (int h = h0; h < h1; h++) {
              int row = xo + h * p.inW();
              for (int w = w0; w < w1; w++) {
                sum += x[row + w];
              }
            }
            out[oo + oh * p.outW() + ow] = sum / (h1 - h0) / (w1 - w0);
          }
        }
      }
    });
  }

  /** Adaptive max of {@code x} into {@code out} and, if not null, the in-plane indices into {@code idx}. */
  public static void max(float[] x, int xOff, float[] out, int outOff, long[] idx, int idxOff, AdaptivePool2dParams p) {
    Parallel.forRange(p.planes(), grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        int io = idxOff + c * p.outPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = (int) PoolShapes.adaptiveStart(oh, p.outH(), p.inH());
          int h1 = (int) PoolShapes.adaptiveEnd(oh, p.outH(), p.inH());
          for (int ow = 0; ow < p.outW(); ow++) {
            int w0 = (int) PoolShapes.adaptiveStart(ow, p.outW(), p.inW());
            int w1 = (int) PoolShapes.adaptiveEnd(ow, p.outW(), p.inW());
            float max = Float.NEGATIVE_INFINITY;
            int at = h0 * p.inW() + w0;
            for (int h = h0; h < h1; h++) {
              int row = h * p.inW();
              for (int w = w0; w < w1; w++) {
                float v = x[xo + row + w];
                if (v > max || v != v) {
                  max = v;
                  at = row + w;
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
    });
  }

  /** The float64 version of {@link #max(float[], int, float[], int, long[], int, AdaptivePool2dParams)}. */
  public static void max(double[] x, int xOff, double[] out, int outOff, long[] idx, int idxOff, AdaptivePool2dParams p) {
    Parallel.forRange(p.planes(), grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        int io = idxOff + c * p.outPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = (int) PoolShapes.adaptiveStart(oh, p.outH(), p.inH());
          int h1 = (int) PoolShapes.adaptiveEnd(oh, p.outH(), p.inH());
          for (int ow = 0; ow < p.outW(); ow++) {
            int w0 = (int) PoolShapes.adaptiveStart(ow, p.outW(), p.inW());
            int w1 = (int) PoolShapes.adaptiveEnd(ow, p.outW(), p.inW());
            double max = Double.NEGATIVE_INFINITY;
            int at = h0 * p.inW() + w0;
            for (int h = h0; h < h1; h++) {
              int row = h * p.inW();
              for (int w = w0; w < w1; w++) {
                double v = x[xo + row + w];
                if (v > max || v != v) {
                  max = v;
                  at = row + w;
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
    });
  }
}
