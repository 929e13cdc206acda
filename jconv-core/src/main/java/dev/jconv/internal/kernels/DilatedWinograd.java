package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProviders;

/**
 * A dilated 3x3 stride-1 convolution as undilated ones: the outputs whose row is {@code a} modulo
 * the dilation {@code dh} (and column {@code c} modulo {@code dw}) read only input rows of one
 * residue modulo {@code dh} (and columns of one residue modulo {@code dw}), so each of the
 * {@code dh * dw} output phases is an ordinary 3x3 convolution of a subsampled input, run by
 * {@link WinogradConv} with the filters transformed once. Costs two copies (the subsampled input,
 * the interleaved output) on top of Winograd.
 */
final class DilatedWinograd {

  private DilatedWinograd() {}

  static boolean supports(ConvParams p) {
    return p.kh() == 3 && p.kw() == 3 && p.strideH() == 1 && p.strideW() == 1 && p.groups() == 1
        && (p.dilationH() > 1 || p.dilationW() > 1);
  }

  static void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
    assert supports(p);
    int n = p.n();
    int cin = p.cin();
    int cout = p.cout();
    int dh = p.dilationH();
    int dw = p.dilationW();
    if (n == 0 || cout == 0 || p.outH() == 0 || p.outW() == 0) {
      return;
    }
    WinogradConv.Filters filters = WinogradConv.FilterCache.get(KernelProviders.get(), weight, cout, cin);
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
    float[] sub = new float[p.n() * cin * sh * sw];
    Parallel.forRange(p.n() * cin, 1, (start, end) -> {
      for (int q = start; q < end; q++) {
        int src = q * h * w;
        int dst = q * sh * sw;
        for (int i = 0; i < sh; i++) {
          int iy = row0 + i * dh;
          if (iy < 0 || iy >= h) {
            continue;
          }
          for (int j = 0; j < sw; j++) {
            int ix = col0 + j * dw;
            if (ix >= 0 && ix < w) {
              sub[dst + i * sw + j] = x[src + iy * w + ix];
            }
          }
        }
      }
    });
    float[] y = new float[p.n() * p.cout() * rowsOut * colsOut];
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
