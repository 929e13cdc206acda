package dev.jconv.internal.kernels;

import dev.jconv.internal.shape.ConvShapes.PadMode;

/**
 * Pads the last two dimensions of a stack of planes by reflection, replication or wrap-around, as
 * PyTorch's {@code F.pad} does for a convolution's {@code padding_mode}. Limits (reflect: pad &lt; size,
 * circular: pad &lt;= size) are checked by the caller with {@code ConvShapes.checkModePadding}.
 */
public final class ModePad {
  private ModePad() {}

  /**
   * Returns a new array of {@code planes} planes of {@code (h+top+bottom) x (w+left+right)}.
   * {@code x} holds {@code planes} planes of {@code h x w} in C order and is not modified.
   */
  public static float[] pad(float[] x, int planes, int h, int w, int top, int bottom, int left,
      int right, PadMode mode) {
    int oh = h + top + bottom;
    int ow = w + left + right;
    assert (long) planes * oh * ow <= Integer.MAX_VALUE;
    float[] out = new float[planes * oh * ow];
    if (out.length == 0) {
      return out;
    }
    // Map each padded column once; rows are mapped as they are copied.
    int[] srcCol = new int[ow];
    for (int j = 0; j < ow; j++) {
      srcCol[j] = source(j - left, w, mode);
    }
    for (int pl = 0; pl < planes; pl++) {
      int in = pl * h * w;
      int o = pl * oh * ow;
      for (int i = 0; i < oh; i++) {
        int row = in + source(i - top, h, mode) * w;
        for (int j = 0; j < ow; j++) {
          out[o++] = x[row + srcCol[j]];
        }
      }
    }
    return out;
  }

  /** {@link #pad(float[], int, int, int, int, int, int, int, PadMode)} in float64. */
  public static double[] pad(double[] x, int planes, int h, int w, int top, int bottom, int left,
      int right, PadMode mode) {
    int oh = h + top + bottom;
    int ow = w + left + right;
    assert (long) planes * oh * ow <= Integer.MAX_VALUE;
    double[] out = new double[planes * oh * ow];
    for (int pl = 0, o = 0; pl < planes && out.length > 0; pl++) {
      for (int i = 0; i < oh; i++) {
        int row = pl * h * w + source(i - top, h, mode) * w;
        for (int j = 0; j < ow; j++) {
          out[o++] = x[row + source(j - left, w, mode)];
        }
      }
    }
    return out;
  }

  /**
   * The gradient of {@link #pad(double[], int, int, int, int, int, int, int, PadMode)}: each padded
   * element's gradient {@code g} added to the element it was copied from.
   */
  public static double[] padBackward(double[] g, int planes, int h, int w, int top, int bottom, int left,
      int right, PadMode mode) {
    int oh = h + top + bottom;
    int ow = w + left + right;
    double[] out = new double[planes * h * w];
    for (int pl = 0, o = 0; pl < planes && g.length > 0; pl++) {
      for (int i = 0; i < oh; i++) {
        int row = pl * h * w + source(i - top, h, mode) * w;
        for (int j = 0; j < ow; j++) {
          out[row + source(j - left, w, mode)] += g[o++];
        }
      }
    }
    return out;
  }

  /** The source index in [0, size) for a padded index i in [-before, size + after). */
  static int source(int i, int size, PadMode mode) {
    if (i >= 0 && i < size) {
      return i;
    }
    return switch (mode) {
      // Reflection excludes the edge: -1 maps to 1, size maps to size-2.
      case REFLECT -> i < 0 ? -i : 2 * (size - 1) - i;
      case REPLICATE -> i < 0 ? 0 : size - 1;
      case CIRCULAR -> i < 0 ? i + size : i - size;
    };
  }
}
