package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.shape.PoolShapes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every real pooling kernel (each op x element type x with/without indices) against
 * {@link PoolReference} on awkward sizes: 1, 2, 5, 7, 13 and 207-wide maps, every padding up to
 * half the kernel, stride below, equal to and above the kernel, dilation, ceil mode, and inputs
 * with ties, NaN and -inf. Counts what it checked, so a kernel cannot slip by untested.
 */
class PoolKernelsTest {

  /** Every kernel entry point. */
  enum Variant {
    MAX_F32_INDICES, MAX_F32_VALUES, MAX_F64_INDICES, MAX_F64_VALUES,
    AVG_F32, AVG_F64, AVG_I64,
    LP_F32, LP_F64, LP_I64,
    ADAPTIVE_AVG_F32, ADAPTIVE_AVG_F64, ADAPTIVE_MAX_F32, ADAPTIVE_MAX_F64, ADAPTIVE_MAX_F32_VALUES,
    UNPOOL_F32, UNPOOL_F64
  }

  private final Map<Variant, Integer> checked = new EnumMap<>(Variant.class);
  private final int threadsBefore = Parallel.getNumThreads();

  @AfterEach
  void restoreThreads() {
    Parallel.setNumThreads(threadsBefore);
  }

  private static final int[][] SIZES = {{1, 1}, {1, 7}, {2, 2}, {5, 5}, {7, 13}, {13, 7}, {3, 207}};

  /** The window configurations worth trying on an {@code h x w} map (those with an output). */
  static List<Pool2dParams> windows(int planes, int h, int w, boolean avg) {
    List<Pool2dParams> out = new ArrayList<>();
    int[][] kernels = {{1, 1}, {2, 2}, {3, 3}, {2, 3}, {5, 1}};
    int[] strides = {1, 2, 4};
    int[] dilations = avg ? new int[] {1} : new int[] {1, 2, 3};
    for (int[] k : kernels) {
      for (int s : strides) {
        for (int d : dilations) {
          for (int p = 0; p <= Math.min(k[0], k[1]) / 2; p++) {
            for (boolean ceil : new boolean[] {false, true}) {
              long oh = PoolShapes.outputSize(h, k[0], Math.min(p, k[0] / 2), s, d, ceil);
              long ow = PoolShapes.outputSize(w, k[1], Math.min(p, k[1] / 2), s == 4 ? 3 : s, d, ceil);
              if (oh < 1 || ow < 1) {
                continue;
              }
              int ph = Math.min(p, k[0] / 2);
              int pw = Math.min(p, k[1] / 2);
              int sw = s == 4 ? 3 : s;
              if (avg) {
                for (int mode = 0; mode < 3; mode++) {
                  out.add(Pool2dParams.avg(planes, h, w, (int) oh, (int) ow, k[0], k[1], s, sw, ph, pw,
                      mode != 1, mode == 2 ? -3 : 0));
                }
              } else {
                out.add(Pool2dParams.max(planes, h, w, (int) oh, (int) ow, k[0], k[1], s, sw, ph, pw, d, d));
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** Values in [-4, 4) in steps of 0.5 (many ties), zeros of both signs, and some NaN and -inf if asked. */
  static double[] input(SplittableRandom r, int n, boolean specials) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextInt(-8, 8) * 0.5;
      if (x[i] == 0 && r.nextBoolean()) {
        x[i] = -0.0;
      }
      if (specials) {
        int u = r.nextInt(40);
        if (u == 0) {
          x[i] = Double.NaN;
        } else if (u < 4) {
          x[i] = Double.NEGATIVE_INFINITY;
        }
      }
    }
    return x;
  }

  static float[] toFloats(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  private static long[] toLongs(double[] x) {
    long[] f = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (long) Math.floor(x[i] * 7);
    }
    return f;
  }

  private void count(Variant v) {
    checked.merge(v, 1, Integer::sum);
  }

  /** Equal including the sign of zero (which tie-breaking decides); any NaN for NaN. */
  private static void same(String what, double expected, double actual) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
    } else {
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
          what + ": expected " + expected + ", got " + actual);
    }
  }

  private static void close(String what, double expected, double actual, double rel) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
    } else if (Double.isInfinite(expected)) {
      assertEquals(expected, actual, 0.0, what);
    } else {
      assertEquals(expected, actual, rel * Math.max(1, Math.abs(expected)), what);
    }
  }

