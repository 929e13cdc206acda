package dev.jconv.internal.shape;

/**
 * Convolution shape arithmetic, in one place: output size, the 'same' padding split and the limits
 * of the padding modes. Pure functions in {@code long} so no intermediate can overflow; callers
 * reject results that do not fit the 2^31-1 element limit.
 */
public final class ConvShapes {
  private ConvShapes() {}

  /** The extent the kernel covers: {@code dilation * (kernel - 1) + 1}. */
  public static long dilatedKernel(long kernel, long dilation) {
    return dilation * (kernel - 1) + 1;
  }

  /**
   * Output length along one dimension, as PyTorch: {@code floor((in + before + after - d(k-1) - 1)/s) + 1}.
   * Returns 0 or less when the kernel does not fit the padded input (PyTorch's error case).
   */
  public static long outputSize(long in, long padBefore, long padAfter, long kernel, long stride,
      long dilation) {
    long span = in + padBefore + padAfter - dilatedKernel(kernel, dilation);
    // floorDiv: a negative span must give 0 or less, never round up to 1.
    return Math.floorDiv(span, stride) + 1;
  }

  /**
   * PyTorch's 'same' padding for stride 1: total {@code d(k-1)}, {@code total/2} before and the rest
   * after, so even kernels put the extra row/column at the bottom/right.
   *
   * @return {@code {before, after}}
   */
  public static long[] samePadding(long kernel, long dilation) {
    long total = dilation * (kernel - 1);
    long before = total / 2;
    return new long[] {before, total - before};
  }

  /** Which non-zero padding a {@code padding_mode} applies; zeros is handled by the convolution. */
  public enum PadMode { REFLECT, REPLICATE, CIRCULAR }

  /**
   * Checks the padding of one dimension against PyTorch's limits for a padding mode: reflect needs
   * each side below the size, circular at most the size (it may wrap only once), replicate has no
   * limit.
   *
   * @param dim the tensor dimension being padded (for the message, as PyTorch numbers it)
   * @param rank the number of dimensions of the input (for the message)
   * @param argument PyTorch's argument number in its reflect message (4 for width, 6 for height)
   * @throws IllegalArgumentException in PyTorch's words when the padding is too large
   */
  public static void checkModePadding(PadMode mode, long size, long before, long after, int dim, int rank,
      int argument) {
    switch (mode) {
      case REFLECT -> {
        if (before >= size || after >= size) {
          throw new IllegalArgumentException("Argument #" + argument
              + ": Padding size should be less than the corresponding input dimension, but got: padding ("
              + before + ", " + after + ") at dimension " + dim + " of input " + rank);
        }
      }
      case CIRCULAR -> {
        if (before > size || after > size) {
          throw new IllegalArgumentException("Padding value causes wrapping around more than once.");
        }
      }
      case REPLICATE -> {
        // Replicate repeats the edge element as often as needed: no limit.
      }
    }
  }
}
