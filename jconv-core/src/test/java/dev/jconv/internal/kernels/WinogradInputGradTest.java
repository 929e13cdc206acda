package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The input gradient as the adjoint of the forward's Winograd, against the slow reference. */
class WinogradInputGradTest {

  private static ConvParams params(int n, int cin, int h, int w, int cout, int pt, int pl, int pb, int pr) {
    return new ConvParams(n, cin, h, w, cout, 1, 3, 3, 1, 1, pt, pl, pb, pr, 1, 1, h + pt + pb - 2, w + pl + pr - 2);
  }

  /** The input gradient alone, written over NaN, against the reference (Winograd's error scales with the largest). */
  private static void checkInputGrad(ConvParams p, float[][] d, String what) {
    double[] ref = ConvBackwardTest.reference(p, d[0], d[1], d[2])[0];
    float[] gx = new float[p.inputLength()];
    Arrays.fill(gx, Float.NaN);
    ConvBackward.backward(p, d[0], d[1], d[2], gx, null, null);
    WinogradTolerance.assertClose(ref, gx, 2e-5, what + " grad input");
  }

  @Test
  void inputGrad_matchesTheReference_onPartialTiles_andChunks() {
    // Channels in whole vectors of every width (4, 8, 16 lanes).
    ConvParams[] cases = {
      params(1, 16, 3, 3, 16, 0, 0, 0, 0),      // one output pixel: one tile, 15 of its 16 outputs outside
      params(3, 32, 13, 7, 48, 1, 1, 1, 1),     // 13x7 output: partial tiles both ways, cin != cout
      params(2, 16, 9, 10, 32, 2, 0, 1, 2),     // asymmetric padding, padding wider than the kernel's reach
      params(2, 48, 14, 14, 32, 1, 1, 1, 1),    // res3x3_14's shape, small
      params(4, 32, 20, 21, 32, 1, 1, 1, 1),    // rows of 21 (a short last block of the transposes)
      params(5, 32, 40, 40, 32, 1, 1, 1, 1),    // two chunks of images (4 + 1)
      params(1, 16, 1, 30, 16, 1, 1, 1, 1),     // one input row
      params(2, 32, 6, 37, 16, 0, 0, 0, 0),     // no padding: the padded gradient's border is cropped away
    };
    ConvBackward.WeightKernel vec = ConvBackward.VECTOR;
    assertTrue(vec != null, "the Vector API kernel should load (surefire adds jdk.incubator.vector)");
    int before = Parallel.getNumThreads();
    int checked = 0;
    WinogradInputGrad.force = true;
    try {
      // poisoned scratch with padded filter rows, clean scratch with both row lengths
      for (int mode = 0; mode < 3; mode++) {
        ThreadScratch.poison = mode == 0;
        WinogradInputGrad.padRows = mode != 2;
        for (int threads : new int[] {1, 2}) {
          Parallel.setNumThreads(threads);
          for (ConvParams p : cases) {
            assertTrue(WinogradInputGrad.applies(p, vec), p.toString());
            checkInputGrad(p, ConvBackwardTest.randomProblem(p), p + " threads=" + threads + " mode " + mode);
            checked++;
          }
        }
      }
    } finally {
      WinogradInputGrad.padRows = true;
      ThreadScratch.poison = false;
      WinogradInputGrad.force = null;
      Parallel.setNumThreads(before);
    }
    assertEquals(6 * cases.length, checked);
  }

  @Test
  void bothGradients_fromOneTransformOfGOut_matchTheReference() {
    // The weight gradient hands its A gY A^T to the input gradient, chunk by chunk (two chunks in the
    // 40x40 case), with the channel-interleaved transforms and the gathering ones.
    ConvParams[] cases = {
      params(3, 32, 13, 7, 48, 1, 1, 1, 1),
      params(2, 48, 14, 14, 32, 1, 1, 1, 1),
      params(5, 32, 40, 40, 32, 1, 1, 1, 1),
    };
    int before = Parallel.getNumThreads();
    int checked = 0;
    WinogradInputGrad.force = true;
    WinogradWeightGrad.force = true;
    try {
      for (boolean lanes : new boolean[] {true, false}) {
        WinogradWeightGrad.useLanes = lanes;
        for (int threads : new int[] {1, 2}) {
          Parallel.setNumThreads(threads);
          for (ConvParams p : cases) {
            float[][] d = ConvBackwardTest.randomProblem(p);
            double[][] ref = ConvBackwardTest.reference(p, d[0], d[1], d[2]);
            float[] gx = new float[p.inputLength()];
            float[] gw = new float[p.weightLength()];
            Arrays.fill(gx, Float.NaN);
            Arrays.fill(gw, Float.NaN);
            ConvBackward.backward(p, d[0], d[1], d[2], gx, gw, null);
            String what = p + " threads=" + threads + " lanes " + lanes;
            compare(ref[0], gx, what + " grad input");
            compare(ref[1], gw, what + " grad weight");
            checked++;
          }
        }
      }
    } finally {
      WinogradWeightGrad.useLanes = true;
      WinogradWeightGrad.force = null;
      WinogradInputGrad.force = null;
      Parallel.setNumThreads(before);
    }
    assertEquals(4 * cases.length, checked);
  }

