package dev.jconv.nn;

import dev.jconv.Tensor;

/**
 * Flattens dimensions {@code startDim..endDim} into one, PyTorch's {@code nn.Flatten} (by default all
 * but the batch dimension: {@code [N, 16, 5, 5] -> [N, 400]}).
 */
public final class Flatten extends Module {
  private final int startDim;
  private final int endDim;

  /** {@code Flatten(start_dim=1, end_dim=-1)}. */
  public Flatten() {
    this(1, -1);
  }

  public Flatten(int startDim, int endDim) {
    this.startDim = startDim;
    this.endDim = endDim;
  }

  @Override
  public Tensor forward(Tensor input) {
    return input.flatten(startDim, endDim);
  }

  @Override
  protected String extraRepr() {
    return "start_dim=" + startDim + ", end_dim=" + endDim;
  }
}
