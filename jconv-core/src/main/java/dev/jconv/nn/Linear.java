package dev.jconv.nn;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.functional.F;

/**
 * A fully connected layer, PyTorch's {@code nn.Linear}: {@code y = x W^T + b} over the last dimension.
 * The weight {@code [out, in]} and bias {@code [out]} are initialised as PyTorch does (kaiming uniform
 * with {@code a = sqrt(5)}, then the bias uniform in {@code [-1/sqrt(in), 1/sqrt(in))}) from the
 * default generator, so the same seed gives PyTorch's numbers.
 *
 * <pre>{@code
 * Linear fc = new Linear(400, 120);
 * Tensor y = fc.forward(x);   // x [256, 400] -> y [256, 120]
 * fc;                         // Linear(in_features=400, out_features=120, bias=True)
 * }</pre>
 */
public class Linear extends Module {
  private int inFeatures;
  private final int outFeatures;
  private final boolean hasBias;

  /** A layer with a bias. */
  public Linear(int inFeatures, int outFeatures) {
    this(inFeatures, outFeatures, true);
  }

  /**
   * A layer with or without bias.
   *
   * @throws IllegalArgumentException for a negative size
   */
  public Linear(int inFeatures, int outFeatures, boolean bias) {
    this(inFeatures, outFeatures, bias, false);
  }

  /**
   * A layer whose parameters are made now, or, when {@code lazy}, at {@link #materialize}
   * ({@link LazyLinear}: PyTorch draws nothing before then).
   */
  Linear(int inFeatures, int outFeatures, boolean bias, boolean lazy) {
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.hasBias = bias;
    if (lazy) {
      // An empty weight, no bias: nothing to draw (and a negative size refused now, as before).
      registerParameter("weight", Torch.zeros(outFeatures, inFeatures));
    } else {
      createParameters();
    }
  }

  private void createParameters() {
    registerParameter("weight", Torch.zeros(outFeatures, inFeatures));
    registerParameter("bias", hasBias ? Torch.zeros(outFeatures) : null);
    resetParameters();
  }

  /**
   * {@link LazyLinear}'s first forward: the layer takes {@code inFeatures} and new parameters of the
   * shapes that gives, drawn as the constructor draws them (PyTorch materializes and resets then).
   */
  void materialize(int inFeatures) {
    this.inFeatures = inFeatures;
    createParameters();
  }

  public int inFeatures() {
    return inFeatures;
  }

  public int outFeatures() {
    return outFeatures;
  }

  /** The weight {@code [out_features, in_features]}. */
  public Tensor weight() {
    return parameter("weight");
  }

  /** The bias {@code [out_features]}, or null. */
  public Tensor bias() {
    return parameter("bias");
  }

  /** Redraws the parameters as PyTorch's {@code reset_parameters}. Modifies them in place. */
  public void resetParameters() {
    Init.kaimingUniform(parameter("weight"), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
    Tensor bias = parameter("bias");
    if (bias != null) {
      long fanIn = inFeatures;
      double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      Init.uniform(bias, -bound, bound);
    }
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.linear(input, weight(), bias());
  }

  @Override
  protected String extraRepr() {
    return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (hasBias ? "True" : "False");
  }
}
