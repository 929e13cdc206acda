package dev.jconv.nn;

import dev.jconv.Tensor;

/**
 * A loss function object, like PyTorch's loss modules: it compares a prediction with a target. It has
 * no parameters, so it is not a {@link Module}; it prints as PyTorch prints it ({@code CrossEntropyLoss()}).
 *
 * <pre>{@code
 * Loss loss = new CrossEntropyLoss();
 * Tensor l = loss.forward(net.forward(x), y);
 * l.backward();
 * }</pre>
 */
public abstract class Loss {
  private final Reduction reduction;

  protected Loss(Reduction reduction) {
    if (reduction == null) {
      throw new IllegalArgumentException("reduction must be NONE, MEAN or SUM, not null");
    }
    this.reduction = reduction;
  }

  /** How per-element losses are combined. */
  public Reduction reduction() {
    return reduction;
  }

  /** The loss of {@code input} against {@code target}. Neither is modified. */
  public abstract Tensor forward(Tensor input, Tensor target);

  @Override
  public String toString() {
    return getClass().getSimpleName() + "()";
  }
}