  @Test
  void maxKernels_matchReference() {
    SplittableRandom r = new SplittableRandom(1);
    for (int[] hw : SIZES) {
      for (Pool2dParams p : windows(2, hw[0], hw[1], false)) {
        checkMax(p, input(r, p.planes() * p.inPlane(), true));
      }
    }
    for (Variant v : List.of(Variant.MAX_F32_INDICES, Variant.MAX_F32_VALUES, Variant.MAX_F64_INDICES,
        Variant.MAX_F64_VALUES)) {
      assertTrue(checked.getOrDefault(v, 0) >= 500, v + " checked " + checked.get(v));
    }
  }

  private void checkMax(Pool2dParams p, double[] x) {
    int n = p.planes() * p.outPlane();
    double[] ref = new double[n];
    long[] refIdx = new long[n];
    PoolReference.maxPool(x, p, ref, refIdx);
    float[] xf = toFloats(x);
    float[] yf = new float[n];
    long[] idx = new long[n];
    MaxPool2dKernel.forward(xf, 0, yf, 0, idx, 0, p);
    float[] yv = new float[n];
    MaxPool2dKernel.forward(xf, 0, yv, 0, null, 0, p);
    double[] yd = new double[n];
    long[] idxd = new long[n];
    MaxPool2dKernel.forward(x, 0, yd, 0, idxd, 0, p);
    double[] ydv = new double[n];
    MaxPool2dKernel.forward(x, 0, ydv, 0, null, 0, p);
    for (int i = 0; i < n; i++) {
      String at = p + " [" + i + "]";
      same(at, ref[i], yf[i]);
      assertEquals(refIdx[i], idx[i], at);
      same(at, ref[i], yv[i]);
      same(at, ref[i], yd[i]);
      assertEquals(refIdx[i], idxd[i], at);
      same(at, ref[i], ydv[i]);
    }
    count(Variant.MAX_F32_INDICES);
    count(Variant.MAX_F32_VALUES);
    count(Variant.MAX_F64_INDICES);
    count(Variant.MAX_F64_VALUES);
  }

  @Test
  void avgKernels_matchReference() {
    SplittableRandom r = new SplittableRandom(2);
    for (int[] hw : SIZES) {
      for (Pool2dParams p : windows(2, hw[0], hw[1], true)) {
        checkAvg(p, input(r, p.planes() * p.inPlane(), false));
      }
    }
    for (Variant v : List.of(Variant.AVG_F32, Variant.AVG_F64, Variant.AVG_I64)) {
      assertTrue(checked.getOrDefault(v, 0) >= 500, v + " checked " + checked.get(v));
    }
  }

  private void checkAvg(Pool2dParams p, double[] x) {
    int n = p.planes() * p.outPlane();
    double[] ref = new double[n];
    PoolReference.avgPool(x, p, ref);
    float[] yf = new float[n];
    AvgPool2dKernel.forward(toFloats(x), 0, yf, 0, p);
    double[] yd = new double[n];
    AvgPool2dKernel.forward(x, 0, yd, 0, p);
    long[] xl = toLongs(x);
    long[] refL = new long[n];
    PoolReference.avgPool(xl, p, refL);
    long[] yl = new long[n];
    AvgPool2dKernel.forward(xl, 0, yl, 0, p);
    for (int i = 0; i < n; i++) {
      String at = p + " [" + i + "]";
      close(at, ref[i], yf[i], 1e-6);
      close(at, ref[i], yd[i], 1e-14);
      assertEquals(refL[i], yl[i], at);
    }
    count(Variant.AVG_F32);
    count(Variant.AVG_F64);
    count(Variant.AVG_I64);
  }

  @Test
  void lpKernels_matchReference() {
    SplittableRandom r = new SplittableRandom(3);
    for (int[] hw : SIZES) {
      for (Pool2dParams w : windows(2, hw[0], hw[1], true)) {
        if (w.pH() != 0 || w.pW() != 0 || !w.countIncludePad() || w.divisorOverride() != 0) {
          continue;
        }
        double[] signed = input(r, w.planes() * w.inPlane(), false);
        double[] positive = signed.clone();
        for (int i = 0; i < positive.length; i++) {
          positive[i] = Math.abs(positive[i]) + 0.25;
        }
        // Signed inputs only with norms whose result cannot flip to NaN on a rounding difference.
        checkLp(w, signed, 1);
        checkLp(w, signed, 2);
        checkLp(w, signed, 4);
        checkLp(w, positive, 3);
        checkLp(w, positive, 1.5);
        checkLp(w, positive, -1);
      }
    }
    for (Variant v : List.of(Variant.LP_F32, Variant.LP_F64, Variant.LP_I64)) {
      assertTrue(checked.getOrDefault(v, 0) >= 200, v + " checked " + checked.get(v));
    }
  }

