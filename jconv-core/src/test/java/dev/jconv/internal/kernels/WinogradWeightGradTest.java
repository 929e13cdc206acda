package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import org.junit.jupiter.api.Test;

/** The Winograd-domain weight gradient against the slow reference, on sizes that do not fill the tiles. */
class WinogradWeightGradTest {

  private static ConvParams params(int n, int cin, int h, int w, int cout, int pt, int pl, int pb, int pr) {
    return new ConvParams(n, cin, h, w, cout, 1, 3, 3, 1, 1, pt, pl, pb, pr, 1, 1, h + pt + pb - 2, w + pl + pr - 2);
  }

  /** The weight gradient alone (the input gradient of these problems is another form's, tested elsewhere). */
  private static void checkWeightGrad(ConvParams p, String what) {
    float[][] d = ConvBackwardTest.randomProblem(p);
    float[] x = d[0];
    float[] w = d[1];
    float[] g = d[2];
    double[] ref = ConvBackwardTest.reference(p, x, w, g)[1];
    // NaN first: the Winograd form writes every element of gW (the backward zeroes it only for the others).
    float[] gw = new float[w.length];
    java.util.Arrays.fill(gw, Float.NaN);
    ConvBackward.backward(p, x, w, g, null, gw, null);
    WinogradTolerance.assertClose(ref, gw, 1e-5, what + " grad weight");
  }

  @Test
  void weightGrad_matchesTheReference_onPartialTiles() {
    ConvParams[] cases = {
      params(1, 1, 3, 3, 1, 0, 0, 0, 0),      // one output pixel: one tile, 15 of its 16 outputs outside
      params(3, 5, 13, 7, 6, 1, 1, 1, 1),     // 13x7 output: partial tiles both ways
      params(2, 4, 9, 10, 3, 2, 0, 1, 2),     // asymmetric padding, padding wider than the kernel's reach
      params(2, 33, 14, 14, 40, 1, 1, 1, 1),  // res3x3_14's shape, small: the channel threshold is met
      params(4, 64, 20, 20, 64, 1, 1, 1, 1),  // many tiles summed per weight
      params(5, 32, 40, 40, 32, 1, 1, 1, 1),  // two chunks of images (4 + 1)
      params(1, 2, 1, 30, 2, 1, 1, 1, 1),     // one input row
      // channels in whole vectors of every width (4, 8, 16 lanes): the channel-interleaved transforms
      params(3, 32, 11, 9, 48, 1, 1, 1, 1),   // partial tiles, cin != cout
      params(2, 16, 7, 13, 16, 2, 0, 1, 2),   // asymmetric padding, padding wider than the kernel's reach
      params(1, 64, 3, 3, 32, 0, 0, 0, 0),    // one output pixel
    };
    assertTrue(ConvBackward.VECTOR != null, "the Vector API kernel should load (surefire adds jdk.incubator.vector)");
    int lanes = ConvBackward.VECTOR.lanes();
    int interleavedCases = 0;
    for (ConvParams p : cases) {
      interleavedCases += p.cin() % lanes == 0 && p.cout() % lanes == 0 ? 1 : 0;
    }
    assertTrue(interleavedCases >= 4, interleavedCases + " cases take the channel-interleaved transforms");
    int before = Parallel.getNumThreads();
    int checked = 0;
    WinogradWeightGrad.force = true;
    try {
      // Poisoned scratch: the zero borders of the padded input and gOut must be written on every call.
      // The channel-interleaved transforms (where the channels fill whole vectors) and the gathering ones.
      for (boolean poison : new boolean[] {false, true}) {
        ThreadScratch.poison = poison;
        for (boolean interleave : new boolean[] {true, false}) {
          WinogradWeightGrad.useLanes = interleave;
          for (int threads : new int[] {1, 2}) {
            Parallel.setNumThreads(threads);
            for (ConvParams p : cases) {
              assertTrue(WinogradWeightGrad.applies(p), p.toString());
              checkWeightGrad(p, p + " threads=" + threads + " poisoned scratch " + poison + " interleaved " + interleave);
              checked++;
            }
          }
        }
      }
    } finally {
      WinogradWeightGrad.useLanes = true;
      ThreadScratch.poison = false;
      WinogradWeightGrad.force = null;
      Parallel.setNumThreads(before);
    }
    assertEquals(8 * cases.length, checked);
    assertTrue(WinogradWeightGrad.applies(params(8, 128, 28, 28, 128, 1, 1, 1, 1)), "res3x3_28 takes it");
    assertFalse(WinogradWeightGrad.applies(params(8, 6, 14, 14, 16, 0, 0, 0, 0)), "few channels do not");
    assertFalse(WinogradWeightGrad.applies(new ConvParams(1, 64, 9, 9, 64, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 5, 5)),
        "stride 2 does not");
  }

