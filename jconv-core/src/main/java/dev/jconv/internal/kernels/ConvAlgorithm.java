package dev.jconv.internal.kernels;

import dev.jconv.internal.vector.KernelProviders;

/**
 * The 2-D convolution algorithms, each able to run the forward pass. {@link ConvSelector} picks
 * one; tests run every value against {@link #REFERENCE}, so a new algorithm added here is tested
 * without further work.
 */
public enum ConvAlgorithm {
  /** Seven nested loops with double accumulation: the oracle, and the choice for tiny problems. */
  REFERENCE {
    @Override
    public void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      ConvReference.forward(p, x, weight, bias, out);
    }
  },
  /** Unfold patches (im2col), then a cache-blocked parallel GEMM. Works for every configuration. */
  IM2COL_GEMM {
    @Override
    public void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      Im2colConv.forward(p, x, weight, bias, out);
    }
  },
  /** 1x1 kernel, stride 1, no padding: the input is already the GEMM operand, no unfolding. */
  POINTWISE_GEMM {
    @Override
    public boolean supports(ConvParams p) {
      return Im2colConv.isPointwise(p);
    }

    @Override
    public void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      Im2colConv.forwardPointwise(p, x, weight, bias, out);
    }
  },
  /**
   * Direct convolution for few channels (groups 1, stride 1 along the width): six output channels
   * accumulated together along each output row, no unfolding.
   */
  DIRECT {
    @Override
    public boolean supports(ConvParams p) {
      return DirectConv.supports(p);
    }

    @Override
    public void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      DirectConv.forward(p, x, weight, bias, out);
    }
  },
  /**
   * Direct convolution with output channels across the vector lanes (groups 1, any stride): for
   * small patches with 16 or more output channels, such as a first layer on RGB.
   */
  DIRECT_CHANNELS {
    @Override
    public boolean supports(ConvParams p) {
      return DirectChannelsConv.supports(p);
    }

    @Override
    public void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      DirectChannelsConv.forward(p, x, weight, bias, out);
    }
  },
  /**
   * Direct convolution with a group of images across the vector lanes (groups 1, any stride): for
   * large batches of small maps with few channels, such as LeNet's second layer (see
   * {@link ImageLanesConv}).
   */
  IMAGE_LANES {
    @Override
    public boolean supports(ConvParams p) {
      return ImageLanesConv.supports(p);
    }

    @Override
    public void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      ImageLanesConv.forward(p, x, weight, bias, out);
    }
  },
  /**
   * Depthwise (one input channel per group, e.g. MobileNet's 3x3 layers): each output row is a
   * vector sum of shifted input rows, instead of one single-row GEMM per channel.
   */
  DEPTHWISE {
    @Override
    public boolean supports(ConvParams p) {
      return DepthwiseConv.supports(p);
    }

    @Override
    public void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      DepthwiseConv.forward(p, x, weight, bias, out);
    }
  },
  /**
   * 3x3, stride 1, dilation 1, groups 1: Winograd F(4x4, 3x3), a quarter of the multiplies of a
   * direct convolution, at the price of about one decimal digit of accuracy (see
   * {@link WinogradConv}).
   */
  WINOGRAD {
    @Override
    public boolean supports(ConvParams p) {
      return WinogradConv.supports(p.kh(), p.kw(), p.strideH(), p.strideW(), p.dilationH(),
          p.dilationW(), p.groups());
    }

    @Override
    public void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      ConvBackward.WeightKernel vec = ConvBackward.useVector ? ConvBackward.VECTOR : null;
      if (WinogradForwardLanes.applies(p, vec)) {
        WinogradForwardLanes.forward(p, x, weight, bias, out, true, vec);
        return;
      }
      WinogradConv.forward(KernelProviders.get(), p.n(), p.cin(), p.h(), p.w(), p.cout(),
          p.padTop(), p.padLeft(), p.outH(), p.outW(), x, weight, bias, out, true);
    }

    @Override
    public void forwardOnce(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      ConvBackward.WeightKernel vec = ConvBackward.useVector ? ConvBackward.VECTOR : null;
      if (WinogradForwardLanes.applies(p, vec)) {
        WinogradForwardLanes.forward(p, x, weight, bias, out, false, vec);
        return;
      }
      WinogradConv.forward(KernelProviders.get(), p.n(), p.cin(), p.h(), p.w(), p.cout(),
          p.padTop(), p.padLeft(), p.outH(), p.outW(), x, weight, bias, out, false);
    }

    @Override
    public boolean mixesTiles() {
      return true;
    }
  },
  /**
   * Dilated 3x3 stride 1, groups 1: one Winograd convolution per phase of the dilation (see
   * {@link DilatedWinograd}).
   */
  DILATED_WINOGRAD {
    @Override
    public boolean supports(ConvParams p) {
      return DilatedWinograd.supports(p);
    }

    @Override
    public void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      DilatedWinograd.forward(p, x, weight, bias, out, true);
    }

    @Override
    public void forwardOnce(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
      DilatedWinograd.forward(p, x, weight, bias, out, false);
    }

    @Override
    public boolean mixesTiles() {
      return true;
    }
  };

  /**
   * Whether every output depends on sums over whole transformed tiles of the input and weight
   * (Winograd): an infinity or NaN there spreads NaN over the tile's outputs, where the definition
   * (and PyTorch) has it reach only the outputs whose taps read it ({@link ConvSelector#selectFor}).
   */
  public boolean mixesTiles() {
    return false;
  }

  /**
   * {@link #forward} with a weight made for this one call (a backward pass's flipped weights):
   * algorithms that keep prepared weights between calls (Winograd's filter cache) do not keep these.
   */
  public void forwardOnce(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
    forward(p, x, weight, bias, out);
  }

  /** Whether this algorithm can run {@code p}; the selector never returns one that cannot. */
  public boolean supports(ConvParams p) {
    return true;
  }

  /**
   * Writes the convolution of {@code x} with {@code weight} (plus {@code bias}, which may be null)
   * into {@code out}, laid out as {@link ConvParams} describes. Only {@code out} is modified.
   */
  public abstract void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out);
}
