package dev.jconv.nn;

import dev.jconv.Tensor;
import dev.jconv.nn.functional.F;

/**
 * PyTorch's {@code nn.MSELoss}: the mean (or sum, or none) of {@code (input - target)^2}.
 *
 * <pre>{@code
 * Loss loss = new MSELoss();
 * Tensor l = loss.forward(conv2d.forward(X), Y);   // the book's "learning a kernel" uses sum: (Y_hat - Y)**2
 * }</pre>
 */
public final class MSELoss extends Loss {
  public MSELoss() {
    this(Reduction.MEAN);
  }

  public MSELoss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return F.mseLoss(input, target, reduction());
  }
}
