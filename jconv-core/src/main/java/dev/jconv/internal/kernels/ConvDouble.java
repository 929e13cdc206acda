package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;

/**
 * 2-D convolution in float64, forward and backward, for what PyTorch users do in double precision:
 * gradient checks by finite differences, and numerics that need the extra digits. Direct loops over
 * the kernel taps with the output (or input) row innermost, parallel over images or output
 * channels: exact in its arithmetic order but not tuned for speed; float32 is the fast path.
 * No argument checks: {@link ConvParams} was validated by the caller.
 */
public final class ConvDouble {
  private ConvDouble() {}

  /** {@code out = conv2d(x, w) + b} ({@code b} may be null); {@code out} is overwritten. */
  public static void forward(ConvParams p, double[] x, double[] w, double[] b, double[] out) {
    final int outPlane = p.outH() * p.outW();
    Parallel.forRange(p.n() * p.cout(), grain(p), (start, end) -> {
      for (int idx = start; idx < end; idx++) {
        int n = idx / p.cout();
        int co = idx % p.cout();
        int o = idx * outPlane;
        java.util.Arrays.fill(out, o, o + outPlane, b == null ? 0.0 : b[co]);
        forEachTap(p, n, co, (xOff, wIdx, oRow, owLo, owHi, xCol) -> {
          double wv = w[wIdx];
          for (int ow = owLo; ow < owHi; ow++) {
            out[o + oRow + ow] += wv * x[xOff + xCol + ow * p.strideW()];
          }
        });
      }
    });
    if (PaddingNaN.padded(p) && outPlane > 0) {
      // PyTorch convolves float64 with its im2col kernel, whose padding zeros meet a non-finite
      // weight (0 * inf = NaN); the loops above skip the padding.
      boolean finite = true;
      for (int i = 0; i < p.weightLength() && finite; i++) {
        finite = Double.isFinite(w[i]);
      }
      if (!finite) {
        for (int i : PaddingNaN.forwardNaN(p, i -> !Double.isFinite(w[i]))) {
          out[i] = Double.NaN;
        }
      }
    }
  }

  /**
   * The gradients of {@link #forward} for {@code gOut}: into {@code gX}, {@code gW}, {@code gB} where
   * not null (each overwritten). {@code x} is needed for {@code gW}, {@code w} for {@code gX}.
   */
  public static void backward(ConvParams p, double[] x, double[] w, double[] gOut, double[] gX, double[] gW,
      double[] gB) {
    final int outPlane = p.outH() * p.outW();
    if (gX != null) {
      java.util.Arrays.fill(gX, 0.0);
      // Each image's input gradient is written by one task only.
      Parallel.forRange(p.n(), 1, (start, end) -> {
        for (int n = start; n < end; n++) {
          for (int co = 0; co < p.cout(); co++) {
            int o = (n * p.cout() + co) * outPlane;
            forEachTap(p, n, co, (xOff, wIdx, oRow, owLo, owHi, xCol) -> {
              double wv = w[wIdx];
              for (int ow = owLo; ow < owHi; ow++) {
                gX[xOff + xCol + ow * p.strideW()] += wv * gOut[o + oRow + ow];
              }
            });
          }
        }
      });
    }
    if (gW != null) {
      java.util.Arrays.fill(gW, 0.0);
      // Each output channel's weights are written by one task only.
      Parallel.forRange(p.cout(), 1, (start, end) -> {
        for (int co = start; co < end; co++) {
          for (int n = 0; n < p.n(); n++) {
            int o = (n * p.cout() + co) * outPlane;
            forEachTap(p, n, co, (xOff, wIdx, oRow, owLo, owHi, xCol) -> {
              double s = 0;
              for (int ow = owLo; ow < owHi; ow++) {
                s += gOut[o + oRow + ow] * x[xOff + xCol + ow * p.strideW()];
              }
              gW[wIdx] += s;
            });
          }
        }
      });
    }
    if (gB != null) {
      for (int co = 0; co < p.cout(); co++) {
        double s = 0;
        for (int n = 0; n < p.n(); n++) {
          int o = (n * p.cout() + co) * outPlane;
          for (int i = 0; i < outPlane; i++) {
            s += gOut[o + i];
          }
        }
        gB[co] = s;
      }
    }
    if (gW != null && PaddingNaN.padded(p) && p.n() > 0 && outPlane > 0) {
      // PyTorch convolves float64 with its im2col kernels, which meet the padding's zeros (0 * inf).
      java.util.function.IntPredicate nonFinite = i -> !Double.isFinite(gOut[i]);
      boolean[] rows = PaddingNaN.nonFiniteRows(p, nonFinite, gB == null ? null : co -> !Double.isFinite(gB[co]),
          i -> !Double.isFinite(gW[i]));
      for (int i : PaddingNaN.weightGradNaN(p, rows, nonFinite)) {
        gW[i] = Double.NaN;
      }
    }
  }

  /**
   * One output row's worth of one kernel tap: output row offset {@code oRow} (within the plane),
   * columns {@code [owLo, owHi)} whose input element is {@code x[xOff + xCol + ow*strideW]}, weight
   * element {@code wIdx}.
   */
  @FunctionalInterface
  private interface TapRow {
    void run(int xOff, int wIdx, int oRow, int owLo, int owHi, int xCol);
  }

  /** Calls {@code body} for every (input channel, tap, output row) of output channel {@code co} of image {@code n}. */
  private static void forEachTap(ConvParams p, int n, int co, TapRow body) {
    int cinG = p.cinPerGroup();
    int g = co / p.coutPerGroup();
    for (int ci = 0; ci < cinG; ci++) {
      int xOff = (n * p.cin() + g * cinG + ci) * p.h() * p.w();
      for (int i = 0; i < p.kh(); i++) {
        for (int j = 0; j < p.kw(); j++) {
          int wIdx = ((co * cinG + ci) * p.kh() + i) * p.kw() + j;
          // Columns whose input column ow*sW - padLeft + j*dW lies in [0, w).
          int shift = j * p.dilationW() - p.padLeft();
          int owLo = shift >= 0 ? 0 : Math.ceilDiv(-shift, p.strideW());
          int owHi = Math.min(p.outW(), p.w() - shift <= 0 ? 0 : Math.ceilDiv(p.w() - shift, p.strideW()));
          if (owLo >= owHi) {
            continue;
          }
          for (int oh = 0; oh < p.outH(); oh++) {
            int ih = oh * p.strideH() - p.padTop() + i * p.dilationH();
            if (ih >= 0 && ih < p.h()) {
              body.run(xOff, wIdx, oh * p.outW(), owLo, owHi, ih * p.w() + shift);
            }
          }
        }
      }
    }
  }

  private static int grain(ConvParams p) {
    long perPlane = (long) p.cinPerGroup() * p.kh() * p.kw() * p.outH() * p.outW();
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, 32_768 / Math.max(1, perPlane)));
  }
}
