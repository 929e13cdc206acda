package dev.jconv.nn;

import dev.jconv.Tensor;

/** PyTorch's {@code nn.ReLU}: {@code max(x, 0)} element-wise. */
public final class ReLU extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return input.relu();
  }
}
