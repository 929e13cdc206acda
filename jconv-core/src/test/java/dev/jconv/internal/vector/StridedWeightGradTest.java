package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelProvider#packGradOut}, {@link KernelProvider#stridedWeightGrad} and
 * {@link KernelProvider#addTransposed} of every provider
 * against float64 sums written from the definition of a convolution's weight gradient: channel counts
 * that leave every remainder of the 6- and 4-row blocks, output channels that leave a part panel,
 * strides, kernels and paddings where some taps read only padding; the gradient's old values are
 * added to, and nothing outside it (nor a padding channel) changes.
 */
class StridedWeightGradTest {

  private static final float GUARD = 12345.5f;

  /** {cin, h, w, cout, kh, kw, sy, sx, padT, padL}; the output size follows (padding on both sides). */
  private static final int[][] CASES = {
      {16, 9, 9, 16, 3, 3, 2, 2, 1, 1},
      {128, 12, 12, 40, 3, 3, 2, 2, 1, 1},
      {14, 8, 7, 33, 3, 3, 2, 2, 1, 1},
      {1, 5, 6, 1, 3, 3, 2, 2, 1, 1},
      {2, 6, 5, 3, 1, 1, 2, 2, 0, 0},
      {3, 7, 7, 17, 5, 5, 2, 2, 2, 2},
      {4, 9, 8, 8, 3, 2, 3, 2, 0, 1},
      {5, 10, 11, 31, 4, 4, 2, 3, 3, 3},
      {7, 6, 6, 5, 3, 3, 1, 1, 1, 1},
      {8, 4, 4, 64, 2, 2, 1, 2, 0, 0},
      {9, 11, 5, 2, 7, 3, 2, 1, 3, 1},
      {11, 3, 3, 9, 5, 5, 2, 2, 4, 4},
      {20, 13, 13, 12, 3, 3, 4, 4, 1, 1},
      // the rest past the blocks of 6 and 4 as part of a block over the last channels
      {11, 10, 10, 20, 3, 3, 2, 2, 1, 1},
      {13, 9, 8, 7, 3, 3, 2, 2, 1, 1},
      {17, 8, 8, 33, 2, 2, 2, 2, 0, 0},
      {19, 7, 9, 16, 3, 3, 2, 2, 1, 1},
  };

  @Test
  void stridedWeightGrad_everyProvider_matchesTheDefinition() {
    Random rnd = new Random(11);
    int checked = 0;
    for (KernelProvider provider : KernelProviders.allNative()) {
      for (int[] c : CASES) {
        check(provider, c, rnd);
        checked++;
      }
    }
    assertEquals(KernelProviders.allNative().size() * CASES.length, checked);
    assertTrue(KernelProviders.allNative().size() >= 2, "plain and at least one vector width");
  }

  @Test
  void addTransposed_everyProvider_addsTheTransposeAndNothingElse() {
    Random rnd = new Random(12);
    int checked = 0;
    // rows below, at and past a vector and the 16-vector blocks, with a part vector left over
    int[][] shapes = {{1, 1}, {7, 3}, {16, 5}, {37, 40}, {300, 9}, {1152, 128}, {513, 17}};
    for (KernelProvider provider : KernelProviders.allNative()) {
      for (int[] rc : shapes) {
        int rows = rc[0];
        int cols = rc[1];
        int lds = cols + 3;
        int ldd = rows + 5;
        int srcOff = 2;
        int dstOff = 4;
        float[] src = new float[srcOff + rows * lds + 1];
        for (int i = 0; i < src.length; i++) {
          src[i] = (float) rnd.nextGaussian();
        }
        float[] dst = new float[dstOff + cols * ldd + 3];
        for (int i = 0; i < dst.length; i++) {
          dst[i] = (float) rnd.nextGaussian();
        }
        float[] before = dst.clone();
        provider.addTransposed(src, srcOff, lds, rows, cols, dst, dstOff, ldd);
        for (int i = 0; i < dst.length; i++) {
          int e = i - dstOff;
          int c = e >= 0 ? e / ldd : -1;
          int r = e >= 0 ? e % ldd : -1;
          float want = c >= 0 && c < cols && r < rows ? before[i] + src[srcOff + r * lds + c] : before[i];
          assertEquals(want, dst[i], provider.name() + provider.vectorBits() + " " + rows + "x" + cols + " at " + i);
        }
        checked++;
      }
    }
    assertEquals(KernelProviders.allNative().size() * shapes.length, checked);
  }

  private static void check(KernelProvider provider, int[] c, Random rnd) {
    int cin = c[0];
    int h = c[1];
    int w = c[2];
    int cout = c[3];
    int kh = c[4];
    int kw = c[5];
    int sy = c[6];
    int sx = c[7];
    int padT = c[8];
    int padL = c[9];
    int outH = (h + 2 * padT - kh) / sy + 1;
    int outW = (w + 2 * padL - kw) / sx + 1;
    int hw = outH * outW;
    String what = provider.name() + provider.vectorBits() + " " + java.util.Arrays.toString(c);
    int xOff = 3;
    int gOff = 5;
    int gwOff = 7;
    float[] x = new float[xOff + cin * h * w + 4];
    float[] g = new float[gOff + cout * hw + 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) rnd.nextGaussian();
    }
    int panel = provider.gradOutPanel();
    int coutPad = Math.ceilDiv(cout, panel) * panel;
    // packing: every element, the padding zero
    float[] bp = new float[coutPad * hw];
    java.util.Arrays.fill(bp, Float.NaN);
    provider.packGradOut(g, gOff, cout, hw, bp);
    for (int co = 0; co < coutPad; co++) {
      for (int p = 0; p < hw; p++) {
        float want = co < cout ? g[gOff + co * hw + p] : 0f;
        assertEquals(want, bp[((co / panel) * hw + p) * panel + co % panel], what + " packed " + co + "," + p);
      }
    }
    int khw = kh * kw;
    float[] gwT = new float[gwOff + cin * khw * coutPad + 9];
    java.util.Arrays.fill(gwT, GUARD);
    float[] before = new float[gwT.length];
    for (int r = 0; r < cin * khw * coutPad; r++) {
      if (r % coutPad < cout) {
        gwT[gwOff + r] = (float) rnd.nextGaussian();
      }
    }
    System.arraycopy(gwT, 0, before, 0, gwT.length);
    provider.stridedWeightGrad(x, xOff, cin, h, w, kh, kw, sy, sx, padT, padL, bp, outH, outW, coutPad, gwT, gwOff);
    for (int i = 0; i < gwT.length; i++) {
      int r = i - gwOff;
      if (r < 0 || r >= cin * khw * coutPad || r % coutPad >= cout) {
        // outside the gradient, and the padding channels: untouched or zero added
        assertEquals(GUARD, gwT[i], what + " index " + i);
        continue;
      }
      int co = r % coutPad;
      int tap = r / coutPad % khw;
      int ci = r / coutPad / khw;
      int u = tap / kw;
      int v = tap % kw;
      double sum = 0;
      double mag = 0;
      for (int oy = 0; oy < outH; oy++) {
        for (int ox = 0; ox < outW; ox++) {
          int iy = oy * sy + u - padT;
          int ix = ox * sx + v - padL;
          if (iy < 0 || ix < 0 || iy >= h || ix >= w) {
            continue;
          }
          double term = (double) x[xOff + (ci * h + iy) * w + ix] * g[gOff + co * hw + oy * outW + ox];
          sum += term;
          mag += Math.abs(term);
        }
      }
      assertEquals(before[i] + sum, gwT[i], 1e-5 * (Math.abs(before[i]) + mag) + 1e-6,
          what + " ci " + ci + " tap " + tap + " co " + co);
    }
  }
}
