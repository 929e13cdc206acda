package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelProvider#stride2InputGrad} of every vector width against float64 sums written from the
 * definition of a 3x3, stride-2, padding-1 convolution's input gradient: channel counts that leave
 * each remainder of the 4-channel blocks, rows of the phase that are shorter and longer than a block
 * of positions and do not divide it, whole or in parts, scratch and gX full of NaN beforehand (every
 * element of gX's planes is stored, nothing outside them is touched, the scratch's zero border is
 * written).
 */
class Stride2InputGradTest {

  /** {cin, cout, outH, outW}: the input is 2*outH x 2*outW. */
  private static final int[][] CASES = {
      {4, 1, 4, 8},
      {4, 5, 3, 11},
      {5, 17, 7, 3},
      {7, 2, 16, 1},
      {8, 33, 5, 5},
      {16, 16, 6, 7},
      {128, 24, 4, 9},
      {6, 3, 1, 40},
      {9, 4, 33, 2},
  };

  @Test
  void stride2InputGrad_everyVectorWidth_matchesTheDefinition() {
    Random rnd = new Random(5);
    int checked = 0;
    for (KernelProvider provider : KernelProviders.allNative()) {
      if (provider.vectorBits() == 0) {
        assertFalse(provider.hasStride2InputGrad(8, 8, 8, 4, 4), "the plain provider has no such kernel");
        continue;
      }
      for (int[] c : CASES) {
        int cin = c[0];
        int outH = c[2];
        int outW = c[3];
        boolean runs = provider.hasStride2InputGrad(cin, 2 * outH, 2 * outW, outH, outW);
        // at least a block of 2 vectors of positions
        assertEquals(outH * outW >= 2 * provider.vectorBits() / 32, runs, provider.vectorBits() + " " + cin);
        if (runs) {
          check(provider, c, rnd);
          checked++;
        }
      }
      assertFalse(provider.hasStride2InputGrad(3, 8, 8, 4, 4), "fewer than 4 channels");
      assertFalse(provider.hasStride2InputGrad(8, 9, 8, 5, 4), "an odd input");
    }
    assertTrue(checked >= 2 * CASES.length, "checked " + checked);
  }

  private static void check(KernelProvider provider, int[] c, Random rnd) {
    int cin = c[0];
    int cout = c[1];
    int outH = c[2];
    int outW = c[3];
    int h = 2 * outH;
    int w = 2 * outW;
    int parts = 1 + rnd.nextInt(4);
    String what = provider.vectorBits() + " bits " + java.util.Arrays.toString(c) + " in " + parts + " parts";
    // the weights of the second of two groups, the gradient of the second image
    int wOff = cout * cin * 9;
    float[] weight = new float[2 * cout * cin * 9];
    for (int i = 0; i < weight.length; i++) {
      weight[i] = (float) rnd.nextGaussian();
    }
    int oOff = 3 + cout * outH * outW;
    float[] gOut = new float[oOff + cout * outH * outW + 2];
    for (int i = 0; i < gOut.length; i++) {
      gOut[i] = (float) rnd.nextGaussian();
    }
    int xOff = 5 + cin * h * w;
    float[] gX = new float[xOff + cin * h * w + 7];
    java.util.Arrays.fill(gX, Float.NaN);
    float[] scratch = new float[provider.stride2Scratch(cout, outH, outW)];
    java.util.Arrays.fill(scratch, Float.NaN);
    float[] packed = new float[provider.stride2WeightsLength(cout, cin)];
    java.util.Arrays.fill(packed, Float.NaN);
    for (int part = 0; part < parts; part++) {
      provider.packStride2Weights(weight, wOff, cout, cin, part, parts, packed);
    }
    // whole, or in parts (each with its own scratch, in reverse order)
    for (int part = parts - 1; part >= 0; part--) {
      java.util.Arrays.fill(scratch, Float.NaN);
      provider.stride2InputGrad(packed, gOut, oOff, cout, cin, outH, outW, part, parts, scratch, gX, xOff);
    }
    for (int i = 0; i < gX.length; i++) {
      int e = i - xOff;
      if (e < 0 || e >= cin * h * w) {
        assertTrue(Float.isNaN(gX[i]), what + " wrote outside the planes at " + i);
        continue;
      }
      int ci = e / (h * w);
      int y = e / w % h;
      int x = e % w;
      double sum = 0;
      double mag = 0;
      for (int co = 0; co < cout; co++) {
        for (int u = 0; u < 3; u++) {
          for (int v = 0; v < 3; v++) {
            // output (oy, ox) reads input (2*oy + u - 1, 2*ox + v - 1)
            int ty = y + 1 - u;
            int tx = x + 1 - v;
            if (ty < 0 || tx < 0 || ty % 2 != 0 || tx % 2 != 0 || ty / 2 >= outH || tx / 2 >= outW) {
              continue;
            }
            double term = (double) weight[wOff + (co * cin + ci) * 9 + u * 3 + v]
                * gOut[oOff + (co * outH + ty / 2) * outW + tx / 2];
            sum += term;
            mag += Math.abs(term);
          }
        }
      }
      assertEquals(sum, gX[i], 1e-5 * mag + 1e-6, what + " ci " + ci + " y " + y + " x " + x);
    }
  }
}
