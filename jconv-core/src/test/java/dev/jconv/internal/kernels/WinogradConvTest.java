package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Winograd F(4x4, 3x3) with every native provider against a direct convolution in double. */
class WinogradConvTest {

  /**
   * Error allowed per output, relative to sum |x * w| over its window. Direct float summation stays
   * below ~1e-6 here; F(4x4, 3x3)'s transforms scale values by up to 8 and 1/24, which costs about
   * one more decimal digit (the worst seen on these cases is 2.5e-6), so 2e-5 leaves a margin.
   */
  private static final double REL_TOL = 2e-5;

  record Case(int n, int cin, int h, int w, int cout, int padTop, int padLeft, int padBottom,
      int padRight, boolean bias) {
    int outH() {
      return h + padTop + padBottom - 2;
    }

    int outW() {
      return w + padLeft + padRight - 2;
    }

    @Override
    public String toString() {
      return "N" + n + " C" + cin + " " + h + "x" + w + " ->" + cout + " pad(t" + padTop + " l"
          + padLeft + " b" + padBottom + " r" + padRight + ")" + (bias ? " bias" : "");
    }
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    int[] sizes = {1, 7, 13};
    for (int cin : sizes) {
      for (int cout : sizes) {
        // Images smaller than a tile, an output not divisible by 4, and larger than the 6x6 patch.
        cases.add(new Case(1, cin, 3, 3, cout, 0, 0, 0, 0, cout != 7));
        cases.add(new Case(2, cin, 7, 13, cout, 1, 1, 1, 1, cin == 7));
        cases.add(new Case(1, cin, 13, 7, cout, 0, 2, 1, 0, true));
      }
    }
    // 1-pixel images need padding for any output; padding wider than the kernel; odd tall images.
    cases.add(new Case(3, 2, 1, 1, 5, 1, 1, 1, 1, true));
    cases.add(new Case(1, 3, 2, 5, 4, 3, 4, 3, 2, false));
    cases.add(new Case(2, 5, 30, 9, 6, 1, 0, 1, 0, true));
    // Many tiles and channels: several blocks, channel counts past one vector.
    cases.add(new Case(2, 64, 21, 22, 40, 1, 1, 1, 1, true));
    cases.add(new Case(1, 207, 9, 9, 33, 1, 1, 1, 1, false));
    return cases;
  }

