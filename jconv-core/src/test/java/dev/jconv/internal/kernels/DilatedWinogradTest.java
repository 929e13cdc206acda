package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import org.junit.jupiter.api.Test;

/**
 * {@link DilatedWinograd} against {@link ConvReference} on the paths its phase stacking takes: image
 * slices per thread and the whole stack, phases of one shape and of several, the vector stride-2
 * copies and their plain loops.
 */
class DilatedWinogradTest {

  /** (n, cin, h, w, cout, padTop, padLeft, padBottom, padRight, dh, dw). */
  private static final int[][] CASES = {
    {2, 3, 20, 44, 5, 2, 2, 2, 2, 2, 2},   // even output: one stack of 4 phases, 22-wide phase rows
    {3, 2, 17, 41, 4, 2, 2, 2, 2, 2, 2},   // odd output: phases of different shapes, 3 images on 2 threads
    {1, 4, 15, 37, 3, 1, 3, 0, 2, 3, 2},   // dilation 3 down, 2 across, uneven padding
    {4, 2, 9, 64, 3, 0, 2, 0, 2, 1, 2},    // dilated across only: 32-wide phase rows, the last at the end
    {5, 2, 11, 12, 2, 3, 3, 3, 3, 3, 3},   // dilation 3: the plain copies
  };

  @Test
  void forward_matchesTheReference_withAndWithoutTheVectorCopies() {
    int before = Parallel.getNumThreads();
    boolean vectorBefore = ConvBackward.useVector;
    int checked = 0;
    try {
      for (boolean vector : new boolean[] {true, false}) {
        ConvBackward.useVector = vector;
        for (int threads : new int[] {1, 2}) {
          Parallel.setNumThreads(threads);
          for (int[] c : CASES) {
            int oh = c[2] + c[5] + c[7] - 2 * c[9];
            int ow = c[3] + c[6] + c[8] - 2 * c[10];
            ConvParams p = new ConvParams(c[0], c[1], c[2], c[3], c[4], 1, 3, 3, 1, 1, c[5], c[6], c[7], c[8], c[9],
                c[10], oh, ow);
            assertTrue(DilatedWinograd.supports(p), p.toString());
            float[][] d = ConvBackwardTest.randomProblem(p);
            float[] bias = new float[p.cout()];
            for (int i = 0; i < bias.length; i++) {
              bias[i] = 0.25f * i - 0.5f;
            }
            float[] want = new float[p.outputLength()];
            ConvReference.forward(p, d[0], d[1], bias, want);
            float[] got = new float[p.outputLength()];
            java.util.Arrays.fill(got, Float.NaN); // every element must be written
            DilatedWinograd.forward(p, d[0], d[1], bias, got);
            for (int i = 0; i < want.length; i++) {
              assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])),
                  p + " element " + i + " threads " + threads + " vector " + vector);
            }
            checked++;
          }
        }
      }
    } finally {
      Parallel.setNumThreads(before);
      ConvBackward.useVector = vectorBefore;
    }
    assertEquals(4 * CASES.length, checked);
  }
}
