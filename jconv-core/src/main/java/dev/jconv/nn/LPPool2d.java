package dev.jconv.nn;

import dev.jconv.Tensor;
import dev.jconv.nn.functional.F;

/**
 * 2-D power-average pooling, as PyTorch's {@code nn.LPPool2d}: {@code (sum of x^p over the window)^(1/p)},
 * computed by PyTorch's formula and with its quirks (see {@code F.lpPool2d}).
 *
 * <pre>{@code
 * LPPool2d pool = new LPPool2d(LPPool2dOptions.of(2, 3));
 * System.out.println(pool);   // LPPool2d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)
 * }</pre>
 */
public final class LPPool2d extends Module {
  private final LPPool2dOptions options;

  public LPPool2d(LPPool2dOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    this.options = options;
  }

  /** {@code nn.LPPool2d(normType, kernelSize)}. */
  public LPPool2d(double normType, int kernelSize) {
    this(LPPool2dOptions.of(normType, kernelSize));
  }

  public LPPool2dOptions options() {
    return options;
  }

  /** Pools {@code input}; does not modify it. */
  @Override
  public Tensor forward(Tensor input) {
    return F.lpPool2d(input, options);
  }

  @Override
  protected String extraRepr() {
    return options.repr();
  }
}
