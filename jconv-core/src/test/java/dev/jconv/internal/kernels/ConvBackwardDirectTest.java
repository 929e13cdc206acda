package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stride-1 backward forms of {@link ConvBackwardDirect} (input gradient as a forward convolution,
 * weight gradient over wide rows) against a slow reference with double sums, on awkward sizes, with
 * the Vector API kernels and the plain ones, on 1-3 threads; and the im2col path for the problems
 * they leave.
 */
class ConvBackwardDirectTest {

  /** Square kernel, the same padding on every side. */
  private static ConvParams params(int n, int cin, int h, int w, int cout, int groups, int k, int s, int pad,
      int d) {
    return params(n, cin, h, w, cout, groups, k, s, pad, pad, d);
  }

  /** Square kernel, padding {@code lo} on top and left and {@code hi} on the bottom and right (SAME). */
  private static ConvParams params(int n, int cin, int h, int w, int cout, int groups, int k, int s, int lo, int hi,
      int d) {
    int oh = (h + lo + hi - d * (k - 1) - 1) / s + 1;
    int ow = (w + lo + hi - d * (k - 1) - 1) / s + 1;
    return new ConvParams(n, cin, h, w, cout, groups, k, k, s, s, lo, lo, hi, hi, d, d, oh, ow);
  }

  private static float[][] data(ConvParams p) {
    return ConvBackwardTest.randomProblem(p);
  }

  /**
   * Runs the backward and compares with the reference. The input gradient may come from Winograd,
   * whose error scales with the largest magnitude in the plane (as in ConvAlgorithmsTest); the
   * others are direct sums, compared element by element against their own magnitude.
   */
  private static void check(ConvParams p, float[] x, float[] w, float[] g, String what) {
    double[][] ref = ConvBackwardTest.reference(p, x, w, g);
    float[] gx = new float[x.length];
    float[] gw = new float[w.length];
    float[] gb = new float[p.cout()];
    // The gradients are overwritten, whatever the arrays held (some forms write them whole and
    // skip zeroing them first).
    java.util.Arrays.fill(gx, Float.NaN);
    java.util.Arrays.fill(gw, Float.NaN);
    java.util.Arrays.fill(gb, Float.NaN);
    ConvBackward.backward(p, x, w, g, gx, gw, gb);
    int plane = p.h() * p.w();
    for (int i = 0; i < gx.length; i++) {
      double scale = 0;
      for (int j = i / plane * plane; j < (i / plane + 1) * plane; j++) {
        scale = Math.max(scale, ref[3][j]);
      }
      compare(what + " grad input [" + i + "]", ref[0][i], gx[i], 2e-5 * scale + 1e-6);
    }
    for (int i = 0; i < gw.length; i++) {
      compare(what + " grad weight [" + i + "]", ref[1][i], gw[i], 1e-5 * ref[4][i] + 1e-6);
    }
    for (int i = 0; i < gb.length; i++) {
      compare(what + " grad bias [" + i + "]", ref[2][i], gb[i], 1e-5 * ref[5][i] + 1e-6);
    }
  }

  private static void compare(String what, double expected, float got, double tol) {
    boolean ok = Double.isNaN(expected) ? Float.isNaN(got)
        : Double.isInfinite(expected) ? expected == got : Math.abs(got - expected) <= tol;
    if (!ok) {
      fail(what + " is " + got + ", expected " + expected + " (tolerance " + tol + ")");
    }
  }

