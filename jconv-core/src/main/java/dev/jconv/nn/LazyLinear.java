package dev.jconv.nn;

import dev.jconv.Tensor;

/**
 * PyTorch's {@code nn.LazyLinear}, as "Dive into Deep Learning" builds LeNet: a {@link Linear} whose
 * input features are taken from the last dimension of the first input it sees. Until then it prints
 * as {@code LazyLinear(in_features=0, out_features=120, bias=True)}; its first forward makes and draws
 * weight and bias as {@link Linear}'s constructor does (PyTorch's numbers after the same seed), and
 * from then on it is that Linear. As with {@link LazyConv2d}, the parameters are refused until then.
 */
public class LazyLinear extends Linear {
  private boolean materialized;

  /** {@code nn.LazyLinear(outFeatures)}: with a bias. */
  public LazyLinear(int outFeatures) {
    this(outFeatures, true);
  }

  /** {@code nn.LazyLinear(outFeatures, bias=bias)}. */
  public LazyLinear(int outFeatures, boolean bias) {
    super(0, outFeatures, bias, true);
  }

  /** Whether the first forward has set the input features and made the parameters. */
  public boolean isMaterialized() {
    return materialized;
  }

  /**
   * On the first call, takes the input features from the last dimension of {@code input} and makes
   * the parameters; then the layer.
   *
   * @throws IllegalArgumentException for a 0-d input, which has no last dimension
   */
  @Override
  public Tensor forward(Tensor input) {
    if (!materialized) {
      if (input.dim() == 0) {
        throw new IllegalArgumentException("LazyLinear takes its in_features from the input's last dimension, but "
            + "got a 0-d input");
      }
      materialize(input.size(-1));
      materialized = true;
    }
    return super.forward(input);
  }

  @Override
  void checkParameters() {
    Lazy.require(materialized);
  }

  @Override
  public Tensor weight() {
    Lazy.require(materialized);
    return super.weight();
  }

  @Override
  public Tensor bias() {
    Lazy.require(materialized);
    return super.bias();
  }

  @Override
  protected String moduleName() {
    return materialized ? "Linear" : "LazyLinear";
  }
}
