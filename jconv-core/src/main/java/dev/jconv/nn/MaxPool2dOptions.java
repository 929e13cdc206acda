package dev.jconv.nn;

/**
 * The arguments of 2-D max pooling ({@link MaxPool2d}, {@code F.maxPool2d}), as PyTorch's C++
 * {@code MaxPool2dOptions}: the kernel size is required, the stride defaults to it, padding to 0,
 * dilation to 1, ceil mode off. Immutable; each wither returns a new record. The values are checked
 * where PyTorch checks them, at the call ({@code F.maxPool2d}, {@code MaxPool2d.forward}), with
 * PyTorch's messages: a record built wither by wither cannot know which message PyTorch would give.
 *
 * <pre>{@code
 * MaxPool2dOptions o = MaxPool2dOptions.of(3).stride(2).padding(1);   // ResNet's stem pool
 * }</pre>
 *
 * @param kernelSize the window size
 * @param stride the window step (the kernel size unless set)
 * @param padding implicit -inf padding on each side, at most half the kernel
 * @param dilation the step between window taps
 * @param ceilMode round the output size up (the last window must start inside the input or left padding)
 */
public record MaxPool2dOptions(
    IntPair kernelSize, IntPair stride, IntPair padding, IntPair dilation, boolean ceilMode) {

  public MaxPool2dOptions {
    PoolArgs.nonNull(kernelSize, "kernel_size");
    PoolArgs.nonNull(stride, "stride");
    PoolArgs.nonNull(padding, "padding");
    PoolArgs.nonNull(dilation, "dilation");
  }

  /** A square kernel; stride = kernel size. */
  public static MaxPool2dOptions of(int kernelSize) {
    return of(IntPair.of(kernelSize));
  }

  /** A {@code kH x kW} kernel; stride = kernel size. */
  public static MaxPool2dOptions of(int kH, int kW) {
    return of(IntPair.of(kH, kW));
  }

  public static MaxPool2dOptions of(IntPair kernelSize) {
    return new MaxPool2dOptions(kernelSize, kernelSize, IntPair.of(0), IntPair.of(1), false);
  }

  public MaxPool2dOptions stride(int stride) {
    return stride(IntPair.of(stride));
  }

  public MaxPool2dOptions stride(int sH, int sW) {
    return stride(IntPair.of(sH, sW));
  }

  public MaxPool2dOptions stride(IntPair stride) {
    return new MaxPool2dOptions(kernelSize, stride, padding, dilation, ceilMode);
  }

  /** Implicit -inf padding on both sides; at most half the kernel. */
  public MaxPool2dOptions padding(int padding) {
    return padding(IntPair.of(padding));
  }

  public MaxPool2dOptions padding(int pH, int pW) {
    return padding(IntPair.of(pH, pW));
  }

  public MaxPool2dOptions padding(IntPair padding) {
    return new MaxPool2dOptions(kernelSize, stride, padding, dilation, ceilMode);
  }

  public MaxPool2dOptions dilation(int dilation) {
    return dilation(IntPair.of(dilation));
  }

  public MaxPool2dOptions dilation(int dH, int dW) {
    return dilation(IntPair.of(dH, dW));
  }

  public MaxPool2dOptions dilation(IntPair dilation) {
    return new MaxPool2dOptions(kernelSize, stride, padding, dilation, ceilMode);
  }

  /** Round the output size up instead of down (the last window must still start inside the input or left padding). */
  public MaxPool2dOptions ceilMode(boolean ceilMode) {
    return new MaxPool2dOptions(kernelSize, stride, padding, dilation, ceilMode);
  }

  /** PyTorch's {@code extra_repr}: {@code kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False}. */
  public String repr() {
    return "kernel_size=" + kernelSize.repr() + ", stride=" + stride.repr() + ", padding=" + padding.repr()
        + ", dilation=" + dilation.repr() + ", ceil_mode=" + PoolArgs.pyBool(ceilMode);
  }
}
