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