  private void checkLp(Pool2dParams p, double[] x, double norm) {
    int n = p.planes() * p.outPlane();
    double[] ref = new double[n];
    PoolReference.lpPool(x, p, norm, ref);
    float[] yf = new float[n];
    LpPool2dKernel.forward(toFloats(x), 0, yf, 0, p, norm);
    double[] yd = new double[n];
    LpPool2dKernel.forward(x, 0, yd, 0, p, norm);
    for (int i = 0; i < n; i++) {
      String at = p + " p=" + norm + " [" + i + "]";
      close(at, ref[i], yf[i], 2e-5);
      close(at, ref[i], yd[i], 1e-12);
    }
    count(Variant.LP_F32);
    count(Variant.LP_F64);
    if (norm == Math.rint(norm) && norm > 0) {
      // int64: power, average (truncated) and scale in integers, the root in float32.
      long[] xl = toLongs(x);
      float[] yl = new float[n];
      LpPool2dKernel.forward(xl, 0, yl, 0, p, (long) norm);
      long[] powered = new long[xl.length];
      for (int i = 0; i < xl.length; i++) {
        long v = 1;
        for (int e = 0; e < norm; e++) {
          v *= xl[i];
        }
        powered[i] = v;
      }
      long[] avg = new long[n];
      PoolReference.avgPool(powered, p, avg);
      for (int i = 0; i < n; i++) {
        double scaled = (double) avg[i] * p.kH() * p.kW();
        close(p + " int64 p=" + norm + " [" + i + "]", Math.pow(scaled, 1 / norm), yl[i], 2e-6);
      }
      count(Variant.LP_I64);
    }
  }

  @Test
  void adaptiveKernels_matchReference() {
    SplittableRandom r = new SplittableRandom(4);
    int[] outs = {0, 1, 2, 3, 4, 5, 7, 8, 14, 15};
    for (int[] hw : SIZES) {
      for (int oh : outs) {
        for (int ow : outs) {
          AdaptivePool2dParams p = new AdaptivePool2dParams(2, hw[0], hw[1], oh, ow);
          checkAdaptive(p, input(r, p.planes() * p.inPlane(), true), input(r, p.planes() * p.inPlane(), false));
        }
      }
    }
    for (Variant v : List.of(Variant.ADAPTIVE_AVG_F32, Variant.ADAPTIVE_AVG_F64, Variant.ADAPTIVE_MAX_F32,
        Variant.ADAPTIVE_MAX_F64, Variant.ADAPTIVE_MAX_F32_VALUES)) {
      assertTrue(checked.getOrDefault(v, 0) >= 500, v + " checked " + checked.get(v));
    }
  }

  private void checkAdaptive(AdaptivePool2dParams p, double[] withSpecials, double[] plain) {
    int n = p.planes() * p.outPlane();
    double[] ref = new double[n];
    long[] refIdx = new long[n];
    PoolReference.adaptiveMaxPool(withSpecials, p, ref, refIdx);
    float[] yf = new float[n];
    long[] idx = new long[n];
    AdaptivePool2dKernel.max(toFloats(withSpecials), 0, yf, 0, idx, 0, p);
    float[] yv = new float[n];
    AdaptivePool2dKernel.max(toFloats(withSpecials), 0, yv, 0, null, 0, p);
    double[] yd = new double[n];
    long[] idxd = new long[n];
    AdaptivePool2dKernel.max(withSpecials, 0, yd, 0, idxd, 0, p);
    for (int i = 0; i < n; i++) {
      String at = p + " [" + i + "]";
      same(at, ref[i], yf[i]);
      same(at, ref[i], yv[i]);
      same(at, ref[i], yd[i]);
      assertEquals(refIdx[i], idx[i], at);
      assertEquals(refIdx[i], idxd[i], at);
    }
    double[] refAvg = new double[n];
    PoolReference.adaptiveAvgPool(plain, p, refAvg);
    float[] af = new float[n];
    AdaptivePool2dKernel.avg(toFloats(plain), 0, af, 0, p);
    double[] ad = new double[n];
    AdaptivePool2dKernel.avg(plain, 0, ad, 0, p);
    for (int i = 0; i < n; i++) {
      close(p + " avg [" + i + "]", refAvg[i], af[i], 1e-6);
      close(p + " avg [" + i + "]", refAvg[i], ad[i], 1e-14);
    }
    count(Variant.ADAPTIVE_MAX_F32);
    count(Variant.ADAPTIVE_MAX_F32_VALUES);
    count(Variant.ADAPTIVE_MAX_F64);
    count(Variant.ADAPTIVE_AVG_F32);
    count(Variant.ADAPTIVE_AVG_F64);
  }

