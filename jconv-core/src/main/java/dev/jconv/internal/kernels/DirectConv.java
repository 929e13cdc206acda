package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;

/**
 * Direct convolution for few channels (LeNet's 1 -> 6 and 6 -> 16 layers, a 3-channel first
 * layer): six output channels at a time are accumulated in registers along an output row, each
 * input tap loaded once for all six. im2col would copy every input value kh*kw times into a
 * matrix that, with so few output channels, is multiplied only a handful of times.
 *
 * <p>Requires groups 1 and stride 1 along the width (so that neighbouring outputs read
 * neighbouring inputs). Each image's channels are first copied into zero-bordered planes; images
 * run in parallel. Raw kernel: arguments are trusted, layouts as in {@link ConvParams}.
 */
final class DirectConv {

  /** Slack after the padded planes, beyond a padded row: the last vector may read past them. */
  private static final int SLACK = 16;

  private static final ThreadLocal<float[]> PADDED = ThreadLocal.withInitial(() -> new float[0]);

  private DirectConv() {}

  static boolean supports(ConvParams p) {
    return p.groups() == 1 && p.strideW() == 1;
  }

  static void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
    assert supports(p);
    KernelProvider kernels = KernelProviders.get();
    int n = p.n();
    int cin = p.cin();
    int cout = p.cout();
    int outH = p.outH();
    int outW = p.outW();
    if (n == 0 || cout == 0 || outH == 0 || outW == 0) {
      return;
    }
    int hp = p.h() + p.padTop() + p.padBottom();
    int wp = p.w() + p.padLeft() + p.padRight();
    int taps = cin * p.kh() * p.kw();
    int blocks = (cout + 5) / 6;
    // Weights regrouped per block of six output channels: w6[block][tap][6], zeros past cout.
    float[] w6 = new float[blocks * taps * 6];
    float[] b6 = new float[blocks * 6];
    for (int co = 0; co < cout; co++) {
      int blk = co / 6;
      int r = co % 6;
      for (int t = 0; t < taps; t++) {
        w6[(blk * taps + t) * 6 + r] = weight[co * taps + t];
      }
      b6[blk * 6 + r] = bias == null ? 0f : bias[co];
    }
    int planeSize = hp * wp;
    long perImage = 2L * cout * outH * outW * taps;
    int grain = (int) Math.max(1, Math.min(n, (1L << 17) / Math.max(1, perImage)));
    // With stride 1 down the columns too, a whole plane is one long row: output (oy, ox) is at
    // oy*wp + ox of the padded grid, every tap a fixed shift. Computing the grid's wp - outW extra
    // columns costs less than a call per short row (LeNet's rows are 10 or 28 wide).
    boolean grid = p.strideH() == 1;
    int slack = wp + SLACK;
    Parallel.forRange(n, grain, (start, end) -> {
      float[] buf = PADDED.get();
      if (buf.length < cin * planeSize + slack) {
        buf = new float[cin * planeSize + slack];
        PADDED.set(buf);
      }
      float[] gridOut = grid ? new float[6 * outH * wp] : null;
      int[] tapOff = new int[taps];
      float[] wBlock = new float[taps * 6];
      float[] bBlock = new float[6];
      for (int img = start; img < end; img++) {
        copyPadded(p, x, img, buf, hp, wp);
        for (int blk = 0; blk < blocks; blk++) {
          System.arraycopy(w6, blk * taps * 6, wBlock, 0, taps * 6);
          System.arraycopy(b6, blk * 6, bBlock, 0, 6);
          int rows = Math.min(6, cout - blk * 6);
          int outBase = (img * cout + blk * 6) * outH * outW;
          if (grid) {
            int t = 0;
            for (int ci = 0; ci < cin; ci++) {
              for (int ky = 0; ky < p.kh(); ky++) {
                for (int kx = 0; kx < p.kw(); kx++) {
                  tapOff[t++] = ci * planeSize + ky * p.dilationH() * wp + kx * p.dilationW();
                }
              }
            }
            kernels.directRow6(buf, tapOff, taps, wBlock, bBlock, gridOut, 0, outH * wp, rows,
                outH * wp);
            for (int r = 0; r < rows; r++) {
              for (int oy = 0; oy < outH; oy++) {
                System.arraycopy(gridOut, r * outH * wp + oy * wp, out,
                    outBase + r * outH * outW + oy * outW, outW);
              }
            }
            continue;
          }
          for (int oy = 0; oy < outH; oy++) {
            int t = 0;
            for (int ci = 0; ci < cin; ci++) {
              for (int ky = 0; ky < p.kh(); ky++) {
                int row = ci * planeSize + (oy * p.strideH() + ky * p.dilationH()) * wp;
                for (int kx = 0; kx < p.kw(); kx++) {
                  tapOff[t++] = row + kx * p.dilationW();
                }
              }
            }
            kernels.directRow6(buf, tapOff, taps, wBlock, bBlock, out, outBase + oy * outW,
                outH * outW, rows, outW);
          }
        }
      }
    });
  }

  private static void copyPadded(ConvParams p, float[] x, int img, float[] buf, int hp, int wp) {
    int planeSize = hp * wp;
    java.util.Arrays.fill(buf, 0, p.cin() * planeSize + wp + SLACK, 0f);
    int h = p.h();
    int w = p.w();
    for (int ci = 0; ci < p.cin(); ci++) {
      int src = (img * p.cin() + ci) * h * w;
      int dst = ci * planeSize + p.padTop() * wp + p.padLeft();
      for (int r = 0; r < h; r++) {
        System.arraycopy(x, src + r * w, buf, dst + r * wp, w);
      }
    }
  }
}
