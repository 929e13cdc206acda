package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PlaneMean}'s fast paths against a literal port of ATen's vectorised sum (8-lane vectors as
 * arrays, AVX2): same bits for every plane size up to past the cascade threshold (512).
 */
class PlaneMeanTest {

  /** ATen's cascade_sum inner path written with one array per vector register. */
  static float atenSum(float[] x, int off, int n) {
    if (n < 8) {
      float s = 0;
      for (int i = 0; i < n; i++) {
        s += x[off + i];
      }
      return s;
    }
    int vectors = n / 8;
    int rows = vectors / 4;
    int levelPower = Math.max(4, (rows <= 2 ? 1 : 64 - Long.numberOfLeadingZeros(rows - 1)) / 4);
    int step = 1 << levelPower;
    float[][][] acc = new float[4][4][8];
    int i = 0;
    while (i + step <= rows) {
      for (int j = 0; j < step; j++, i++) {
        for (int k = 0; k < 4; k++) {
          add(acc[0][k], x, off + (i * 4 + k) * 8);
        }
      }
      for (int j = 1; j < 4; j++) {
        for (int k = 0; k < 4; k++) {
          for (int l = 0; l < 8; l++) {
            acc[j][k][l] += acc[j - 1][k][l];
            acc[j - 1][k][l] = 0;
          }
        }
        if ((i & ((long) (step - 1) << (j * levelPower))) != 0) {
          break;
        }
      }
    }
    for (; i < rows; i++) {
      for (int k = 0; k < 4; k++) {
        add(acc[0][k], x, off + (i * 4 + k) * 8);
      }
    }
    for (int j = 1; j < 4; j++) {
      for (int k = 0; k < 4; k++) {
        for (int l = 0; l < 8; l++) {
          acc[0][k][l] += acc[j][k][l];
        }
      }
    }
    float[] v = acc[0][0];
    for (int r = rows * 4; r < vectors; r++) {
      add(v, x, off + r * 8);
    }
    for (int k = 1; k < 4; k++) {
      for (int l = 0; l < 8; l++) {
        v[l] += acc[0][k][l];
      }
    }
    float total = 0;
    for (int t = vectors * 8; t < n; t++) {
      total += x[off + t];
    }
    for (int l = 0; l < 8; l++) {
      total += v[l];
    }
    return total;
  }

  private static void add(float[] acc, float[] x, int at) {
    for (int l = 0; l < 8; l++) {
      acc[l] += x[at + l];
    }
  }

  @Test
  void sum_matchesAtenOrderBitForBit_forEverySizeUpTo1100() {
    SplittableRandom r = new SplittableRandom(9);
    float[] scratch = PlaneMean.scratch();
    int checked = 0;
    for (int n = 0; n <= 1100; n++) {
      float[] x = new float[n + 3];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (r.nextDouble() * 2e4 - 1e4) * (r.nextInt(8) == 0 ? 1e-6f : 1f);
        if (r.nextInt(50) == 0) {
          x[i] = -0.0f;
        }
      }
      assertEquals(Float.floatToIntBits(atenSum(x, 3, n)), Float.floatToIntBits(PlaneMean.sum(x, 3, n, scratch)),
          "n=" + n);
      checked++;
    }
    assertEquals(1101, checked);
  }
}
