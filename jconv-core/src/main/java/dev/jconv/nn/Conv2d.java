package dev.jconv.nn;

import dev.jconv.Generator;
import dev.jconv.Tensor;
import dev.jconv.internal.Raw;
import dev.jconv.internal.conv.Conv2dOp;
import dev.jconv.internal.kernels.ConvParams;
import dev.jconv.internal.shape.ConvShapes;
import dev.jconv.internal.shape.ConvShapes.PadMode;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import dev.jconv.nn.functional.Padding;

/**
 * A 2-D convolution layer, as PyTorch's {@code nn.Conv2d}: parameters {@code weight}
 * {@code (out_channels, in_channels/groups, kH, kW)} and {@code bias} {@code (out_channels)} (unless
 * {@code bias(false)}), initialised as PyTorch does — both uniform in {@code [-1/sqrt(fan_in), 1/sqrt(fan_in))}
 * with {@code fan_in = in_channels/groups * kH * kW}, weight drawn first, from the default
 * {@link Generator} — so after the same seed the weights equal PyTorch's bit for bit.
 *
 * <pre>{@code
 * Torch.manualSeed(0);                                     // torch.manual_seed(0)
 * Conv2d conv = new Conv2d(Conv2dOptions.of(3, 64, 3));     // nn.Conv2d(3, 64, 3)
 * Tensor y = conv.forward(Torch.rand(4, 3, 12, 12));
 * y.shape();                  // torch.Size([4, 64, 10, 10])
 * conv.weight().shape();      // torch.Size([64, 3, 3, 3])
 * System.out.println(conv);   // Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1))
 * }</pre>
 *
 * <p>With a padding mode other than {@link PaddingMode#ZEROS}, the input is padded by that mode
 * first and then convolved without padding, as PyTorch does.
 */
public class Conv2d extends Module {
  private Conv2dOptions options;

