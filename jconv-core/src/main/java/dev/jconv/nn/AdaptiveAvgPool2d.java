package dev.jconv.nn;

import dev.jconv.Tensor;
import dev.jconv.nn.functional.F;

/**
 * 2-D adaptive average pooling, as PyTorch's {@code nn.AdaptiveAvgPool2d}: any input size to a
 * fixed output size; {@code of(1)} is global average pooling.
 *
 * <pre>{@code
 * AdaptiveAvgPool2d gap = new AdaptiveAvgPool2d(AdaptiveAvgPool2dOptions.of(1));
 * System.out.println(gap);   // AdaptiveAvgPool2d(output_size=1)
 * }</pre>
 */
public final class AdaptiveAvgPool2d extends Module {
  private final AdaptiveAvgPool2dOptions options;

  public AdaptiveAvgPool2d(AdaptiveAvgPool2dOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    this.options = options;
  }

  /** A square output: {@code nn.AdaptiveAvgPool2d(outputSize)}. */
  public AdaptiveAvgPool2d(int outputSize) {
    this(AdaptiveAvgPool2dOptions.of(outputSize));
  }

  public AdaptiveAvgPool2dOptions options() {
    return options;
  }

  /** Pools {@code input}; does not modify it. */
  @Override
  public Tensor forward(Tensor input) {
    return F.adaptiveAvgPool2d(input, options);
  }

  @Override
  protected String extraRepr() {
    return options.repr();
  }
}
