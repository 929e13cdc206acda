package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;

/**
 * Direct depthwise convolution (one input channel per group, {@code groups == cin}, any channel
 * multiplier {@code cout / cin}). im2col would run one GEMM per channel with a single row, which
 * wastes the vector lanes; here each output row is a sum of {@code kh * kw} shifted input rows,
 * vectorised along the row by the {@link KernelProvider} when the stride along the width is 1.
 *
 * <p>Each (image, channel) plane is first copied into a zero-bordered buffer, so no tap needs a
 * bounds check. Planes run in parallel. Raw kernel: arguments are trusted ({@code assert} only),
 * layouts as in {@link ConvParams}; the weight is {@code (cout, 1, kh, kw)}.
 */
final class DepthwiseConv {

  private static final ThreadLocal<float[]> PADDED = ThreadLocal.withInitial(() -> new float[0]);

  private DepthwiseConv() {}

  /** Whether {@code p} is depthwise: one input channel per group. */
  static boolean supports(ConvParams p) {
    return p.cinPerGroup() == 1;
  }

  static void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
    assert supports(p);
    KernelProvider kernels = KernelProviders.get();
    int planes = p.n() * p.cout();
    if (planes == 0 || p.outH() == 0 || p.outW() == 0) {
      return;
    }
    int hp = p.h() + p.padTop() + p.padBottom();
    int wp = p.w() + p.padLeft() + p.padRight();
    int taps = p.kh() * p.kw();
    long perPlane = 2L * p.outH() * p.outW() * taps;
    // A plane of a few thousand flops is not worth a task of its own.
    int grain = (int) Math.max(1, Math.min(planes, (1L << 16) / Math.max(1, perPlane)));
    Parallel.forRange(planes, grain, (start, end) -> {
      float[] buf = PADDED.get();
      if (buf.length < hp * wp) {
        buf = new float[hp * wp];
        PADDED.set(buf);
      }
      int[] rowOff = new int[p.kh()];
      int mult = p.coutPerGroup();
      int copied = -1;
      for (int q = start; q < end; q++) {
        int img = q / p.cout();
        int co = q - img * p.cout();
        int source = img * p.cin() + co / mult;
        if (source != copied) {
          // Channels with the same input (multiplier > 1) are consecutive: copy once for them.
          copyPadded(p, x, source, buf, wp, hp);
          copied = source;
        }
        plane(kernels, p, buf, wp, rowOff, weight, co * taps, bias == null ? 0f : bias[co], out,
            q * p.outH() * p.outW());
      }
    });
  }

  private static void copyPadded(ConvParams p, float[] x, int source, float[] buf, int wp, int hp) {
    // Only the border is zeroed: the interior is overwritten, and the whole fill cost as much as
    // the copy.
    if (p.h() == 0) {
      java.util.Arrays.fill(buf, 0, hp * wp, 0f);
      return;
    }
    int w = p.w();
    int top = p.padTop();
    int left = p.padLeft();
    java.util.Arrays.fill(buf, 0, top * wp + left, 0f);
    int src = source * p.h() * w;
    for (int r = 0; r < p.h(); r++) {
      int row = (r + top) * wp;
      System.arraycopy(x, src + r * w, buf, row + left, w);
      // From this row's right border to the next row's left border (or to the end).
      java.util.Arrays.fill(buf, row + left + w, r + 1 < p.h() ? row + wp + left : hp * wp, 0f);
    }
  }

  private static void plane(KernelProvider kernels, ConvParams p, float[] buf, int wp,
      int[] rowOff, float[] weight, int wOff, float bias, float[] out, int outOff) {
    int outW = p.outW();
    int kh = p.kh();
    int kw = p.kw();
    int dh = p.dilationH();
    int dw = p.dilationW();
    int sw = p.strideW();
    int oy = 0;
    if (sw == 1 && p.strideH() == 1 && kh == 3 && kw == 3 && dh == 1) {
      // Output rows in pairs: they share two of their four input rows, which saves a third of the
      // loads and gives the core two independent sums.
      for (; oy + 1 < p.outH(); oy += 2) {
        kernels.depthwise3x3Rows2(buf, oy * wp, wp, dw, weight, wOff, bias, out, outOff + oy * outW,
            outW, outW);
      }
    }
    for (; oy < p.outH(); oy++) {
      for (int ky = 0; ky < kh; ky++) {
        rowOff[ky] = (oy * p.strideH() + ky * dh) * wp;
      }
      int o = outOff + oy * outW;
      if (sw == 1) {
        kernels.depthwiseRow(buf, rowOff, kh, kw, dw, weight, wOff, bias, out, o, outW);
      } else {
        // Strided along the row: the taps of neighbouring outputs are not contiguous.
        for (int ox = 0; ox < outW; ox++) {
          float sum = bias;
          int col = ox * sw;
          for (int ky = 0; ky < kh; ky++) {
            int row = rowOff[ky] + col;
            int wr = wOff + ky * kw;
            for (int kx = 0; kx < kw; kx++) {
              sum = Math.fma(weight[wr + kx], buf[row + kx * dw], sum);
            }
          }
          out[o + ox] = sum;
        }
      }
    }
  }
}
