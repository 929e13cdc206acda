package dev.jconv.internal.vector;

/**
 * The plain-Java twin of {@link PanamaImageLanes}: the definitions of
 * {@link KernelProvider#imageLanesRow} and its transposes written as loops, for a JVM without the
 * Vector API and as a second implementation in tests.
 */
final class PlainImageLanes {

  /**
   * Images per group. Any count is correct; eight keeps a group's buffers small, and lets a
   * test's 15, 16 and 17 images cover full, several and partial groups.
   */
  static final int LANES = 8;

  private PlainImageLanes() {}

  static void toLanes(float[] x, int xOff, int imageStride, int count, int len, float[] dst,
      int dstOff) {
    for (int e = 0; e < len; e++) {
      for (int i = 0; i < count; i++) {
        dst[dstOff + e * LANES + i] = x[xOff + i * imageStride + e];
      }
    }
  }

  static void fromLanes(float[] src, int len, int count, float[] out, int outOff, int imageStride) {
    for (int i = 0; i < count; i++) {
      for (int e = 0; e < len; e++) {
        out[outOff + i * imageStride + e] = src[e * LANES + i];
      }
    }
  }

  static void row(float[] src, int base, int pixStep, int np, int[] tapOff, int taps, int kw,
      float[] w, float[] bias, int cout, float[] out, int outOff, int coStride) {
    for (int co = 0; co < cout; co++) {
      int o = outOff + co * coStride;
      java.util.Arrays.fill(out, o, o + np * LANES, bias[co]);
      for (int t = 0; t < taps; t++) {
        float wt = w[co * taps + t];
        int q = base + tapOff[t];
        if (pixStep == LANES) {
          // The row's pixels are contiguous: one long loop the JIT vectorises (the 8 lanes alone
          // were too short a loop for it, and ran a scalar FMA at a time).
          for (int k = 0; k < np * LANES; k++) {
            out[o + k] = Math.fma(src[q + k], wt, out[o + k]);
          }
        } else {
          for (int j = 0; j < np; j++) {
            for (int i = 0; i < LANES; i++) {
              out[o + j * LANES + i] = Math.fma(src[q + j * pixStep + i], wt, out[o + j * LANES + i]);
            }
          }
        }
      }
    }
  }
}
