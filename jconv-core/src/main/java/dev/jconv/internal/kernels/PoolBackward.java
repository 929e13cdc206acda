package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.shape.PoolShapes;

/**
 * Backward kernels of the pooling operations, with PyTorch's rules: max and adaptive max add each
 * output gradient at the index the forward recorded; average pooling divides by the forward's
 * divisor ({@link Pool2dParams#divisor}: padding counted or not, or the override) and spreads over
 * the window clipped to the input; adaptive average divides by the bin's height, then its width, as
 * ATen does; max unpooling gathers from the recorded positions. Planes are independent, so they run
 * in parallel. Output arrays are freshly zeroed by the caller ({@code new float[]}); inputs are not
 * modified. No argument checks: the forward validated everything.
 */
public final class PoolBackward {
  private PoolBackward() {}

  private static int grain(long workPerPlane) {
    return (int) Math.max(1, (1 << 15) / Math.max(1, workPerPlane));
  }

  /** {@code gX[plane][idx] += g} for every output of every plane (max and adaptive max pooling). */
  public static void scatterAtIndices(float[] g, long[] idx, int planes, int inPlane, int outPlane, float[] gX) {
    Parallel.forRange(planes, grain(outPlane), (p0, p1) -> {
      for (int c = p0; c < p1; c++) {
        int o = c * outPlane;
        int in = c * inPlane;
        for (int j = 0; j < outPlane; j++) {
          gX[in + (int) idx[o + j]] += g[o + j];
        }
      }
    });
  }

  /** The float64 twin of {@link #scatterAtIndices(float[], long[], int, int, int, float[])}. */
  public static void scatterAtIndices(double[] g, long[] idx, int planes, int inPlane, int outPlane, double[] gX) {
    Parallel.forRange(planes, grain(outPlane), (p0, p1) -> {
      for (int c = p0; c < p1; c++) {
        int o = c * outPlane;
        int in = c * inPlane;
        for (int j = 0; j < outPlane; j++) {
          gX[in + (int) idx[o + j]] += g[o + j];
        }
      }
    });
  }

  /** {@code gX[i] = g[plane][idx[i]]}: max unpooling's gradient gathers what the forward scattered. */
  public static void gatherAtIndices(float[] g, long[] idx, int planes, int inPlane, int outPlane, float[] gX) {
    Parallel.forRange(planes, grain(inPlane), (p0, p1) -> {
      for (int c = p0; c < p1; c++) {
        for (int j = 0; j < inPlane; j++) {
          gX[c * inPlane + j] = g[c * outPlane + (int) idx[c * inPlane + j]];
        }
      }
    });
  }

  /** The float64 twin of {@link #gatherAtIndices(float[], long[], int, int, int, float[])}. */
  public static void gatherAtIndices(double[] g, long[] idx, int planes, int inPlane, int outPlane, double[] gX) {
    Parallel.forRange(planes, grain(inPlane), (p0, p1) -> {
      for (int c = p0; c < p1; c++) {
        for (int j = 0; j < inPlane; j++) {
          gX[c * inPlane + j] = g[c * outPlane + (int) idx[c * inPlane + j]];
        }
      }
    });
  }

