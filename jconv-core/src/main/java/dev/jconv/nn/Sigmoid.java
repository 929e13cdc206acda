package dev.jconv.nn;

import dev.jconv.Tensor;

/** PyTorch's {@code nn.Sigmoid}: {@code 1 / (1 + exp(-x))} element-wise. */
public final class Sigmoid extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return input.sigmoid();
  }
}
