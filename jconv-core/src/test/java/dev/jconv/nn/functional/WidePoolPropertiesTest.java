package dev.jconv.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.kernels.AdaptivePool2dParams;
import dev.jconv.internal.kernels.Pool2dParams;
import dev.jconv.internal.kernels.PoolReference;
import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.shape.PoolShapes;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Pooling against {@link PoolReference} on many planes (up to 48, so that the kernels that take
 * several planes at once, such as the global average's 16-plane blocks, run) and maps of up to 40,
 * with infinities of both signs and NaN among the values: they must land exactly where the
 * reference puts them (PyTorch's rules: NaN wins a max window; inf - inf is NaN in a sum). The
 * backward too: the max pools' gradients routed to their recorded indices, the average pools'
 * through the adjoint identity. On 1 and 2 threads.
 */
class WidePoolPropertiesTest {

  private static float[] data(SplittableRandom r, int n, int specials) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 4 - 2);
    }
    float[] special = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
    for (int i = 0; i < specials && n > 0; i++) {
      x[r.nextInt(n)] = special[r.nextInt(special.length)];
    }
    return x;
  }

  private static void assertSame(double[] expected, float[] actual, double rel, String what) {
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      boolean ok = Double.isNaN(e) ? Float.isNaN(actual[i])
          : Double.isInfinite(e) ? e == actual[i] : Math.abs(actual[i] - e) <= rel * Math.max(1, Math.abs(e));
      if (!ok) {
        fail(what + " [" + i + "] is " + actual[i] + ", reference " + e);
      }
    }
  }

  /**
   * Checks the max pools' backward: each output's gradient added at its recorded index, within a
   * float sum's rounding of the gradients that meet there (an upsampling adaptive pool sends many).
   */
  private static void assertRouted(long[] idx, float[] g, int planes, int inPlane, float[] got, String what) {
    double[] gx = new double[planes * inPlane];
    double[] size = new double[gx.length];
    int outPlane = idx.length / planes;
    for (int i = 0; i < idx.length; i++) {
      int at = i / outPlane * inPlane + (int) idx[i];
      gx[at] += g[i];
      size[at] += Math.abs(g[i]);
    }
    for (int i = 0; i < gx.length; i++) {
      if (!(Math.abs(got[i] - gx[i]) <= 1e-6 * (1 + Math.abs(gx[i])) + 1e-6 * size[i])) {
        fail(what + " [" + i + "] is " + got[i] + ", expected " + gx[i]);
      }
    }
  }

  /**
   * The average pools' backward through the adjoint identity {@code <pool(u), g> = <u, gradInput(g)>}
   * for random u (the pools are linear); both sides in double.
   */
  private static void assertAdjoint(java.util.function.UnaryOperator<Tensor> pool, int[] shape, SplittableRandom r,
      String what) {
    Tensor u = Torch.fromFlat(data(r, shape[0] * shape[1] * shape[2] * shape[3], 0), shape).setRequiresGrad(true);
    Tensor y = pool.apply(u);
    float[] g = data(r, (int) y.numel(), 0);
    y.backward(Torch.fromFlat(g, y.shapeArray()));
    double lhs = 0;
    double scale = 0;
    float[] ys = y.detach().toFloatArray();
    for (int i = 0; i < ys.length; i++) {
      lhs += (double) ys[i] * g[i];
      scale += Math.abs((double) ys[i] * g[i]);
    }
    double rhs = 0;
    float[] us = u.detach().toFloatArray();
    float[] gx = u.grad().toFloatArray();
    for (int i = 0; i < us.length; i++) {
      rhs += (double) us[i] * gx[i];
      scale += Math.abs((double) us[i] * gx[i]);
    }
    if (!(Math.abs(lhs - rhs) <= 1e-5 * (1 + scale))) {
      fail(what + ": <pool(u), g> = " + lhs + " but <u, gradInput(g)> = " + rhs);
    }
  }

  @Property(tries = 80)
  void pooling_onManyPlanes_withInfinitiesAndNaN_matchesTheReference(
      @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 16) int c,
      @ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 40) int w,
      @ForAll @IntRange(min = 1, max = 5) int k, @ForAll @IntRange(min = 1, max = 4) int s,
      @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll boolean ceil, @ForAll boolean includePad,
      @ForAll @IntRange(min = 1, max = 9) int oh, @ForAll @IntRange(min = 1, max = 9) int ow,
      @ForAll @IntRange(min = 0, max = 3) int specials, @ForAll @IntRange(min = 1, max = 2) int threads,
      @ForAll long seed) {
    int p = Math.min(pad, k / 2);
    long poh = PoolShapes.outputSize(h, k, p, s, 1, ceil);
    long pow = PoolShapes.outputSize(w, k, p, s, 1, ceil);
    Assume.that(poh >= 1 && pow >= 1);
    int planes = n * c;
    SplittableRandom r = new SplittableRandom(seed);
    float[] xs = data(r, planes * h * w, specials);
    Tensor x = Torch.fromFlat(xs, n, c, h, w);
    double[] xd = PoolPropertiesTest.doubles(xs);
    String what = " n" + n + " c" + c + " " + h + "x" + w + " k" + k + " s" + s + " p" + p + " threads " + threads;
    int before = Parallel.getNumThreads();
    try {
      Parallel.setNumThreads(threads);
      // max
      Pool2dParams mp = Pool2dParams.max(planes, h, w, (int) poh, (int) pow, k, k, s, s, p, p, 1, 1);
      double[] ref = new double[planes * mp.outPlane()];
      long[] idx = new long[ref.length];
      PoolReference.maxPool(xd, mp, ref, idx);
      Tensor.ValuesIndices m = F.maxPool2dWithIndices(x, MaxPool2dOptions.of(k).stride(s).padding(p).ceilMode(ceil));
      assertSame(ref, m.values().toFloatArray(), 0, "maxPool2d" + what);
      assertArrayEquals(idx, m.indices().toLongArray(), "maxPool2d indices" + what);
      // its backward routes each gradient to the recorded index
      Tensor xg = Torch.fromFlat(xs.clone(), n, c, h, w).setRequiresGrad(true);
      Tensor my = F.maxPool2d(xg, MaxPool2dOptions.of(k).stride(s).padding(p).ceilMode(ceil));
      float[] gm = data(r, (int) my.numel(), 0);
      my.backward(Torch.fromFlat(gm, my.shapeArray()));
      assertRouted(idx, gm, planes, h * w, xg.grad().toFloatArray(), "maxPool2d backward" + what);
      assertAdjoint(u -> F.avgPool2d(u, AvgPool2dOptions.of(k).stride(s).padding(p).ceilMode(ceil)
          .countIncludePad(includePad)), new int[] {n, c, h, w}, r, "avgPool2d backward" + what);
      assertAdjoint(u -> F.adaptiveAvgPool2d(u, oh, ow), new int[] {n, c, h, w}, r, "adaptiveAvgPool2d backward" + what);
      // average
      Pool2dParams ap = Pool2dParams.avg(planes, h, w, (int) poh, (int) pow, k, k, s, s, p, p, includePad, 0);
      double[] avg = new double[planes * ap.outPlane()];
      PoolReference.avgPool(xd, ap, avg);
      assertSame(avg, F.avgPool2d(x, AvgPool2dOptions.of(k).stride(s).padding(p).ceilMode(ceil)
          .countIncludePad(includePad)).toFloatArray(), 1e-6, "avgPool2d" + what);
      // adaptive, and the global average (the usual 1x1)
      for (int[] o : new int[][] {{oh, ow}, {1, 1}}) {
        AdaptivePool2dParams q = new AdaptivePool2dParams(planes, h, w, o[0], o[1]);
        double[] aavg = new double[planes * o[0] * o[1]];
        PoolReference.adaptiveAvgPool(xd, q, aavg);
        assertSame(aavg, F.adaptiveAvgPool2d(x, o[0], o[1]).toFloatArray(), 1e-6,
            "adaptiveAvgPool2d " + o[0] + "x" + o[1] + what);
        double[] amax = new double[aavg.length];
        long[] aidx = new long[aavg.length];
        PoolReference.adaptiveMaxPool(xd, q, amax, aidx);
        Tensor.ValuesIndices am = F.adaptiveMaxPool2dWithIndices(x, dev.jconv.nn.AdaptiveMaxPool2dOptions.of(o[0], o[1]));
        assertSame(amax, am.values().toFloatArray(), 0, "adaptiveMaxPool2d " + o[0] + "x" + o[1] + what);
        assertArrayEquals(aidx, am.indices().toLongArray(), "adaptiveMaxPool2d indices" + what);
        Tensor xa = Torch.fromFlat(xs.clone(), n, c, h, w).setRequiresGrad(true);
        Tensor ay = F.adaptiveMaxPool2d(xa, dev.jconv.nn.AdaptiveMaxPool2dOptions.of(o[0], o[1]));
        float[] ga = data(r, (int) ay.numel(), 0);
        ay.backward(Torch.fromFlat(ga, ay.shapeArray()));
        assertRouted(aidx, ga, planes, h * w, xa.grad().toFloatArray(),
            "adaptiveMaxPool2d backward " + o[0] + "x" + o[1] + what);
      }
    } finally {
      Parallel.setNumThreads(before);
    }
  }

  /**
   * The global average on maps of 32 to 63 elements (ResNet's 7x7) and 16 to 64 planes: the shapes
   * whose planes the vector kernel sums 16 at a time, in ATen's order.
   */
  @Property(tries = 40)
  void globalAverage_onBlocksOfPlanes_matchesTheReference(@ForAll @IntRange(min = 16, max = 64) int planes,
      @ForAll @IntRange(min = 32, max = 63) int size, @ForAll @IntRange(min = 0, max = 3) int specials,
      @ForAll @IntRange(min = 1, max = 2) int threads, @ForAll long seed) {
    int h = size % 2 == 0 ? 2 : 1;
    int w = size / h;
    SplittableRandom r = new SplittableRandom(seed);
    float[] xs = data(r, planes * h * w, specials);
    double[] ref = new double[planes];
    PoolReference.adaptiveAvgPool(PoolPropertiesTest.doubles(xs), new AdaptivePool2dParams(planes, h, w, 1, 1), ref);
    int before = Parallel.getNumThreads();
    try {
      Parallel.setNumThreads(threads);
      assertSame(ref, F.adaptiveAvgPool2d(Torch.fromFlat(xs, 1, planes, h, w), 1, 1).toFloatArray(), 1e-6,
          "global average of " + planes + " planes " + h + "x" + w + " threads " + threads);
    } finally {
      Parallel.setNumThreads(before);
    }
  }
}
