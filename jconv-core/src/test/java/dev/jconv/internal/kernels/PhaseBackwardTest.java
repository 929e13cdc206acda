package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link PhaseBackward}: the split of one axis into phases against the definition of a convolution's
 * taps (every tap of every output once, at the input element it reads, padding where it reads
 * none), then the backward through the phases against the slow reference on awkward sizes, with the
 * form taken asserted, and with infinite values.
 */
class PhaseBackwardTest {

  @Test
  void axes_putEveryTapOfEveryOutputInOnePhase_atTheElementItReads() {
    int checked = 0;
    int split = 0;
    int[][] strideDilation = {{1, 1}, {2, 1}, {3, 1}, {1, 2}, {1, 3}, {2, 2}};
    for (int[] sd : strideDilation) {
      int s = sd[0];
      int d = sd[1];
      for (int in = 1; in <= 10; in++) {
        for (int k = 1; k <= 4; k++) {
          for (int lo = 0; lo <= 4; lo++) {
            for (int hi = 0; hi <= 4; hi++) {
              int span = in + lo + hi - d * (k - 1) - 1;
              if (span < 0) {
                continue;
              }
              int out = span / s + 1;
              List<PhaseBackward.Axis> axes = PhaseBackward.axes(in, out, k, s, d, lo);
              checked++;
              if (s > 1 && d > 1) {
                assertEquals(null, axes);
                continue;
              }
              if (axes == null) {
                // Only when some phase would read padding alone.
                assertTrue(lo + hi > 0, in + " " + out + " " + k + " " + s + " " + d + " " + lo);
                continue;
              }
              split++;
              checkAxes(axes, in, out, k, s, d, lo);
            }
          }
        }
      }
    }
    assertEquals(5610, checked);
    assertTrue(split > 3000, "phased: " + split);
  }

  private static void checkAxes(List<PhaseBackward.Axis> axes, int in, int out, int k, int s, int d, int lo) {
    String what = "in " + in + " out " + out + " k " + k + " s " + s + " d " + d + " pad " + lo + ": " + axes;
    Set<Integer> elements = new HashSet<>();
    for (PhaseBackward.Axis a : axes) {
      // a stride-1 problem of the right output size
      assertEquals(a.outCount(), a.len() + a.padLo() + a.padHi() - a.taps() + 1, what);
      assertTrue(a.len() >= 1 && a.padLo() >= 0 && a.padHi() >= 0, what);
      for (int j = 0; j < a.len(); j++) {
        int e = a.inStart() + a.inStep() * j;
        assertTrue(e >= 0 && e < in, what);
        // phases are disjoint: the input gradient is stored, not added
        assertTrue(elements.add(e), "element " + e + " in two phases, " + what);
      }
    }
    for (int o = 0; o < out; o++) {
      for (int t = 0; t < k; t++) {
        int e = o * s + t * d - lo;
        int found = 0;
        for (PhaseBackward.Axis a : axes) {
          int i = o - a.outStart();
          int u = t - a.tapStart();
          if (i < 0 || i % a.outStep() != 0 || i / a.outStep() >= a.outCount() || u < 0 || u % a.tapStep() != 0
              || u / a.tapStep() >= a.taps()) {
            continue;
          }
          found++;
          int j = i / a.outStep() + u / a.tapStep() - a.padLo();
          if (e >= 0 && e < in) {
            assertTrue(j >= 0 && j < a.len() && a.inStart() + a.inStep() * j == e, "output " + o + " tap " + t + ", "
                + what);
          } else {
            assertTrue(j < 0 || j >= a.len(), "output " + o + " tap " + t + " must read padding, " + what);
          }
        }
        assertEquals(1, found, "output " + o + " tap " + t + ", " + what);
      }
    }
  }

  /** (n, cin, h, w, cout, groups, kh, kw, sh, sw, pt, pl, pb, pr, dh, dw) and the form expected. */
  private record Case(int[] c, PhaseBackward.Form form) {}

