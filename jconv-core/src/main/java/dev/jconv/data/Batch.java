package dev.jconv.data;

import dev.jconv.Tensor;

/** A batch of examples: inputs and targets stacked along a new first dimension. */
public record Batch(Tensor inputs, Tensor targets) {
  /** The number of examples. */
  public int size() {
    return inputs.size(0);
  }
}
