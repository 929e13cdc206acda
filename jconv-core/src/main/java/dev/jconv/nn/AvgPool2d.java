package dev.jconv.nn;

import dev.jconv.Tensor;
import dev.jconv.nn.functional.F;

/**
 * 2-D average pooling, as PyTorch's {@code nn.AvgPool2d}: input (N, C, H, W) or (C, H, W); float32,
 * float64 or int64 (truncating). Printed as PyTorch prints it, without ceil_mode and the divisor
 * options.
 *
 * <pre>{@code
 * AvgPool2d pool = new AvgPool2d(AvgPool2dOptions.of(2));
 * System.out.println(pool);   // AvgPool2d(kernel_size=2, stride=2, padding=0)
 * }</pre>
 */
public final class AvgPool2d extends Module {
  private final AvgPool2dOptions options;

  public AvgPool2d(AvgPool2dOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    this.options = options;
  }

  /** A square kernel with stride = kernel: {@code nn.AvgPool2d(kernelSize)}. */
  public AvgPool2d(int kernelSize) {
    this(AvgPool2dOptions.of(kernelSize));
  }

  public AvgPool2dOptions options() {
    return options;
  }

  /** Pools {@code input}; does not modify it. */
  @Override
  public Tensor forward(Tensor input) {
    return F.avgPool2d(input, options);
  }

  @Override
  protected String extraRepr() {
    return options.repr();
  }
}
