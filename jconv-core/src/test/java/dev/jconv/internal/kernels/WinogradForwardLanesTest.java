package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The forward Winograd with channels across the vector lanes, against the slow reference. */
class WinogradForwardLanesTest {

  private static ConvParams params(int n, int cin, int h, int w, int cout, int pt, int pl, int pb, int pr) {
    return new ConvParams(n, cin, h, w, cout, 1, 3, 3, 1, 1, pt, pl, pb, pr, 1, 1, h + pt + pb - 2, w + pl + pr - 2);
  }

  private static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  /** Written over NaN, within Winograd's error (which scales with the largest output). */
  private static void check(ConvParams p, float[] x, float[] w, float[] b, boolean reused, String what) {
    float[] want = new float[p.outputLength()];
    ConvReference.forward(p, x, w, b, want);
    float[] got = new float[p.outputLength()];
    Arrays.fill(got, Float.NaN);
    if (reused) {
      ConvAlgorithm.WINOGRAD.forward(p, x, w, b, got);
    } else {
      ConvAlgorithm.WINOGRAD.forwardOnce(p, x, w, b, got);
    }
    WinogradTolerance.assertClose(want, got, 2e-5, what);
  }

  @Test
  void forward_matchesTheReference_onPartialTiles_chunks_andPadding() {
    ConvParams[] cases = {
      params(2, 16, 7, 9, 32, 1, 1, 1, 1),     // partial tiles both ways, cout != cin
      params(3, 32, 13, 7, 48, 1, 1, 1, 1),
      params(2, 16, 9, 10, 16, 2, 0, 1, 2),    // asymmetric padding, wider than the kernel's reach
      params(1, 16, 3, 3, 16, 0, 0, 0, 0),     // one output pixel
      params(5, 32, 40, 40, 32, 1, 1, 1, 1),   // two chunks of images
      params(2, 48, 14, 21, 16, 1, 1, 1, 1),   // rows of 21 (a short last block of the transposes)
    };
    ConvBackward.WeightKernel vec = ConvBackward.VECTOR;
    assertTrue(vec != null, "the Vector API kernel should load (surefire adds jdk.incubator.vector)");
    int before = Parallel.getNumThreads();
    int checked = 0;
    try {
      for (boolean poison : new boolean[] {false, true}) {
        ThreadScratch.poison = poison;
        for (int threads : new int[] {1, 2}) {
          Parallel.setNumThreads(threads);
          for (ConvParams p : cases) {
            assertTrue(WinogradForwardLanes.applies(p, vec), p.toString());
            Random r = new Random(p.hashCode());
            float[] x = random(r, p.inputLength());
            float[] w = random(r, p.weightLength());
            float[] b = (p.cin() & 16) == 0 ? null : random(r, p.cout());
            String what = p + " threads " + threads + " poisoned " + poison;
            check(p, x, w, b, false, what + " one-off");
            check(p, x, w, b, true, what + " cached");
            check(p, x, w, b, true, what + " cached again");
            checked++;
          }
        }
      }
    } finally {
      ThreadScratch.poison = false;
      Parallel.setNumThreads(before);
    }
    assertEquals(4 * cases.length, checked);
  }

  @Test
  void dilated_stacksOfPhases_takeTheLanes_andMatchTheReference() {
    // DilatedWinograd stacks the phases as images of one undilated problem; with channels in whole
    // vectors that problem runs here. n = 4 gives each thread its own images at 2 threads, n = 1 one stack.
    ConvParams[] cases = {
      new ConvParams(4, 32, 13, 12, 16, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 13, 12),
      new ConvParams(1, 16, 17, 15, 32, 1, 3, 3, 1, 1, 3, 1, 3, 1, 3, 1, 17, 15),
    };
    int before = Parallel.getNumThreads();
    int checked = 0;
    try {
      for (int threads : new int[] {1, 2}) {
        Parallel.setNumThreads(threads);
        for (ConvParams p : cases) {
          assertTrue(ConvAlgorithm.DILATED_WINOGRAD.supports(p), p.toString());
          Random r = new Random(p.hashCode());
          float[] x = random(r, p.inputLength());
          float[] w = random(r, p.weightLength());
          float[] b = random(r, p.cout());
          float[] want = new float[p.outputLength()];
          ConvReference.forward(p, x, w, b, want);
          for (boolean lanes : new boolean[] {true, false}) {
            WinogradForwardLanes.enabled = lanes;
            float[] got = new float[p.outputLength()];
            Arrays.fill(got, Float.NaN);
            ConvAlgorithm.DILATED_WINOGRAD.forward(p, x, w, b, got);
            WinogradTolerance.assertClose(want, got, 2e-5, p + " threads " + threads + " lanes " + lanes);
            checked++;
          }
        }
      }
    } finally {
      WinogradForwardLanes.enabled = true;
      Parallel.setNumThreads(before);
    }
    assertEquals(8, checked);
  }

  @Test
  void cachedFilters_followTheWeight_whenItChangesInPlace() {
    ConvParams p = params(2, 32, 10, 10, 32, 1, 1, 1, 1);
    Random r = new Random(3);
    float[] x = random(r, p.inputLength());
    float[] w = random(r, p.weightLength());
    check(p, x, w, null, true, "first");
    w[17] += 1.5f; // a training step updates the array in place
    check(p, x, w, null, true, "after the update");
  }

  @Test
  void applies_onlyWithChannelsInWholeVectors() {
    ConvBackward.WeightKernel vec = ConvBackward.VECTOR;
    assertTrue(vec != null);
    assertTrue(WinogradForwardLanes.applies(params(8, 64, 56, 56, 64, 1, 1, 1, 1), vec));
    assertFalse(WinogradForwardLanes.applies(params(8, 33, 14, 14, 64, 1, 1, 1, 1), vec));
    assertFalse(WinogradForwardLanes.applies(params(8, 64, 14, 14, 64, 1, 1, 1, 1), null));
    assertFalse(WinogradForwardLanes.applies(new ConvParams(1, 64, 9, 9, 64, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 5, 5),
        vec));
  }
}