  private static final ConvParams[] CASES = {
    params(1, 1, 1, 1, 1, 1, 1, 1, 0, 1),        // a single pixel, 1x1 (pointwise: input grad stays GEMM)
    params(1, 1, 7, 7, 1, 1, 3, 1, 0, 1),
    params(2, 3, 13, 7, 4, 1, 3, 1, 1, 1),
    params(5, 4, 9, 9, 6, 2, 3, 1, 1, 2),        // groups + dilation
    params(8, 1, 28, 28, 6, 1, 5, 1, 2, 1),      // LeNet conv1: 4 + 2 rows of gOut in the wide kernel
    params(6, 6, 14, 14, 16, 1, 5, 1, 0, 1),     // LeNet conv2: input grad by the direct kernel
    params(3, 16, 13, 13, 16, 1, 3, 1, 1, 1),    // input grad by Winograd
    params(2, 16, 13, 11, 17, 1, 3, 1, 2, 2),    // by dilated Winograd; 17 rows = 4*4 + 1
    params(2, 8, 13, 13, 8, 8, 3, 1, 1, 1),      // depthwise
    params(2, 3, 7, 13, 5, 1, 2, 1, 0, 1, 1),    // SAME, even kernel: no padding on top/left, 1 on bottom/right
    params(2, 2, 9, 8, 3, 1, 4, 1, 1, 2, 1),     // SAME, k4: 1 before, 2 after
    params(2, 2, 9, 8, 3, 1, 4, 1, 3, 3, 2),     // SAME, k4 d2: 3 and 3
    params(2, 3, 7, 7, 4, 1, 3, 1, 3, 1),        // padding beyond the kernel's span: input grad by col2im
    params(2, 3, 1, 7, 4, 1, 1, 1, 1, 1),        // 1x1 kernel with padding: input grad by col2im
    params(1, 2, 3, 207, 3, 1, 3, 1, 1, 1),      // a long row
    params(2, 2, 30, 30, 5, 1, 3, 1, 1, 1),      // rows of 60 vectors
    params(4, 3, 11, 13, 5, 1, 2, 3, 1, 1),      // stride > kernel: everything by im2col
    params(3, 4, 9, 9, 8, 2, 3, 2, 1, 1),        // stride 2, groups
  };

  /** The forms a run forces: input gradient over wide rows, as a forward convolution, or as chosen. */
  private enum Mode { WIDE, FORWARD, CHOSEN }

  private static void force(Mode m) {
    ConvBackwardDirect.forceWideInput = m == Mode.CHOSEN ? null : m == Mode.WIDE;
    ConvBackwardDirect.forceInputAsForward = m == Mode.CHOSEN ? null : m == Mode.FORWARD;
    ConvBackwardDirect.forceWideWeight = m == Mode.CHOSEN ? null : m == Mode.WIDE;
  }

  /**
   * The input gradient's flipped weights are new on every call: they run through Winograd (plain
   * and dilated) without entering its filter cache, which stays for weights that are used again.
   */
  @Test
  void inputGradAsForward_winograd_leavesTheFilterCacheAlone() {
    for (ConvParams p : List.of(params(2, 32, 9, 9, 32, 1, 3, 1, 1, 1), params(1, 32, 11, 11, 32, 1, 3, 1, 2, 2))) {
      ConvParams q = ConvBackwardDirect.inputGradProblem(p);
      ConvAlgorithm a = ConvBackwardDirect.inputGradAlgorithm(q);
      assertTrue(a == ConvAlgorithm.WINOGRAD || a == ConvAlgorithm.DILATED_WINOGRAD, a + " for " + p);
      float[][] d = data(p);
      WinogradConv.FilterCache.clear();
      float[] gX = new float[p.inputLength()];
      ConvBackwardDirect.inputGrad(p, d[1], d[2], gX);
      assertEquals(0, WinogradConv.FilterCache.size(), "cache entries after the backward of " + p);
      double[] ref = ConvBackwardTest.reference(p, d[0], d[1], d[2])[0];
      for (int i = 0; i < gX.length; i++) {
        assertEquals(ref[i], gX[i], 1e-3 * (1 + Math.abs(ref[i])), "gX[" + i + "] of " + p);
      }
    }
  }

