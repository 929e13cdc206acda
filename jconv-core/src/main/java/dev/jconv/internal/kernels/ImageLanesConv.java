package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct convolution with a group of images across the vector lanes (16 at 512 bits), for large
 * batches of small maps such as LeNet's layers (256 images; 1 -> 6 channels on 28x28, 6 -> 16 on
 * 14x14). Neither the channels nor the pixels of such a layer fill vectors well (16 output
 * channels fill one, so each FMA needs its own broadcast load; 10-pixel rows leave lanes empty),
 * but the batch does: transposed to image-minor order {@code [c][y][x][image]}, a weight is
 * broadcast once for a whole block of pixels, and each input vector (one pixel of every image of
 * the group) serves a block of output channels. The register block
 * ({@link KernelProvider#imageLanesRow}) is 4 channels x 5 pixels at 512 bits; along a 5-tap
 * kernel row its 9 input vectors are loaded once for all 25 (pixel, tap) pairs, so 100 FMAs take
 * 9 vector and 20 broadcast loads (the channels-in-lanes kernel needs a load per FMA); 3-tap rows
 * slide the same way (3x3 layers: 1.1x faster than per tap). On LeNet's
 * second layer the kernel runs at about the FMA units' peak and the two transposes add a fifth.
 *
 * <p>Each group is transposed into a zero-bordered image-minor copy, convolved row by row into an
 * image-minor block, and transposed back into {@code (n, cout, outH, outW)}; threads claim groups
 * one at a time. The last group of a batch may be partial: its empty lanes compute values that are
 * never written out. Any stride, padding and dilation; groups 1. Raw kernel: arguments trusted
 * ({@code assert} only).
 *
 * <p>Tried and dropped: a software pipeline that transposed the next group in and the previous
 * one out in slices between the rows of the current one (to spread the cache misses) ran no
 * faster, and gathers/scatters instead of register transposes took 2.5x as long.
 */
final class ImageLanesConv {

  /** Per thread: the group's input copy, its output block, and the padded layout of the copy. */
  private static final class Scratch {
    float[] in = new float[0];
    float[] out = new float[0];
    /** The unpadded transpose of a padded layer's group, before its rows move into {@link #in}. */
    float[] flat = new float[0];
    /** The (cin, hp, wp, top, left, bottom, right, lanes) whose zero borders {@link #in} holds, or null. */
    long[] bordered;
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private ImageLanesConv() {}

  /** The widest group (512-bit vectors): the bound on the per-thread copies' sizes below. */
  private static final int MAX_LANES = 16;

  static boolean supports(ConvParams p) {
    // A group's zero-bordered copy and its output block must each fit in one array.
    long in = (long) p.cin() * (p.h() + p.padTop() + p.padBottom())
        * (p.w() + p.padLeft() + p.padRight()) * MAX_LANES;
    long out = (long) p.cout() * p.outH() * p.outW() * MAX_LANES;
    return p.groups() == 1 && Math.max(in, out) <= Integer.MAX_VALUE - 8;
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
    int lanes = kernels.imageLanes();
    assert lanes <= MAX_LANES;
    int h = p.h();
    int w = p.w();
    int hp = h + p.padTop() + p.padBottom();
    int wp = w + p.padLeft() + p.padRight();
    boolean padded = hp != h || wp != w;
    int inImage = cin * h * w;
    int outImage = cout * outH * outW;
    int inFloats = cin * hp * wp * lanes;
    int outFloats = outImage * lanes;
    int taps = cin * p.kh() * p.kw();
    int[] tapOff = new int[taps];
    for (int ci = 0, t = 0; ci < cin; ci++) {
      for (int ky = 0; ky < p.kh(); ky++) {
        for (int kx = 0; kx < p.kw(); kx++) {
          tapOff[t++] = ((ci * hp + ky * p.dilationH()) * wp + kx * p.dilationW()) * lanes;
        }
      }
    }
    // A kernel row's taps read neighbouring pixels unless the width is dilated.
    int runs = p.dilationW() == 1 ? p.kw() : 1;
    float[] b = bias != null ? bias : new float[cout];
    // Everything the zero borders depend on: with (hp, top) alone, an input one row shorter with one
    // more row of bottom padding would find the last call's data where its border should be zero.
    long[] layout = {cin, hp, wp, p.padTop(), p.padLeft(), p.padBottom(), p.padRight(), lanes};
    int groups = (n + lanes - 1) / lanes;
    // Groups are claimed one at a time rather than split evenly in advance: on a busy machine a
    // thread that starts late (or is descheduled) then takes fewer groups instead of holding up
    // the whole call.
    AtomicInteger next = new AtomicInteger();
    Parallel.forRange(Math.min(groups, Parallel.getNumThreads()), 1, (unused0, unused1) -> {
      Scratch s = SCRATCH.get();
      if (s.in.length < inFloats) {
        s.in = new float[inFloats];
        s.bordered = null;
      }
      if (s.out.length < outFloats) {
        s.out = new float[outFloats];
      }
      if (padded && s.flat.length < inImage * lanes) {
        s.flat = new float[inImage * lanes];
      }
      float[] in = s.in;
      float[] block = s.out;
      if (padded && !java.util.Arrays.equals(s.bordered, layout)) {
        // The borders stay zero from group to group (only the interior is written), so the copy
        // is zeroed once per thread and layout.
        java.util.Arrays.fill(in, 0, inFloats, 0f);
        s.bordered = layout;
      } else if (!padded) {
        s.bordered = null;
      }
      for (int g; (g = next.getAndIncrement()) < groups; ) {
        int img0 = g * lanes;
        int count = Math.min(lanes, n - img0);
        int xOff = img0 * inImage;
        if (!padded) {
          kernels.toImageLanes(x, xOff, inImage, count, inImage, in, 0);
        } else {
          // Whole images through the transpose's tiles (a row at a time, LeNet's 28-wide rows
          // were half tail), then each row of L-float pixels into the bordered copy.
          float[] flat = s.flat;
          kernels.toImageLanes(x, xOff, inImage, count, inImage, flat, 0);
          for (int ci = 0; ci < cin; ci++) {
            for (int y = 0; y < h; y++) {
              System.arraycopy(flat, (ci * h + y) * w * lanes, in,
                  ((ci * hp + y + p.padTop()) * wp + p.padLeft()) * lanes, w * lanes);
            }
          }
        }
        for (int oy = 0; oy < outH; oy++) {
          kernels.imageLanesRow(in, oy * p.strideH() * wp * lanes, p.strideW() * lanes, outW, tapOff,
              taps, runs, weight, b, cout, block, oy * outW * lanes, outH * outW * lanes);
        }
        kernels.fromImageLanes(block, outImage, count, out, img0 * outImage, outImage);
      }
    });
  }
}
