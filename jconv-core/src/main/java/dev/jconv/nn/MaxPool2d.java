package dev.jconv.nn;

import dev.jconv.Tensor;
import dev.jconv.nn.functional.F;

/**
 * 2-D max pooling, as PyTorch's {@code nn.MaxPool2d}: input (N, C, H, W) or (C, H, W). NaN in a
 * window wins, ties keep the first maximum, padding (-inf) never wins.
 *
 * <pre>{@code
 * MaxPool2d pool = new MaxPool2d(MaxPool2dOptions.of(3).stride(2).padding(1));
 * System.out.println(pool);   // MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)
 * Tensor y = pool.forward(x);
 * }</pre>
 */
public final class MaxPool2d extends Module {
  private final MaxPool2dOptions options;

  public MaxPool2d(MaxPool2dOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    this.options = options;
  }

  /** A square kernel with stride = kernel: {@code nn.MaxPool2d(kernelSize)}. */
  public MaxPool2d(int kernelSize) {
    this(MaxPool2dOptions.of(kernelSize));
  }

  public MaxPool2dOptions options() {
    return options;
  }

  /** Pools {@code input}; does not modify it. */
  @Override
  public Tensor forward(Tensor input) {
    return F.maxPool2d(input, options);
  }

  /** The values and int64 in-plane indices ({@code return_indices=True}), for {@link MaxUnpool2d}. */
  public Tensor.ValuesIndices forwardWithIndices(Tensor input) {
    return F.maxPool2dWithIndices(input, options);
  }

  @Override
  protected String extraRepr() {
    return options.repr();
  }
}