  @Test
  void backward_matchesTheReference_onEveryForm_provider_andThreadCount() {
    int before = Parallel.getNumThreads();
    boolean vectorBefore = ConvBackward.useVector;
    int checked = 0;
    int asForward = 0;
    int wideInput = 0;
    int wideWeight = 0;
    try {
      for (Mode mode : Mode.values()) {
        force(mode);
        for (boolean vector : new boolean[] {true, false}) {
          ConvBackward.useVector = vector;
          ConvBackward.WeightKernel vec = vector ? ConvBackward.VECTOR : null;
          for (int threads : new int[] {1, 2, 3}) {
            Parallel.setNumThreads(threads);
            for (ConvParams p : CASES) {
              float[][] d = data(p);
              check(p, d[0], d[1], d[2], p + " " + mode + " threads=" + threads + " vector=" + vector);
              checked++;
              if (mode != Mode.CHOSEN) {
                boolean wideX = ConvBackwardDirect.useWideInput(p, vec);
                asForward += !wideX && ConvBackwardDirect.useInputAsForward(p) ? 1 : 0;
                wideInput += wideX ? 1 : 0;
                wideWeight += ConvBackwardDirect.useWideWeight(p, vec) ? 1 : 0;
              }
            }
          }
        }
      }
    } finally {
      Parallel.setNumThreads(before);
      ConvBackward.useVector = vectorBefore;
      force(Mode.CHOSEN);
    }
    assertEquals(3 * 6 * CASES.length, checked);
    assertTrue(ConvBackward.VECTOR != null, "tests run with --add-modules jdk.incubator.vector");
    // FORWARD: stride-1 cases minus the two whose padding exceeds the span (14 per run); WIDE without
    // the vector kernel takes im2col
    assertEquals(6 * 14, asForward);
    // WIDE with the vector kernel: every stride-1 case, both gradients
    assertEquals(3 * 16, wideInput);
    assertEquals(3 * 16, wideWeight);
  }

  @Test
  void chosenForms_followTheMeasuredRules() {
    ConvBackward.WeightKernel vec = ConvBackward.VECTOR;
    ConvParams lenet1 = params(256, 1, 28, 28, 6, 1, 5, 1, 2, 1);
    ConvParams lenet2 = params(256, 6, 14, 14, 16, 1, 5, 1, 0, 1);
    ConvParams res = params(8, 64, 56, 56, 64, 1, 3, 1, 1, 1);
    ConvParams pointwise = params(8, 64, 56, 56, 256, 1, 1, 1, 0, 1);
    ConvParams depthwise = params(8, 32, 112, 112, 32, 32, 3, 1, 1, 1);
    assertTrue(ConvBackwardDirect.useWideInput(lenet1, vec) && ConvBackwardDirect.useWideInput(lenet2, vec));
    assertTrue(ConvBackwardDirect.useWideWeight(lenet1, vec) && ConvBackwardDirect.useWideWeight(lenet2, vec));
    assertFalse(ConvBackwardDirect.useWideInput(res, vec), "Winograd runs it");
    assertTrue(ConvBackwardDirect.useInputAsForward(res));
    assertTrue(ConvBackwardDirect.useWideWeight(res, vec));
    assertFalse(ConvBackwardDirect.useWideInput(depthwise, vec), "the depthwise kernel runs it");
    assertFalse(ConvBackwardDirect.useWideWeight(pointwise, vec), "GEMM");
    assertFalse(ConvBackwardDirect.useInputAsForward(pointwise), "GEMM");
    assertFalse(ConvBackwardDirect.useWideInput(lenet2, null), "no vector kernel");
    assertFalse(ConvBackwardDirect.useWideWeight(lenet2, null), "no vector kernel");
  }