  /** Direct convolution in double: the expected values and the error scale of every output. */
  static double[][] direct(Case c, float[] x, float[] wt, float[] bias) {
    int oh = c.outH();
    int ow = c.outW();
    double[] y = new double[c.n * c.cout * oh * ow];
    double[] scale = new double[y.length];
    for (int b = 0; b < c.n; b++) {
      for (int co = 0; co < c.cout; co++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double sum = bias == null ? 0 : bias[co];
            double abs = Math.abs(sum);
            for (int ci = 0; ci < c.cin; ci++) {
              for (int ky = 0; ky < 3; ky++) {
                int iy = oy - c.padTop + ky;
                if (iy < 0 || iy >= c.h) {
                  continue;
                }
                for (int kx = 0; kx < 3; kx++) {
                  int ix = ox - c.padLeft + kx;
                  if (ix < 0 || ix >= c.w) {
                    continue;
                  }
                  double p = (double) x[((b * c.cin + ci) * c.h + iy) * c.w + ix]
                      * wt[((co * c.cin + ci) * 3 + ky) * 3 + kx];
                  sum += p;
                  abs += Math.abs(p);
                }
              }
            }
            int o = ((b * c.cout + co) * oh + oy) * ow + ox;
            y[o] = sum;
            scale[o] = abs;
          }
        }
      }
    }
    return new double[][] {y, scale};
  }

  private static float[] random(SplittableRandom rnd, int len) {
    float[] a = new float[len];
    for (int i = 0; i < len; i++) {
      a[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return a;
  }

  /** Runs one case with one provider; returns the largest error relative to the scale. */
  static double check(Case c, KernelProvider p, float[] x, float[] wt, float[] bias, double[][] ref) {
    float[] out = new float[c.n * c.cout * c.outH() * c.outW()];
    Arrays.fill(out, Float.NaN);
    float[] x0 = x.clone();
    float[] w0 = wt.clone();
    WinogradConv.forward(p, c.n, c.cin, c.h, c.w, c.cout, c.padTop, c.padLeft, c.outH(), c.outW(),
        x, wt, bias, out);
    assertTrue(Arrays.equals(x0, x) && Arrays.equals(w0, wt), "modified an input");
    return assertClose(c, p.toString(), out, ref);
  }

  /** Fails unless {@code out} is within the Winograd tolerance of {@code ref}; returns the largest relative error. */
  static double assertClose(Case c, String who, float[] out, double[][] ref) {
    // The transforms mix the 16 outputs of a 4x4 tile, so rounding errors spread within a tile:
    // an output whose window is all padding comes out as ~1e-9, not 0. Scale by the tile's largest.
    int oh = c.outH();
    int ow = c.outW();
    double worst = 0;
    for (int i = 0; i < out.length; i++) {
      int plane = i / (oh * ow);
      int oy = i / ow % oh;
      int ox = i % ow;
      double scale = 0;
      for (int y = oy / 4 * 4; y < Math.min(oh, oy / 4 * 4 + 4); y++) {
        for (int xx = ox / 4 * 4; xx < Math.min(ow, ox / 4 * 4 + 4); xx++) {
          scale = Math.max(scale, ref[1][(plane * oh + y) * ow + xx]);
        }
      }
      double err = Math.abs(out[i] - ref[0][i]);
      if (!(err <= REL_TOL * scale)) {
        fail(who + " " + c + ": out[" + i + "] = " + out[i] + ", expected " + ref[0][i] + " +- "
            + REL_TOL * scale);
      }
      worst = Math.max(worst, err / Math.max(scale, 1e-30));
    }
    return worst;
  }

  @Test
  void forward_everyNativeProvider_matchesDirectConvolution() {
    List<KernelProvider> providers = KernelProviders.allNative();
    List<Case> cases = cases();
    SplittableRandom rnd = new SplittableRandom(11);
    int checked = 0;
    for (Case c : cases) {
      float[] x = random(rnd, c.n * c.cin * c.h * c.w);
      float[] wt = random(rnd, c.cout * c.cin * 9);
      float[] bias = c.bias ? random(rnd, c.cout) : null;
      double[][] ref = direct(c, x, wt, bias);
      for (KernelProvider p : providers) {
        check(c, p, x, wt, bias, ref);
        checked++;
      }
    }
    assertEquals(9 * 3 + 5, cases.size());
    assertEquals(cases.size() * providers.size(), checked);
  }

  @Test
  void forward_threeThreads_matchesDirectConvolution() {
    int before = Parallel.getNumThreads();
    Parallel.setNumThreads(3);
    try {
      Case c = new Case(3, 16, 17, 19, 24, 1, 1, 1, 1, true);
      SplittableRandom rnd = new SplittableRandom(12);
      float[] x = random(rnd, c.n * c.cin * c.h * c.w);
      float[] wt = random(rnd, c.cout * c.cin * 9);
      float[] bias = random(rnd, c.cout);
      double[][] ref = direct(c, x, wt, bias);
      int checked = 0;
      for (KernelProvider p : KernelProviders.allNative()) {
        check(c, p, x, wt, bias, ref);
        checked++;
      }
      assertEquals(KernelProviders.allNative().size(), checked);
    } finally {
      Parallel.setNumThreads(before);
    }
  }

  @Test
  void forward_preparedFilters_matchesAndIgnoresLaterWeightChanges() {
    Case c = new Case(2, 9, 11, 10, 7, 1, 1, 1, 1, true);
    SplittableRandom rnd = new SplittableRandom(13);
    float[] x = random(rnd, c.n * c.cin * c.h * c.w);
    float[] wt = random(rnd, c.cout * c.cin * 9);
    float[] bias = random(rnd, c.cout);
    double[][] ref = direct(c, x, wt, bias);
    int checked = 0;
    for (KernelProvider p : KernelProviders.allNative()) {
      float[] scratchW = wt.clone();
      WinogradConv.Filters f = WinogradConv.prepare(p, scratchW, c.cout, c.cin);
      Arrays.fill(scratchW, 100f);
      for (int run = 0; run < 2; run++) {
        float[] out = new float[c.n * c.cout * c.outH() * c.outW()];
        WinogradConv.forward(f, c.n, c.h, c.w, c.padTop, c.padLeft, c.outH(), c.outW(), x, bias, out);
        for (int i = 0; i < out.length; i++) {
          assertEquals(ref[0][i], out[i], 1e-4 * (1 + Math.abs(ref[0][i])), p + " run " + run + " out[" + i + "]");
        }
        checked++;
      }
    }
    assertEquals(2 * KernelProviders.allNative().size(), checked);
  }

  @Test
  void forward_sameWeightArray_reusesFiltersUntilItChanges() {
    Case c = new Case(1, 5, 9, 9, 4, 1, 1, 1, 1, false);
    SplittableRandom rnd = new SplittableRandom(14);
    float[] x = random(rnd, c.n * c.cin * c.h * c.w);
    float[] wt = random(rnd, c.cout * c.cin * 9);
    KernelProvider p = KernelProviders.get();
    WinogradConv.Filters first = WinogradConv.FilterCache.get(p, wt, c.cout, c.cin);
    assertTrue(first == WinogradConv.FilterCache.get(p, wt, c.cout, c.cin), "same contents: cached");
    assertFalse(first == WinogradConv.FilterCache.get(p, wt.clone(), c.cout, c.cin),
        "another array with equal contents has its own entry");
    // Updated in place, as an optimizer does: the next call must see the new weights.
    for (int i = 0; i < wt.length; i++) {
      wt[i] = -wt[i] * 0.5f;
    }
    assertFalse(first == WinogradConv.FilterCache.get(p, wt, c.cout, c.cin));
    float[] out = new float[c.n * c.cout * c.outH() * c.outW()];
    WinogradConv.forward(p, c.n, c.cin, c.h, c.w, c.cout, 1, 1, c.outH(), c.outW(), x, wt, null, out);
    check(c, p, x, wt, null, direct(c, x, wt, null));
    wt[7] += 1f;
    check(c, p, x, wt, null, direct(c, x, wt, null));
  }

  @Test
  void forward_oneOffWeights_reuseTheThreadsPackedStorageAndStayCorrect() {
    Case c = new Case(2, 6, 8, 7, 5, 1, 1, 1, 1, false);
    SplittableRandom rnd = new SplittableRandom(15);
    float[] x = random(rnd, c.n * c.cin * c.h * c.w);
    KernelProvider p = KernelProviders.get();
    float[] first = random(rnd, c.cout * c.cin * 9);
    float[] second = random(rnd, c.cout * c.cin * 9);
    WinogradConv.Filters a = WinogradConv.filters(p, first, c.cout, c.cin, false);
    float[] aOut = new float[c.n * c.cout * c.outH() * c.outW()];
    WinogradConv.forward(a, c.n, c.h, c.w, 1, 1, c.outH(), c.outW(), x, null, aOut);
    WinogradConv.Filters b = WinogradConv.filters(p, second, c.cout, c.cin, false);
    assertTrue(a.u[0] == b.u[0], "same shape on the same thread: the packed storage is reused");
    float[] bOut = new float[aOut.length];
    WinogradConv.forward(b, c.n, c.h, c.w, 1, 1, c.outH(), c.outW(), x, null, bOut);
    double[][] aRef = direct(c, x, first, null);
    double[][] bRef = direct(c, x, second, null);
    for (int i = 0; i < aOut.length; i++) {
      assertEquals(aRef[0][i], aOut[i], 1e-4 * (1 + Math.abs(aRef[0][i])), "first out[" + i + "]");
      assertEquals(bRef[0][i], bOut[i], 1e-4 * (1 + Math.abs(bRef[0][i])), "second out[" + i + "]");
    }
  }

  /**
   * The {@code (cout, cin, 3, 3)} weight of the convolution {@link WinogradConv#forwardFlipped} runs,
   * from its {@code (cin, cout, 3, 3)} argument: filter (co, ci) is weight[ci][co] rotated by 180
   * degrees (the copy the input gradient made before it read the weight in place).
   */
  static float[] rotatedTransposed(float[] weight, int cout, int cin) {
    float[] f = new float[cout * cin * 9];
    for (int co = 0; co < cout; co++) {
      for (int ci = 0; ci < cin; ci++) {
        for (int ky = 0; ky < 3; ky++) {
          for (int kx = 0; kx < 3; kx++) {
            f[((co * cin + ci) * 3 + ky) * 3 + kx] = weight[((ci * cout + co) * 3 + 2 - ky) * 3 + 2 - kx];
          }
        }
      }
    }
    return f;
  }

  /** (cout, cin) pairs off the provider's MR (6) and lane counts (4, 8, 16), with 1s and one wide pair. */
  private static final int[][] CHANNELS = {{1, 1}, {1, 13}, {13, 1}, {5, 7}, {7, 6}, {6, 17}, {33, 40}, {12, 207}};

  @Test
  void forwardFlipped_everyNativeProvider_matchesDirectConvolutionOfTheRotatedTransposedWeight() {
    SplittableRandom rnd = new SplittableRandom(16);
    List<KernelProvider> providers = KernelProviders.allNative();
    int checked = 0;
    for (int[] ch : CHANNELS) {
      Case c = new Case(2, ch[1], 9, 6, ch[0], 1, 1, 1, 1, false);
      float[] x = random(rnd, c.n * c.cin * c.h * c.w);
      float[] wt = random(rnd, c.cout * c.cin * 9);
      float[] w0 = wt.clone();
      double[][] ref = direct(c, x, rotatedTransposed(wt, c.cout, c.cin), null);
      for (KernelProvider p : providers) {
        float[] out = new float[c.n * c.cout * c.outH() * c.outW()];
        Arrays.fill(out, Float.NaN);
        WinogradConv.forwardFlipped(p, c.n, c.cin, c.h, c.w, c.cout, c.padTop, c.padLeft, c.outH(),
            c.outW(), x, wt, out);
        assertTrue(Arrays.equals(w0, wt), "modified the weight");
        assertClose(c, p + " flipped", out, ref);
        checked++;
      }
    }
    assertEquals(CHANNELS.length * providers.size(), checked);
  }

  /**
   * The filters transformed straight into the packed layout equal, bit for bit, the old route:
   * transformed into plain row-major planes, then each plane packed by {@code packA}. Compared
   * through products with a random B (the packed layout is the provider's), for the filters of a
   * weight, of a weight read rotated and transposed, and on 3 threads (blocks from several threads).
   */
  @Test
  void packedFilters_everyNativeProvider_equalTransformThenPackA() {
    SplittableRandom rnd = new SplittableRandom(17);
    List<KernelProvider> providers = KernelProviders.allNative();
    int before = Parallel.getNumThreads();
    int checked = 0;
    try {
      for (int threads : new int[] {1, 3}) {
        Parallel.setNumThreads(threads);
        for (int[] ch : CHANNELS) {
          int cout = ch[0];
          int cin = ch[1];
          int n = 11;
          float[] wt = random(rnd, cout * cin * 9);
          float[] rotated = rotatedTransposed(wt, cout, cin);
          float[] b = random(rnd, cin * n);
          int stride = WinogradConv.planeStride(cout * cin);
          float[] u = new float[36 * stride];
          WinogradConv.transformFilters(rotated, cout, cin, false, 0, cout, 0, cin, u, 0, stride, cin, 1);
          for (KernelProvider p : providers) {
            float[][] expected = new float[36][];
            for (int e = 0; e < 36; e++) {
              expected[e] = product(p, p.packA(false, cout, cin, u, e * stride, cin), b, n);
            }
            // One-off filters live until the thread's next one-off call: use each before the next.
            WinogradConv.Filters flipped = WinogradConv.flippedFilters(p, wt, cout, cin);
            assertProducts(expected, p, flipped, b, n, "flipped " + cout + "x" + cin + " t" + threads);
            WinogradConv.Filters oneOff = WinogradConv.filters(p, rotated, cout, cin, false);
            assertProducts(expected, p, oneOff, b, n, "one-off " + cout + "x" + cin + " t" + threads);
            WinogradConv.Filters prepared = WinogradConv.prepare(p, rotated, cout, cin);
            assertProducts(expected, p, prepared, b, n, "prepared " + cout + "x" + cin + " t" + threads);
            checked++;
          }
        }
      }
    } finally {
      Parallel.setNumThreads(before);
    }
    assertEquals(2 * CHANNELS.length * providers.size(), checked);
  }

  private static float[] product(KernelProvider p, dev.jconv.internal.vector.PackedMatrix a, float[] b, int n) {
    float[] c = new float[a.rows() * n];
    p.sgemmPacked(a, false, n, b, 0, n, 0f, c, 0, n);
    return c;
  }

  private static void assertProducts(float[][] expected, KernelProvider p, WinogradConv.Filters f,
      float[] b, int n, String what) {
    for (int e = 0; e < 36; e++) {
      float[] got = product(p, f.u[e], b, n);
      if (!Arrays.equals(expected[e], got)) {
        fail(p + " " + what + ": plane " + e + " differs: " + Arrays.toString(got) + " vs "
            + Arrays.toString(expected[e]));
      }
    }
  }

  @Test
  void supports_only3x3Stride1Dilation1Groups1() {
    assertTrue(WinogradConv.supports(3, 3, 1, 1, 1, 1, 1));
    assertFalse(WinogradConv.supports(3, 3, 2, 1, 1, 1, 1));
    assertFalse(WinogradConv.supports(3, 3, 1, 1, 2, 2, 1));
    assertFalse(WinogradConv.supports(3, 3, 1, 1, 1, 1, 2));
    assertFalse(WinogradConv.supports(5, 5, 1, 1, 1, 1, 1));
    assertFalse(WinogradConv.supports(3, 1, 1, 1, 1, 1, 1));
  }

  @Test
  void transformFilters_deltaFilter_givesTheTransformOfTheDelta() {
    // A filter with a single 1 at the centre: G g G^T is the outer product of G's middle column
    // (0, -1/6, 1/6, 1/12, -1/12, 0) with itself.
    float[] g = new float[9];
    g[4] = 1f;
    int stride = WinogradConv.planeStride(1);
    float[] u = new float[36 * stride];
    WinogradConv.transformFilters(g, 1, 1, false, 0, 1, 0, 1, u, 0, stride, 1, 1);
    double[] col = {0, -1.0 / 6, 1.0 / 6, 1.0 / 12, -1.0 / 12, 0};
    for (int r = 0; r < 6; r++) {
      for (int c = 0; c < 6; c++) {
        assertEquals(col[r] * col[c], u[(r * 6 + c) * stride], 1e-7, "U[" + r + "][" + c + "]");
      }
    }
  }
}