  private static final Case[] CASES = {
    new Case(new int[] {1, 3, 7, 8, 4, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}, PhaseBackward.Form.STRIDED),
    new Case(new int[] {2, 4, 9, 9, 6, 2, 3, 3, 2, 2, 0, 0, 0, 0, 1, 1}, PhaseBackward.Form.STRIDED),  // groups
    new Case(new int[] {1, 2, 11, 10, 3, 1, 3, 3, 3, 3, 0, 0, 0, 0, 1, 1}, PhaseBackward.Form.STRIDED), // stride 3
    // stride 3, padding 2: the phase of tap 0 has one tap and padding 1 (its first output reads padding)
    new Case(new int[] {1, 2, 11, 10, 3, 1, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1}, PhaseBackward.Form.STRIDED),
    new Case(new int[] {2, 3, 9, 8, 4, 1, 3, 3, 2, 2, 5, 4, 5, 4, 1, 1}, PhaseBackward.Form.STRIDED),   // pad > k
    new Case(new int[] {3, 2, 2, 5, 3, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}, PhaseBackward.Form.STRIDED),   // h < k
    new Case(new int[] {2, 3, 13, 6, 5, 1, 2, 4, 2, 3, 0, 1, 0, 2, 1, 1}, PhaseBackward.Form.STRIDED),
    // the same with padding 1 at the bottom: the last output's tap 1 reads only that padding row
    new Case(new int[] {2, 3, 13, 6, 5, 1, 2, 4, 2, 3, 0, 1, 1, 2, 1, 1}, PhaseBackward.Form.STRIDED),
    new Case(new int[] {1, 5, 12, 12, 7, 1, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1}, PhaseBackward.Form.STRIDED),  // stem-like
    // stride 3 > kernel 2: a phase no tap reads (its gradient is zero)
    new Case(new int[] {1, 2, 9, 9, 3, 1, 2, 2, 3, 3, 0, 0, 0, 0, 1, 1}, PhaseBackward.Form.STRIDED),
    // stride across only
    new Case(new int[] {1, 2, 1, 207, 2, 1, 1, 5, 1, 4, 0, 2, 0, 2, 1, 1}, PhaseBackward.Form.STRIDED),
    new Case(new int[] {4, 40, 12, 11, 72, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}, PhaseBackward.Form.STRIDED), // GEMM-sized
    // rows long enough for the vector stride-2 copies, with tails: 23 and 22 elements per phase row
    new Case(new int[] {2, 3, 6, 45, 4, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}, PhaseBackward.Form.STRIDED),
    // the same with even rows (32 elements per phase, a whole number of vectors): the last gather
    // of the last row must not read past the input
    new Case(new int[] {1, 2, 5, 64, 3, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}, PhaseBackward.Form.STRIDED),
    // 3x3, stride 2, padding 1 on an even input: the stride-2 input gradient kernel (groups; 4 and 42
    // input channels per group, blocks of 4, the last overlapping; 42 and 64 positions per row phase)
    new Case(new int[] {2, 8, 12, 14, 10, 2, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}, PhaseBackward.Form.STRIDED),
    new Case(new int[] {3, 42, 16, 16, 24, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}, PhaseBackward.Form.STRIDED),
    new Case(new int[] {1, 3, 7, 8, 4, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2}, PhaseBackward.Form.DILATED),
    new Case(new int[] {2, 4, 9, 10, 6, 2, 3, 3, 1, 1, 0, 0, 0, 0, 2, 2}, PhaseBackward.Form.DILATED),  // uneven phases
    new Case(new int[] {1, 2, 13, 11, 3, 1, 3, 3, 1, 1, 3, 3, 3, 3, 3, 3}, PhaseBackward.Form.DILATED), // dilation 3
    new Case(new int[] {2, 3, 3, 9, 2, 1, 3, 3, 1, 1, 2, 1, 2, 1, 2, 2}, PhaseBackward.Form.DILATED),   // h < span
    new Case(new int[] {1, 2, 10, 10, 3, 1, 2, 2, 1, 1, 1, 0, 1, 0, 2, 2}, PhaseBackward.Form.DILATED),
    new Case(new int[] {1, 2, 8, 9, 3, 1, 3, 3, 1, 1, 1, 2, 1, 2, 1, 2}, PhaseBackward.Form.DILATED),   // across only
    // the suite's dilated layer, small: four 7x7 phases with padding 1 stacked as 8 images, Winograd forms
    new Case(new int[] {2, 32, 14, 14, 32, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2}, PhaseBackward.Form.DILATED),
    new Case(new int[] {1, 2, 9, 10, 3, 1, 3, 3, 2, 2, 1, 1, 1, 1, 2, 2}, PhaseBackward.Form.NONE),     // both
    // a phase that would read padding only
    new Case(new int[] {1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 3, 3, 3, 3, 2, 2}, PhaseBackward.Form.NONE),
  };

