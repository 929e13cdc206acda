package dev.jconv.nn;

import dev.jconv.Tensor;
import dev.jconv.nn.functional.F;

/**
 * 2-D adaptive max pooling, as PyTorch's {@code nn.AdaptiveMaxPool2d}: any input size to a fixed
 * output size, with indices on request.
 *
 * <pre>{@code
 * AdaptiveMaxPool2d pool = new AdaptiveMaxPool2d(AdaptiveMaxPool2dOptions.of(null, 3));
 * System.out.println(pool);   // AdaptiveMaxPool2d(output_size=(None, 3))
 * }</pre>
 */
public final class AdaptiveMaxPool2d extends Module {
  private final AdaptiveMaxPool2dOptions options;

  public AdaptiveMaxPool2d(AdaptiveMaxPool2dOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    this.options = options;
  }

  /** A square output: {@code nn.AdaptiveMaxPool2d(outputSize)}. */
  public AdaptiveMaxPool2d(int outputSize) {
    this(AdaptiveMaxPool2dOptions.of(outputSize));
  }

  public AdaptiveMaxPool2dOptions options() {
    return options;
  }

  /** Pools {@code input}; does not modify it. */
  @Override
  public Tensor forward(Tensor input) {
    return F.adaptiveMaxPool2d(input, options);
  }

  /** The values and int64 in-plane indices ({@code return_indices=True}). */
  public Tensor.ValuesIndices forwardWithIndices(Tensor input) {
    return F.adaptiveMaxPool2dWithIndices(input, options);
  }

  @Override
  protected String extraRepr() {
    return options.repr();
  }
}
