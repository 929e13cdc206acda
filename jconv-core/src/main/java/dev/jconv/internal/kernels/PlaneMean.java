package dev.jconv.internal.kernels;

import java.util.Arrays;

/**
 * The float32 mean of one contiguous plane, summed in the order of PyTorch's CPU {@code sum}
 * (ATen {@code cascade_sum} for a contiguous inner reduction, AVX2 build: 8-float vectors, four
 * of them at a time, with the multi-level cascade for long rows), then divided once by the count.
 * PyTorch computes a 1x1 adaptive average pool, the usual global average pooling, as
 * {@code x.mean((-1, -2))}; following its order gives the same float32 bits on an AVX2 build (the
 * common case, and this project's reference machine) and many independent accumulators, where a
 * single running sum is one long dependency chain. Planes shorter than one vector are summed in
 * order.
 */
final class PlaneMean {
  private PlaneMean() {}

  private static final int LANES = 8;
  private static final int ILP = 4;
  private static final int LEVELS = 4;
  private static final int LEVEL = ILP * LANES;

  /** Scratch for {@link #mean}: one per thread, reused across planes. */
  static float[] scratch() {
    return new float[LEVELS * LEVEL];
  }

  static float mean(float[] x, int off, int n, float[] acc) {
    return sum(x, off, n, acc) / n;
  }

  /**
   * The sum of {@code x[off, off+n)}; {@code acc} holds the accumulators {@code [level][k][lane]}
   * flattened. Level 0, vector k of a row of four, is {@code acc[k*8 .. k*8+8)}.
   */
  static float sum(float[] x, int off, int n, float[] acc) {
    if (n < LANES) {
      float s = 0;
      for (int i = 0; i < n; i++) {
        s += x[off + i];
      }
      return s;
    }
    int vectors = n / LANES;
    int rows = vectors / ILP;
    if (rows < 16) {
      return shortSum(x, off, n, vectors, rows);
    }
    multiRowSum(x, off, rows, acc);
    // row_sum: leftover vectors go into the first partial, then the other three join it.
    for (int v = rows * ILP; v < vectors; v++) {
      int at = off + v * LANES;
      for (int l = 0; l < LANES; l++) {
        acc[l] += x[at + l];
      }
    }
    for (int k = 1; k < ILP; k++) {
      for (int l = 0; l < LANES; l++) {
        acc[l] += acc[k * LANES + l];
      }
    }
    // vectorized_inner_sum: the scalar tail first, then the lanes in order.
    float total = 0;
    for (int i = vectors * LANES; i < n; i++) {
      total += x[off + i];
    }
    for (int l = 0; l < LANES; l++) {
      total += acc[l];
    }
    return total;
  }

  /**
   * {@link #sum} for planes of fewer than 16 rows of four vectors (n < 512), where ATen's cascade
   * never leaves level 0. Vector lanes never mix until the end, so each lane is computed on its
   * own, in the same order, with its four partials in registers instead of in an array.
   */
  private static float shortSum(float[] x, int off, int n, int vectors, int rows) {
    float total = 0;
    for (int i = vectors * LANES; i < n; i++) {
      total += x[off + i];
    }
    if (rows == 1) {
      // 32 <= n < 64, e.g. ResNet's 7x7 maps: the same sums without the row loops (~1.7x faster).
      for (int l = 0; l < LANES; l++) {
        int at = off + l;
        float a0 = 0f + x[at];
        for (int v = ILP; v < vectors; v++) {
          a0 += x[at + v * LANES];
        }
        a0 += 0f + x[at + LANES];
        a0 += 0f + x[at + 2 * LANES];
        a0 += 0f + x[at + 3 * LANES];
        total += a0;
      }
      return total;
    }
    for (int l = 0; l < LANES; l++) {
      float a0 = 0;
      float a1 = 0;
      float a2 = 0;
      float a3 = 0;
      for (int i = 0; i < rows; i++) {
        int at = off + i * LEVEL + l;
        a0 += x[at];
        a1 += x[at + LANES];
        a2 += x[at + 2 * LANES];
        a3 += x[at + 3 * LANES];
      }
      for (int v = rows * ILP; v < vectors; v++) {
        a0 += x[off + v * LANES + l];
      }
      a0 += a1;
      a0 += a2;
      a0 += a3;
      total += a0;
    }
    return total;
  }

  /**
   * ATen's {@code multi_row_sum} over rows of four vectors, into level 0 of {@code acc}: four
   * levels of accumulators, and every {@code 2^levelPower} rows a level is folded into the next,
   * which keeps the error growth logarithmic (only rows of at least 16 reach the upper levels).
   */
  private static void multiRowSum(float[] x, int off, int rows, float[] acc) {
    int levelPower = Math.max(4, ceilLog2(rows) / LEVELS);
    int levelStep = 1 << levelPower;
    long levelMask = levelStep - 1;
    Arrays.fill(acc, 0, rows >= levelStep ? LEVELS * LEVEL : LEVEL, 0f);
    int i = 0;
    while (i + levelStep <= rows) {
      for (int j = 0; j < levelStep; j++, i++) {
        addRow(acc, x, off + i * LEVEL);
      }
      for (int j = 1; j < LEVELS; j++) {
        for (int e = 0; e < LEVEL; e++) {
          acc[j * LEVEL + e] += acc[(j - 1) * LEVEL + e];
          acc[(j - 1) * LEVEL + e] = 0;
        }
        if ((i & (levelMask << (j * levelPower))) != 0) {
          break;
        }
      }
    }
    for (; i < rows; i++) {
      addRow(acc, x, off + i * LEVEL);
    }
    if (rows >= levelStep) {
      for (int j = 1; j < LEVELS; j++) {
        for (int e = 0; e < LEVEL; e++) {
          acc[e] += acc[j * LEVEL + e];
        }
      }
    }
  }

  /** Level 0 += one row of four vectors (32 consecutive floats). */
  private static void addRow(float[] acc, float[] x, int at) {
    for (int e = 0; e < LEVEL; e++) {
      acc[e] += x[at + e];
    }
  }

  /** c10's {@code CeilLog2}: 1 for x <= 2, else the bit length of x - 1. */
  private static int ceilLog2(long x) {
    if (x <= 2) {
      return 1;
    }
    return 64 - Long.numberOfLeadingZeros(x - 1);
  }
}