  @Test
  void inputGradAlgorithm_coversTheForwardAlgorithms() {
    List<ConvAlgorithm> used = new ArrayList<>();
    for (ConvParams p : CASES) {
      ConvParams q = ConvBackwardDirect.inputGradProblem(p);
      if (q != null && ConvBackwardDirect.useInputAsForward(p)) {
        assertEquals(p.h(), q.outH());
        assertEquals(p.w(), q.outW());
        used.add(ConvBackwardDirect.inputGradAlgorithm(q));
      }
    }
    for (ConvAlgorithm a : new ConvAlgorithm[] {ConvAlgorithm.WINOGRAD, ConvAlgorithm.DILATED_WINOGRAD,
        ConvAlgorithm.DEPTHWISE, ConvAlgorithm.DIRECT}) {
      assertTrue(used.contains(a), a + " not covered: " + used);
    }
  }

  @Test
  void forms_eachOnItsOwn_matchTheReference() {
    // input grad by forward with the weight grad by im2col, and the other way round
    int checked = 0;
    try {
      for (boolean inputAsForward : new boolean[] {true, false}) {
        ConvBackwardDirect.forceInputAsForward = inputAsForward;
        ConvBackwardDirect.forceWideInput = false;
        ConvBackwardDirect.forceWideWeight = !inputAsForward;
        for (ConvParams p : CASES) {
          float[][] d = data(p);
          check(p, d[0], d[1], d[2], p + " inputAsForward=" + inputAsForward);
          checked++;
        }
      }
    } finally {
      force(Mode.CHOSEN);
    }
    assertEquals(2 * CASES.length, checked);
  }

  @Test
  void weightGrad_inputWithInfinity_isExact() {
    // Tap (ky 0, kx 2) never sees column 0, but its wide row runs over row 1's column 0 (times a zero
    // of gOut): an infinity there must not turn that weight's gradient into NaN.
    ConvParams p = params(2, 2, 6, 6, 3, 1, 3, 1, 0, 1);
    float[][] d = data(p);
    d[0][6] = Float.POSITIVE_INFINITY;
    ConvBackwardDirect.forceWideWeight = true;
    try {
      checkInfinity(p, d);
    } finally {
      force(Mode.CHOSEN);
    }
  }

  private static void checkInfinity(ConvParams p, float[][] d) {
    assertTrue(ConvBackwardDirect.useWideWeight(p, ConvBackward.VECTOR));
    assertFalse(ConvBackwardDirect.finite(d[0], p.inputLength(), ConvBackward.VECTOR));
    check(p, d[0], d[1], d[2], "infinity in x");
    float[] gw = new float[p.weightLength()];
    ConvBackward.backward(p, d[0], d[1], d[2], null, gw, null);
    assertTrue(Float.isFinite(gw[2]), "tap (0, 0, 0, 2): " + gw[2]);
  }

  @Test
  void inputGrad_weightWithInfinity_isExact() {
    // Both stride-1 forms multiply the weights by zeros outside the problem (the wide gOut's zero
    // columns, the forward's padding of gOut): an infinite weight would put NaN into input pixels it
    // never reaches. Such weights must take the im2col path.
    ConvParams p = params(2, 2, 6, 6, 3, 1, 3, 1, 0, 1);
    float[][] d = data(p);
    d[1][2] = Float.NEGATIVE_INFINITY; // (co 0, ci 0, ky 0, kx 2)
    assertFalse(ConvBackwardDirect.finite(d[1], p.weightLength(), ConvBackward.VECTOR));
    assertFalse(ConvBackwardDirect.finite(d[1], p.weightLength(), null));
    try {
      for (Mode mode : new Mode[] {Mode.WIDE, Mode.FORWARD}) {
        force(mode);
        assertTrue(mode == Mode.WIDE ? ConvBackwardDirect.useWideInput(p, ConvBackward.VECTOR)
            : ConvBackwardDirect.useInputAsForward(p));
        check(p, d[0], d[1], d[2], "infinity in w, " + mode);
        float[] gx = new float[p.inputLength()];
        java.util.Arrays.fill(gx, Float.NaN);
        ConvBackward.backward(p, d[0], d[1], d[2], gx, null, null);
        // column 0 of image 0, channel 0 is reached only by kx = 0
        assertTrue(Float.isFinite(gx[0]) && Float.isFinite(gx[6]), mode + ": " + gx[0] + " " + gx[6]);
      }
    } finally {
      force(Mode.CHOSEN);
    }
  }

