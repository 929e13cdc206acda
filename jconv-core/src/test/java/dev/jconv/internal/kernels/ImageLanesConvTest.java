package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import dev.jconv.internal.vector.KernelProviders;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * IMAGE_LANES against {@link ConvReference} at every native provider (plain, and each vector
 * width up to the CPU's): batches that fill no group, one, several and a partial last one
 * (1, 15, 16, 17, 33 images), 1, 3 and 6 input channels, output channels that leave a partial
 * register block, 3x3 and 5x5 kernels, padding 0 and 2, maps from 5 to 14 wide, plus stride,
 * dilation and asymmetric padding. The forms each provider took are counted and asserted, so a
 * table edit cannot silently drop one.
 */
class ImageLanesConvTest {

  private final int threads = Parallel.getNumThreads();

  @AfterEach
  void restoreThreads() {
    Parallel.setNumThreads(threads);
  }

  /** n, cin, h, w, cout, groups, kh, kw, sh, sw, top, left, bottom, right, dh, dw. */
  private static List<int[]> configs() {
    List<int[]> c = new ArrayList<>();
    int[] batches = {1, 15, 16, 17, 33};
    int[] cins = {1, 3, 6};
    int[] couts = {1, 3, 6, 16};
    int i = 0;
    for (int k : new int[] {3, 5}) {
      for (int pad : new int[] {0, 2}) {
        for (int n : batches) {
          // Sizes walk through 5..14 and the channel counts rotate, so every batch meets every
          // kernel and padding with varied shapes, in 20 configurations.
          int h = 5 + (3 * i) % 10;
          int w = 5 + (7 * i + 4) % 10;
          if (h + 2 * pad < k || w + 2 * pad < k) {
            h = w = 14 - i % 3;
          }
          c.add(new int[] {n, cins[i % 3], h, w, couts[i % 4], 1, k, k, 1, 1, pad, pad, pad, pad, 1, 1});
          i++;
        }
      }
    }
    c.add(new int[] {33, 6, 14, 14, 16, 1, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1});  // LeNet's second layer
    c.add(new int[] {17, 1, 14, 14, 6, 1, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1});   // LeNet's first, smaller
    c.add(new int[] {16, 3, 13, 11, 17, 1, 5, 5, 1, 1, 1, 2, 0, 3, 1, 1});  // asymmetric padding
    c.add(new int[] {17, 6, 14, 13, 16, 1, 5, 5, 2, 2, 2, 2, 2, 2, 1, 1});  // stride 2
    c.add(new int[] {15, 3, 14, 14, 8, 1, 5, 5, 1, 1, 2, 2, 2, 2, 2, 2});   // dilation 2
    c.add(new int[] {16, 6, 9, 14, 4, 1, 3, 5, 2, 1, 0, 0, 0, 0, 1, 2});    // dilated width only
    return c;
  }

  @Test
  void imageLanes_matchesReference_everyProviderAndForm() {
    List<KernelProvider> providers = KernelProviders.allNative();
    List<int[]> configs = configs();
    TreeMap<String, Integer> forms = new TreeMap<>();
    int checked = 0;
    for (int[] c : configs) {
      ConvParams p = ConvAlgorithmsTest.params(c);
      assertTrue(ConvAlgorithm.IMAGE_LANES.supports(p));
      SplittableRandom rnd = new SplittableRandom(p.hashCode());
      float[] x = ConvAlgorithmsTest.random(rnd, p.inputLength());
      float[] w = ConvAlgorithmsTest.random(rnd, p.weightLength());
      float[] b = rnd.nextBoolean() ? ConvAlgorithmsTest.random(rnd, p.cout()) : null;
      float[] expected = new float[p.outputLength()];
      ConvReference.forward(p, x, w, b, expected);
      float[] bound = ConvAlgorithmsTest.magnitude(p, x, w, b);
      for (KernelProvider provider : providers) {
        int lanes = provider.imageLanes();
        for (String form : forms(p, lanes)) {
          forms.merge(provider + " " + form, 1, Integer::sum);
        }
        try (var r = KernelProviders.overrideForTesting(provider)) {
          for (int t : new int[] {1, 2}) {
            Parallel.setNumThreads(t);
            float[] out = new float[p.outputLength()];
            java.util.Arrays.fill(out, Float.NaN);
            ConvAlgorithm.IMAGE_LANES.forward(p, x, w, b, out);
            ConvAlgorithmsTest.compare("IMAGE_LANES " + provider + " threads=" + t + " " + p, expected,
                bound, p.patchSize(), out);
          }
        }
        checked++;
      }
    }
    assertEquals(26, configs.size(), "the table should keep its configurations");
    assertEquals(configs.size() * providers.size(), checked);
    for (KernelProvider provider : providers) {
      for (String form : List.of("partial group", "several groups", "one image", "padded",
          "5-tap rows", "3-tap rows", "other rows", "channel remainder", "pixel remainder", "strided",
          "dilated width")) {
        assertTrue(forms.getOrDefault(provider + " " + form, 0) > 0,
            provider + " never took the form '" + form + "': " + forms);
      }
    }
  }

  /** The paths of ImageLanesConv and its kernels that {@code p} takes at {@code lanes}. */
  private static List<String> forms(ConvParams p, int lanes) {
    List<String> f = new ArrayList<>();
    if (p.n() % lanes != 0) {
      f.add("partial group");
    }
    if (p.n() > lanes) {
      f.add("several groups");
    }
    if (p.n() == 1) {
      f.add("one image");
    }
    if (p.padTop() + p.padLeft() + p.padBottom() + p.padRight() > 0) {
      f.add("padded");
    }
    boolean slide = (p.kw() == 5 || p.kw() == 3) && p.strideW() == 1 && p.dilationW() == 1;
    f.add(slide ? p.kw() + "-tap rows" : "other rows");
    if (p.cout() % 4 != 0) {
      f.add("channel remainder");
    }
    if (p.outW() % 5 != 0) {
      f.add("pixel remainder");
    }
    if (p.strideH() > 1 || p.strideW() > 1) {
      f.add("strided");
    }
    if (p.dilationW() > 1) {
      f.add("dilated width");
    }
    return f;
  }

  @Test
  void keptBorders_ofAnotherInputHeight_withTheSamePaddedSize_areRezeroed() {
    // The padded copy keeps its zero borders between calls on one thread. An input of 2 rows with 1
    // row of bottom padding and one of 1 row with 2 have the same padded height and top padding: the
    // second must not read the first's second row where its bottom padding is (it did, found by
    // ConvPropertyTest: an error of 1.45).
    ConvParams a = new ConvParams(1, 1, 2, 8, 1, 1, 2, 3, 1, 1, 0, 2, 1, 2, 1, 2, 2, 8);
    ConvParams b = new ConvParams(1, 1, 1, 8, 1, 1, 2, 3, 1, 1, 0, 2, 2, 2, 1, 2, 2, 8);
    java.util.Random r = new java.util.Random(1);
    int checked = 0;
    for (ConvParams p : new ConvParams[] {a, b, a, b}) {
      float[] x = new float[p.inputLength()];
      float[] w = new float[p.weightLength()];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextFloat() * 2 - 1;
      }
      for (int i = 0; i < w.length; i++) {
        w[i] = r.nextFloat() * 2 - 1;
      }
      float[] want = new float[p.outputLength()];
      float[] got = new float[p.outputLength()];
      ConvReference.forward(p, x, w, null, want);
      ConvAlgorithm.IMAGE_LANES.forward(p, x, w, null, got);
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-5, p + " [" + i + "]");
      }
      checked++;
    }
    assertEquals(4, checked);
  }

  @Test
  void selector_picksImageLanes_forLeNetBatches() {
    ConvParams lenet2 = ConvAlgorithmsTest.params(new int[] {256, 6, 14, 14, 16, 1, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1});
    assertEquals(ConvAlgorithm.IMAGE_LANES, ConvSelector.choose(lenet2));
    ConvParams lenet1 = ConvAlgorithmsTest.params(new int[] {256, 1, 28, 28, 6, 1, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1});
    assertEquals(ConvAlgorithm.IMAGE_LANES, ConvSelector.choose(lenet1));
    // The last batch of a Fashion-MNIST epoch (60000 = 234 * 256 + 96).
    ConvParams last = ConvAlgorithmsTest.params(new int[] {96, 6, 14, 14, 16, 1, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1});
    assertEquals(ConvAlgorithm.IMAGE_LANES, ConvSelector.choose(last));
    // Maps too large for a group's copies (measured no faster there).
    ConvParams large = ConvAlgorithmsTest.params(new int[] {64, 3, 32, 32, 32, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1});
    assertEquals(ConvAlgorithm.DIRECT_CHANNELS, ConvSelector.choose(large));
    // A small batch would leave most lanes empty.
    ConvParams few = ConvAlgorithmsTest.params(new int[] {4, 6, 14, 14, 16, 1, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1});
    assertEquals(ConvAlgorithm.DIRECT_CHANNELS, ConvSelector.choose(few));
  }
}
