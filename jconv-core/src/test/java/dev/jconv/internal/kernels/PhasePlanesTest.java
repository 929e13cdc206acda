package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PhasePlanes}' unfolding and folding against the strided loops they replace
 * ({@link Im2colConv#im2col}, {@link ConvBackward#col2im}): both only copy and add, in the same order,
 * so they must agree bit for bit. Then the strided backward through them against the slow reference.
 */
class PhasePlanesTest {

  /** Awkward strided problems: (n, cin, h, w, cout, groups, kh, kw, sh, sw, pt, pl, pb, pr, dh, dw). */
  private static final int[][] CASES = {
    {1, 1, 7, 7, 1, 1, 3, 3, 2, 2, 0, 0, 0, 0, 1, 1},
    {2, 3, 13, 7, 4, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},
    {1, 2, 11, 13, 3, 1, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1},     // stride > kernel: some phases never read
    {1, 4, 9, 10, 4, 2, 3, 3, 2, 3, 2, 1, 0, 2, 2, 1},      // groups, dilation, asymmetric stride and padding
    {1, 2, 1, 207, 2, 1, 1, 5, 1, 4, 0, 2, 0, 2, 1, 1},     // one row, stride only across
    {1, 1, 2, 3, 2, 1, 3, 3, 5, 5, 1, 1, 1, 1, 1, 1},       // input smaller than the stride
    {2, 3, 16, 16, 8, 1, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1},     // the stem's shape, small
  };

  private static ConvParams params(int[] c) {
    int oh = (c[2] + c[10] + c[12] - c[14] * (c[6] - 1) - 1) / c[8] + 1;
    int ow = (c[3] + c[11] + c[13] - c[15] * (c[7] - 1) - 1) / c[9] + 1;
    return new ConvParams(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13],
        c[14], c[15], oh, ow);
  }

  private static float[] gaussian(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  @Test
  void im2colAndCol2im_matchTheStridedLoops_bitForBit() {
    int checked = 0;
    for (int[] c : CASES) {
      ConvParams p = params(c);
      assertTrue(p.outH() >= 1 && p.outW() >= 1, p.toString());
      Random r = new Random(checked);
      float[] x = gaussian(r, p.inputLength());
      int hw = p.outH() * p.outW();
      int k = p.patchSize();
      int xOff = (p.cin() - p.cinPerGroup()) * p.h() * p.w(); // the last group of the first image
      float[] ph = new float[(int) PhasePlanes.floats(p)];
      PhasePlanes.split(p, x, xOff, 0, p.cinPerGroup(), ph);
      // the whole image at once, a chunk that starts and ends inside output rows, a single pixel
      for (int[] j : new int[][] {{0, hw}, {hw / 3, hw - hw / 4}, {hw - 1, hw}}) {
        int cols = j[1] - j[0];
        float[] want = new float[k * cols];
        float[] got = new float[k * cols];
        java.util.Arrays.fill(got, Float.NaN); // every element must be written, padding included
        Im2colConv.im2col(p, x, xOff, j[0], j[1], 0, k, want);
        PhasePlanes.im2col(p, ph, j[0], j[1], 0, k, got);
        assertArrayEquals(want, got, p + " im2col " + j[0] + ".." + j[1]);

        float[] col = gaussian(r, k * cols);
        float[] gxWant = new float[p.inputLength()];
        float[] gxGot = new float[p.inputLength()];
        ConvBackward.col2im(p, col, j[0], j[1], 0, k, gxWant, xOff);
        float[] phG = new float[ph.length];
        // two row ranges, as the parallel split over channels makes
        int mid = p.kh() * p.kw() * (p.cinPerGroup() / 2);
        PhasePlanes.col2im(p, col, j[0], j[1], 0, mid, phG);
        PhasePlanes.col2im(p, col, j[0], j[1], mid, k, phG);
        PhasePlanes.merge(p, phG, 0, p.cinPerGroup(), gxGot, xOff);
        assertArrayEquals(gxWant, gxGot, p + " col2im " + j[0] + ".." + j[1]);
        checked++;
      }
    }
    assertEquals(3 * CASES.length, checked);
  }

  @Test
  void backward_strided_matchesTheReference_withAndWithoutPhasePlanes() {
    int before = Parallel.getNumThreads();
    boolean enabledBefore = PhasePlanes.enabled;
    Boolean phaseProblemsBefore = PhaseBackward.force;
    int checked = 0;
    // the strided im2col forms, which PhaseBackward would otherwise take first
    PhaseBackward.force = false;
    try {
      for (boolean phases : new boolean[] {true, false}) {
        PhasePlanes.enabled = phases;
        for (int threads : new int[] {1, 2}) {
          Parallel.setNumThreads(threads);
          for (int[] c : CASES) {
            ConvParams p = params(c);
            assertEquals(phases, PhasePlanes.applies(p), p.toString());
            ConvBackwardTest.check(p, p + " phases=" + phases + " threads=" + threads);
            checked++;
          }
          // many channels: the GEMM forms (not the small-problem vector forms) with 4 images
          ConvParams big = params(new int[] {4, 40, 12, 11, 72, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1});
          ConvBackwardTest.check(big, big + " phases=" + phases + " threads=" + threads);
          checked++;
        }
      }
    } finally {
      PhasePlanes.enabled = enabledBefore;
      PhaseBackward.force = phaseProblemsBefore;
      Parallel.setNumThreads(before);
    }
    assertEquals(2 * 2 * (CASES.length + 1), checked);
    // stride 1 never takes the phase planes
    assertFalse(PhasePlanes.applies(params(new int[] {1, 1, 5, 5, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1})));
  }
}
