package dev.jconv.nn;

import dev.jconv.Tensor;
import dev.jconv.nn.functional.F;

/**
 * PyTorch's {@code nn.CrossEntropyLoss}: log-softmax over the class dimension, then the negative
 * log-likelihood of the target class (int64 indices) or of class probabilities (a float target of
 * the input's shape). See {@link F#crossEntropy(Tensor, Tensor, Tensor, long, Reduction)}.
 *
 * <pre>{@code
 * Loss loss = new CrossEntropyLoss();
 * Tensor l = loss.forward(logits, labels);   // logits [N, 10], labels int64 [N]
 * }</pre>
 */
public final class CrossEntropyLoss extends Loss {
  private final Tensor weight;
  private final long ignoreIndex;

  /** The mean over the batch, no class weights, ignore_index -100 (PyTorch's defaults). */
  public CrossEntropyLoss() {
    this(null, -100, Reduction.MEAN);
  }

  public CrossEntropyLoss(Reduction reduction) {
    this(null, -100, reduction);
  }

  /**
   * @param weight a weight per class ({@code [C]}) or null
   * @param ignoreIndex a target value that contributes nothing
   */
  public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
    super(reduction);
    this.weight = weight;
    this.ignoreIndex = ignoreIndex;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return F.crossEntropy(input, target, weight, ignoreIndex, reduction());
  }
}
