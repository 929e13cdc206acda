package dev.jconv.nn;

import dev.jconv.Tensor;

/** PyTorch's {@code nn.Tanh}: {@code tanh(x)} element-wise. */
public final class Tanh extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return input.tanh();
  }
}
