package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;

/**
 * Direct convolution with the output channels across the vector lanes, for layers with a small
 * patch ({@code cin*kh*kw}: a first layer on RGB, LeNet's 6 -> 16): each input value under a tap
 * is broadcast and multiplied into a vector of output channels, so the stride and the image
 * width do not matter, nothing is unfolded, and 16 output channels fill a 512-bit vector.
 *
 * <p>Work units are bands of output rows of one image, in parallel; each thread copies the image
 * it works on into zero-bordered planes once. The kernel writes pixel-major blocks, transposed
 * here into the {@code (n, cout, outH, outW)} output. Groups 1; raw kernel, arguments trusted.
 *
 * <p>With stride 1 along the width, neighbouring outputs of a row read neighbouring inputs, so the
 * kernel is called once per output row with one base index ({@code directChannelsRow}) and the
 * row is rounded up to {@link #ROW_BLOCK} pixels: the extra pixels read the next row's border
 * (or the slack after the planes) and are dropped. On LeNet's 10-wide rows that computes 12
 * outputs for 10, and still runs 1.4x faster than an offset per pixel. Other strides gather each
 * pixel through its own offset.
 */
final class DirectChannelsConv {

  /** Channels are padded to a multiple of the widest vector. */
  private static final int LANES = 16;

  /** Output pixels per call of the kernel: its scratch block (pixels x channels) stays in L1/L2. */
  private static final int PIXELS_PER_CALL = 256;

  /** Row calls cover a multiple of this many pixels: the row kernel's pixel blocks are 6 and 12. */
  static final int ROW_BLOCK = 12;

  private static final ThreadScratch SCRATCH = new ThreadScratch(2, Long.MAX_VALUE);

  private DirectChannelsConv() {}

  static boolean supports(ConvParams p) {
    return p.groups() == 1;
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
    int planeSize = hp * wp;
    int taps = cin * p.kh() * p.kw();
    int cpad = (cout + LANES - 1) / LANES * LANES;
    float[] w = new float[taps * cpad];
    float[] b = new float[cpad];
    for (int co = 0; co < cout; co++) {
      for (int t = 0; t < taps; t++) {
        w[t * cpad + co] = weight[co * taps + t];
      }
      b[co] = bias == null ? 0f : bias[co];
    }
    int[] tapOff = new int[taps];
    for (int ci = 0, t = 0; ci < cin; ci++) {
      for (int ky = 0; ky < p.kh(); ky++) {
        for (int kx = 0; kx < p.kw(); kx++) {
          tapOff[t++] = ci * planeSize + ky * p.dilationH() * wp + kx * p.dilationW();
        }
      }
    }
    // With four or more vectors of channels each gathered value feeds four FMAs and the gather
    // costs little; the row kernel's rounding up of each row would then cost more (seed: 0.9x).
    boolean rowMode = p.strideW() == 1 && cpad < 4 * LANES;
    // One vector of channels has a 10-pixel block too: LeNet's 10-wide rows run as they are.
    int rowPixels = cpad == LANES && outW % 10 == 0 && outW % ROW_BLOCK != 0 ? outW
        : (outW + ROW_BLOCK - 1) / ROW_BLOCK * ROW_BLOCK;
    boolean unpadded = p.padTop() == 0 && p.padLeft() == 0 && p.padBottom() == 0 && p.padRight() == 0;
    int maxTap = tapOff[taps - 1];
    // A row call's last pixels read up to rowPixels - outW floats past the planes.
    int bufFloats = cin * planeSize + rowPixels - outW;
    int rowsPerUnit = Math.max(1, PIXELS_PER_CALL / outW);
    int unitsPerImage = (outH + rowsPerUnit - 1) / rowsPerUnit;
    int gatherPixels = (rowsPerUnit * outW + ROW_BLOCK - 1) / ROW_BLOCK * ROW_BLOCK;
    // Row mode: a unit's rows side by side in one block (each row's rounded-up end is overwritten
    // by the next row), transposed into the planes at once.
    int blockFloats = (rowMode ? rowsPerUnit * outW + rowPixels - outW : gatherPixels) * cpad;
    Parallel.forRange(n * unitsPerImage, 1, (start, end) -> {
      float[] buf = SCRATCH.get(0, bufFloats);
      float[] block = SCRATCH.get(1, blockFloats);
      int[] pixOff = new int[gatherPixels];
      int copied = -1;
      for (int u = start; u < end; u++) {
        int img = u / unitsPerImage;
        int oy0 = (u % unitsPerImage) * rowsPerUnit;
        int oy1 = Math.min(outH, oy0 + rowsPerUnit);
        int plane = outH * outW;
        if (rowMode) {
          for (int oy = oy0; oy < oy1; oy++) {
            int rowBase = oy * p.strideH() * wp;
            float[] src;
            int srcBase;
            long inX = (long) img * cin * planeSize + rowBase;
            if (unpadded && inX + rowPixels - 1 + maxTap < x.length) {
              // No padding: the input is the zero-bordered copy already; a row's rounded-up end
              // reads into the next row or image, outputs that are dropped.
              src = x;
              srcBase = (int) inX;
            } else {
              if (img != copied) {
                copyPadded(p, x, img, buf, hp, wp);
                copied = img;
              }
              src = buf;
              srcBase = rowBase;
            }
            kernels.directChannelsRow(src, srcBase, rowPixels, tapOff, taps, w, b, cpad, block,
                (oy - oy0) * outW * cpad);
          }
          // One transpose per unit, not per row: LeNet's 10-pixel rows alone were all tail for the
          // vector transpose (measured: the per-row transposes took a fifth of lenet2's time).
          kernels.blockToPlanes(block, (oy1 - oy0) * outW, cpad, cout, out,
              img * cout * plane + oy0 * outW, plane);
          continue;
        }
        if (img != copied) {
          copyPadded(p, x, img, buf, hp, wp);
          copied = img;
        }
        int np = 0;
        for (int oy = oy0; oy < oy1; oy++) {
          for (int ox = 0; ox < outW; ox++) {
            pixOff[np++] = oy * p.strideH() * wp + ox * p.strideW();
          }
        }
        // Whole pixel blocks only (repeats of the last pixel, dropped below): the kernels' one-pixel
        // loops then never run, and a JIT that compiled the hot loops early is never sent back to
        // slow code by a rarely taken one (seen: seed stuck at 1 ms a call instead of 25 us).
        int valid = np;
        for (; np % ROW_BLOCK != 0; np++) {
          pixOff[np] = pixOff[valid - 1];
        }
        kernels.directChannels(buf, pixOff, np, tapOff, taps, w, b, cpad, block, 0);
        np = valid;
        // Pixel-major block -> channel planes.
        kernels.blockToPlanes(block, np, cpad, cout, out, img * cout * plane + oy0 * outW, plane);
      }
    });
  }

  private static void copyPadded(ConvParams p, float[] x, int img, float[] buf, int hp, int wp) {
    int planeSize = hp * wp;
    java.util.Arrays.fill(buf, 0, p.cin() * planeSize, 0f);
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
