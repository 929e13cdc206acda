package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProviders;
import dev.jconv.internal.vector.PoolingKernels;
import dev.jconv.internal.vector.PoolingProviders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every float32 pooling kernel of every provider — plain, and the Vector API at 128, 256 and 512
 * bits, each width built directly in this JVM — against {@link PoolReference} on awkward sizes
 * with NaN, -inf, ties and zeros of both signs: max values and indices exactly (the sign of a zero
 * maximum too), averages within rounding of the reference and bit for bit equal to the plain
 * kernels (PyTorch's summation order), the global mean bit for bit equal to ATen's vectorised
 * sum. Counts the (kernel x provider) pairs it checked, so a kernel or a width cannot slip by.
 */
class PoolingProvidersTest {

  enum Kernel { MAX_VALUES, MAX_INDICES, AVG, ADAPTIVE_AVG, ADAPTIVE_MAX_VALUES, ADAPTIVE_MAX_INDICES, GLOBAL_AVG }

  /** Widths forced in this JVM whatever the CPU prefers (wider than native is emulated: slower, still exact). */
  private static final int[] WIDTHS = {128, 256, 512};

  /** Sizes with interiors below, at and past one vector of every width, and stride-2 rows of 17..103 outputs. */
  private static final int[][] SIZES = {{1, 1}, {1, 7}, {2, 2}, {5, 5}, {7, 13}, {13, 7}, {4, 33}, {6, 70}, {3, 207}};

  private final Map<String, Integer> checked = new TreeMap<>();
  private final int threadsBefore = Parallel.getNumThreads();

  @AfterEach
  void restoreThreads() {
    Parallel.setNumThreads(threadsBefore);
  }

  private static List<PoolingKernels> providers() {
    List<PoolingKernels> all = new ArrayList<>();
    all.add(PoolingProviders.plain());
    if (KernelProviders.vectorModulePresent()) {
      for (int bits : WIDTHS) {
        all.add(PoolingProviders.panama(bits));
      }
    }
    return all;
  }

  private void count(Kernel k, PoolingKernels p) {
    checked.merge(k + "@" + p.vectorBits(), 1, Integer::sum);
  }

  /** Asserts every pair of {@code kernels} x providers ran at least {@code min} times. */
  private void assertPairs(List<Kernel> kernels, int min) {
    List<PoolingKernels> ps = providers();
    for (Kernel k : kernels) {
      for (PoolingKernels p : ps) {
        int n = checked.getOrDefault(k + "@" + p.vectorBits(), 0);
        assertTrue(n >= min, k + " on " + p + " checked " + n + " times, expected at least " + min);
      }
    }
    assertEquals(kernels.size() * ps.size(), checked.size(), "pairs: " + checked.keySet());
  }

  /** Equal including the sign of zero; any NaN for NaN. */
  private static void same(String what, double expected, double actual) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
    } else {
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
          what + ": expected " + expected + ", got " + actual);
    }
  }

  private static void close(String what, double expected, double actual) {
    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
      same(what, expected, actual);
    } else {
      assertEquals(expected, actual, 1e-6 * Math.max(1, Math.abs(expected)), what);
    }
  }

  @Test
  void maxPool_everyProvider_matchesReference() {
    SplittableRandom r = new SplittableRandom(11);
    for (int[] hw : SIZES) {
      for (Pool2dParams p : PoolKernelsTest.windows(2, hw[0], hw[1], false)) {
        checkMax(p, PoolKernelsTest.input(r, p.planes() * p.inPlane(), true));
      }
    }
    assertPairs(List.of(Kernel.MAX_VALUES, Kernel.MAX_INDICES), 700);
  }

  private void checkMax(Pool2dParams p, double[] x) {
    int n = p.planes() * p.outPlane();
    double[] ref = new double[n];
    long[] refIdx = new long[n];
    PoolReference.maxPool(x, p, ref, refIdx);
    float[] xf = PoolKernelsTest.toFloats(x);
    for (PoolingKernels k : providers()) {
      float[] values = new float[n];
      k.maxPool2d(xf, 0, values, 0, null, 0, p);
      float[] withIdx = new float[n];
      long[] idx = new long[n];
      k.maxPool2d(xf, 0, withIdx, 0, idx, 0, p);
      for (int i = 0; i < n; i++) {
        String at = k + " " + p + " [" + i + "]";
        same(at, ref[i], values[i]);
        same(at, ref[i], withIdx[i]);
        assertEquals(refIdx[i], idx[i], at);
      }
      count(Kernel.MAX_VALUES, k);
      count(Kernel.MAX_INDICES, k);
    }
  }

  @Test
  void avgPool_everyProvider_matchesReferenceAndPlainBits() {
    SplittableRandom r = new SplittableRandom(12);
    for (int[] hw : SIZES) {
      for (Pool2dParams p : PoolKernelsTest.windows(2, hw[0], hw[1], true)) {
        checkAvg(p, rough(r, p.planes() * p.inPlane()));
      }
    }
    assertPairs(List.of(Kernel.AVG), 1000);
  }

  private void checkAvg(Pool2dParams p, double[] x) {
    int n = p.planes() * p.outPlane();
    double[] ref = new double[n];
    PoolReference.avgPool(x, p, ref);
    float[] xf = PoolKernelsTest.toFloats(x);
    float[] plain = new float[n];
    AvgPool2dKernel.forward(xf, 0, plain, 0, p);
    for (PoolingKernels k : providers()) {
      float[] y = new float[n];
      k.avgPool2d(xf, 0, y, 0, p);
      for (int i = 0; i < n; i++) {
        String at = k + " " + p + " [" + i + "]";
        close(at, ref[i], y[i]);
        same(at + " vs plain", plain[i], y[i]);
      }
      count(Kernel.AVG, k);
    }
  }

  @Test
  void adaptivePools_everyProvider_matchReference() {
    SplittableRandom r = new SplittableRandom(13);
    int[] outs = {0, 1, 2, 3, 4, 5, 7, 8, 14, 15, 17, 40};
    for (int[] hw : SIZES) {
      for (int oh : outs) {
        for (int ow : outs) {
          AdaptivePool2dParams p = new AdaptivePool2dParams(2, hw[0], hw[1], oh, ow);
          checkAdaptive(p, PoolKernelsTest.input(r, p.planes() * p.inPlane(), true), rough(r, p.planes() * p.inPlane()));
        }
      }
    }
    assertPairs(List.of(Kernel.ADAPTIVE_AVG, Kernel.ADAPTIVE_MAX_VALUES, Kernel.ADAPTIVE_MAX_INDICES), 1000);
  }

  private void checkAdaptive(AdaptivePool2dParams p, double[] x, double[] forAvg) {
    int n = p.planes() * p.outPlane();
    double[] ref = new double[n];
    long[] refIdx = new long[n];
    PoolReference.adaptiveMaxPool(x, p, ref, refIdx);
    double[] refAvg = new double[n];
    PoolReference.adaptiveAvgPool(forAvg, p, refAvg);
    float[] xf = PoolKernelsTest.toFloats(x);
    float[] af = PoolKernelsTest.toFloats(forAvg);
    float[] plainAvg = new float[n];
    AdaptivePool2dKernel.avg(af, 0, plainAvg, 0, p);
    for (PoolingKernels k : providers()) {
      float[] values = new float[n];
      k.adaptiveMaxPool2d(xf, 0, values, 0, null, 0, p);
      float[] withIdx = new float[n];
      long[] idx = new long[n];
      k.adaptiveMaxPool2d(xf, 0, withIdx, 0, idx, 0, p);
      float[] avg = new float[n];
      k.adaptiveAvgPool2d(af, 0, avg, 0, p);
      for (int i = 0; i < n; i++) {
        String at = k + " " + p + " [" + i + "]";
        same(at, ref[i], values[i]);
        same(at, ref[i], withIdx[i]);
        assertEquals(refIdx[i], idx[i], at);
        close(at + " avg", refAvg[i], avg[i]);
        same(at + " avg vs plain", plainAvg[i], avg[i]);
      }
      count(Kernel.ADAPTIVE_MAX_VALUES, k);
      count(Kernel.ADAPTIVE_MAX_INDICES, k);
      count(Kernel.ADAPTIVE_AVG, k);
    }
  }

  /**
   * The 1x1 adaptive average is PyTorch's mean: for every plane size to past ATen's cascade
   * threshold (512 elements) and its multi-level folds, the bits of ATen's 8-lane vector order.
   */
  @Test
  void globalAvg_everyProviderAndPlaneSize_isAtenSumBitForBit() {
    SplittableRandom r = new SplittableRandom(14);
    for (int len = 1; len <= 1100; len++) {
      checkGlobal(r, 1, len, 3);
    }
    // Planes long enough for the upper cascade levels (2^levelPower rows of 32 floats, folded up).
    for (int len : new int[] {16 * 32 * 16, 16 * 32 * 16 + 37, 16 * 32 * 17 - 5, 100_003}) {
      checkGlobal(r, 1, len, 2);
    }
    checkGlobal(r, 7, 49, 40); // 343 floats per plane, many planes
    // One row of ATen's four vectors (32..63 floats, ResNet's 7x7 maps): the kernels sum a vector's worth
    // of planes at once; plane counts that leave remainders of every size.
    for (int len = 32; len < 64; len++) {
      checkGlobal(r, 1, len, 16 + 4 + len % 16);
    }
    checkGlobal(r, 7, 7, 67);
    assertPairs(List.of(Kernel.GLOBAL_AVG), 1100 + 33);
  }

  private void checkGlobal(SplittableRandom r, int h, int w, int planes) {
    int len = h * w;
    float[] x = new float[planes * len];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 2e4 - 1e4) * (r.nextInt(8) == 0 ? 1e-6f : 1f);
      if (r.nextInt(50) == 0) {
        x[i] = r.nextBoolean() ? -0.0f : 0.0f;
      }
    }
    AdaptivePool2dParams p = new AdaptivePool2dParams(planes, h, w, 1, 1);
    for (PoolingKernels k : providers()) {
      float[] y = new float[planes];
      k.adaptiveAvgPool2d(x, 0, y, 0, p);
      for (int c = 0; c < planes; c++) {
        float want = PlaneMeanTest.atenSum(x, c * len, len) / len;
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[c]), k + " " + h + "x" + w + " plane " + c);
      }
      count(Kernel.GLOBAL_AVG, k);
    }
  }

  /**
   * Offsets into larger arrays: each kernel reads and writes only its own range (the guard values
   * around it stay), also where the last window's vector loads reach the end of the input array.
   */
  @Test
  void everyKernel_withOffsets_touchesOnlyItsRange() {
    SplittableRandom r = new SplittableRandom(15);
    int planes = 3;
    int h = 9;
    int w = 70;
    double[] xd = PoolKernelsTest.input(r, planes * h * w, true);
    float[] x = new float[5 + xd.length];
    System.arraycopy(PoolKernelsTest.toFloats(xd), 0, x, 5, xd.length); // input ends the array
    List<Pool2dParams> cases = List.of(
        Pool2dParams.max(planes, h, w, 5, 35, 3, 3, 2, 2, 1, 1, 1, 1),
        Pool2dParams.max(planes, h, w, 4, 35, 2, 2, 2, 2, 0, 0, 1, 1),
        Pool2dParams.max(planes, h, w, 3, 23, 3, 3, 3, 3, 0, 0, 1, 1),
        Pool2dParams.max(planes, h, w, 7, 68, 3, 3, 1, 1, 0, 0, 1, 1));
    for (Pool2dParams p : cases) {
      int n = planes * p.outPlane();
      double[] ref = new double[n];
      long[] refIdx = new long[n];
      PoolReference.maxPool(xd, p, ref, refIdx);
      double[] refAvg = new double[n];
      Pool2dParams a = Pool2dParams.avg(planes, h, w, p.outH(), p.outW(), p.kH(), p.kW(), p.sH(), p.sW(),
          p.pH(), p.pW(), true, 0);
      PoolReference.avgPool(xd, a, refAvg);
      for (PoolingKernels k : providers()) {
        float[] out = guarded(7 + n + 9);
        long[] idx = new long[4 + n + 6];
        Arrays.fill(idx, -99);
        k.maxPool2d(x, 5, out, 7, idx, 4, p);
        float[] avg = guarded(7 + n + 9);
        k.avgPool2d(x, 5, avg, 7, a);
        for (int i = 0; i < out.length; i++) {
          boolean inside = i >= 7 && i < 7 + n;
          String at = k + " " + p + " [" + i + "]";
          same(at, inside ? ref[i - 7] : -42.0, out[i]);
          if (inside) {
            close(at + " avg", refAvg[i - 7], avg[i]);
          } else {
            same(at + " avg", -42.0, avg[i]);
          }
        }
        for (int i = 0; i < idx.length; i++) {
          boolean inside = i >= 4 && i < 4 + n;
          assertEquals(inside ? refIdx[i - 4] : -99L, idx[i], k + " " + p + " idx [" + i + "]");
        }
        count(Kernel.MAX_INDICES, k);
      }
    }
    assertPairs(List.of(Kernel.MAX_INDICES), cases.size());
  }

  /**
   * Inputs for sums: full-mantissa floats (the half steps of {@link PoolKernelsTest#input} add
   * exactly in any order, so a changed summation order would not show), some tiny, a few zeros of
   * both signs, NaN and -inf (rarer than for max, so that most windows stay finite).
   */
  private static double[] rough(SplittableRandom r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      int u = r.nextInt(200);
      x[i] = u == 0 ? Double.NaN
          : u < 3 ? Double.NEGATIVE_INFINITY
          : u < 5 ? 0.0
          : u < 7 ? -0.0
          : (float) ((r.nextDouble() * 8 - 4) * (u < 50 ? 1e-3 : 1));
    }
    return x;
  }

  private static float[] guarded(int n) {
    float[] a = new float[n];
    Arrays.fill(a, -42f);
    return a;
  }

  /**
   * Many small planes on two threads: split between tasks (more than two tasks' worth of the
   * Vector API kernels' minimum task size), every plane still right.
   */
  @Test
  void everyKernel_splitAcrossThreads_matchesReference() {
    Parallel.setNumThreads(2);
    SplittableRandom r = new SplittableRandom(16);
    int planes = 40_001; // 40001 x (54 + 15) floats: over twice PanamaPooling.MIN_TASK, and odd
    checkMax(Pool2dParams.max(planes, 6, 9, 3, 5, 3, 3, 2, 2, 1, 1, 1, 1), PoolKernelsTest.input(r, planes * 54, true));
    checkAvg(Pool2dParams.avg(planes, 6, 9, 3, 5, 2, 2, 2, 2, 1, 1, false, 0), rough(r, planes * 54));
    checkAdaptive(new AdaptivePool2dParams(planes, 6, 9, 4, 3), PoolKernelsTest.input(r, planes * 54, true),
        rough(r, planes * 54));
    checkAdaptive(new AdaptivePool2dParams(planes, 6, 9, 3, 3), PoolKernelsTest.input(r, planes * 54, true),
        rough(r, planes * 54));
    checkGlobal(r, 6, 9, planes);
    assertPairs(List.of(Kernel.values()), 1);
  }
}
