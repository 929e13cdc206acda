package dev.jconv.internal.vector;

/**
 * Winograd F(4x4, 3x3) tile transforms in plain Java, one tile at a time (see
 * {@link KernelProvider#winogradInput}, {@link KernelProvider#winogradOutput} and
 * {@link KernelProvider#winogradGradOutput}). The matrices,
 * from Lavin and Gray (2015):
 * <pre>
 * B^T = [4  0 -5  0  1  0]      A^T = [1  1  1  1  1  0]
 *       [0 -4 -4  1  1  0]            [0  1 -1  2 -2  0]
 *       [0  4 -4 -1  1  0]            [0  1  1  4  4  0]
 *       [0 -2 -1  2  1  0]            [0  1 -1  8 -8  1]
 *       [0  2 -1 -2  1  0]
 *       [0  4  0 -5  0  1]
 * </pre>
 */
final class PlainWinograd {
  private PlainWinograd() {}

  static void input(float[] src, int srcOff, int ld, int[] offsets, int offOff, int count,
      float[] v, int vOff, int vStride) {
    float[] tmp = new float[36];
    for (int j = 0; j < count; j++) {
      int base = srcOff + offsets[offOff + j];
      // B^T along the columns (tmp = B^T d), then along the rows (V = tmp B).
      for (int c = 0; c < 6; c++) {
        input1d(src, base + c, ld, tmp, c, 6);
      }
      for (int r = 0; r < 6; r++) {
        input1d(tmp, 6 * r, 1, v, vOff + 6 * r * vStride + j, vStride);
      }
    }
  }

  /** out[o + k*os] = (B^T s)[k] for the 6 values s[i + k*is]. */
  private static void input1d(float[] s, int i, int is, float[] out, int o, int os) {
    float d0 = s[i];
    float d1 = s[i + is];
    float d2 = s[i + 2 * is];
    float d3 = s[i + 3 * is];
    float d4 = s[i + 4 * is];
    float d5 = s[i + 5 * is];
    // Rows 1-2 and 3-4 of B^T differ only in the signs of d1 and d3: share the partial sums.
    float a = d4 - 4 * d2;
    float b = d3 - 4 * d1;
    float p = d4 - d2;
    float q = 2 * (d3 - d1);
    out[o] = 4 * d0 - 5 * d2 + d4;
    out[o + os] = a + b;
    out[o + 2 * os] = a - b;
    out[o + 3 * os] = p + q;
    out[o + 4 * os] = p - q;
    out[o + 5 * os] = 4 * d1 - 5 * d3 + d5;
  }

  static void output(float[] m, int mOff, int mStride, int count, float[] y, int yStride) {
    output(m, mOff, mStride, count, y, 0, yStride);
  }

  /** As {@link #output(float[], int, int, int, float[], int)}, writing from {@code y[yOff]}. */
  static void output(float[] m, int mOff, int mStride, int count, float[] y, int yOff, int yStride) {
    float[] tmp = new float[24];
    for (int j = 0; j < count; j++) {
      // A^T along the columns (tmp = A^T M, 4x6), then along the rows (Y = tmp A, 4x4).
      for (int c = 0; c < 6; c++) {
        output1d(m, mOff + c * mStride + j, 6 * mStride, tmp, c, 6);
      }
      for (int r = 0; r < 4; r++) {
        output1d(tmp, 6 * r, 1, y, yOff + 4 * r * yStride + j, yStride);
      }
    }
  }

  /** out[o + k*os] = (A^T s)[k] for the 6 values s[i + k*is], k < 4. */
  private static void output1d(float[] s, int i, int is, float[] out, int o, int os) {
    float m0 = s[i];
    float m1 = s[i + is];
    float m2 = s[i + 2 * is];
    float m3 = s[i + 3 * is];
    float m4 = s[i + 4 * is];
    float m5 = s[i + 5 * is];
    float sum12 = m1 + m2;
    float dif12 = m1 - m2;
    float sum34 = m3 + m4;
    float dif34 = m3 - m4;
    out[o] = m0 + sum12 + sum34;
    out[o + os] = dif12 + 2 * dif34;
    out[o + 2 * os] = sum12 + 4 * sum34;
    out[o + 3 * os] = dif12 + 8 * dif34 + m5;
  }

  static void gradOutput(float[] src, int srcOff, int ld, int[] offsets, int offOff, int count,
      float[] u, int uOff, int uStride) {
    float[] tmp = new float[24];
    for (int j = 0; j < count; j++) {
      int base = srcOff + offsets[offOff + j];
      // A along the columns (tmp = A g, 6x4), then along the rows (U = tmp A^T, 6x6).
      for (int c = 0; c < 4; c++) {
        gradOutput1d(src, base + c, ld, tmp, c, 4);
      }
      for (int r = 0; r < 6; r++) {
        gradOutput1d(tmp, 4 * r, 1, u, uOff + 6 * r * uStride + j, uStride);
      }
    }
  }

  /** out[o + k*os] = (A s)[k] for the 4 values s[i + k*is], k < 6. */
  private static void gradOutput1d(float[] s, int i, int is, float[] out, int o, int os) {
    float s0 = s[i];
    float s1 = s[i + is];
    float s2 = s[i + 2 * is];
    float s3 = s[i + 3 * is];
    float even = s0 + s2;
    float odd = s1 + s3;
    float even4 = s0 + 4 * s2;
    float odd8 = 2 * s1 + 8 * s3;
    out[o] = s0;
    out[o + os] = even + odd;
    out[o + 2 * os] = even - odd;
    out[o + 3 * os] = even4 + odd8;
    out[o + 4 * os] = even4 - odd8;
    out[o + 5 * os] = s3;
  }
}
