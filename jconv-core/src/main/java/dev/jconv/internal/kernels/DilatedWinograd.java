package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProviders;

/**
 * A dilated 3x3 stride-1 convolution as undilated ones: the outputs whose row is {@code a} modulo
 * the dilation {@code dh} (and column {@code c} modulo {@code dw}) read only input rows of one
 * residue modulo {@code dh} (and columns of one residue modulo {@code dw}), so each of the
 * {@code dh * dw} output phases is an ordinary 3x3 convolution of a subsampled input, run by
 * {@link WinogradConv} with the filters transformed once. Phases of one shape are stacked as more
 * images of one problem (the suite's 56x56 layer with dilation 2: 4 images of 28x28 per image), so
 * that the copies read and write each full plane once, a few images at a time per thread. Costs two
 * copies (the subsampled input, the interleaved output; with dilation 2 across, Vector API
 * deinterleaving and interleaving, {@link PhaseBackward.StrideTwo}) on top of Winograd. (Having
 * Winograd's band copy subsample and its tile scatter interleave, with no copies of their own, ran
 * 0.8x this: the strided gather inside the band copy runs once per band, 1.5 times per input row.)
 */
final class DilatedWinograd {

  /**
   * The subsampled input and the phase's output are kept per calling thread up to this many
   * floats each (16 MB), so that a call does not zero fresh arrays for every phase: a new array is
   * zeroed by one thread, which cost ~1 ms of the 6.7 ms of a 64-channel 56x56 layer on 2 threads.
   */
  static final int MAX_KEPT_FLOATS = 1 << 22;

  private static final ThreadScratch KEPT = new ThreadScratch(2, DilatedWinograd.MAX_KEPT_FLOATS);

  private DilatedWinograd() {}

  /** A scratch array of at least {@code length} floats, contents undefined. */
  private static float[] scratch(int slot, int length) {
    return KEPT.get(slot, length);
  }

  static boolean supports(ConvParams p) {
    return p.kh() == 3 && p.kw() == 3 && p.strideH() == 1 && p.strideW() == 1 && p.groups() == 1
        && (p.dilationH() > 1 || p.dilationW() > 1);
  }

