package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ConvBackward's im2col forms against a slow, obviously correct reference (nested loops, double sums) on
 * awkward sizes, on one thread and on several: the sequential path, the parallel path with per-pixel partial
 * rows for the weight gradient, and the parallel path with GEMM (partial table too large).
 */
class ConvBackwardTest {

  /**
   * gX, gW, gB by definition ({@link ConvReference#backward}), then the sums of |term| of each (the
   * scale of its rounding error).
   */
  static double[][] reference(ConvParams p, float[] x, float[] w, float[] g) {
    ConvReference.Gradients r = ConvReference.backward(p, x, w, g);
    return new double[][] {r.input(), r.weight(), r.bias(), r.inputMagnitude(), r.weightMagnitude(),
        r.biasMagnitude()};
  }

  private static ConvParams params(int n, int cin, int h, int w, int cout, int groups, int k, int s, int pad,
      int d) {
    int oh = (h + 2 * pad - d * (k - 1) - 1) / s + 1;
    int ow = (w + 2 * pad - d * (k - 1) - 1) / s + 1;
    return new ConvParams(n, cin, h, w, cout, groups, k, k, s, s, pad, pad, pad, pad, d, d, oh, ow);
  }

  /** Gaussian input, weight and upstream gradient {x, w, g} for {@code p}, seeded by {@code p}. */
  static float[][] randomProblem(ConvParams p) {
    Random r = new Random(p.hashCode());
    float[] x = new float[p.inputLength()];
    float[] w = new float[p.weightLength()];
    float[] g = new float[p.outputLength()];
    for (float[] a : new float[][] {x, w, g}) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) r.nextGaussian();
      }
    }
    return new float[][] {x, w, g};
  }

  static void check(ConvParams p, String what) {
    float[][] d = randomProblem(p);
    float[] x = d[0];
    float[] w = d[1];
    float[] g = d[2];
    double[][] ref = reference(p, x, w, g);
    float[] gx = new float[x.length];
    float[] gw = new float[w.length];
    float[] gb = new float[p.cout()];
    ConvBackward.backward(p, x, w, g, gx, gw, gb);
    float[][] got = {gx, gw, gb};
    String[] names = {"grad input", "grad weight", "grad bias"};
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < ref[t].length; i++) {
        // Float sums of thousands of terms are off by about sqrt(terms) roundings of their sizes:
        // the tolerance grows with the sum of |terms| (ref[3 + t]), which also lets the Vector API's
        // lane order differ between its interpreted and compiled forms (it did, by 1.1e-4 in a sum of
        // 2790 terms, depending on which tests ran first).
        double tol = 1e-4 * (1 + Math.abs(ref[t][i])) + 1e-6 * ref[3 + t][i];
        assertEquals(ref[t][i], got[t][i], tol, what + " " + names[t] + " [" + i + "]");
      }
    }
  }

  @Test
  void backward_matchesTheReference_onEveryPath_andThreadCount() {
    ConvParams[] cases = {
      params(1, 1, 7, 7, 1, 1, 3, 1, 0, 1),
      params(2, 3, 13, 7, 4, 1, 3, 2, 1, 1),
      params(5, 4, 9, 9, 6, 2, 3, 1, 1, 2),      // groups + dilation, 10 tasks
      params(8, 1, 28, 28, 6, 1, 5, 1, 2, 1),    // LeNet conv1: partial rows
      params(6, 6, 14, 14, 16, 1, 5, 1, 0, 1),   // LeNet conv2
      params(4, 8, 1, 207, 4, 4, 1, 1, 0, 1),    // 1x1 pointwise, grouped
      params(4, 3, 11, 13, 5, 1, 2, 3, 1, 1),    // stride > kernel
      params(4, 64, 20, 20, 64, 1, 3, 1, 1, 1),  // partial table too large: GEMM form
    };
    int before = Parallel.getNumThreads();
    boolean vectorBefore = ConvBackward.useVector;
    int checked = 0;
    // the im2col forms only (ConvBackwardDirectTest covers the stride-1 forms that would take these cases)
    ConvBackwardDirect.forceInputAsForward = false;
    ConvBackwardDirect.forceWideWeight = false;
    WinogradWeightGrad.force = false;
    WinogradInputGrad.force = false;
    Boolean phasesBefore = PhaseBackward.force;
    PhaseBackward.force = false;
    try {
      // the Vector API kernels when the module is present (the tests run with it), and the plain ones
      for (boolean vector : new boolean[] {true, false}) {
        ConvBackward.useVector = vector;
        for (int threads : new int[] {1, 2, 3}) {
          Parallel.setNumThreads(threads);
          for (ConvParams p : cases) {
            check(p, p + " threads=" + threads + " vector=" + vector);
            checked++;
          }
        }
      }
    } finally {
      Parallel.setNumThreads(before);
      ConvBackward.useVector = vectorBefore;
      ConvBackwardDirect.forceInputAsForward = null;
      ConvBackwardDirect.forceWideWeight = null;
      WinogradWeightGrad.force = null;
      WinogradInputGrad.force = null;
      PhaseBackward.force = phasesBefore;
    }
    assertEquals(48, checked);
    assertTrue(ConvBackward.VECTOR != null, "tests run with --add-modules jdk.incubator.vector");
    // the last case really takes the GEMM form, the LeNet ones the partial rows
    assertEquals(true, (long) 64 * 64 * 9 * 400 > ConvBackward.MAX_PARTIAL_FLOATS);
    assertEquals(true, (long) 6 * 25 * 784 <= ConvBackward.MAX_PARTIAL_FLOATS);
  }

  @Test
  void backward_pointwiseInPixelChunks_matchesTheReference() {
    // Both gradients of a 1x1 convolution with a large weight-gradient table go through the GEMMs
    // chunk by chunk of pixels (930 pixels: two chunks of 465), plain, grouped, at 1 and 2 threads.
    ConvParams[] cases = {params(3, 16, 30, 31, 40, 1, 1, 1, 0, 1), params(3, 16, 30, 31, 40, 2, 1, 1, 0, 1)};
    int before = Parallel.getNumThreads();
    boolean vectorBefore = ConvBackward.useVector;
    int checked = 0;
    try {
      for (boolean vector : new boolean[] {true, false}) {
        ConvBackward.useVector = vector;
        for (int threads : new int[] {1, 2}) {
          Parallel.setNumThreads(threads);
          for (ConvParams p : cases) {
            check(p, p + " threads=" + threads + " vector=" + vector);
            checked++;
          }
        }
      }
    } finally {
      Parallel.setNumThreads(before);
      ConvBackward.useVector = vectorBefore;
    }
    assertEquals(8, checked);
    assertTrue(30 * 31 > ConvBackward.POINTWISE_CHUNK_COLS);
    assertTrue((long) 40 * 16 * 30 * 31 > ConvBackward.MAX_PARTIAL_FLOATS);
  }
}