  private static ConvParams params(int[] c) {
    int oh = (c[2] + c[10] + c[12] - c[14] * (c[6] - 1) - 1) / c[8] + 1;
    int ow = (c[3] + c[11] + c[13] - c[15] * (c[7] - 1) - 1) / c[9] + 1;
    return new ConvParams(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13],
        c[14], c[15], oh, ow);
  }

  /** Runs {@code body} with {@link PhaseBackward#force} set to {@code f}. */
  private static void withForce(Boolean f, Runnable body) {
    Boolean before = PhaseBackward.force;
    PhaseBackward.force = f;
    try {
      body.run();
    } finally {
      PhaseBackward.force = before;
    }
  }

  @Test
  void backward_matchesTheReference_throughThePhases() {
    int before = Parallel.getNumThreads();
    int[] checked = {0};
    try {
      // The vector kernels (the stride-2 copies among them) and their plain twins.
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
        assertNotNull(PhaseBackward.STRIDE_TWO, "the Vector API stride-2 copies should load");
      }
      for (boolean vector : new boolean[] {true, false}) {
        ConvBackward.useVector = vector;
        for (int threads : new int[] {1, 2}) {
          Parallel.setNumThreads(threads);
          withForce(true, () -> {
            for (Case c : CASES) {
              ConvParams p = params(c.c());
              assertTrue(p.outH() >= 1 && p.outW() >= 1, p.toString());
              assertEquals(c.form(), PhaseBackward.form(p), p.toString());
              check(p, ConvBackwardTest.randomProblem(p), p + " threads " + threads + " vector " + vector);
              checked[0]++;
            }
          });
        }
      }
    } finally {
      Parallel.setNumThreads(before);
      ConvBackward.useVector = !"false".equals(System.getProperty("jconv.convBackward.vector"));
    }
    assertEquals(4 * CASES.length, checked[0]);
    // Both kinds, since check() fills the gradients with NaN first: phases that cover the input
    // (gX not zeroed by backward) and phases that leave elements out (zeroed).
    int[] covering = new int[2];
    withForce(true, () -> {
      for (Case c : CASES) {
        covering[PhaseBackward.coversInput(params(c.c())) ? 1 : 0]++;
      }
    });
    assertTrue(covering[0] >= 3 && covering[1] >= 3, java.util.Arrays.toString(covering));
    withForce(null, () -> assertTrue(PhaseBackward.coversInput(params(new int[] {8, 128, 56, 56, 128, 1, 3, 3, 2, 2,
        1, 1, 1, 1, 1, 1}))));
  }

  @Test
  void backward_withoutTheStride2Kernel_matchesTheReference_throughThePhaseGemms() {
    // The stride-2 kernel takes the even 3x3 layers where it runs; the phase GEMMs, which take every
    // other strided layer, still run them when it is off.
    int before = Parallel.getNumThreads();
    int taken = 0;
    int checked = 0;
    try {
      for (Case c : CASES) {
        taken += PhaseBackward.stride2(params(c.c())) ? 1 : 0;
      }
      assertEquals(2, taken, "the stride-2 kernel's cases");
      PhaseBackward.stride2Kernel = false;
      for (int threads : new int[] {1, 2}) {
        Parallel.setNumThreads(threads);
        for (Case c : CASES) {
          ConvParams p = params(c.c());
          assertFalse(PhaseBackward.stride2(p), p.toString());
          check(p, ConvBackwardTest.randomProblem(p), p + " without the stride-2 kernel, threads " + threads);
          checked++;
        }
      }
    } finally {
      PhaseBackward.stride2Kernel = true;
      Parallel.setNumThreads(before);
    }
    assertEquals(2 * CASES.length, checked);
  }

  @Test
  void backward_withPoisonedScratch_matchesTheReference() {
    // Kept scratch handed out full of NaN: every phase copy, zero border and stacked problem (with
    // its Winograd scratch) must be written before it is read, on every call.
    int before = Parallel.getNumThreads();
    int checked = 0;
    ThreadScratch.poison = true;
    try {
      for (int threads : new int[] {1, 2}) {
        Parallel.setNumThreads(threads);
        for (Boolean f : new Boolean[] {true, null}) {
          PhaseBackward.force = f;
          for (Case c : CASES) {
            ConvParams p = params(c.c());
            check(p, ConvBackwardTest.randomProblem(p), p + " poisoned, threads " + threads + " force " + f);
            checked++;
          }
        }
      }
    } finally {
      ThreadScratch.poison = false;
      PhaseBackward.force = null;
      Parallel.setNumThreads(before);
    }
    assertEquals(4 * CASES.length, checked);
  }

  @Test
  void form_byTheProblem_takesThePhasesWhereTheyPay_andMatchesTheReference() {
    withForce(null, () -> {
      // the suite's layers
      assertEquals(PhaseBackward.Form.STRIDED, PhaseBackward.form(params(new int[] {8, 128, 56, 56, 128, 1, 3, 3, 2, 2,
          1, 1, 1, 1, 1, 1})));
      assertEquals(PhaseBackward.Form.DILATED, PhaseBackward.form(params(new int[] {8, 64, 56, 56, 64, 1, 3, 3, 1, 1,
          2, 2, 2, 2, 2, 2})));
      assertEquals(PhaseBackward.Form.NONE, PhaseBackward.form(params(new int[] {8, 3, 224, 224, 64, 1, 7, 7, 2, 2,
          3, 3, 3, 3, 1, 1})));
      // few channels: the dilated phases would not take the Winograd weight gradient
      assertEquals(PhaseBackward.Form.NONE, PhaseBackward.form(params(new int[] {8, 16, 56, 56, 16, 1, 3, 3, 1, 1,
          2, 2, 2, 2, 2, 2})));
      // strided with few channels: the register blocks from 8 input and 4 output channels per group
      // (the plain provider's loops from 16)
      boolean vector = dev.jconv.internal.vector.KernelProviders.get().vectorBits() > 0;
      assertEquals(vector ? PhaseBackward.Form.STRIDED : PhaseBackward.Form.NONE, PhaseBackward.form(params(new int[] {
          8, 8, 56, 56, 4, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1})));
      assertEquals(PhaseBackward.Form.NONE, PhaseBackward.form(params(new int[] {8, 7, 56, 56, 64, 1, 3, 3, 2, 2, 1, 1,
          1, 1, 1, 1})));
      assertEquals(PhaseBackward.Form.NONE, PhaseBackward.form(params(new int[] {8, 64, 56, 56, 3, 1, 3, 3, 2, 2, 1, 1,
          1, 1, 1, 1})));
      // one output channel of 16384 x 8192, whose gOut packed in panels of whole vectors would pass 2^31
      // floats (not allocated here): the other forms, even when forced
      PhaseBackward.force = true;
      assertEquals(PhaseBackward.Form.NONE, PhaseBackward.form(params(new int[] {1, 1, 32768, 16384, 1, 1, 3, 3, 2, 2,
          1, 1, 1, 1, 1, 1})));
      PhaseBackward.force = null;
      ConvParams small = params(new int[] {3, 8, 12, 13, 5, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1});
      check(small, ConvBackwardTest.randomProblem(small), small.toString());
      ConvParams strided = params(new int[] {2, 16, 9, 10, 16, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1});
      ConvParams dilated = params(new int[] {2, 32, 14, 14, 32, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2});
      assertEquals(PhaseBackward.Form.STRIDED, PhaseBackward.form(strided));
      assertEquals(PhaseBackward.Form.DILATED, PhaseBackward.form(dilated));
      for (ConvParams p : new ConvParams[] {strided, dilated}) {
        check(p, ConvBackwardTest.randomProblem(p), p.toString());
        // each gradient alone, as the autograd asks when only one input requires it
        float[][] d = ConvBackwardTest.randomProblem(p);
        double[][] ref = ConvBackwardTest.reference(p, d[0], d[1], d[2]);
        float[] gx = nans(p.inputLength());
        float[] gw = nans(p.weightLength());
        ConvBackward.backward(p, d[0], d[1], d[2], gx, null, null);
        ConvBackward.backward(p, d[0], d[1], d[2], null, gw, null);
        compare(ref[0], gx, p + " input gradient alone");
        compare(ref[1], gw, p + " weight gradient alone");
      }
    });
  }

  @Test
  void form_isNone_whenForcedOff_andForStrideOne() {
    ConvParams strided = params(CASES[0].c());
    ConvParams plain = params(new int[] {1, 3, 7, 8, 4, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1});
    withForce(true, () -> assertEquals(PhaseBackward.Form.NONE, PhaseBackward.form(plain)));
    withForce(false, () -> {
      assertEquals(PhaseBackward.Form.NONE, PhaseBackward.form(strided));
      assertFalse(PhaseBackward.run(strided, null, null, null, null, new float[strided.weightLength()]));
      check(strided, ConvBackwardTest.randomProblem(strided), "forced off");
    });
  }

  @Test
  void strided_infiniteWeight_takesTheOtherForms_andIsExact() {
    // The strided input gradient multiplies the weights by a zero border around gOut: an infinite
    // weight would put NaN into input pixels its tap never reaches.
    ConvParams p = params(new int[] {2, 2, 7, 8, 3, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1});
    float[][] d = ConvBackwardTest.randomProblem(p);
    d[1][0] = Float.POSITIVE_INFINITY; // (co 0, ci 0, ky 0, kx 0)
    withForce(true, () -> {
      assertEquals(PhaseBackward.Form.STRIDED, PhaseBackward.form(p));
      assertFalse(PhaseBackward.run(p, d[0], d[1], d[2], new float[p.inputLength()], null));
      assertTrue(PhaseBackward.run(p, d[0], d[1], d[2], null, new float[p.weightLength()]));
      float[] gx = check(p, d, "infinite weight");
      // (ci 0, row 1, column 7), in the phase of tap (0, 0), which reaches it from no output (column 7
      // would need output column 4): the strided form's GEMM for that tap would give 0 * inf there, from
      // the zero border around gOut
      assertTrue(Float.isFinite(gx[8 + 7]), "gx " + gx[8 + 7]);
    });
  }

  @Test
  void infiniteInput_isExact_strided_andDilated() {
    for (Boolean f : new Boolean[] {true, null}) {
      for (int[] c : new int[][] {{2, 16, 7, 8, 16, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},
          {2, 32, 14, 14, 32, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2}}) {
        ConvParams p = params(c);
        withForce(f, () -> {
          assertTrue(PhaseBackward.form(p) != PhaseBackward.Form.NONE, p.toString());
          float[][] d = ConvBackwardTest.randomProblem(p);
          d[0][p.w() + 1] = Float.NEGATIVE_INFINITY; // (n 0, ci 0, row 1, column 1)
          check(p, d, "infinite input " + p + " force " + f);
        });
      }
    }
  }

  /** Within Winograd's tolerance (the dilated phases take it): {@link WinogradTolerance}. */
  private static void compare(double[] ref, float[] got, String what) {
    WinogradTolerance.assertClose(ref, got, 2e-5, what);
  }

  private static float[] nans(int length) {
    float[] a = new float[length];
    java.util.Arrays.fill(a, Float.NaN);
    return a;
  }

  /** Runs the backward and compares with the reference; returns the input gradient. */
  private static float[] check(ConvParams p, float[][] d, String what) {
    double[][] ref = ConvBackwardTest.reference(p, d[0], d[1], d[2]);
    // NaN first: backward overwrites its gradients (the phase forms store gX whole where they cover it).
    float[] gx = nans(p.inputLength());
    float[] gw = nans(p.weightLength());
    float[] gb = nans(p.cout());
    ConvBackward.backward(p, d[0], d[1], d[2], gx, gw, gb);
    float[][] got = {gx, gw, gb};
    String[] names = {"grad input", "grad weight", "grad bias"};
    for (int t = 0; t < 3; t++) {
      compare(ref[t], got[t], what + " " + names[t]);
    }
    return gx;
  }
}