  private static void compare(double[] ref, float[] got, String what) {
    WinogradTolerance.assertClose(ref, got, 2e-5, what);
  }

  @Test
  void applies_byTheProblem() {
    ConvBackward.WeightKernel vec = ConvBackward.VECTOR;
    assertTrue(vec != null);
    assertTrue(WinogradInputGrad.applies(params(8, 256, 14, 14, 256, 1, 1, 1, 1), vec), "res3x3_14 takes it");
    assertTrue(WinogradInputGrad.applies(params(32, 64, 28, 28, 64, 1, 1, 1, 1), vec), "the dilated case's phases");
    assertFalse(WinogradInputGrad.applies(params(8, 16, 14, 14, 16, 1, 1, 1, 1), vec), "few channels do not");
    assertFalse(WinogradInputGrad.applies(params(8, 33, 14, 14, 64, 1, 1, 1, 1), vec), "channels not in vectors");
    assertFalse(WinogradInputGrad.applies(params(8, 64, 14, 14, 64, 1, 1, 1, 1), null), "no Vector API");
    assertFalse(WinogradInputGrad.applies(new ConvParams(1, 64, 9, 9, 64, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 5, 5),
        vec), "stride 2 does not");
  }

  @Test
  void infiniteGradOutput_takesTheOtherForms_andIsExact() {
    ConvParams p = params(2, 32, 8, 8, 32, 1, 1, 1, 1);
    float[][] d = ConvBackwardTest.randomProblem(p);
    d[2][p.outW() + 3] = Float.POSITIVE_INFINITY; // (n 0, co 0, row 1, column 3)
    assertTrue(WinogradInputGrad.applies(p, ConvBackward.VECTOR));
    // The reference has +-inf where the tap reaches and finite values elsewhere; a Winograd tile would
    // spread NaN over its whole patch.
    checkInputGrad(p, d, "infinite gOut");
  }

  @Test
  void deinterleaveRows_undoesInterleaveRows() {
    ConvBackward.WeightKernel vec = ConvBackward.VECTOR;
    assertTrue(vec != null);
    int lanes = vec.lanes();
    Random r = new Random(9);
    int checked = 0;
    for (int n : new int[] {0, 1, 7, 14, 15, 16, 17, 33, 56}) {
      int ld = n + 2;
      float[] rows = new float[lanes * ld];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = r.nextFloat();
      }
      float[] inter = new float[3 + n * lanes];
      for (int i = 0; i < inter.length; i++) {
        inter[i] = 3 <= i ? rows[(i - 3) % lanes * ld + (i - 3) / lanes] : -1f;
      }
      float[] back = new float[1 + lanes * ld];
      Arrays.fill(back, -2f);
      vec.deinterleaveRows(inter, 3, back, 1, ld, n);
      for (int l = 0; l < lanes; l++) {
        for (int x = 0; x < ld; x++) {
          float want = x < n ? rows[l * ld + x] : -2f;
          assertEquals(want, back[1 + l * ld + x], "n " + n + " lane " + l + " x " + x);
          checked++;
        }
      }
      assertEquals(-2f, back[0]);
    }
    assertTrue(checked > 150 * lanes, "checked " + checked);
  }

  @Test
  void filtersLanes_giveTheBitsOfTheScalarTransform() {
    ConvBackward.WeightKernel vec = ConvBackward.VECTOR;
    assertTrue(vec != null);
    int lanes = vec.lanes();
    int cout = 3;
    int cin = 2 * lanes;
    Random r = new Random(11);
    float[] w = new float[cout * cin * 9];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian() * (i % 7 == 0 ? 1e3f : 1f);
    }
    int step = WinogradConv.planeStride(cout * cin);
    float[] want = new float[36 * step];
    WinogradConv.transformFilters(w, cout, cin, false, 0, cout, 0, cin, want, 0, step, cin, 1);
    float[] got = new float[36 * step];
    for (int co = 0; co < cout; co++) {
      for (int cb = 0; cb < 2; cb++) {
        vec.winogradFiltersLanes(w, (co * cin + cb * lanes) * 9, 9, new float[27 * lanes], got, co * cin + cb * lanes, step);
      }
    }
    for (int e = 0; e < 36; e++) {
      for (int i = 0; i < cout * cin; i++) {
        assertEquals(want[e * step + i], got[e * step + i], "e " + e + " filter " + i);
      }
    }
  }
}
