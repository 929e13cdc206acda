package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code winogradGradOutput} of every native provider against {@code A g A^T} computed in double
 * from the matrix written out, on tile counts below, at and past the vector widths.
 */
class WinogradGradOutputTest {

  /** F(4x4, 3x3)'s output transform A^T (4x6), as in Lavin and Gray (2015). */
  private static final double[][] AT = {
    {1, 1, 1, 1, 1, 0},
    {0, 1, -1, 2, -2, 0},
    {0, 1, 1, 4, 4, 0},
    {0, 1, -1, 8, -8, 1},
  };

  private static final float GUARD = -777.25f;

  @Test
  void winogradGradOutput_everyProviderAndCount_matchesTheMatrices() {
    int checked = 0;
    SplittableRandom rnd = new SplittableRandom(11);
    for (int count : new int[] {1, 4, 7, 13, 16, 17, 207}) {
      // Tiles in a plane 4*count + 3 wide, 9 rows, in a shuffled order and at offsets that are not
      // multiples of 4 (the kernel must follow offsets, not assume a grid).
      int ld = 4 * count + 3;
      float[] src = new float[2 + 9 * ld];
      for (int i = 0; i < src.length; i++) {
        src[i] = (float) (rnd.nextDouble() * 2 - 1);
      }
      int[] offsets = new int[3 + count];
      for (int j = 0; j < count; j++) {
        offsets[3 + j] = (j * 7 % count) * 4 + j % 3 + (j % 5) * ld;
      }
      int uOff = 5;
      int uStride = count + 4;
      float[] u0 = new float[uOff + 36 * uStride];
      Arrays.fill(u0, GUARD);
      for (KernelProvider p : KernelProviders.allNative()) {
        float[] u = u0.clone();
        float[] srcCopy = src.clone();
        p.winogradGradOutput(src, 2, ld, offsets, 3, count, u, uOff, uStride);
        assertEquals(Arrays.toString(srcCopy), Arrays.toString(src), p + ": modified src");
        boolean[] written = new boolean[u.length];
        for (int j = 0; j < count; j++) {
          int base = 2 + offsets[3 + j];
          for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 6; c++) {
              // U[r][c] = sum_{a,b} A[r][a] g[a][b] A[c][b], A = AT^T.
              double want = 0;
              double abs = 0;
              for (int a = 0; a < 4; a++) {
                for (int b = 0; b < 4; b++) {
                  double term = AT[a][r] * src[base + a * ld + b] * AT[b][c];
                  want += term;
                  abs += Math.abs(term);
                }
              }
              int idx = uOff + (6 * r + c) * uStride + j;
              written[idx] = true;
              assertEquals(want, u[idx], 1e-6 * abs + 1e-7, p + " count=" + count + " tile " + j + " U[" + r
                  + "][" + c + "]");
            }
          }
        }
        for (int i = 0; i < u.length; i++) {
          if (!written[i]) {
            assertEquals(GUARD, u[i], p + " count=" + count + ": wrote outside the tiles at " + i);
          }
        }
        checked++;
      }
    }
    assertEquals(7 * KernelProviders.allNative().size(), checked);
  }
}
