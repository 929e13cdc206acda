package dev.jconv.internal.shape;

/**
 * Pooling shape arithmetic, as ATen's {@code Pool.h} and {@code AdaptivePooling.h} do it. Pure
 * functions in {@code long} so that absurd arguments give absurd numbers (which the public layer
 * rejects), never an overflow. Shared by the argument checks, the kernels and the property tests.
 */
public final class PoolShapes {
  private PoolShapes() {}

  /** PyTorch's limit on pooling padding: at most half of the (undilated) kernel, C++ division. */
  public static boolean paddingFits(long pad, long kernel) {
    return pad <= kernel / 2;
  }

  /**
   * The number of windows along one dimension: {@code floor_or_ceil((in + 2p - d(k-1) - 1)/s) + 1},
   * and in ceil mode the last window is dropped when it would start at or past {@code in + p}
   * ("ensure that the last pooling starts inside the image", ATen). Requires {@code stride != 0};
   * the result may be below 1 (the caller rejects it).
   */
  public static long outputSize(long in, long kernel, long pad, long stride, long dilation, boolean ceilMode) {
    long span = in + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
    long out = Math.floorDiv(span, stride) + 1;
    if (ceilMode && (out - 1) * stride >= in + pad) {
      out--;
    }
    return out;
  }

  /** First input index of adaptive bin {@code i} of {@code out} over {@code in}: {@code floor(i*in/out)}. */
  public static long adaptiveStart(long i, long out, long in) {
    // Split as ATen does so that i*in cannot overflow for any int-sized arguments.
    return (i / out) * in + ((i % out) * in) / out;
  }

  /** One past the last input index of adaptive bin {@code i}: {@code ceil((i+1)*in/out)}. */
  public static long adaptiveEnd(long i, long out, long in) {
    return 1 + ((i + 1) * in - 1) / out;
  }

  /**
   * The default output size of max_unpool along one dimension, {@code (in-1)*s - 2p + k}: the
   * smallest map that max pooling with these arguments could have produced {@code in} windows from.
   */
  public static long unpoolDefaultSize(long in, long kernel, long stride, long pad) {
    return (in - 1) * stride - 2 * pad + kernel;
  }
}
