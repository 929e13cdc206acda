package dev.jconv.nn;

import java.util.OptionalInt;

/**
 * The arguments of 2-D average pooling ({@link AvgPool2d}, {@code F.avgPool2d}), as PyTorch's C++
 * {@code AvgPool2dOptions}: kernel size required, stride defaulting to it, padding 0, ceil mode off,
 * {@code count_include_pad} on, no divisor override. Immutable; withers return new records, checked
 * at the call as PyTorch does.
 *
 * <pre>{@code
 * AvgPool2dOptions o = AvgPool2dOptions.of(3).stride(1).padding(1).countIncludePad(false);
 * }</pre>
 *
 * @param kernelSize the window size
 * @param stride the window step (the kernel size unless set)
 * @param padding implicit zero padding on each side, at most half the kernel
 * @param ceilMode round the output size up (the last window must start inside the input or left padding)
 * @param countIncludePad whether the zero padding counts in the divisor
 * @param divisorOverride if present, the divisor of every window (not 0)
 */
public record AvgPool2dOptions(
    IntPair kernelSize,
    IntPair stride,
    IntPair padding,
    boolean ceilMode,
    boolean countIncludePad,
    OptionalInt divisorOverride) {

  public AvgPool2dOptions {
    PoolArgs.nonNull(kernelSize, "kernel_size");
    PoolArgs.nonNull(stride, "stride");
    PoolArgs.nonNull(padding, "padding");
    if (divisorOverride == null) {
      divisorOverride = OptionalInt.empty();
    }
  }

  /** A square kernel; stride = kernel size. */
  public static AvgPool2dOptions of(int kernelSize) {
    return of(IntPair.of(kernelSize));
  }

  public static AvgPool2dOptions of(int kH, int kW) {
    return of(IntPair.of(kH, kW));
  }

  public static AvgPool2dOptions of(IntPair kernelSize) {
    return new AvgPool2dOptions(kernelSize, kernelSize, IntPair.of(0), false, true, OptionalInt.empty());
  }

  public AvgPool2dOptions stride(int stride) {
    return stride(IntPair.of(stride));
  }

  public AvgPool2dOptions stride(int sH, int sW) {
    return stride(IntPair.of(sH, sW));
  }

  public AvgPool2dOptions stride(IntPair stride) {
    return new AvgPool2dOptions(kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
  }

  /** Implicit zero padding on both sides; at most half the kernel. */
  public AvgPool2dOptions padding(int padding) {
    return padding(IntPair.of(padding));
  }

  public AvgPool2dOptions padding(int pH, int pW) {
    return padding(IntPair.of(pH, pW));
  }

  public AvgPool2dOptions padding(IntPair padding) {
    return new AvgPool2dOptions(kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
  }

  public AvgPool2dOptions ceilMode(boolean ceilMode) {
    return new AvgPool2dOptions(kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
  }

  public AvgPool2dOptions countIncludePad(boolean countIncludePad) {
    return new AvgPool2dOptions(kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
  }

  /** Divide every window by {@code divisor} (which may be negative, not 0). */
  public AvgPool2dOptions divisorOverride(int divisor) {
    return new AvgPool2dOptions(kernelSize, stride, padding, ceilMode, countIncludePad, OptionalInt.of(divisor));
  }

  /** PyTorch's {@code extra_repr}, which shows only {@code kernel_size=2, stride=2, padding=0}. */
  public String repr() {
    return "kernel_size=" + kernelSize.repr() + ", stride=" + stride.repr() + ", padding=" + padding.repr();
  }
}
