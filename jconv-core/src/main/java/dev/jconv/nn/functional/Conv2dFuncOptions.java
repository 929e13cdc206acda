package dev.jconv.nn.functional;

import dev.jconv.Tensor;

/**
 * The optional arguments of {@link F#conv2d(Tensor, Tensor, Conv2dFuncOptions)}, as PyTorch's C++
 * {@code Conv2dFuncOptions}: {@code bias} (a tensor, or null for none), {@code stride},
 * {@code padding}, {@code dilation} and {@code groups}. Immutable: each wither returns a new record.
 * Values are checked by {@code conv2d} when it is called, in PyTorch's order, so the first problem
 * reported is the one PyTorch reports.
 *
 * <pre>{@code
 * Tensor y = F.conv2d(x, w, new Conv2dFuncOptions().bias(b).stride(2).padding(1));
 * Tensor z = F.conv2d(x, w, new Conv2dFuncOptions().padding(Padding.SAME).dilation(2));
 * }</pre>
 */
public record Conv2dFuncOptions(
    Tensor bias, int strideH, int strideW, Padding padding, int dilationH, int dilationW, int groups) {

  /** PyTorch's defaults: no bias, stride 1, padding 0, dilation 1, groups 1. */
  public Conv2dFuncOptions() {
    this(null, 1, 1, Padding.of(0), 1, 1, 1);
  }

  public Conv2dFuncOptions {
    if (padding == null) {
      throw new IllegalArgumentException("padding must not be null (use Padding.of(0) or Padding.VALID)");
    }
  }

  /** With {@code bias} (shape {@code [out_channels]}), or none when null. */
  public Conv2dFuncOptions bias(Tensor bias) {
    return new Conv2dFuncOptions(bias, strideH, strideW, padding, dilationH, dilationW, groups);
  }

  /** {@code stride=s} for both dimensions. */
  public Conv2dFuncOptions stride(int s) {
    return stride(s, s);
  }

  /** {@code stride=(height, width)}. */
  public Conv2dFuncOptions stride(int height, int width) {
    return new Conv2dFuncOptions(bias, height, width, padding, dilationH, dilationW, groups);
  }

  /** {@code padding=p} on every side. */
  public Conv2dFuncOptions padding(int p) {
    return padding(Padding.of(p));
  }

  /** {@code padding=(height, width)}. */
  public Conv2dFuncOptions padding(int height, int width) {
    return padding(Padding.of(height, width));
  }

  /** Explicit sizes, {@link Padding#VALID} or {@link Padding#SAME}. */
  public Conv2dFuncOptions padding(Padding p) {
    return new Conv2dFuncOptions(bias, strideH, strideW, p, dilationH, dilationW, groups);
  }

  /** {@code dilation=d} for both dimensions. */
  public Conv2dFuncOptions dilation(int d) {
    return dilation(d, d);
  }

  /** {@code dilation=(height, width)}. */
  public Conv2dFuncOptions dilation(int height, int width) {
    return new Conv2dFuncOptions(bias, strideH, strideW, padding, height, width, groups);
  }

  /** {@code groups=g}: input and output channels split into g independent convolutions. */
  public Conv2dFuncOptions groups(int g) {
    return new Conv2dFuncOptions(bias, strideH, strideW, padding, dilationH, dilationW, g);
  }
}
