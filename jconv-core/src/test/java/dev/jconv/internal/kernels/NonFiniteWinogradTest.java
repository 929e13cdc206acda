package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.internal.parallel.Parallel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Infinities and NaN reach exactly the outputs the definition says, on layers whose algorithm is
 * Winograd (which mixes whole tiles): a 32-channel 3x3 layer with one infinite input pixel gave 768
 * NaN and 32 infinities through Winograd, where PyTorch (and the definition) give 288 infinities.
 */
class NonFiniteWinogradTest {

  private static final ConvParams PLAIN = new ConvParams(2, 32, 8, 9, 32, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8, 9);
  private static final ConvParams DILATED =
      new ConvParams(2, 32, 12, 13, 32, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 12, 13);
  /** 40 channels: not whole vectors, so the input gradient goes the forward route (Winograd on gOut). */
  private static final ConvParams ROUTE = new ConvParams(2, 40, 8, 8, 40, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8, 8);

  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() - 0.25f;
    }
    return a;
  }

  /** NaN where the reference has NaN, the same infinity where it has one, else close. */
  private static int compare(double[] ref, float[] got, String what) {
    int nonFinite = 0;
    for (int i = 0; i < ref.length; i++) {
      double e = ref[i];
      float g = got[i];
      boolean ok = Double.isNaN(e) ? Float.isNaN(g)
          : Double.isInfinite(e) ? e == g : Math.abs(g - e) <= 1e-3 * (1 + Math.abs(e));
      if (!ok) {
        fail(what + " [" + i + "] is " + g + ", expected " + e);
      }
      nonFinite += Double.isFinite(e) ? 0 : 1;
    }
    return nonFinite;
  }

  @Test
  void forward_withInfinitiesOrNaN_takesIm2col_andMatchesTheDefinition() {
    int before = Parallel.getNumThreads();
    int checked = 0;
    try {
      for (int threads : new int[] {1, 2}) {
        Parallel.setNumThreads(threads);
        for (ConvParams p : new ConvParams[] {PLAIN, DILATED}) {
          assertTrue(ConvSelector.select(p).mixesTiles(), p + " is a Winograd layer");
          // one +inf; +inf and -inf under one output (NaN there); a NaN; an infinite weight
          for (int kind = 0; kind < 4; kind++) {
            float[] x = random(p.inputLength(), 1 + kind);
            float[] w = random(p.weightLength(), 11 + kind);
            int at = p.w() * 3 + 4;
            switch (kind) {
              case 0 -> x[at] = Float.POSITIVE_INFINITY;
              case 1 -> {
                x[at] = Float.POSITIVE_INFINITY;
                x[p.h() * p.w() + at] = Float.NEGATIVE_INFINITY;
              }
              case 2 -> x[at] = Float.NaN;
              default -> w[5] = Float.POSITIVE_INFINITY;
            }
            ConvAlgorithm a = ConvSelector.selectFor(p, x, w);
            // an infinite weight on a padded layer: the reference, which skips the padding as PyTorch does
            assertEquals(kind == 3 ? ConvAlgorithm.REFERENCE : ConvAlgorithm.IM2COL_GEMM, a, p + " kind " + kind);
            float[] out = new float[p.outputLength()];
            a.forward(p, x, w, null, out);
            float[] ref32 = new float[p.outputLength()];
            ConvReference.forward(p, x, w, null, ref32);
            double[] ref = new double[ref32.length];
            for (int i = 0; i < ref.length; i++) {
              ref[i] = ref32[i];
            }
            int nonFinite = compare(ref, out, p + " kind " + kind + " threads " + threads);
            assertTrue(nonFinite > 0 && nonFinite < out.length / 2, "some outputs, not whole tiles: " + nonFinite);
            checked++;
          }
          // finite operands keep Winograd
          assertTrue(ConvSelector.selectFor(p, random(p.inputLength(), 9), random(p.weightLength(), 10)).mixesTiles());
        }
      }
    } finally {
      Parallel.setNumThreads(before);
    }
    assertEquals(16, checked);
  }

  @Test
  void forward_infiniteWeight_onAPaddedLayer_keepsTheBorderFinite_asPyTorch() {
    // PyTorch 1.13, this shape with weight[0] = inf: no NaN; the outputs whose tap (0, 0) reads padding are finite.
    ConvParams lenet1 = new ConvParams(4, 1, 28, 28, 6, 1, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 28, 28);
    float[] x = random(lenet1.inputLength(), 21);
    float[] w = random(lenet1.weightLength(), 22);
    w[0] = Float.POSITIVE_INFINITY;
    ConvAlgorithm a = ConvSelector.selectFor(lenet1, x, w);
    assertEquals(ConvAlgorithm.REFERENCE, a);
    float[] out = new float[lenet1.outputLength()];
    a.forward(lenet1, x, w, null, out);
    int nan = 0;
    int finiteBorder = 0;
    for (int i = 0; i < out.length; i++) {
      nan += Float.isNaN(out[i]) ? 1 : 0;
    }
    // channel 0 of image 0, row 0 and column 0: tap (0, 0) reads padding there
    for (int j = 0; j < 28; j++) {
      finiteBorder += Float.isFinite(out[j]) ? 1 : 0;
      finiteBorder += Float.isFinite(out[j * 28]) ? 1 : 0;
    }
    assertEquals(0, nan);
    assertTrue(finiteBorder >= 2 * 28 - 1, "border outputs finite: " + finiteBorder);
    assertTrue(Float.isInfinite(out[5 * 28 + 5]), "an inside output meets the infinite tap");
    // PyTorch's own im2col kernel takes a single image of 32 x 8 x 8 with a 3x3 kernel (no oneDNN):
    // there an infinite weight meets the padding's zeros, NaN, and jconv runs im2col too (golden
    // cases "non-finite: ... weight" in the conv golden files check both against PyTorch).
    ConvParams single = new ConvParams(1, 32, 8, 8, 32, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8, 8);
    assertTrue(ConvSelector.pytorchUsesOneDnn(lenet1));
    assertTrue(!ConvSelector.pytorchUsesOneDnn(single));
    float[] ws = random(single.weightLength(), 23);
    ws[7] = Float.NEGATIVE_INFINITY;
    assertEquals(ConvAlgorithm.IM2COL_GEMM, ConvSelector.selectFor(single, random(single.inputLength(), 24), ws));
  }

  @Test
  void inputGradient_withInfiniteGOut_avoidsWinograd_andMatchesTheDefinition() {
    int before = Parallel.getNumThreads();
    int checked = 0;
    try {
      for (int threads : new int[] {1, 2}) {
        Parallel.setNumThreads(threads);
        for (ConvParams p : new ConvParams[] {ROUTE, DILATED}) {
          float[] x = random(p.inputLength(), 3);
          float[] w = random(p.weightLength(), 4);
          float[] g = random(p.outputLength(), 5);
          g[p.outW() * 2 + 5] = Float.POSITIVE_INFINITY;
          g[p.outH() * p.outW() + 7] = Float.NEGATIVE_INFINITY;
          assertTrue(ConvBackwardDirect.useInputAsForward(p) && ConvBackwardDirect.inputGradMixesTiles(p),
              p + " would take Winograd on gOut");
          // the input gradient alone (the route that would run Winograd), written over NaN
          float[] gx = new float[p.inputLength()];
          java.util.Arrays.fill(gx, Float.NaN);
          ConvBackward.backward(p, x, w, g, gx, null, null);
          int nonFinite = compare(ConvReference.backward(p, x, w, g).input(), gx, p + " threads " + threads);
          assertTrue(nonFinite > 0 && nonFinite < gx.length / 2, "some pixels, not whole tiles: " + nonFinite);
          checked++;
        }
      }
    } finally {
      Parallel.setNumThreads(before);
    }
    assertEquals(4, checked);
  }
}
