package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.shape.ConvShapes;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every convolution algorithm against {@link ConvReference} over awkward sizes (1, 7, 13, 207),
 * groups, dilation, stride larger than the kernel, asymmetric padding, and both parallel paths.
 * Each runs at every native kernel provider. The number of (algorithm, provider, configuration)
 * checks is asserted, so an algorithm added to {@link ConvAlgorithm} cannot go untested.
 */
class ConvAlgorithmsTest {

  private final int threads = Parallel.getNumThreads();

  @AfterEach
  void restoreThreads() {
    Parallel.setNumThreads(threads);
  }

  /** n, cin, h, w, cout, groups, kh, kw, sh, sw, top, left, bottom, right, dh, dw. */
  private static final int[][] CONFIGS = {
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1},
    {1, 1, 7, 7, 1, 1, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1},
    {2, 3, 13, 13, 7, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
    {1, 7, 13, 7, 13, 1, 2, 4, 1, 1, 0, 1, 1, 2, 1, 1},      // 'same' split of an even kernel
    {3, 4, 13, 13, 6, 2, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},      // groups 2, stride 2
    {2, 6, 13, 7, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},       // depthwise
    {1, 3, 13, 13, 9, 3, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2},      // depthwise x3, dilation 2
    {2, 2, 13, 13, 3, 1, 2, 2, 5, 4, 0, 0, 0, 0, 1, 1},      // stride > kernel
    {1, 2, 13, 7, 3, 1, 3, 2, 3, 1, 0, 2, 1, 0, 3, 2},       // asymmetric padding, dilation pair
    {1, 5, 7, 13, 4, 1, 7, 1, 1, 2, 3, 0, 3, 0, 1, 1},       // 7x1 kernel
    {1, 1, 207, 1, 2, 1, 5, 1, 2, 1, 2, 0, 2, 0, 1, 1},      // 207 x 1
    {1, 2, 1, 207, 3, 1, 1, 7, 1, 3, 0, 3, 0, 3, 1, 1},      // 1 x 207
    {1, 3, 207, 13, 5, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
    {1, 13, 13, 13, 7, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1},     // pointwise
    {2, 8, 7, 13, 12, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1},      // pointwise, groups 4
    {1, 7, 13, 13, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 3, 2},      // pointwise, dilation ignored
    {1, 4, 13, 13, 5, 1, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1},      // 1x1 strided: not pointwise
    {1, 3, 5, 5, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},        // 1x1 padded: not pointwise
    {1, 2, 3, 3, 2, 1, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1},        // kernel = padded input, 1x1 output
    {1, 1, 1, 1, 2, 1, 1, 7, 1, 1, 0, 3, 0, 3, 1, 1},        // taps wholly in the padding (found by jqwik)
    {2, 2, 1, 2, 3, 1, 3, 3, 2, 1, 4, 3, 4, 3, 1, 1},        // padding larger than the input
    {16, 8, 7, 7, 16, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},      // many tasks: parallel over images
    {1, 70, 30, 30, 300, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   // M, K over the GEMM blocks (64, 256)
    {1, 64, 207, 207, 2, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   // im2col larger than one chunk
    {2, 7, 13, 207, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},     // depthwise, rows past several vectors
    {1, 5, 13, 13, 15, 5, 5, 3, 1, 1, 2, 1, 2, 1, 1, 1},     // depthwise, multiplier 3, 5x3
    {1, 4, 13, 13, 4, 4, 3, 3, 2, 3, 1, 0, 0, 2, 2, 1},      // depthwise, strided and dilated rows
    {1, 3, 11, 37, 6, 3, 3, 3, 1, 1, 1, 2, 1, 2, 1, 2},      // depthwise x2, row pairs with a dilated width
    {2, 5, 13, 11, 6, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2},      // dilated 2, 'same'
    {1, 3, 17, 13, 4, 1, 3, 3, 1, 1, 0, 5, 4, 0, 3, 2},      // dilations 3 and 2, uneven padding
    {1, 18, 9, 9, 17, 1, 3, 3, 1, 1, 1, 1, 1, 1, 2, 1},      // dilated rows only
    {1, 8, 9, 35, 64, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},      // deep patch, 64 outputs, 35-wide rows
    {2, 8, 15, 45, 70, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},     // the same strided, 70 outputs
    {3, 6, 14, 14, 16, 1, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1},     // LeNet's second layer: 10-wide rows
  };

  /** Configurations above with one input channel per group (cin = 1 counts: groups 1). */
  private static final int DEPTHWISE_CONFIGS = 10;

  /** Configurations above with a dilated 3x3 stride-1 kernel, groups 1. */
  private static final int DILATED_CONFIGS = 3;

  /** Configurations above that DIRECT runs (groups 1, stride 1 along the width). */
  private static final int DIRECT_CONFIGS = 20;

  @Test
  void everyAlgorithm_matchesReference_onAwkwardConfigs() {
    // Every algorithm at every provider the CPU runs natively (plain, and the Vector API at each
    // width up to the CPU's): the GEMMs and transforms behind them differ per provider.
    List<KernelProvider> providers = KernelProviders.allNative();
    Map<ConvAlgorithm, Integer> checked = new EnumMap<>(ConvAlgorithm.class);
    int pointwise = 0;
    int winograd = 0;
    int depthwise = 0;
    int direct = 0;
    int dilated = 0;
    int groups1 = 0;
    for (int[] c : CONFIGS) {
      ConvParams p = params(c);
      if (Im2colConv.isPointwise(p)) {
        pointwise++;
      }
      if (ConvAlgorithm.WINOGRAD.supports(p)) {
        winograd++;
      }
      if (ConvAlgorithm.DEPTHWISE.supports(p)) {
        depthwise++;
      }
      if (ConvAlgorithm.DIRECT.supports(p)) {
        direct++;
      }
      if (ConvAlgorithm.DILATED_WINOGRAD.supports(p)) {
        dilated++;
      }
      if (p.groups() == 1) {
        groups1++;
      }
      SplittableRandom rnd = new SplittableRandom(p.hashCode());
      float[] x = random(rnd, p.inputLength());
      float[] w = random(rnd, p.weightLength());
      float[] b = rnd.nextBoolean() ? random(rnd, p.cout()) : null;
      float[] expected = new float[p.outputLength()];
      ConvReference.forward(p, x, w, b, expected);
      float[] bound = magnitude(p, x, w, b);
      for (ConvAlgorithm alg : ConvAlgorithm.values()) {
        if (alg == ConvAlgorithm.REFERENCE || !alg.supports(p)) {
          continue;
        }
        for (KernelProvider provider : providers) {
          try (var r = KernelProviders.overrideForTesting(provider)) {
            for (int t : new int[] {1, 2}) {
              Parallel.setNumThreads(t);
              float[] out = new float[p.outputLength()];
              java.util.Arrays.fill(out, Float.NaN);
              alg.forward(p, x, w, b, out);
              String what = alg + " " + provider + " threads=" + t + " " + p;
              if (alg == ConvAlgorithm.WINOGRAD) {
                compareWinograd(what, p, expected, bound, out);
              } else if (alg == ConvAlgorithm.DILATED_WINOGRAD) {
                // Its 4x4 tiles are tiles of a phase, spread over the plane: scale by the plane's
                // largest magnitude (looser than per tile, and simple).
                compareWinogradPlane(what, p, expected, bound, out);
              } else {
                compare(what, expected, bound, p.patchSize(), out);
              }
            }
          }
          checked.merge(alg, 1, Integer::sum);
        }
      }
    }
    int np = providers.size();
    assertEquals(CONFIGS.length * np, checked.get(ConvAlgorithm.IM2COL_GEMM));
    assertEquals(4, pointwise, "the table should keep its pointwise configurations");
    assertEquals(pointwise * np, checked.get(ConvAlgorithm.POINTWISE_GEMM));
    assertEquals(6, winograd, "the table should keep its 3x3 stride-1 configurations");
    assertEquals(winograd * np, checked.get(ConvAlgorithm.WINOGRAD));
    for (ConvAlgorithm alg : ConvAlgorithm.values()) {
      if (alg != ConvAlgorithm.REFERENCE) {
        assertTrue(checked.getOrDefault(alg, 0) > 0, alg + " was never checked against the reference");
      }
    }
    assertEquals(ConvAlgorithm.values().length - 1, checked.size());
    assertEquals(DEPTHWISE_CONFIGS, depthwise, "the table should keep its depthwise configurations");
    assertEquals(depthwise * np, checked.get(ConvAlgorithm.DEPTHWISE));
    assertEquals(DIRECT_CONFIGS, direct, "the table should keep its groups-1, width-stride-1 configurations");
    assertEquals(direct * np, checked.get(ConvAlgorithm.DIRECT));
    assertEquals(DILATED_CONFIGS, dilated, "the table should keep its dilated 3x3 configurations");
    assertEquals(dilated * np, checked.get(ConvAlgorithm.DILATED_WINOGRAD));
    assertEquals(groups1 * np, checked.get(ConvAlgorithm.DIRECT_CHANNELS));
    assertEquals(groups1 * np, checked.get(ConvAlgorithm.IMAGE_LANES));
    assertEquals((CONFIGS.length + pointwise + winograd + depthwise + direct + dilated + 2 * groups1) * np,
        checked.values().stream().mapToInt(Integer::intValue).sum());
  }

  /**
   * Winograd's transforms mix the 16 outputs of a 4x4 tile, so its rounding error scales with the
   * largest output magnitude in the tile, and is about ten times a direct sum's (see
   * WinogradConvTest for the measured figures).
   */
  static void compareWinogradPlane(String what, ConvParams p, float[] expected, float[] magnitude,
      float[] got) {
    int plane = p.outH() * p.outW();
    for (int i = 0; i < expected.length; i++) {
      double scale = 0;
      for (int j = i / plane * plane; j < (i / plane + 1) * plane; j++) {
        scale = Math.max(scale, magnitude[j]);
      }
      double tol = 2e-5 * scale + 1e-30;
      if (!(Math.abs(got[i] - expected[i]) <= tol)) {
        fail(what + ": element " + i + " is " + got[i] + ", expected " + expected[i] + " (tolerance " + tol + ")");
      }
    }
  }

  static void compareWinograd(String what, ConvParams p, float[] expected, float[] magnitude,
      float[] got) {
    int oh = p.outH();
    int ow = p.outW();
    for (int i = 0; i < expected.length; i++) {
      int plane = i / (oh * ow);
      int oy = i / ow % oh;
      int ox = i % ow;
      double scale = 0;
      for (int y = oy / 4 * 4; y < Math.min(oh, oy / 4 * 4 + 4); y++) {
        for (int xx = ox / 4 * 4; xx < Math.min(ow, ox / 4 * 4 + 4); xx++) {
          scale = Math.max(scale, magnitude[(plane * oh + y) * ow + xx]);
        }
      }
      double tol = 2e-5 * scale + 1e-30;
      if (!(Math.abs(got[i] - expected[i]) <= tol)) {
        fail(what + ": element " + i + " is " + got[i] + ", expected " + expected[i] + " (tolerance " + tol + ")");
      }
    }
  }

  @Test
  void reference_bookExample() {
    // corr2d([[0..8]], [[0, 1], [2, 3]]) = [[19, 25], [37, 43]] (d2l, section 7.2).
    ConvParams p = params(new int[] {1, 1, 3, 3, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1});
    float[] out = new float[4];
    ConvReference.forward(p, new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, new float[] {0, 1, 2, 3}, null, out);
    assertEquals(List.of(19f, 25f, 37f, 43f), List.of(out[0], out[1], out[2], out[3]));
  }

  static ConvParams params(int[] c) {
    long oh = ConvShapes.outputSize(c[2], c[10], c[12], c[6], c[8], c[14]);
    long ow = ConvShapes.outputSize(c[3], c[11], c[13], c[7], c[9], c[15]);
    if (oh < 1 || ow < 1) {
      fail("bad test configuration " + java.util.Arrays.toString(c));
    }
    return new ConvParams(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13],
        c[14], c[15], (int) oh, (int) ow);
  }

  /** Per output element, the sum of |terms|: the scale float rounding errors are relative to. */
  static float[] magnitude(ConvParams p, float[] x, float[] w, float[] b) {
    float[] ax = abs(x);
    float[] aw = abs(w);
    float[] out = new float[p.outputLength()];
    ConvReference.forward(p, ax, aw, b == null ? null : abs(b), out);
    return out;
  }

  /** Fails unless every element is within the worst-case float error of a (k+1)-term sum. */
  static void compare(String what, float[] expected, float[] magnitude, int k, float[] got) {
    assertEquals(expected.length, got.length, what);
    double eps = Math.ulp(1f);
    for (int i = 0; i < expected.length; i++) {
      double tol = 2.0 * (k + 2) * eps * magnitude[i] + 1e-30;
      if (!(Math.abs(got[i] - expected[i]) <= tol)) {
        fail(what + ": element " + i + " is " + got[i] + ", expected " + expected[i] + " (tolerance " + tol + ")");
      }
    }
  }

  static float[] random(SplittableRandom rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return v;
  }

  /** |v| elementwise (for the magnitudes that scale a tolerance). */
  static float[] abs(float[] v) {
    float[] a = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      a[i] = Math.abs(v[i]);
    }
    return a;
  }

  static List<int[]> configs() {
    return new ArrayList<>(List.of(CONFIGS));
  }
}
