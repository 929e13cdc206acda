package dev.jconv.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jconv.Tensor;
import dev.jconv.internal.Raw;
import dev.jconv.internal.kernels.ConvAlgorithm;
import dev.jconv.internal.kernels.ConvParams;
import dev.jconv.internal.kernels.ConvReference;
import dev.jconv.internal.kernels.ConvSelector;
import dev.jconv.internal.shape.ConvShapes;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Laws over random valid convolutions: the output shape is the shape arithmetic, and fast = reference. */
class ConvPropertyTest {

  @Property(tries = 150)
  void conv2d_shapeIsShapeArithmetic_andEveryAlgorithmMatchesReference(
      @ForAll @IntRange(min = 0, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int groups,
      @ForAll @IntRange(min = 1, max = 4) int cinG, @ForAll @IntRange(min = 1, max = 3) int coutG,
      @ForAll @IntRange(min = 1, max = 5) int kh, @ForAll @IntRange(min = 1, max = 5) int kw,
      @ForAll @IntRange(min = 1, max = 4) int sh, @ForAll @IntRange(min = 1, max = 4) int sw,
      @ForAll @IntRange(min = 1, max = 3) int dh, @ForAll @IntRange(min = 1, max = 3) int dw,
      @ForAll @IntRange(min = 0, max = 3) int ph, @ForAll @IntRange(min = 0, max = 3) int pw,
      @ForAll @IntRange(min = 0, max = 12) int extraH, @ForAll @IntRange(min = 0, max = 12) int extraW,
      @ForAll @IntRange(min = 0, max = 3) int paddingKind, @ForAll boolean withBias, @ForAll long seed) {
    Padding padding = switch (paddingKind) {
      case 0 -> Padding.of(ph);
      case 1 -> Padding.of(ph, pw);
      case 2 -> Padding.VALID;
      default -> Padding.SAME;
    };
    if (padding instanceof Padding.Same) {
      sh = 1;
      sw = 1;
    }
    long[] padH = padding instanceof Padding.Same ? ConvShapes.samePadding(kh, dh)
        : padding instanceof Padding.Explicit e ? new long[] {e.height(), e.height()} : new long[] {0, 0};
    long[] padW = padding instanceof Padding.Same ? ConvShapes.samePadding(kw, dw)
        : padding instanceof Padding.Explicit e ? new long[] {e.width(), e.width()} : new long[] {0, 0};
    // The smallest input the dilated kernel fits, plus a random margin.
    int h = (int) Math.max(1, ConvShapes.dilatedKernel(kh, dh) - padH[0] - padH[1]) + extraH;
    int w = (int) Math.max(1, ConvShapes.dilatedKernel(kw, dw) - padW[0] - padW[1]) + extraW;
    int cin = cinG * groups;
    int cout = coutG * groups;
    SplittableRandom rnd = new SplittableRandom(seed);
    Tensor x = Raw.wrap(random(rnd, n * cin * h * w), n, cin, h, w);
    Tensor weight = Raw.wrap(random(rnd, cout * cinG * kh * kw), cout, cinG, kh, kw);
    Tensor bias = withBias ? Raw.wrap(random(rnd, cout), cout) : null;
    Conv2dFuncOptions o = new Conv2dFuncOptions().bias(bias).stride(sh, sw).padding(padding).dilation(dh, dw)
        .groups(groups);

    Tensor y = F.conv2d(x, weight, o);
    long outH = ConvShapes.outputSize(h, padH[0], padH[1], kh, sh, dh);
    long outW = ConvShapes.outputSize(w, padW[0], padW[1], kw, sw, dw);
    assertArrayEquals(new int[] {n, cout, (int) outH, (int) outW}, y.shapeArray());
    Assume.that(n > 0);

    ConvParams p = new ConvParams(n, cin, h, w, cout, groups, kh, kw, sh, sw, (int) padH[0], (int) padW[0],
        (int) padH[1], (int) padW[1], dh, dw, (int) outH, (int) outW);
    float[] xs = Raw.floats(x);
    float[] ws = Raw.floats(weight);
    float[] bs = bias == null ? null : Raw.floats(bias);
    float[] expected = new float[p.outputLength()];
    ConvReference.forward(p, xs, ws, bs, expected);
    float[] magnitude = new float[p.outputLength()];
    ConvReference.forward(p, abs(xs), abs(ws), bs == null ? null : abs(bs), magnitude);
    for (ConvAlgorithm alg : ConvAlgorithm.values()) {
      if (alg.supports(p)) {
        float[] out = new float[p.outputLength()];
        alg.forward(p, xs, ws, bs, out);
        assertWithin(alg + " " + p, expected, magnitude, p.patchSize(), alg.mixesTiles(), out);
      }
    }
    // And what F.conv2d returned, through whichever algorithm the selector chose.
    assertWithin("F.conv2d " + p, expected, magnitude, p.patchSize(), ConvSelector.select(p).mixesTiles(),
        Raw.floats(y));
  }

  /**
   * Within the rounding of a float sum of k terms of the element's magnitude; for Winograd
   * ({@code tiles}), whose transforms round values of the whole tile's size, also within
   * {@code 2e-5} of the largest output (WinogradTolerance's spread: a 3x3 dilated layer of one input
   * channel was off by 2.1e-6 where the sum's bound was 1.8e-6).
   */
  private static void assertWithin(String what, float[] expected, float[] magnitude, int k, boolean tiles,
      float[] got) {
    double largest = 0;
    for (float e : expected) {
      largest = Math.max(largest, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      double tol = 2.0 * (k + 2) * Math.ulp(1f) * magnitude[i] + 1e-30 + (tiles ? 2e-5 * largest : 0);
      if (!(Math.abs(got[i] - expected[i]) <= tol)) {
        throw new AssertionError(what + ": element " + i + " is " + got[i] + ", reference " + expected[i]);
      }
    }
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return v;
  }

  private static float[] abs(float[] v) {
    float[] a = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      a[i] = Math.abs(v[i]);
    }
    return a;
  }
}
