package dev.jconv.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.kernels.AdaptivePool2dParams;
import dev.jconv.internal.kernels.Pool2dParams;
import dev.jconv.internal.kernels.PoolReference;
import dev.jconv.internal.kernels.Unpool2dParams;
import dev.jconv.internal.shape.PoolShapes;
import dev.jconv.nn.AdaptiveMaxPool2dOptions;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.LPPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.MaxUnpool2dOptions;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Laws over generated arguments, through the public API: the output shape is the one
 * {@link PoolShapes} gives, and the result equals {@link PoolReference}'s.
 */
class PoolPropertiesTest {

  /** Inputs with ties (steps of 0.5), some NaN and -inf when asked. */
  private static float[] data(long seed, int n, boolean specials) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextInt(-10, 10) * 0.5f;
      if (specials && r.nextInt(30) == 0) {
        x[i] = r.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
      }
    }
    return x;
  }

  static double[] doubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static void assertSame(double[] expected, float[] actual, double rel) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      if (Double.isNaN(expected[i])) {
        assertTrue(Float.isNaN(actual[i]), "[" + i + "] expected NaN, got " + actual[i]);
      } else if (rel == 0 || Double.isInfinite(expected[i])) {
        assertEquals(expected[i], actual[i], 0.0, "[" + i + "]");
      } else {
        assertEquals(expected[i], actual[i], rel * Math.max(1, Math.abs(expected[i])), "[" + i + "]");
      }
    }
  }

  @Property(tries = 300)
  void maxPool2d_shapeFromPoolShapes_valuesAndIndicesFromReference(
      @ForAll @IntRange(min = 0, max = 3) int n,
      @ForAll @IntRange(min = 1, max = 3) int c,
      @ForAll @IntRange(min = 1, max = 17) int h,
      @ForAll @IntRange(min = 1, max = 17) int w,
      @ForAll @IntRange(min = 1, max = 5) int kh,
      @ForAll @IntRange(min = 1, max = 5) int kw,
      @ForAll @IntRange(min = 1, max = 6) int s,
      @ForAll @IntRange(min = 0, max = 2) int pad,
      @ForAll @IntRange(min = 1, max = 3) int d,
      @ForAll boolean ceil,
      @ForAll boolean unbatched,
      @ForAll long seed) {
    int ph = Math.min(pad, kh / 2);
    int pw = Math.min(pad, kw / 2);
    long oh = PoolShapes.outputSize(h, kh, ph, s, d, ceil);
    long ow = PoolShapes.outputSize(w, kw, pw, s, d, ceil);
    Assume.that(oh >= 1 && ow >= 1 && (!unbatched || n == 1));
    int planes = n * c;
    float[] xs = data(seed, planes * h * w, true);
    Tensor x = unbatched ? Torch.fromFlat(xs, c, h, w) : Torch.fromFlat(xs, n, c, h, w);
    MaxPool2dOptions o = MaxPool2dOptions.of(kh, kw).stride(s).padding(ph, pw).dilation(d).ceilMode(ceil);
    Tensor.ValuesIndices r = F.maxPool2dWithIndices(x, o);
    int[] shape = unbatched ? new int[] {c, (int) oh, (int) ow} : new int[] {n, c, (int) oh, (int) ow};
    assertArrayEquals(shape, r.values().shapeArray());
    assertArrayEquals(shape, r.indices().shapeArray());
    Pool2dParams p = Pool2dParams.max(planes, h, w, (int) oh, (int) ow, kh, kw, s, s, ph, pw, d, d);
    double[] ref = new double[planes * p.outPlane()];
    long[] idx = new long[ref.length];
    PoolReference.maxPool(doubles(xs), p, ref, idx);
    assertSame(ref, r.values().toFloatArray(), 0);
    assertArrayEquals(idx, r.indices().toLongArray());
    assertSame(ref, F.maxPool2d(x, o).toFloatArray(), 0);
  }

  @Property(tries = 300)
  void avgPool2d_shapeFromPoolShapes_valuesFromReference(
      @ForAll @IntRange(min = 1, max = 3) int n,
      @ForAll @IntRange(min = 1, max = 3) int c,
      @ForAll @IntRange(min = 1, max = 17) int h,
      @ForAll @IntRange(min = 1, max = 17) int w,
      @ForAll @IntRange(min = 1, max = 5) int k,
      @ForAll @IntRange(min = 1, max = 6) int s,
      @ForAll @IntRange(min = 0, max = 2) int pad,
      @ForAll boolean ceil,
      @ForAll boolean includePad,
      @ForAll @IntRange(min = -3, max = 3) int divisor,
      @ForAll long seed) {
    int p = Math.min(pad, k / 2);
    long oh = PoolShapes.outputSize(h, k, p, s, 1, ceil);
    long ow = PoolShapes.outputSize(w, k, p, s, 1, ceil);
    Assume.that(oh >= 1 && ow >= 1);
    float[] xs = data(seed, n * c * h * w, false);
    AvgPool2dOptions o = AvgPool2dOptions.of(k).stride(s).padding(p).ceilMode(ceil).countIncludePad(includePad);
    if (divisor != 0) {
      o = o.divisorOverride(divisor);
    }
    Tensor y = F.avgPool2d(Torch.fromFlat(xs, n, c, h, w), o);
    assertArrayEquals(new int[] {n, c, (int) oh, (int) ow}, y.shapeArray());
    Pool2dParams params = Pool2dParams.avg(n * c, h, w, (int) oh, (int) ow, k, k, s, s, p, p, includePad, divisor);
    double[] ref = new double[n * c * params.outPlane()];
    PoolReference.avgPool(doubles(xs), params, ref);
    assertSame(ref, y.toFloatArray(), 1e-6);
  }

  @Property(tries = 300)
  void adaptiveMaxPool2d_binsAndValuesFromReference(
      @ForAll @IntRange(min = 1, max = 2) int n,
      @ForAll @IntRange(min = 1, max = 3) int c,
      @ForAll @IntRange(min = 1, max = 19) int h,
      @ForAll @IntRange(min = 1, max = 19) int w,
      @ForAll @IntRange(min = 0, max = 23) int oh,
      @ForAll @IntRange(min = 0, max = 23) int ow,
      @ForAll long seed) {
    float[] xs = data(seed, n * c * h * w, true);
    Tensor x = Torch.fromFlat(xs, n, c, h, w);
    Tensor.ValuesIndices r = F.adaptiveMaxPool2dWithIndices(x, AdaptiveMaxPool2dOptions.of(oh, ow));
    assertArrayEquals(new int[] {n, c, oh, ow}, r.values().shapeArray());
    AdaptivePool2dParams p = new AdaptivePool2dParams(n * c, h, w, oh, ow);
    double[] ref = new double[n * c * oh * ow];
    long[] idx = new long[ref.length];
    PoolReference.adaptiveMaxPool(doubles(xs), p, ref, idx);
    assertSame(ref, r.values().toFloatArray(), 0);
    assertArrayEquals(idx, r.indices().toLongArray());
    double[] avg = new double[ref.length];
    float[] plain = data(seed + 1, xs.length, false);
    PoolReference.adaptiveAvgPool(doubles(plain), p, avg);
    assertSame(avg, F.adaptiveAvgPool2d(Torch.fromFlat(plain, n, c, h, w), oh, ow).toFloatArray(), 1e-6);
  }

  @Property(tries = 200)
  void lpPool2d_valuesFromReference(
      @ForAll @IntRange(min = 1, max = 13) int h,
      @ForAll @IntRange(min = 1, max = 13) int w,
      @ForAll @IntRange(min = 1, max = 4) int k,
      @ForAll @IntRange(min = 1, max = 4) int s,
      @ForAll @IntRange(min = 1, max = 4) int normIndex,
      @ForAll boolean ceil,
      @ForAll long seed) {
    long oh = PoolShapes.outputSize(h, k, 0, s, 1, ceil);
    long ow = PoolShapes.outputSize(w, k, 0, s, 1, ceil);
    Assume.that(oh >= 1 && ow >= 1);
    double norm = new double[] {1, 2, 3, 1.5}[normIndex - 1];
    float[] xs = data(seed, 2 * h * w, false);
    if (norm == 3 || norm == 1.5) {
      // Odd and fractional norms of a window sum near 0 could flip to NaN on a rounding difference.
      for (int i = 0; i < xs.length; i++) {
        xs[i] = Math.abs(xs[i]) + 0.5f;
      }
    }
    Tensor y = F.lpPool2d(Torch.fromFlat(xs, 2, h, w), LPPool2dOptions.of(norm, k).stride(s).ceilMode(ceil));
    assertArrayEquals(new int[] {2, (int) oh, (int) ow}, y.shapeArray());
    Pool2dParams p = Pool2dParams.avg(2, h, w, (int) oh, (int) ow, k, k, s, s, 0, 0, true, 0);
    double[] ref = new double[2 * p.outPlane()];
    PoolReference.lpPool(doubles(xs), p, norm, ref);
    assertSame(ref, y.toFloatArray(), 2e-5);
  }

  /** Unpooling the indices of a max pooling puts every max back where it was. */
  @Property(tries = 200)
  void maxUnpool2d_ofMaxPool2d_restoresTheMaxima(
      @ForAll @IntRange(min = 1, max = 3) int c,
      @ForAll @IntRange(min = 2, max = 15) int h,
      @ForAll @IntRange(min = 2, max = 15) int w,
      @ForAll @IntRange(min = 2, max = 3) int k,
      @ForAll long seed) {
    Assume.that(h >= k && w >= k);
    float[] xs = data(seed, c * h * w, false);
    Tensor x = Torch.fromFlat(xs, c, h, w);
    Tensor.ValuesIndices r = F.maxPool2dWithIndices(x, MaxPool2dOptions.of(k));
    Tensor back = F.maxUnpool2d(r.values(), r.indices(), MaxUnpool2dOptions.of(k), h, w);
    assertArrayEquals(new int[] {c, h, w}, back.shapeArray());
    int[] s = r.values().shapeArray();
    Unpool2dParams p = new Unpool2dParams(c, s[1] * s[2], h, w);
    double[] ref = new double[c * h * w];
    PoolReference.maxUnpool(doubles(r.values().toFloatArray()), r.indices().toLongArray(), p, ref);
    assertSame(ref, back.toFloatArray(), 0);
    float[] b = back.toFloatArray();
    long[] idx = r.indices().toLongArray();
    for (int i = 0; i < idx.length; i++) {
      int plane = i / (s[1] * s[2]);
      assertEquals(xs[plane * h * w + (int) idx[i]], b[plane * h * w + (int) idx[i]]);
    }
  }
}