  /** Average pooling: each output's gradient, divided by its divisor, added over its clipped window. */
  public static void avg(float[] g, Pool2dParams p, float[] gX) {
    // The divisors are the same for every plane: computed once.
    float[] div = new float[p.outPlane()];
    for (int oh = 0; oh < p.outH(); oh++) {
      for (int ow = 0; ow < p.outW(); ow++) {
        div[oh * p.outW() + ow] = (float) p.divisor(oh, ow);
      }
    }
    if (isTiled(p)) {
      avgTiled(g, p, div, gX);
      return;
    }
    Parallel.forRange(p.planes(), grain((long) p.outPlane() * p.kH() * p.kW()), (p0, p1) -> {
      for (int c = p0; c < p1; c++) {
        int o = c * p.outPlane();
        int in = c * p.inPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = Math.max(oh * p.sH() - p.pH(), 0);
          int h1 = Math.min(oh * p.sH() - p.pH() + p.kH(), p.inH());
          for (int ow = 0; ow < p.outW(); ow++) {
            int w0 = Math.max(ow * p.sW() - p.pW(), 0);
            int w1 = Math.min(ow * p.sW() - p.pW() + p.kW(), p.inW());
            float delta = g[o + oh * p.outW() + ow] / div[oh * p.outW() + ow];
            for (int ih = h0; ih < h1; ih++) {
              int row = in + ih * p.inW();
              for (int iw = w0; iw < w1; iw++) {
                gX[row + iw] += delta;
              }
            }
          }
        }
      }
    });
  }

  /**
   * Whether the windows tile the input: stride = kernel, no padding, every window whole inside the
   * input (LeNet's 2x2 stride 2). Then each input pixel is in at most one window, and no window
   * needs clipping.
   */
  static boolean isTiled(Pool2dParams p) {
    return p.pH() == 0 && p.pW() == 0 && p.sH() == p.kH() && p.sW() == p.kW()
        && (long) p.outH() * p.kH() <= p.inH() && (long) p.outW() * p.kW() <= p.inW();
  }

  /**
   * {@link #avg} for tiled windows: one division per output (as the general loop, so the same
   * bits), then the row of quotients written to the window's rows; pixels no window covers (right
   * and bottom remainders) keep their zero. LeNet's 2x2 pools: 0.54 ms instead of the general
   * loop's 1.80 on 1536 planes of 28x28, 0.33 instead of 0.66 on 4096 of 10x10 (2 threads; most of
   * what is left is writing the gradient to memory: a Vector API spread of the pairs gained nothing).
   */
  private static void avgTiled(float[] g, Pool2dParams p, float[] div, float[] gX) {
    int outW = p.outW();
    int kH = p.kH();
    int kW = p.kW();
    int inW = p.inW();
    Parallel.forRange(p.planes(), grain((long) p.inPlane()), (p0, p1) -> {
      float[] delta = new float[outW];
      for (int c = p0; c < p1; c++) {
        int o = c * p.outPlane();
        int in = c * p.inPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int src = o + oh * outW;
          int dv = oh * outW;
          for (int ow = 0; ow < outW; ow++) {
            delta[ow] = g[src + ow] / div[dv + ow];
          }
          int row = in + oh * kH * inW;
          if (kW == 2) {
            for (int ow = 0; ow < outW; ow++) {
              float d = delta[ow];
              gX[row + 2 * ow] = d;
              gX[row + 2 * ow + 1] = d;
            }
          } else {
            for (int ow = 0; ow < outW; ow++) {
              java.util.Arrays.fill(gX, row + ow * kW, row + ow * kW + kW, delta[ow]);
            }
          }
          for (int r = 1; r < kH; r++) {
            System.arraycopy(gX, row, gX, row + r * inW, outW * kW);
          }
        }
      }
    });
  }

  /** The float64 twin of {@link #avg(float[], Pool2dParams, float[])}. */
  public static void avg(double[] g, Pool2dParams p, double[] gX) {
    Parallel.forRange(p.planes(), grain((long) p.outPlane() * p.kH() * p.kW()), (p0, p1) -> {
      for (int c = p0; c < p1; c++) {
        int o = c * p.outPlane();
        int in = c * p.inPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = Math.max(oh * p.sH() - p.pH(), 0);
          int h1 = Math.min(oh * p.sH() - p.pH() + p.kH(), p.inH());
          for (int ow = 0; ow < p.outW(); ow++) {
            int w0 = Math.max(ow * p.sW() - p.pW(), 0);
            int w1 = Math.min(ow * p.sW() - p.pW() + p.kW(), p.inW());
            double delta = g[o + oh * p.outW() + ow] / (double) p.divisor(oh, ow);
            for (int ih = h0; ih < h1; ih++) {
              int row = in + ih * p.inW();
              for (int iw = w0; iw < w1; iw++) {
                gX[row + iw] += delta;
              }
            }
          }
        }
      }
    });
  }

  /**
   * Adaptive average pooling: each output's gradient divided by its bin's height and then width
   * (ATen's order), added over the bin. With {@code asMean} (a 1x1 output, which PyTorch computes as a
   * mean), divided once by the plane's size instead.
   */
  public static void adaptiveAvg(double[] g, AdaptivePool2dParams p, boolean asMean, double[] gX) {
    Parallel.forRange(p.planes(), grain(p.inPlane()), (p0, p1) -> {
      for (int c = p0; c < p1; c++) {
        int o = c * p.outPlane();
        int in = c * p.inPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = (int) PoolShapes.adaptiveStart(oh, p.outH(), p.inH());
          int h1 = (int) PoolShapes.adaptiveEnd(oh, p.outH(), p.inH());
          for (int ow = 0; ow < p.outW(); ow++) {
            int w0 = (int) PoolShapes.adaptiveStart(ow, p.outW(), p.inW());
            int w1 = (int) PoolShapes.adaptiveEnd(ow, p.outW(), p.inW());
            double gv = g[o + oh * p.outW() + ow];
            double delta = asMean ? gv / p.inPlane() : gv / (h1 - h0) / (w1 - w0);
            for (int ih = h0; ih < h1; ih++) {
              for (int iw = w0; iw < w1; iw++) {
                gX[in + ih * p.inW() + iw] += delta;
              }
            }
          }
        }
      }
    });
  }

  /** The float32 form of {@link #adaptiveAvg(double[], AdaptivePool2dParams, boolean, double[])}. */
  public static void adaptiveAvg(float[] g, AdaptivePool2dParams p, boolean asMean, float[] gX) {
    Parallel.forRange(p.planes(), grain(p.inPlane()), (p0, p1) -> {
      for (int c = p0; c < p1; c++) {
        int o = c * p.outPlane();
        int in = c * p.inPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = (int) PoolShapes.adaptiveStart(oh, p.outH(), p.inH());
          int h1 = (int) PoolShapes.adaptiveEnd(oh, p.outH(), p.inH());
          for (int ow = 0; ow < p.outW(); ow++) {
            int w0 = (int) PoolShapes.adaptiveStart(ow, p.outW(), p.inW());
            int w1 = (int) PoolShapes.adaptiveEnd(ow, p.outW(), p.inW());
            float gv = g[o + oh * p.outW() + ow];
            float delta = asMean ? gv / (float) p.inPlane() : gv / (h1 - h0) / (w1 - w0);
            for (int ih = h0; ih < h1; ih++) {
              for (int iw = w0; iw < w1; iw++) {
                gX[in + ih * p.inW() + iw] += delta;
              }
            }
          }
        }
      }
    });
  }

  /**
   * LP pooling, which PyTorch computes as {@code (sign(a) * relu(|a|) * kh*kw) ^ (1/p)} with
   * {@code a = avg_pool(x^p)} (no padding; partial ceil-mode windows divide by their clipped size):
   * the chain rule through that composite, in double. Where {@code a == 0} the gradient is 0 (relu's
   * derivative there), as in PyTorch.
   */
  public static void lp(double[] x, double[] g, Pool2dParams p, double norm, double[] gX) {
    double kk = (double) p.kH() * p.kW();
    Parallel.forRange(p.planes(), grain((long) p.outPlane() * p.kH() * p.kW()), (p0, p1) -> {
      for (int c = p0; c < p1; c++) {
        int o = c * p.outPlane();
        int in = c * p.inPlane();
        for (int oh = 0; oh < p.outH(); oh++) {
          int h0 = oh * p.sH();
          int h1 = Math.min(h0 + p.kH(), p.inH());
          for (int ow = 0; ow < p.outW(); ow++) {
            int w0 = ow * p.sW();
            int w1 = Math.min(w0 + p.kW(), p.inW());
            double div = (double) (h1 - h0) * (w1 - w0);
            double sum = 0;
            for (int ih = h0; ih < h1; ih++) {
              for (int iw = w0; iw < w1; iw++) {
                sum += Math.pow(x[in + ih * p.inW() + iw], norm);
              }
            }
            double a = sum / div;
            if (a == 0) {
              continue;
            }
            double m = a * kk;
            // d/dm m^(1/p) = (1/p) m^(1/p - 1); dm/da = K; da/dx = p x^(p-1) / div
            double ga = g[o + oh * p.outW() + ow] * (1 / norm) * Math.pow(m, 1 / norm - 1) * kk / div;
            for (int ih = h0; ih < h1; ih++) {
              for (int iw = w0; iw < w1; iw++) {
                int i = in + ih * p.inW() + iw;
                gX[i] += ga * norm * Math.pow(x[i], norm - 1);
              }
            }
          }
        }
      }
    });
  }
}