  @Test
  void weightGrad_infiniteInput_takesTheOtherForms() {
    ConvParams p = params(2, 33, 6, 6, 33, 1, 1, 1, 1);
    float[][] d = ConvBackwardTest.randomProblem(p);
    float[] x = d[0];
    float[] w = d[1];
    float[] g = d[2];
    x[40] = Float.POSITIVE_INFINITY;
    float[] want = new float[w.length];
    float[] got = new float[w.length];
    WinogradWeightGrad.force = false;
    try {
      ConvBackward.backward(p, x, w, g, null, want, null);
    } finally {
      WinogradWeightGrad.force = null;
    }
    assertTrue(WinogradWeightGrad.applies(p));
    ConvBackward.backward(p, x, w, g, null, got, null);
    // an infinity times a finite gOut: infinities (not the NaN the tile transform would mix in)
    assertArrayEquals(want, got);
    boolean anyInfinite = false;
    for (float v : got) {
      anyInfinite |= Float.isInfinite(v);
    }
    assertTrue(anyInfinite);
  }

  @Test
  void filterGrad_vectorLastStep_matchesThePlainOne_andTheDefinition() {
    ConvBackward.WeightKernel vec = ConvBackward.VECTOR;
    assertTrue(vec != null, "the Vector API kernel should load (surefire adds jdk.incubator.vector)");
    java.util.Random r = new java.util.Random(3);
    int checked = 0;
    // lengths around the lane counts (4, 8, 16), offsets inside the arrays; gW written inside the range only
    for (int len : new int[] {1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 255, 256}) {
      int ldm = len + 5;
      int mBase = 3;
      int dst = 2;
      float[] m = new float[mBase + 36 * ldm];
      for (int i = 0; i < m.length; i++) {
        m[i] = (float) r.nextGaussian() * 10;
      }
      float[] start = new float[dst + 9 * len + 4];
      for (int i = 0; i < start.length; i++) {
        start[i] = (float) r.nextGaussian();
      }
      float[] byVector = start.clone();
      float[] byPlain = start.clone();
      vec.winogradFilterGrad(m, mBase, ldm, len, byVector, dst);
      WinogradWeightGrad.filterGradPlain(m, mBase, ldm, len, byPlain, dst);
      for (int i = 0; i < start.length; i++) {
        boolean inside = i >= dst && i < dst + 9 * len;
        double want = start[i];
        if (inside) {
          want = 0; // written, not added to
          int q = (i - dst) / 9;
          int a = (i - dst) % 9 / 3;
          int b = (i - dst) % 3;
          for (int rr = 0; rr < 6; rr++) {
            for (int c = 0; c < 6; c++) {
              want += (double) WinogradWeightGrad.G[rr][a] * m[mBase + (6 * rr + c) * ldm + q] * WinogradWeightGrad.G[c][b];
            }
          }
        }
        assertEquals(want, byPlain[i], 1e-5 * (1 + Math.abs(want)), "plain, len " + len + " [" + i + "]");
        assertEquals(byPlain[i], byVector[i], 1e-6 * (1 + Math.abs(want)), "vector, len " + len + " [" + i + "]");
        checked++;
      }
    }
    assertTrue(checked > 9 * 800, "checked " + checked);
  }

  @Test
  void interleaveRows_isATranspose_onEveryLength() {
    ConvBackward.WeightKernel vec = ConvBackward.VECTOR;
    assertTrue(vec != null, "the Vector API kernel should load");
    int lanes = vec.lanes();
    java.util.Random r = new java.util.Random(5);
    int checked = 0;
    // A tight src (a short last block must go the scalar way) and one with room past the last row
    // (a short last block goes through the registers, reading past the rows).
    for (int slack : new int[] {0, 16}) {
    for (int n : new int[] {0, 1, 7, 14, 15, 16, 17, 31, 32, 40, 58}) {
      int ld = n + 3;
      float[] src = new float[2 + lanes * ld + slack];
      for (int i = 0; i < src.length; i++) {
        src[i] = r.nextFloat();
      }
      float[] dst = new float[1 + n * lanes + 2];
      java.util.Arrays.fill(dst, -1f);
      vec.interleaveRows(src, 2, ld, dst, 1, n);
      for (int i = 0; i < dst.length; i++) {
        int x = (i - 1) / lanes;
        int l = (i - 1) % lanes;
        float want = i >= 1 && i < 1 + n * lanes ? src[2 + l * ld + x] : -1f;
        assertEquals(want, dst[i], "n " + n + " slack " + slack + " [" + i + "]");
        checked++;
      }
    }
    }
    assertTrue(checked > 200 * lanes, "checked " + checked);
  }
}
