package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.internal.parallel.Parallel;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Fast = reference on random convolutions whose channel counts fill whole vectors (8 to 64 per
 * group), the shapes that take the forms the small-channel property tests never reach: Winograd
 * with channels in the lanes (forward, input and weight gradient), the strided and dilated phase
 * forms, the image-lanes forward. Forward through every algorithm that supports the problem and
 * through the selector; backward through {@link ConvBackward#backward}; on 1 or 2 threads, with the
 * kept scratch handed out full of NaN ({@link ThreadScratch#poison}), so that a read of scratch no
 * call wrote shows. Three tries in four put infinities or NaN into the input, the weight or the
 * output gradient (the latter two on unpadded layers), which must reach exactly the outputs and
 * gradients the definition gives them.
 */
class WideChannelsPropertyTest {

  /**
   * Within {@code 1e-4 (1 + |e|) + 1e-6 m + 2e-5 largest}: m the sum of |terms| (float sums of many
   * terms), largest the largest reference value (Winograd's error scales with whole tiles; see
   * {@link WinogradTolerance}, whose spread this is).
   */
  private static void assertClose(double[] ref, double[] magnitude, float[] got, String what) {
    double largest = 0;
    for (double v : ref) {
      largest = Double.isFinite(v) ? Math.max(largest, Math.abs(v)) : largest;
    }
    for (int i = 0; i < ref.length; i++) {
      double tol = 1e-4 * (1 + Math.abs(ref[i])) + 1e-6 * magnitude[i] + 2e-5 * largest;
      // NaN and infinities exactly where the definition has them.
      boolean ok = Double.isNaN(ref[i]) ? Float.isNaN(got[i])
          : Double.isInfinite(ref[i]) ? ref[i] == got[i] : Math.abs(got[i] - ref[i]) <= tol;
      if (!ok) {
        fail(what + " [" + i + "] is " + got[i] + ", reference " + ref[i]);
      }
    }
  }

  private static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      // Box-Muller from the splittable stream (reproducible from the seed jqwik prints).
      double u = 1 - r.nextDouble();
      v[i] = (float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble()));
    }
    return v;
  }

  private static float[] nans(int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, Float.NaN);
    return v;
  }

  /** Channels per group: whole vectors of 8 or 16 lanes, and 48 (three 16-lane vectors). */
  private static final int[] CHANNELS = {8, 16, 32, 48, 64};

  @Property(tries = 60)
  void fastFormsMatchTheReference_withWideChannels(@ForAll @IntRange(min = 0, max = 4) int kind,
      @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 2) int groups,
      @ForAll @IntRange(min = 0, max = 4) int cinIdx, @ForAll @IntRange(min = 0, max = 4) int coutIdx,
      @ForAll @IntRange(min = 1, max = 5) int kh, @ForAll @IntRange(min = 1, max = 5) int kw,
      @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 3) int sw,
      @ForAll @IntRange(min = 1, max = 3) int dh, @ForAll @IntRange(min = 1, max = 3) int dw,
      @ForAll @IntRange(min = 0, max = 3) int pt, @ForAll @IntRange(min = 0, max = 3) int pl,
      @ForAll @IntRange(min = 0, max = 3) int pb, @ForAll @IntRange(min = 0, max = 3) int pr,
      @ForAll @IntRange(min = 0, max = 24) int extraH, @ForAll @IntRange(min = 0, max = 24) int extraW,
      @ForAll @IntRange(min = 1, max = 2) int threads, @ForAll @IntRange(min = 0, max = 3) int nonFinite,
      @ForAll long seed) {
    // The layers people build, each with the forms it takes, then anything (kind 4).
    switch (kind) {
      case 0 -> { // 3x3, stride 1: Winograd, channels in the lanes from 32 channels
        kh = kw = 3;
        sh = sw = dh = dw = 1;
        groups = 1;
        pl = pb = pr = pt = Math.min(pt, 2);
      }
      case 1 -> { // 3x3 (or 1x1, 5x5), stride 2: the strided phase form from 16 channels
        kw = kh = kh % 2 == 0 ? 3 : kh;
        sh = sw = 2;
        dh = dw = 1;
        pl = pb = pr = pt = kh / 2;
      }
      case 2 -> { // 3x3 dilated, padded to keep the size: the dilated phase form (stacked Winograd)
        kh = kw = 3;
        sh = sw = 1;
        dw = dh = Math.max(2, dh);
        pl = pb = pr = pt = dh;
      }
      case 3 -> { // 1x1
        kh = kw = 1;
        dh = dw = 1;
        pl = pb = pr = pt = 0;
      }
      default -> { }
    }
    int cinG = CHANNELS[cinIdx];
    int coutG = CHANNELS[coutIdx];
    int h = Math.max(1, dh * (kh - 1) + 1 - pt - pb) + extraH;
    int w = Math.max(1, dw * (kw - 1) + 1 - pl - pr) + extraW;
    // The reference's double loops: about 5e7 multiply-adds at most.
    Assume.that((long) n * groups * cinG * coutG * h * w * kh * kw <= 50_000_000L);
    int outH = (h + pt + pb - dh * (kh - 1) - 1) / sh + 1;
    int outW = (w + pl + pr - dw * (kw - 1) - 1) / sw + 1;
    ConvParams p = new ConvParams(n, groups * cinG, h, w, groups * coutG, groups, kh, kw, sh, sw, pt, pl, pb, pr,
        dh, dw, outH, outW);
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = gaussian(r, p.inputLength());
    float[] weight = gaussian(r, p.weightLength());
    float[] bias = gaussian(r, p.cout());
    float[] g = gaussian(r, p.outputLength());
    // Infinities and NaN where the definition and PyTorch agree: in the input, and, on unpadded layers
    // (where PyTorch's kernels differ only by the padding's zeros; see PaddingNaN), in the weight or
    // the output gradient. The fast forms must keep them where they belong (Winograd would spread
    // them, forms with zeros of their own would make NaN).
    float[] special = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
    boolean padded = pt + pl + pb + pr > 0;
    float[] target = nonFinite == 1 || padded ? x : nonFinite == 2 ? weight : g;
    for (int i = 0; nonFinite > 0 && i < 1 + r.nextInt(2); i++) {
      target[r.nextInt(target.length)] = special[r.nextInt(special.length)];
    }

    int before = Parallel.getNumThreads();
    boolean poisonBefore = ThreadScratch.poison;
    try {
      Parallel.setNumThreads(threads);
      ThreadScratch.poison = true;
      float[] want = new float[p.outputLength()];
      ConvReference.forward(p, x, weight, bias, want);
      float[] size = new float[p.outputLength()];
      ConvReference.forward(p, ConvAlgorithmsTest.abs(x), ConvAlgorithmsTest.abs(weight), ConvAlgorithmsTest.abs(bias), size);
      double[] ref = widen(want);
      double[] magnitude = widen(size);
      boolean finiteInput = ConvSelector.allFinite(x, x.length);
      boolean finiteWeight = ConvSelector.allFinite(weight, weight.length);
      for (ConvAlgorithm alg : ConvAlgorithm.values()) {
        // A non-finite input through the algorithms that do not mix tiles; a non-finite weight only
        // through the selector (which picks an algorithm that keeps it where it belongs).
        if (alg.supports(p) && finiteWeight && (finiteInput || !alg.mixesTiles())) {
          float[] out = nans(p.outputLength());
          alg.forward(p, x, weight, bias, out);
          assertClose(ref, magnitude, out, alg + " forward " + p + " threads " + threads);
        }
      }
      float[] out = nans(p.outputLength());
      ConvAlgorithm chosen = ConvSelector.selectFor(p, x, weight);
      chosen.forward(p, x, weight, bias, out);
      assertClose(ref, magnitude, out, "selected " + chosen + " forward " + p + " threads " + threads);

      double[][] grads = ConvBackwardTest.reference(p, x, weight, g);
      float[] gx = nans(p.inputLength());
      float[] gw = nans(p.weightLength());
      float[] gb = nans(p.cout());
      ConvBackward.backward(p, x, weight, g, gx, gw, gb);
      String what = " " + p + " threads " + threads;
      assertClose(grads[0], grads[3], gx, "grad input" + what);
      assertClose(grads[1], grads[4], gw, "grad weight" + what);
      assertClose(grads[2], grads[5], gb, "grad bias" + what);
      // Each gradient alone takes forms of its own (the Winograd input gradient without the shared
      // transform, the dilated input gradient as a forward convolution).
      float[] gxAlone = nans(p.inputLength());
      ConvBackward.backward(p, x, weight, g, gxAlone, null, null);
      assertClose(grads[0], grads[3], gxAlone, "grad input alone" + what);
      float[] gwAlone = nans(p.weightLength());
      ConvBackward.backward(p, x, weight, g, null, gwAlone, null);
      assertClose(grads[1], grads[4], gwAlone, "grad weight alone" + what);
    } finally {
      Parallel.setNumThreads(before);
      ThreadScratch.poison = poisonBefore;
    }
  }
}
