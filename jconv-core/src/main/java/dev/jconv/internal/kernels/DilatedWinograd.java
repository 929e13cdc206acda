package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProviders;

/**
 * A dilated 3x3 stride-1 convolution as undilated ones: the outputs whose row is {@code a} modulo
 * the dilation {@code dh} (and column {@code c} modulo {@code dw}) read only input rows of one
 * residue modulo {@code dh} (and columns of one residue modulo {@code dw}), so each of the
 * {@code dh * dw} output phases is an ordinary 3x3 convolution of a subsampled input, run by
 * {@link WinogradConv} with the filters transformed once. Costs two copies (the subsampled input,
 * the interleaved output) on top of Winograd. (Having Winograd's band copy subsample and its tile
 * scatter interleave, with no copies of their own, ran 0.8x this: the strided gather inside the
 * band copy runs once per band, 1.5 times per input row.)
 */
final class DilatedWinograd {

  /**
   * The subsampled input and the phase's output are kept per calling thread up to this many
   * floats each (16 MB), so that a call does not zero fresh arrays for every phase: a new array is
   * zeroed by one thread, which cost ~1 ms of the 6.7 ms of a 64-channel 56x56 layer on 2 threads.
   */
  static final int MAX_KEPT_FLOATS = 1 << 22;

  private static final ThreadLocal<float[][]> KEPT = ThreadLocal.withInitial(() -> new float[2][0]);

  private DilatedWinograd() {}

  /** A scratch array of at least {@code length} floats, contents undefined. */
  private static float[] scratch(int slot, int length) {
    if (length > MAX_KEPT_FLOATS) {
      return new float[length];
    }
    float[][] kept = KEPT.get();
    if (kept[slot].length < length) {
      kept[slot] = new float[length];
    }
    return kept[slot];
  }

  static boolean supports(ConvParams p) {
    return p.kh() == 3 && p.kw() == 3 && p.strideH() == 1 && p.strideW() == 1 && p.groups() == 1
        && (p.dilationH() > 1 || p.dilationW() > 1);
  }

  static void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
    forward(p, x, weight, bias, out, true);
  }

  /** {@link #forward}; {@code reused} as in {@code WinogradConv.forward}: false keeps the filters out of the cache. */
  static void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out, boolean reused) {
    assert supports(p);
    int n = p.n();
    int cin = p.cin();
    int cout = p.cout();
    int dh = p.dilationH();
    int dw = p.dilationW();
    if (n == 0 || cout == 0 || p.outH() == 0 || p.outW() == 0) {
      return;
    }
    WinogradConv.Filters filters = WinogradConv.filters(KernelProviders.get(), weight, cout, cin, reused);
    for (int a = 0; a < Math.min(dh, p.outH()); a++) {
      for (int c = 0; c < Math.min(dw, p.outW()); c++) {
        phase(p, x, filters, bias, out, a, c);
      }
    }
  }

  /** Output rows a, a+dh, ... and columns c, c+dw, ...: one undilated convolution. */
  private static void phase(ConvParams p, float[] x, WinogradConv.Filters filters, float[] bias,
      float[] out, int a, int c) {
    int dh = p.dilationH();
    int dw = p.dilationW();
    int rowsOut = Math.ceilDiv(p.outH() - a, dh);
    int colsOut = Math.ceilDiv(p.outW() - c, dw);
    // Output (a + dh*i) reads input rows a - padTop + dh*(i + ky): subsampled row i + ky of the
    // rows starting at a - padTop (zeros where they leave the input).
    int row0 = a - p.padTop();
    int col0 = c - p.padLeft();
    int sh = rowsOut + 2;
    int sw = colsOut + 2;
    int cin = p.cin();
    int h = p.h();
    int w = p.w();
    float[] sub = scratch(0, p.n() * cin * sh * sw);
    Parallel.forRange(p.n() * cin, 1, (start, end) -> {
      for (int q = start; q < end; q++) {
        int src = q * h * w;
        int dst = q * sh * sw;
        // Subsampled columns j with col0 + j*dw inside [0, w); the rest, and rows outside the
        // input, are zeros (the array is reused, so they are written).
        int jLo = Math.min(sw, col0 >= 0 ? 0 : Math.ceilDiv(-col0, dw));
        int jHi = Math.max(jLo, Math.min(sw, w - 1 - col0 < 0 ? 0 : Math.floorDiv(w - 1 - col0, dw) + 1));
        for (int i = 0; i < sh; i++) {
          int iy = row0 + i * dh;
          int d = dst + i * sw;
          if (iy < 0 || iy >= h) {
            java.util.Arrays.fill(sub, d, d + sw, 0f);
            continue;
          }
          java.util.Arrays.fill(sub, d, d + jLo, 0f);
          int s0 = src + iy * w + col0;
          for (int j = jLo; j < jHi; j++) {
            sub[d + j] = x[s0 + j * dw];
          }
          java.util.Arrays.fill(sub, d + jHi, d + sw, 0f);
        }
      }
    });
    // Winograd writes every element of y.
    float[] y = scratch(1, p.n() * p.cout() * rowsOut * colsOut);
    WinogradConv.forward(filters, p.n(), sh, sw, 0, 0, rowsOut, colsOut, sub, bias, y);
    int outH = p.outH();
    int outW = p.outW();
    Parallel.forRange(p.n() * p.cout(), 1, (start, end) -> {
      for (int q = start; q < end; q++) {
        int src = q * rowsOut * colsOut;
        int dst = q * outH * outW;
        for (int i = 0; i < rowsOut; i++) {
          int o = dst + (a + i * dh) * outW + c;
          int s = src + i * colsOut;
          for (int j = 0; j < colsOut; j++) {
            out[o + j * dw] = y[s + j];
          }
        }
      }
    });
  }
}
