package dev.jconv.nn;

/**
 * How a loss combines its per-element values, PyTorch's {@code reduction=} argument.
 *
 * <pre>{@code
 * Tensor perSample = F.crossEntropy(logits, labels, Reduction.NONE);   // shape [N]
 * }</pre>
 */
public enum Reduction {
  /** No combining: one loss per element (or per sample for cross-entropy). */
  NONE("none"),
  /** The mean (for cross-entropy with class weights: divided by the total weight). PyTorch's default. */
  MEAN("mean"),
  /** The sum. */
  SUM("sum");

  private final String pythonName;

  Reduction(String pythonName) {
    this.pythonName = pythonName;
  }

  /** The name PyTorch uses: {@code "none"}, {@code "mean"} or {@code "sum"}. */
  public String pythonName() {
    return pythonName;
  }
}