  /**
   * Builds the layer and initialises its parameters from the default generator. The options are
   * already valid (see {@link Conv2dOptions}).
   */
  public Conv2d(Conv2dOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("Conv2d needs options, e.g. Conv2dOptions.of(3, 64, 3)");
    }
    this.options = options;
    createParameters();
  }

  /** Registers weight and bias of the options' shapes and draws them ({@link #resetParameters}). */
  private void createParameters() {
    int cinG = options.inChannels() / options.groups();
    long weightElements = (long) options.outChannels() * cinG * options.kernelH() * options.kernelW();
    if (weightElements > Tensor.MAX_ELEMENTS) {
      throw new IllegalArgumentException("Conv2d weight of size [" + options.outChannels() + ", " + cinG + ", "
          + options.kernelH() + ", " + options.kernelW() + "] has more than the 2^31-1 (2147483647) elements a "
          + "jconv tensor can hold");
    }
    registerParameter("weight", Raw.wrap(new float[(int) weightElements], options.outChannels(), cinG,
        options.kernelH(), options.kernelW()));
    registerParameter("bias", options.bias() ? Raw.wrap(new float[options.outChannels()], options.outChannels()) : null);
    resetParameters();
  }

  /**
   * {@link LazyConv2d}'s first forward: the layer takes {@code inChannels} and new parameters of the
   * shapes that gives, drawn as the constructor draws them (PyTorch materializes and resets then).
   */
  void materialize(int inChannels) {
    options = options.withInChannels(inChannels);
    createParameters();
  }

  /** The options this layer was built with. */
  public Conv2dOptions options() {
    return options;
  }

  /** The weight parameter, {@code (out_channels, in_channels/groups, kH, kW)}. */
  public Tensor weight() {
    return parameter("weight");
  }

  /** The bias parameter, {@code (out_channels)}, or null with {@code bias(false)}. */
  public Tensor bias() {
    return parameter("bias");
  }

  /**
   * Redraws the parameters as PyTorch's {@code reset_parameters}: {@code kaiming_uniform_(weight, a=sqrt(5))},
   * then the bias uniform in {@code [-1/sqrt(fan_in), 1/sqrt(fan_in))}, from the default generator.
   * Tensors with no elements draw nothing, as in PyTorch. Modifies the parameters in place.
   */
  public void resetParameters() {
    Generator gen = Generator.defaultGenerator();
    Tensor weight = parameter("weight");
    long fanIn = (long) weight.size(1) * weight.size(2) * weight.size(3);
    if (weight.numel() > 0) {
      // kaiming_uniform_ with a = sqrt(5): gain = sqrt(2 / (1 + a^2)), bound = sqrt(3) * gain / sqrt(fan_in),
      // all in double as Python computes it (a^2 is 5.000000000000001, not 5).
      double a = Math.sqrt(5.0);
      double gain = Math.sqrt(2.0 / (1 + a * a));
      double bound = Math.sqrt(3.0) * (gain / Math.sqrt(fanIn));
      fill(weight, gen, bound);
    }
    Tensor bias = parameter("bias");
    if (bias != null && fanIn != 0 && bias.numel() > 0) {
      fill(bias, gen, 1 / Math.sqrt(fanIn));
    }
  }

  private static void fill(Tensor t, Generator gen, double bound) {
    float[] v = new float[t.numel()];
    gen.fillUniform(v, 0, v.length, -bound, bound);
    // Parameters require grad: PyTorch's init runs under no_grad, or the in-place copy would be refused.
    try (var g = dev.jconv.autograd.NoGrad.enter()) {
      t.copyInPlace(Raw.wrap(v, t.shapeArray()));
    }
  }

  /**
   * Applies the layer to {@code input} {@code (N, C_in, H, W)} or {@code (C_in, H, W)}; returns a
   * new tensor {@code (N, C_out, H_out, W_out)} (or without N). The input is not modified.
   *
   * @throws IllegalArgumentException with PyTorch's message when PyTorch would refuse the input
   *     (rank, channel count, an input smaller than the kernel, padding beyond the padding mode's
   *     limit)
   */
  @Override
  public Tensor forward(Tensor input) {
    Conv2dOptions o = options;
    Tensor weight = weight();
    Tensor bias = bias();
    if (o.paddingMode() == PaddingMode.ZEROS) {
      return F.conv2d(input, weight, new Conv2dFuncOptions(bias, o.strideH(), o.strideW(), o.padding(),
          o.dilationH(), o.dilationW(), o.groups()));
    }
    int[] shape = input.shapeArray();
    int[] pads = modePadding(o);
    PadMode mode = PadMode.valueOf(o.paddingMode().name());
    // F.pad's checks come first, the rank's among them, as in PyTorch's _conv_forward.
    Conv2dOp.checkModePadding(mode, shape, input.dtype(), pads[0], pads[1], pads[2], pads[3]);
    Conv2dOp.checkBiasDtype(input, bias); // then conv2d's first check
    int[] padded = shape.clone();
    padded[shape.length - 2] = (int) Math.min(Integer.MAX_VALUE, (long) shape[shape.length - 2] + pads[0] + pads[1]);
    padded[shape.length - 1] = (int) Math.min(Integer.MAX_VALUE, (long) shape[shape.length - 1] + pads[2] + pads[3]);
    ConvParams p = Conv2dOp.check(padded, weight.shapeArray(), bias == null ? null : bias.shapeArray(), o.strideH(),
        o.strideW(), Padding.of(0), o.dilationH(), o.dilationW(), o.groups(), input.dtype());
    Conv2dOp.checkDtypes(input, weight, bias);
    Tensor x = Conv2dOp.modePad(input, mode, pads[0], pads[1], pads[2], pads[3]);
    return Conv2dOp.run(p, x, weight, bias, shape.length == 3);
  }

  /** {@code {top, bottom, left, right}} for the padding mode, as PyTorch's {@code _reversed_padding_repeated_twice}. */
  private static int[] modePadding(Conv2dOptions o) {
    return switch (o.padding()) {
      case Padding.Explicit e -> new int[] {e.height(), e.height(), e.width(), e.width()};
      case Padding.Valid v -> new int[] {0, 0, 0, 0};
      case Padding.Same s -> {
        long[] h = ConvShapes.samePadding(o.kernelH(), o.dilationH());
        long[] w = ConvShapes.samePadding(o.kernelW(), o.dilationW());
        yield new int[] {(int) h[0], (int) h[1], (int) w[0], (int) w[1]};
      }
    };
  }

  /** As PyTorch's {@code extra_repr}: non-default padding, dilation, groups, bias and padding mode shown. */
  @Override
  protected String extraRepr() {
    Conv2dOptions o = options;
    StringBuilder s = new StringBuilder();
    s.append(o.inChannels()).append(", ").append(o.outChannels())
        .append(", kernel_size=(").append(o.kernelH()).append(", ").append(o.kernelW()).append(')')
        .append(", stride=(").append(o.strideH()).append(", ").append(o.strideW()).append(')');
    if (!(o.padding() instanceof Padding.Explicit e && e.isZero())) {
      s.append(", padding=").append(o.padding());
    }
    if (o.dilationH() != 1 || o.dilationW() != 1) {
      s.append(", dilation=(").append(o.dilationH()).append(", ").append(o.dilationW()).append(')');
    }
    if (o.groups() != 1) {
      s.append(", groups=").append(o.groups());
    }
    if (!o.bias()) {
      s.append(", bias=False");
    }
    if (o.paddingMode() != PaddingMode.ZEROS) {
      s.append(", padding_mode=").append(o.paddingMode());
    }
    return s.toString();
  }
}