  /**
   * The input gradient by Winograd and dilated Winograd reads the weight rotated and transposed in
   * place, straight into each provider's packed layout: every native provider, on channel counts
   * off MR (6) and the lane counts, 1 channel, and 33 (the algorithm forced: the selector takes
   * Winograd from 16 channels).
   */
  @Test
  void inputGrad_winograd_everyNativeProvider_matchesTheReference() {
    ConvParams[] cases = {
      params(2, 1, 9, 7, 13, 1, 3, 1, 1, 1),       // the forward problem 13 -> 1 channel
      params(2, 13, 9, 7, 1, 1, 3, 1, 1, 1),       // 1 -> 13
      params(1, 7, 10, 9, 6, 1, 3, 1, 1, 1),
      params(2, 17, 6, 9, 33, 1, 3, 1, 0, 1),      // no padding: the full convolution pads by 2
      params(1, 5, 11, 9, 7, 1, 3, 1, 2, 2),       // dilated
      params(1, 12, 13, 10, 19, 1, 3, 1, 1, 1, 2), // dilated, padding 1 of its span of 4
    };
    int checked = 0;
    try {
      for (ConvParams p : cases) {
        ConvAlgorithm expected = p.dilationH() > 1 ? ConvAlgorithm.DILATED_WINOGRAD : ConvAlgorithm.WINOGRAD;
        System.setProperty(ConvSelector.PROPERTY, expected.name());
        assertEquals(expected, ConvBackwardDirect.inputGradAlgorithm(ConvBackwardDirect.inputGradProblem(p)));
        float[][] d = data(p);
        float[] w0 = d[1].clone();
        double[][] ref = ConvBackwardTest.reference(p, d[0], d[1], d[2]);
        int plane = p.h() * p.w();
        for (KernelProvider kp : KernelProviders.allNative()) {
          float[] gX = new float[p.inputLength()];
          java.util.Arrays.fill(gX, Float.NaN);
          try (var r = KernelProviders.overrideForTesting(kp)) {
            ConvBackwardDirect.inputGrad(p, d[1], d[2], gX);
          }
          assertTrue(java.util.Arrays.equals(w0, d[1]), "modified the weight");
          for (int i = 0; i < gX.length; i++) {
            double scale = 0;
            for (int j = i / plane * plane; j < (i / plane + 1) * plane; j++) {
              scale = Math.max(scale, ref[3][j]);
            }
            compare(kp + " " + p + " grad input [" + i + "]", ref[0][i], gX[i], 2e-5 * scale + 1e-6);
          }
          checked++;
        }
      }
    } finally {
      System.clearProperty(ConvSelector.PROPERTY);
    }
    assertEquals(cases.length * KernelProviders.allNative().size(), checked);
  }

  @Test
  void inputGradProblem_isTheFullConvolution() {
    ConvParams same = params(1, 2, 7, 8, 3, 1, 4, 1, 1, 2, 1);
    ConvParams q = ConvBackwardDirect.inputGradProblem(same);
    assertNotNull(q);
    // flipped padding: the side that had less gets more
    assertEquals(2, q.padTop());
    assertEquals(1, q.padBottom());
    assertEquals(same.cout(), q.cin());
    assertEquals(same.cin(), q.cout());
    assertNull(ConvBackwardDirect.inputGradProblem(params(1, 2, 7, 8, 3, 1, 3, 2, 1, 1)), "stride 2");
    assertNull(ConvBackwardDirect.inputGradProblem(params(1, 2, 7, 8, 3, 1, 3, 1, 3, 1)), "padding 3 > span 2");
  }
}
