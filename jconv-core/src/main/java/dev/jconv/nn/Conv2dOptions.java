package dev.jconv.nn;

import dev.jconv.nn.functional.Padding;

/**
 * The configuration of a {@link Conv2d} layer, as PyTorch's C++ {@code Conv2dOptions}: channels and
 * kernel size are required; stride (1), padding (0), dilation (1), groups (1), bias (true) and
 * padding mode ({@link PaddingMode#ZEROS}) have PyTorch's defaults. Immutable: each wither returns a
 * new record, and every record is valid — a bad value is refused when it is set, with PyTorch's
 * message, not later when the layer runs.
 *
 * <pre>{@code
 * Conv2dOptions.of(3, 64, 3)                                  // nn.Conv2d(3, 64, 3)
 * Conv2dOptions.of(1, 6, 5).padding(2)                        // nn.Conv2d(1, 6, 5, padding=2)
 * Conv2dOptions.of(16, 32, 3, 5).stride(2).groups(16)         // kernel_size=(3, 5), stride=2, groups=16
 * Conv2dOptions.of(3, 8, 3).padding(Padding.SAME).paddingMode(PaddingMode.REFLECT).bias(false)
 * }</pre>
 */
public record Conv2dOptions(
    int inChannels, int outChannels, int kernelH, int kernelW,
    int strideH, int strideW, Padding padding, int dilationH, int dilationW,
    int groups, boolean bias, PaddingMode paddingMode) {

  /**
   * Validates the fields as PyTorch's {@code nn.Conv2d} constructor does, in its order and words:
   * groups, the channels they must divide, {@code 'same'} with a stride, then the weight's shape
   * (a negative size). A kernel of 0, a stride or dilation below 1 and (with zero padding) a negative
   * padding build, as in PyTorch, and are refused when the layer runs. One difference: PyTorch crops
   * the input for a negative padding with another padding mode; jconv refuses it here.
   *
   * @throws IllegalArgumentException with PyTorch's message
   */
  public Conv2dOptions {
    if (groups <= 0) {
      throw new IllegalArgumentException("groups must be a positive integer");
    }
    if (inChannels % groups != 0) {
      throw new IllegalArgumentException("in_channels must be divisible by groups");
    }
    if (outChannels % groups != 0) {
      throw new IllegalArgumentException("out_channels must be divisible by groups");
    }
    if (padding == null) {
      throw new IllegalArgumentException("padding must not be null (use Padding.of(0) or Padding.VALID)");
    }
    if (padding instanceof Padding.Same && (strideH != 1 || strideW != 1)) {
      throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
    }
    if (paddingMode == null) {
      throw new IllegalArgumentException("padding_mode must be one of zeros, reflect, replicate, circular, but got null");
    }
    int[] weight = {outChannels, inChannels / groups, kernelH, kernelW};
    for (int size : weight) {
      if (size < 0) {
        throw new IllegalArgumentException("Trying to create tensor with negative dimension " + size + ": "
            + java.util.Arrays.toString(weight));
      }
    }
    if (paddingMode != PaddingMode.ZEROS && padding instanceof Padding.Explicit e && (e.height() < 0 || e.width() < 0)) {
      throw new IllegalArgumentException("a negative padding with padding_mode=" + paddingMode
          + " crops the input in PyTorch; jconv does not crop: use a padding of 0 or more, or crop with narrow");
    }
  }

  /** {@code nn.Conv2d(inChannels, outChannels, kernelSize)}: a square kernel, every other option default. */
  public static Conv2dOptions of(int inChannels, int outChannels, int kernelSize) {
    return of(inChannels, outChannels, kernelSize, kernelSize);
  }

  /** {@code nn.Conv2d(inChannels, outChannels, (kernelH, kernelW))}. */
  public static Conv2dOptions of(int inChannels, int outChannels, int kernelH, int kernelW) {
    return new Conv2dOptions(inChannels, outChannels, kernelH, kernelW, 1, 1, Padding.of(0), 1, 1, 1, true,
        PaddingMode.ZEROS);
  }

  /**
   * {@code nn.LazyConv2d(outChannels, kernelSize)}'s options: no input channels yet ({@link LazyConv2d}
   * takes them from its first input).
   */
  public static Conv2dOptions lazy(int outChannels, int kernelSize) {
    return of(0, outChannels, kernelSize, kernelSize);
  }

  /** {@code nn.LazyConv2d(outChannels, (kernelH, kernelW))}'s options. */
  public static Conv2dOptions lazy(int outChannels, int kernelH, int kernelW) {
    return of(0, outChannels, kernelH, kernelW);
  }

  /** These options with {@code inChannels} input channels ({@link LazyConv2d}'s first forward). */
  Conv2dOptions withInChannels(int inChannels) {
    return new Conv2dOptions(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padding, dilationH,
        dilationW, groups, bias, paddingMode);
  }

  /** {@code kernel_size=(height, width)}. */
  public Conv2dOptions kernelSize(int height, int width) {
    return new Conv2dOptions(inChannels, outChannels, height, width, strideH, strideW, padding, dilationH,
        dilationW, groups, bias, paddingMode);
  }

  /** {@code stride=s}. */
  public Conv2dOptions stride(int s) {
    return stride(s, s);
  }

  /** {@code stride=(height, width)}. */
  public Conv2dOptions stride(int height, int width) {
    return new Conv2dOptions(inChannels, outChannels, kernelH, kernelW, height, width, padding, dilationH,
        dilationW, groups, bias, paddingMode);
  }

  /** {@code padding=p}. */
  public Conv2dOptions padding(int p) {
    return padding(Padding.of(p));
  }

  /** {@code padding=(height, width)}. */
  public Conv2dOptions padding(int height, int width) {
    return padding(Padding.of(height, width));
  }

  /** Explicit sizes, {@link Padding#VALID} or {@link Padding#SAME}. */
  public Conv2dOptions padding(Padding p) {
    return new Conv2dOptions(inChannels, outChannels, kernelH, kernelW, strideH, strideW, p, dilationH,
        dilationW, groups, bias, paddingMode);
  }

  /** {@code dilation=d}. */
  public Conv2dOptions dilation(int d) {
    return dilation(d, d);
  }

  /** {@code dilation=(height, width)}. */
  public Conv2dOptions dilation(int height, int width) {
    return new Conv2dOptions(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padding, height,
        width, groups, bias, paddingMode);
  }

  /** {@code groups=g}; both channel counts must divide by it. */
  public Conv2dOptions groups(int g) {
    return new Conv2dOptions(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padding, dilationH,
        dilationW, g, bias, paddingMode);
  }

  /** {@code bias=b}: whether the layer has a learnable bias. */
  public Conv2dOptions bias(boolean b) {
    return new Conv2dOptions(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padding, dilationH,
        dilationW, groups, b, paddingMode);
  }

  /** {@code padding_mode=mode}. */
  public Conv2dOptions paddingMode(PaddingMode mode) {
    return new Conv2dOptions(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padding, dilationH,
        dilationW, groups, bias, mode);
  }
}