  @Test
  void unpoolKernels_matchReference() {
    SplittableRandom r = new SplittableRandom(5);
    for (int[] hw : SIZES) {
      for (int oh : new int[] {1, 2, 7, 13}) {
        for (int ow : new int[] {1, 3, 8, 207}) {
          int inPlane = hw[0] * hw[1];
          Unpool2dParams p = new Unpool2dParams(3, inPlane, oh, ow);
          double[] x = input(r, 3 * inPlane, true);
          long[] idx = new long[x.length];
          for (int i = 0; i < idx.length; i++) {
            idx[i] = r.nextInt(oh * ow); // repeats likely: the last write must win
          }
          checkUnpool(p, x, idx);
        }
      }
    }
    assertTrue(checked.get(Variant.UNPOOL_F32) >= 100);
    assertTrue(checked.get(Variant.UNPOOL_F64) >= 100);
  }

  private void checkUnpool(Unpool2dParams p, double[] x, long[] idx) {
    int n = p.planes() * p.outPlane();
    double[] ref = new double[n];
    PoolReference.maxUnpool(x, idx, p, ref);
    float[] yf = new float[n];
    java.util.Arrays.fill(yf, 99f); // the kernel must zero what it does not write
    MaxUnpool2dKernel.forward(toFloats(x), 0, idx, 0, yf, 0, p);
    double[] yd = new double[n];
    java.util.Arrays.fill(yd, 99);
    MaxUnpool2dKernel.forward(x, 0, idx, 0, yd, 0, p);
    for (int i = 0; i < n; i++) {
      same(p + " [" + i + "]", ref[i], yf[i]);
      same(p + " [" + i + "]", ref[i], yd[i]);
    }
    count(Variant.UNPOOL_F32);
    count(Variant.UNPOOL_F64);
  }

  /**
   * Many small planes with two threads: the planes are split between tasks, and every plane must
   * still come out right (offsets, chunk edges). Runs each variant once more.
   */
  @Test
  void allKernels_splitAcrossThreads_matchReference() {
    Parallel.setNumThreads(2);
    SplittableRandom r = new SplittableRandom(6);
    int planes = 3001; // 3001 planes of 5x5 exceed one task's grain, and 3001 is odd
    Pool2dParams max = Pool2dParams.max(planes, 5, 5, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1);
    checkMax(max, input(r, planes * 25, true));
    Pool2dParams avg = Pool2dParams.avg(planes, 5, 5, 3, 3, 2, 2, 2, 2, 1, 1, false, 0);
    checkAvg(avg, input(r, planes * 25, false));
    Pool2dParams lp = Pool2dParams.avg(planes, 5, 5, 3, 3, 2, 2, 2, 2, 0, 0, true, 0);
    checkLp(lp, input(r, planes * 25, false), 2);
    AdaptivePool2dParams ad = new AdaptivePool2dParams(planes, 5, 5, 3, 2);
    checkAdaptive(ad, input(r, planes * 25, true), input(r, planes * 25, false));
    Unpool2dParams un = new Unpool2dParams(planes, 9, 5, 5);
    long[] idx = new long[planes * 9];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = r.nextInt(25);
    }
    checkUnpool(un, input(r, planes * 9, false), idx);
    assertEquals(Variant.values().length, checked.size(), "variants run: " + checked.keySet());
  }

  /** A kernel writes only its own range: offsets into bigger arrays leave the rest alone. */
  @Test
  void maxKernel_withOffsets_touchesOnlyItsRange() {
    Pool2dParams p = Pool2dParams.max(2, 4, 4, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1);
    float[] x = new float[5 + 32];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    float[] out = new float[3 + 8 + 3];
    long[] idx = new long[1 + 8 + 1];
    java.util.Arrays.fill(out, -7f);
    java.util.Arrays.fill(idx, -7);
    MaxPool2dKernel.forward(x, 5, out, 3, idx, 1, p);
    // plane 0 is x[5..21) = 5..20 as a 4x4 map: window maxima 10, 12, 18, 20 at 5, 7, 13, 15
    assertEquals(List.of(-7f, -7f, -7f, 10f, 12f, 18f, 20f, 26f, 28f, 34f, 36f, -7f, -7f, -7f), boxed(out));
    assertEquals(List.of(-7L, 5L, 7L, 13L, 15L, 5L, 7L, 13L, 15L, -7L), java.util.Arrays.stream(idx).boxed().toList());
  }

  private static List<Float> boxed(float[] a) {
    List<Float> l = new ArrayList<>();
    for (float f : a) {
      l.add(f);
    }
    return l;
  }
}
