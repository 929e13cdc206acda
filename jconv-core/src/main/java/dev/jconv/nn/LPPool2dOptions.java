package dev.jconv.nn;

/**
 * The arguments of 2-D power-average pooling ({@link LPPool2d}, {@code F.lpPool2d}), as PyTorch's
 * C++ {@code LPPool2dOptions}: the norm and kernel size are required, the stride defaults to the
 * kernel size (kept as "unset", which PyTorch prints as {@code stride=None}), ceil mode off. There
 * is no padding. Immutable; withers return new records, checked at the call as PyTorch does.
 *
 * <pre>{@code
 * LPPool2dOptions o = LPPool2dOptions.of(2, 3).stride(2);   // L2 pooling, 3x3 windows
 * }</pre>
 *
 * @param normType the power p (0 is refused at the call; an integral value behaves as a Python int)
 * @param kernelSize the window size
 * @param stride the stride, or null for the kernel size
 * @param ceilMode round the output size up (a partial last window is scaled as if it were full)
 */
public record LPPool2dOptions(double normType, IntPair kernelSize, IntPair stride, boolean ceilMode) {

  public LPPool2dOptions {
    PoolArgs.nonNull(kernelSize, "kernel_size");
  }

  public static LPPool2dOptions of(double normType, int kernelSize) {
    return of(normType, IntPair.of(kernelSize));
  }

  public static LPPool2dOptions of(double normType, int kH, int kW) {
    return of(normType, IntPair.of(kH, kW));
  }

  public static LPPool2dOptions of(double normType, IntPair kernelSize) {
    return new LPPool2dOptions(normType, kernelSize, null, false);
  }

  public LPPool2dOptions stride(int stride) {
    return stride(IntPair.of(stride));
  }

  public LPPool2dOptions stride(int sH, int sW) {
    return stride(IntPair.of(sH, sW));
  }

  public LPPool2dOptions stride(IntPair stride) {
    return new LPPool2dOptions(normType, kernelSize, stride, ceilMode);
  }

  public LPPool2dOptions ceilMode(boolean ceilMode) {
    return new LPPool2dOptions(normType, kernelSize, stride, ceilMode);
  }

  /** The stride in effect: the given one, or the kernel size. */
  public IntPair effectiveStride() {
    return stride == null ? kernelSize : stride;
  }

  /** PyTorch's {@code extra_repr}: {@code norm_type=2, kernel_size=3, stride=None, ceil_mode=False}. */
  public String repr() {
    return "norm_type=" + pyNumber(normType) + ", kernel_size=" + kernelSize.repr()
        + ", stride=" + (stride == null ? "None" : stride.repr()) + ", ceil_mode=" + PoolArgs.pyBool(ceilMode);
  }

  /** A Python-like number: integral values as ints (as they are usually written), others as floats. */
  static String pyNumber(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
