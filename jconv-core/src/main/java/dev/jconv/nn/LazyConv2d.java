package dev.jconv.nn;

import dev.jconv.Tensor;

/**
 * PyTorch's {@code nn.LazyConv2d}, as "Dive into Deep Learning" builds its convolutional networks: a
 * {@link Conv2d} whose input channels are taken from the first input it sees. Until then it prints as
 * {@code LazyConv2d(0, 6, kernel_size=(5, 5), ...)} and has no parameters to show; its first forward
 * (as PyTorch's) sets the channels, creates weight and bias and draws them from the default generator
 * exactly as {@link Conv2d}'s constructor does, so the same seed gives PyTorch's weights, and from then
 * on it is that Conv2d (and prints as one).
 *
 * <pre>{@code
 * Torch.manualSeed(0);
 * var net = new Sequential(new LazyConv2d(Conv2dOptions.lazy(6, 5).padding(2)), new Sigmoid(), ...);
 * net.forward(Torch.rand(1, 1, 28, 28));   // parameters now exist: conv 6 x 1 x 5 x 5
 * var opt = new SGD(net.parameters(), SGDOptions.lr(0.9));
 * }</pre>
 *
 * <p>Unlike PyTorch, whose uninitialized parameters become the real ones in place, jconv's tensors
 * keep their shapes: the parameters (and so an optimizer or a state dict) are refused, with a clear
 * error, until the first forward has made them.
 */
public class LazyConv2d extends Conv2d {
  private boolean materialized;

  /**
   * A layer of these options, whose {@code inChannels} must be 0 (see {@link Conv2dOptions#lazy}).
   *
   * @throws IllegalArgumentException for options with input channels
   */
  public LazyConv2d(Conv2dOptions options) {
    super(lazyOptions(options));
  }

  /** {@code nn.LazyConv2d(outChannels, kernelSize)}. */
  public LazyConv2d(int outChannels, int kernelSize) {
    this(Conv2dOptions.lazy(outChannels, kernelSize));
  }

  private static Conv2dOptions lazyOptions(Conv2dOptions options) {
    if (options != null && options.inChannels() != 0) {
      throw new IllegalArgumentException("LazyConv2d takes its input channels from its first input: give options "
          + "with 0 of them (Conv2dOptions.lazy), or use Conv2d for " + options.inChannels());
    }
    return options;
  }

  /** Whether the first forward has set the input channels and made the parameters. */
  public boolean isMaterialized() {
    return materialized;
  }

  /**
   * On the first call, takes the input channels from {@code input} ({@code (N, C, H, W)} or
   * {@code (C, H, W)}) and makes the parameters; then the convolution.
   *
   * @throws IllegalArgumentException with PyTorch's words for an input of another rank, or channels
   *     that the groups do not divide
   */
  @Override
  public Tensor forward(Tensor input) {
    if (!materialized) {
      int dims = input.dim();
      if (dims != 3 && dims != 4) {
        throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to LazyConv2d, but got "
            + "input of size: " + input.shape());
      }
      int channels = input.size(dims == 4 ? 1 : 0);
      if (channels % options().groups() != 0) {
        throw new IllegalArgumentException("in_channels must be divisible by groups");
      }
      materialize(channels);
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
    return materialized ? "Conv2d" : "LazyConv2d";
  }
}
