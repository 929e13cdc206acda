package dev.jconv.nn;

import dev.jconv.Tensor;
import dev.jconv.nn.functional.F;

/**
 * The partial inverse of {@link MaxPool2d}, as PyTorch's {@code nn.MaxUnpool2d}: zeros, with each
 * pooled value put back at its index. It needs the indices, so call
 * {@link #forward(Tensor, Tensor)}; the one-argument {@link #forward(Tensor)} refuses.
 *
 * <pre>{@code
 * MaxPool2d pool = new MaxPool2d(2);
 * MaxUnpool2d unpool = new MaxUnpool2d(2);
 * Tensor.ValuesIndices r = pool.forwardWithIndices(x);
 * Tensor back = unpool.forward(r.values(), r.indices());
 * System.out.println(unpool);   // MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))
 * }</pre>
 */
public final class MaxUnpool2d extends Module {
  private final MaxUnpool2dOptions options;

  public MaxUnpool2d(MaxUnpool2dOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    this.options = options;
  }

  /** {@code nn.MaxUnpool2d(kernelSize)}: stride = kernel, no padding. */
  public MaxUnpool2d(int kernelSize) {
    this(MaxUnpool2dOptions.of(kernelSize));
  }

  public MaxUnpool2dOptions options() {
    return options;
  }

  /** Always refuses: unpooling needs the indices of the max pooling it inverts. */
  @Override
  public Tensor forward(Tensor input) {
    throw new IllegalArgumentException(
        "MaxUnpool2d.forward() missing 1 required argument: 'indices' (call forward(input, indices))");
  }

  /** Unpools to the default size {@code (in-1)*s - 2p + k}; modifies neither argument. */
  public Tensor forward(Tensor input, Tensor indices) {
    return F.maxUnpool2d(input, indices, options);
  }

  /** Unpools to {@code outputSize} ({@code (H, W)} or {@code (N, C, H, W)}); modifies neither argument. */
  public Tensor forward(Tensor input, Tensor indices, int... outputSize) {
    return F.maxUnpool2d(input, indices, options, outputSize);
  }

  @Override
  protected String extraRepr() {
    return options.repr();
  }
}
