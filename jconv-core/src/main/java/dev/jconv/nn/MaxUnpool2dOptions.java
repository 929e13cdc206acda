package dev.jconv.nn;

/**
 * The arguments of 2-D max unpooling ({@link MaxUnpool2d}, {@code F.maxUnpool2d}), as PyTorch's
 * C++ {@code MaxUnpool2dOptions}: the kernel size is required, the stride defaults to it, padding
 * to 0. Use the arguments of the {@link MaxPool2d} whose indices are being inverted. PyTorch does
 * not restrict these values; only the output size they imply is checked, at the call.
 *
 * <pre>{@code
 * MaxUnpool2dOptions o = MaxUnpool2dOptions.of(2).stride(2);
 * }</pre>
 *
 * @param kernelSize the kernel size of the max pooling being inverted
 * @param stride its stride (the kernel size unless set)
 * @param padding its padding
 */
public record MaxUnpool2dOptions(IntPair kernelSize, IntPair stride, IntPair padding) {

  public MaxUnpool2dOptions {
    PoolArgs.nonNull(kernelSize, "kernel_size");
    PoolArgs.nonNull(stride, "stride");
    PoolArgs.nonNull(padding, "padding");
  }

  public static MaxUnpool2dOptions of(int kernelSize) {
    return of(IntPair.of(kernelSize));
  }

  public static MaxUnpool2dOptions of(int kH, int kW) {
    return of(IntPair.of(kH, kW));
  }

  public static MaxUnpool2dOptions of(IntPair kernelSize) {
    return new MaxUnpool2dOptions(kernelSize, kernelSize, IntPair.of(0));
  }

  public MaxUnpool2dOptions stride(int stride) {
    return stride(IntPair.of(stride));
  }

  public MaxUnpool2dOptions stride(int sH, int sW) {
    return stride(IntPair.of(sH, sW));
  }

  public MaxUnpool2dOptions stride(IntPair stride) {
    return new MaxUnpool2dOptions(kernelSize, stride, padding);
  }

  public MaxUnpool2dOptions padding(int padding) {
    return padding(IntPair.of(padding));
  }

  public MaxUnpool2dOptions padding(int pH, int pW) {
    return padding(IntPair.of(pH, pW));
  }

  public MaxUnpool2dOptions padding(IntPair padding) {
    return new MaxUnpool2dOptions(kernelSize, stride, padding);
  }

  /** PyTorch's {@code extra_repr}, which always shows pairs: {@code kernel_size=(2, 2), stride=(2, 2), padding=(0, 0)}. */
  public String repr() {
    return "kernel_size=" + kernelSize.pairRepr() + ", stride=" + stride.pairRepr() + ", padding=" + padding.pairRepr();
  }
}