  static void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
    forward(p, x, weight, bias, out, true);
  }

  /**
   * {@link #forward}; {@code reused} as in {@code WinogradConv.forward}: false keeps the filters out
   * of the cache. Stacks whose channels fill whole vectors run {@link WinogradForwardLanes} (reused weights).
   */
  static void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out, boolean reused) {
    ConvBackward.WeightKernel vec = ConvBackward.useVector ? ConvBackward.VECTOR : null;
    Filters old = new Filters(() -> WinogradConv.filters(KernelProviders.get(), weight, p.cout(), p.cin(), reused));
    forward(p, x, (images, sh, sw, rowsOut, colsOut, sub, b, y) -> {
      ConvParams q = new ConvParams(images, p.cin(), sh, sw, p.cout(), 1, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, rowsOut,
          colsOut);
      // One-off weights keep the old route: the lanes filters would be made again for every stack.
      if (reused && WinogradForwardLanes.applies(q, vec)) {
        WinogradForwardLanes.forward(q, sub, weight, b, y, true, vec);
      } else {
        WinogradConv.forward(old.get(), images, sh, sw, 0, 0, rowsOut, colsOut, sub, b, y);
      }
    }, bias, out);
  }

  /** One stacked, undilated, unpadded convolution: {@code images} of {@code sh x sw} into {@code y}. */
  private interface StackConv {
    void run(int images, int sh, int sw, int rowsOut, int colsOut, float[] sub, float[] bias, float[] y);
  }

  /** The old route's filters, made on first use (by whichever thread asks first). */
  private static final class Filters {
    private final java.util.function.Supplier<WinogradConv.Filters> make;
    private WinogradConv.Filters made;

    Filters(java.util.function.Supplier<WinogradConv.Filters> make) {
      this.make = make;
    }

    synchronized WinogradConv.Filters get() {
      if (made == null) {
        made = make.get();
      }
      return made;
    }
  }

  /**
   * The forward of an input gradient, as {@code WinogradConv.forwardFlipped}: {@code weight} is
   * {@code (cin, cout, 3, 3)} and filter {@code (co, ci)} is {@code weight[ci][co]} rotated by 180
   * degrees, read in place (one-off filters); no bias.
   */
  static void forwardFlipped(ConvParams p, float[] x, float[] weight, float[] out) {
    Filters flipped = new Filters(() -> WinogradConv.flippedFilters(KernelProviders.get(), weight, p.cout(), p.cin()));
    forward(p, x, (images, sh, sw, rowsOut, colsOut, sub, b, y) -> WinogradConv.forward(flipped.get(), images, sh, sw,
        0, 0, rowsOut, colsOut, sub, b, y), null, out);
  }

  /** The forward, each stack of phases convolved by {@code conv} (which makes its filters only when there is work). */
  private static void forward(ConvParams p, float[] x, StackConv conv, float[] bias, float[] out) {
    assert supports(p);
    int n = p.n();
    int cin = p.cin();
    int cout = p.cout();
    int dh = p.dilationH();
    int dw = p.dilationW();
    if (n == 0 || cout == 0 || p.outH() == 0 || p.outW() == 0) {
      return;
    }
    // Phases of one shape (all of them when the dilation divides the output) form one problem.
    java.util.Map<Long, java.util.List<int[]>> shapes = new java.util.LinkedHashMap<>();
    for (int a = 0; a < Math.min(dh, p.outH()); a++) {
      for (int c = 0; c < Math.min(dw, p.outW()); c++) {
        long key = (long) Math.ceilDiv(p.outH() - a, dh) << 32 | Math.ceilDiv(p.outW() - c, dw);
        shapes.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(new int[] {a, c});
      }
    }
    int threads = Parallel.getNumThreads();
    for (java.util.List<int[]> members : shapes.values()) {
      int[] first = members.get(0);
      long rows = Math.ceilDiv(p.outH() - first[0], dh);
      long cols = Math.ceilDiv(p.outW() - first[1], dw);
      long perImage = members.size() * Math.max(cin * (rows + 2) * (cols + 2), cout * rows * cols);
      if (n >= threads && (n % threads == 0 || n >= 4 * threads) && perImage <= Integer.MAX_VALUE) {
        // Each thread its own images, a few at a time, with no barrier inside: the stacked copies
        // stay in the cache between the copy, Winograd and the copy back (all images stacked at
        // once, 7 MB on the suite's layer, ran 5% slower at 1 thread), and no thread waits at a
        // barrier after each copy and Winograd step of each phase (suite's layer at 2 threads:
        // 4.7 ms against 5.0 with those 12 regions on a quiet machine, 7-10 when loaded).
        int chunk = (int) Math.max(1, Math.min(n, CHUNK_FLOATS / perImage));
        Parallel.forRange(n, 1, (i0, i1) -> {
          for (int i = i0; i < i1; i += chunk) {
            stack(p, x, conv, bias, out, members, i, Math.min(i1, i + chunk));
          }
        });
      } else if (n * perImage <= Integer.MAX_VALUE) {
        stack(p, x, conv, bias, out, members, 0, n);
      } else {
        // The stacked copies would not fit an array (each phase rounds up): phase by phase.
        for (int[] m : members) {
          stack(p, x, conv, bias, out, java.util.List.of(m), 0, n);
        }
      }
    }
  }

  /** Images per stacked problem in a thread's slice: up to this many floats of copies (1 MB). */
  static final int CHUNK_FLOATS = 1 << 18;

  /**
   * Output phases of one shape (rows a, a+dh, ... and columns c, c+dw, ... for each member (a, c)),
   * of images [n0, n1), stacked as {@code (n1 - n0) * members} images (image-major) of one
   * undilated convolution. Inside a parallel region, its steps run on the calling thread.
   */
  private static void stack(ConvParams p, float[] x, StackConv conv, float[] bias, float[] out,
      java.util.List<int[]> members, int n0, int n1) {
    int dh = p.dilationH();
    int dw = p.dilationW();
    int ms = members.size();
    int rowsOut = Math.ceilDiv(p.outH() - members.get(0)[0], dh);
    int colsOut = Math.ceilDiv(p.outW() - members.get(0)[1], dw);
    int sh = rowsOut + 2;
    int sw = colsOut + 2;
    int cin = p.cin();
    int cout = p.cout();
    int h = p.h();
    int w = p.w();
    int subPlane = sh * sw;
    int images = n1 - n0;
    float[] sub = scratch(0, images * ms * cin * subPlane);
    PhaseBackward.StrideTwo two = ConvBackward.useVector ? PhaseBackward.STRIDE_TWO : null;
    // Plane by plane, every member's subsampled copy at once: each input plane is read from memory
    // once (phase by phase, a stride-2 subsample read every cache line of the input twice).
    Parallel.forRange(images * cin, 1, (start, end) -> {
      for (int q = start; q < end; q++) {
        int img = q / cin;
        int ci = q % cin;
        int src = (n0 * cin + q) * h * w;
        for (int m = 0; m < ms; m++) {
          // Output (a + dh*i) reads input rows a - padTop + dh*(i + ky): subsampled row i + ky of
          // the rows starting at a - padTop (zeros where they leave the input).
          int row0 = members.get(m)[0] - p.padTop();
          int col0 = members.get(m)[1] - p.padLeft();
          int dst = ((img * ms + m) * cin + ci) * subPlane;
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
            if (dw == 2 && two != null) {
              two.gather(x, s0 + jLo * dw, sub, d + jLo, jHi - jLo);
            } else {
              for (int j = jLo; j < jHi; j++) {
                sub[d + j] = x[s0 + j * dw];
              }
            }
            java.util.Arrays.fill(sub, d + jHi, d + sw, 0f);
          }
        }
      }
    });
    // Winograd writes every element of y.
    int yPlane = rowsOut * colsOut;
    float[] y = scratch(1, images * ms * cout * yPlane);
    conv.run(images * ms, sh, sw, rowsOut, colsOut, sub, bias, y);
    int outH = p.outH();
    int outW = p.outW();
    Parallel.forRange(images * cout, 1, (start, end) -> {
      for (int q = start; q < end; q++) {
        int img = q / cout;
        int co = q % cout;
        int dst = (n0 * cout + q) * outH * outW;
        for (int m = 0; m < ms; m++) {
          int a = members.get(m)[0];
          int c = members.get(m)[1];
          int src = ((img * ms + m) * cout + co) * yPlane;
          if (two != null && dw == 2 && m + 1 < ms && members.get(m + 1)[0] == a && members.get(m + 1)[1] == c + 1) {
            // Output columns c and c + 1 of the same rows (neighbours in the stack, one shape): one
            // interleaving pass. The next member's plane for this channel is cout planes on.
            int src2 = src + cout * yPlane;
            for (int i = 0; i < rowsOut; i++) {
              two.interleave(y, src + i * colsOut, y, src2 + i * colsOut, out, dst + (a + i * dh) * outW + c, colsOut);
            }
            m++;
            continue;
          }
          for (int i = 0; i < rowsOut; i++) {
            int o = dst + (a + i * dh) * outW + c;
            int s = src + i * colsOut;
            for (int j = 0; j < colsOut; j++) {
              out[o + j * dw] = y[s + j];
            }
          }
        }
      }
    });
  }
}
