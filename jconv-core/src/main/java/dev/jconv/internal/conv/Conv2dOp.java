package dev.jconv.internal.conv;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.internal.Raw;
import dev.jconv.internal.kernels.ConvAlgorithm;
import dev.jconv.internal.kernels.ConvDouble;
import dev.jconv.internal.kernels.ConvParams;
import dev.jconv.internal.kernels.ConvSelector;
import dev.jconv.internal.kernels.ModePad;
import dev.jconv.internal.shape.ConvShapes;
import dev.jconv.internal.shape.ConvShapes.PadMode;
import dev.jconv.nn.functional.Padding;
import java.util.Arrays;

/**
 * The checked entry to 2-D convolution, shared by {@code F.conv2d} and the {@code Conv2d} layer:
 * every argument check, in PyTorch's order and words, then the algorithm the selector picks. The
 * checks look only at shapes and options, so a layer can check the shape its input will have after
 * padding before it pads anything.
 */
public final class Conv2dOp {
  private Conv2dOp() {}

  /**
   * Checks a convolution of an input of {@code inputShape} (3-D or 4-D) with a weight of
   * {@code weightShape} and a bias of {@code biasShape} (null for none), and returns its kernel
   * parameters (for the batched input; an unbatched input counts as N = 1).
   *
   * @throws IllegalArgumentException with PyTorch's message for the first problem PyTorch reports
   */
  public static ConvParams check(int[] inputShape, int[] weightShape, int[] biasShape, int strideH,
      int strideW, Padding padding, int dilationH, int dilationW, int groups, DType dtype) {
    if (inputShape.length != 3 && inputShape.length != 4) {
      throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
          + shape(inputShape));
    }
    if (weightShape.length < 3) {
      throw new IllegalArgumentException("weight should have at least three dimensions");
    }
    int[] in = inputShape.length == 4 ? inputShape
        : new int[] {1, inputShape[0], inputShape[1], inputShape[2]};
    // A weight of another rank is another convolution's: PyTorch then refuses the input's rank
    // ('same') or, after the groups, the stride's length (the others).
    if (padding instanceof Padding.Same) {
      if (weightShape.length != 4) {
        throw new IllegalArgumentException("Expected " + weightShape.length + "-dimensional input for "
            + weightShape.length + "-dimensional weight" + shape(weightShape) + ", but got 4-dimensional input of size "
            + shape(in) + " instead");
      }
      if (strideH != 1 || strideW != 1) {
        throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
      }
    }
    if (groups <= 0) {
      throw new IllegalArgumentException("non-positive groups is not supported");
    }
    if (weightShape.length != 4) {
      // PyTorch's words here ("expected stride to be a single integer value or a list of 1 values to
      // match the convolution dimensions") mean nothing to a Java caller: jconv names the weight.
      throw new IllegalArgumentException("Expected 4-dimensional weight for conv2d (out_channels, in_channels/groups, "
          + "kH, kW), but got " + weightShape.length + "-dimensional weight of size " + shape(weightShape) + " instead");
    }
    int kh = weightShape[2];
    int kw = weightShape[3];
    long[] padH;
    long[] padW;
    switch (padding) {
      case Padding.Explicit e -> {
        if (e.height() < 0 || e.width() < 0) {
          throw new IllegalArgumentException("negative padding is not supported");
        }
        padH = new long[] {e.height(), e.height()};
        padW = new long[] {e.width(), e.width()};
      }
      case Padding.Valid v -> {
        padH = new long[] {0, 0};
        padW = new long[] {0, 0};
      }
      case Padding.Same s -> {
        padH = ConvShapes.samePadding(kh, dilationH);
        padW = ConvShapes.samePadding(kw, dilationW);
      }
    }
    if (strideH <= 0 || strideW <= 0) {
      throw new IllegalArgumentException("non-positive stride is not supported");
    }
    int cout = weightShape[0];
    if (cout < groups) {
      throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be at least " + groups
          + " at dimension 0, but got weight of size " + shape(weightShape) + " instead");
    }
    if (cout % groups != 0) {
      // PyTorch prints this size inside brackets of its own: [[4, 2, 3, 3]].
      throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
          + " at dimension 0, but got weight of size [" + shape(weightShape) + "] instead");
    }
    long expectedChannels = (long) weightShape[1] * groups;
    if (in[1] != expectedChannels) {
      throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + shape(weightShape)
          + ", expected input" + shape(in) + " to have " + expectedChannels + " channels, but got " + in[1]
          + " channels instead");
    }
    if (biasShape != null && (biasShape.length != 1 || biasShape[0] != cout)) {
      throw new IllegalArgumentException("Given weight of size " + shape(weightShape)
          + ", expected bias to be 1-dimensional with " + cout + " elements, but got bias of size "
          + shape(biasShape) + " instead");
    }
    long paddedH = in[2] + padH[0] + padH[1];
    long paddedW = in[3] + padW[0] + padW[1];
    // As PyTorch, with the dilation as given: a dilation of 0 is reported only after this check.
    long spanH = ConvShapes.dilatedKernel(kh, dilationH);
    long spanW = ConvShapes.dilatedKernel(kw, dilationW);
    if (paddedH < spanH || paddedW < spanW) {
      throw new IllegalArgumentException("Calculated padded input size per channel: (" + paddedH + " x " + paddedW
          + "). Kernel size: (" + spanH + " x " + spanW + "). Kernel size can't be greater than actual input size");
    }
    // From here PyTorch's backend words the refusals: oneDNN's, or its own kernels' (the dilated
    // one's for any dilation but 1, which checks the kernel first). An empty batch or no channels
    // never reach a backend: the output is made from the sizes as given.
    boolean empty = in[0] == 0 || in[1] == 0;
    boolean oneDnn = dtype == DType.FLOAT32 && (groups > 1 || (kw > 3 && kh > 3) || in[0] > 1
        || (long) in[0] * in[1] * in[2] * in[3] > 20480);
    boolean dilatedKernel = dilationH != 1 || dilationW != 1;
    if (empty) {
      if (in[0] == 0 && in[1] > 0 && (kh <= 0 || kw <= 0)) {
        // What PyTorch 1.13 raises there, from its own bookkeeping.
        throw new IllegalArgumentException("select(): index 0 out of range for tensor of size [0] at dimension 0");
      }
    } else {
      if (!oneDnn && dilatedKernel && (kh <= 0 || kw <= 0)) {
        throw new IllegalArgumentException("kernel size should be greater than zero, but got [" + kh + ", " + kw
            + "]");
      }
      if (dilationH <= 0 || dilationW <= 0) {
        throw new IllegalArgumentException(oneDnn ? "non-positive dilation is not supported"
            : "dilation should be greater than zero, but got [" + dilationH + ", " + dilationW + "]");
      }
      if (in[2] == 0 || in[3] == 0) {
        throw new IllegalArgumentException("Only zero batch or zero channel inputs are supported, but got input shape: "
            + shape(in));
      }
      if (kh <= 0 || kw <= 0) {
        throw new IllegalArgumentException(oneDnn
            ? "could not create a descriptor for a dilated convolution forward propagation primitive"
            : "kernel size should be greater than zero, but got kernel_height: " + kh + " kernel_width: " + kw);
      }
    }
    if (paddedH > Integer.MAX_VALUE || paddedW > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("padded input size per channel (" + paddedH + " x " + paddedW
          + ") is larger than the 2^31-1 elements a jconv tensor can hold");
    }
    long outH = ConvShapes.outputSize(in[2], padH[0], padH[1], kh, strideH, dilationH);
    long outW = ConvShapes.outputSize(in[3], padW[0], padW[1], kw, strideW, dilationW);
    // PyTorch gives zero output channels for a zero-channel input (the weight then has no elements).
    long outC = in[1] == 0 ? 0 : cout;
    // Each factor is below 2^32, so the product can overflow a long only if checked as it grows.
    long outElements = 1;
    for (long f : new long[] {in[0], outC, outH, outW}) {
      outElements = f == 0 || outElements <= Tensor.MAX_ELEMENTS ? outElements * f : outElements;
    }
    if (outElements > Tensor.MAX_ELEMENTS) {
      throw new IllegalArgumentException("conv2d output of size [" + in[0] + ", " + outC + ", " + outH + ", " + outW
          + "] has more elements than the 2^31-1 (2147483647) a jconv tensor can hold");
    }
    // An empty input runs no kernel: a kernel side of 0 (no channels) or a dilation below 1 is kept
    // out of the parameters, which the output's sizes no longer need.
    return new ConvParams(in[0], in[1], in[2], in[3], in[1] == 0 ? 0 : cout, groups, Math.max(1, kh),
        Math.max(1, kw), strideH, strideW, (int) padH[0], (int) padW[0], (int) padH[1], (int) padW[1],
        Math.max(1, dilationH), Math.max(1, dilationW), (int) outH, (int) outW);
  }

  /**
   * Checks the dtypes left after the shapes, as PyTorch's kernel does: the weight must have the
   * input's dtype; jconv convolves float32 (the fast kernels) and float64. (The bias's dtype comes
   * first, before the shapes, where PyTorch checks it: {@link #checkBiasDtype}.)
   *
   * @throws IllegalArgumentException with PyTorch's message naming the mismatch, or naming the dtype
   *     jconv does not convolve
   */
  public static void checkDtypes(Tensor input, Tensor weight, Tensor bias) {
    if (weight.dtype() != input.dtype()) {
      throw new IllegalArgumentException("expected scalar type " + scalarName(input.dtype()) + " but found "
          + scalarName(weight.dtype()));
    }
    if (input.dtype() != DType.FLOAT32 && input.dtype() != DType.FLOAT64) {
      throw new IllegalArgumentException("conv2d in jconv computes in float32 or float64, but got input"
          + (bias == null ? " and weight" : ", weight and bias") + " of dtype " + input.dtype().torchName()
          + " (convert with toFloat() or toDouble())");
    }
  }

  /**
   * An empty output where the input's dtype differs from the weight's (both floating point): PyTorch
   * runs no kernel and returns it in the input's dtype, with no complaint about the weight; else null.
   */
  public static Tensor emptyOutput(ConvParams p, Tensor input, Tensor weight, boolean unbatched) {
    if (p.outputLength() != 0 || weight.dtype() == input.dtype() || !input.isFloatingPoint()
        || !weight.isFloatingPoint()) {
      return null;
    }
    return unbatched ? dev.jconv.Torch.zeros(input.dtype(), p.cout(), p.outH(), p.outW())
        : dev.jconv.Torch.zeros(input.dtype(), p.n(), p.cout(), p.outH(), p.outW());
  }

  /**
   * The input's dtype against the bias's: PyTorch's conv2d checks this first, before the input's rank
   * and shape.
   */
  public static void checkBiasDtype(Tensor input, Tensor bias) {
    if (bias != null && bias.dtype() != input.dtype()) {
      throw new IllegalArgumentException("Input type (" + cName(input.dtype()) + ") and bias type ("
          + cName(bias.dtype()) + ") should be the same");
    }
  }

  /** PyTorch's C type name in its "Input type (double)" message. */
  private static String cName(DType t) {
    return switch (t) {
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      case INT64 -> "long int";
      case BOOL -> "bool";
    };
  }

  /** PyTorch's ScalarType name in its "expected scalar type Float" message. */
  private static String scalarName(DType t) {
    return switch (t) {
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      case INT64 -> "Long";
      case BOOL -> "Bool";
    };
  }

  /**
   * Runs a checked convolution and returns the output, shaped {@code (N, Cout, outH, outW)}, or
   * {@code (Cout, outH, outW)} when {@code unbatched}; float64 tensors convolve in float64 (slow,
   * exact-order direct loops), float32 ones on the fast kernels. Reads the tensors, modifies nothing.
   */
  public static Tensor run(ConvParams p, Tensor input, Tensor weight, Tensor bias, boolean unbatched) {
    boolean dbl = input.dtype() == DType.FLOAT64;
    if (dev.jconv.autograd.Node.isRecording(input, weight, bias)) { // autograd hook (ConvolutionBackward0)
      return dev.jconv.internal.autograd.ConvOps.Conv2d.apply(p, input, weight, bias, unbatched);
    }
    int[] shape = unbatched ? new int[] {p.cout(), p.outH(), p.outW()}
        : new int[] {p.n(), p.cout(), p.outH(), p.outW()};
    if (dbl) {
      double[] out = new double[p.outputLength()];
      if (out.length > 0) {
        ConvDouble.forward(p, Raw.doubles(input), Raw.doubles(weight), bias == null ? null : Raw.doubles(bias), out);
      }
      return Raw.wrap(out, shape);
    }
    float[] out = new float[p.outputLength()];
    if (out.length > 0) {
      float[] xs = Raw.floats(input);
      float[] ws = Raw.floats(weight);
      ConvAlgorithm algorithm = ConvSelector.selectFor(p, xs, ws);
      algorithm.forward(p, xs, ws, bias == null ? null : Raw.floats(bias), out);
    }
    return Raw.wrap(out, shape);
  }

  /**
   * Checks an input and the padding of a layer's {@code padding_mode} as PyTorch 1.13's {@code F.pad}
   * does (the layer pads before it convolves, even by 0): the rank (4 padding values need at least 2
   * dimensions, and the modes pad only 3-D and 4-D tensors), each mode's empty dimensions (reflect: the plane or, batched, the
   * channels; replicate: any dimension but a batch; circular: none), then the padding's size, width
   * first.
   */
  public static void checkModePadding(PadMode mode, int[] inputShape, DType dtype, int top, int bottom, int left,
      int right) {
    int rank = inputShape.length;
    if (rank < 2) {
      throw new IllegalArgumentException("Padding length too large");
    }
    if (rank != 3 && rank != 4) {
      throw new IllegalArgumentException(
          "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    }
    switch (mode) {
      case CIRCULAR -> {
        // No empty-dimension rule. PyTorch 1.13 refuses unbatched input ("Invalid padding size,
        // expected 2 but got 4", a bug later versions fixed); jconv pads it as a batch of one.
      }
      case REFLECT -> {
        if (inputShape[rank - 1] == 0 || inputShape[rank - 2] == 0 || rank == 4 && inputShape[1] == 0) {
          StringBuilder sizes = new StringBuilder();
          for (int d = 0; d < rank; d++) {
            sizes.append(d == 0 ? "" : ",").append(inputShape[d]);
          }
          throw new IllegalArgumentException("3D or 4D (batch mode) tensor expected for input, but got: [ torch."
              + legacyTypeName(dtype) + "{" + sizes + "} ]");
        }
      }
      case REPLICATE -> {
        for (int d = 0; d < rank; d++) {
          if (inputShape[d] == 0 && (d > 0 || rank == 3)) {
            throw new IllegalArgumentException("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and "
                + "other non-zero dimensions for input, but got: " + shape(inputShape));
          }
        }
      }
    }
    ConvShapes.checkModePadding(mode, inputShape[rank - 1], left, right, rank - 1, rank, 4);
    ConvShapes.checkModePadding(mode, inputShape[rank - 2], top, bottom, rank - 2, rank, 6);
    // The shapes first, then the kernel's dtypes (circular padding is slicing: any dtype).
    if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64 && mode != PadMode.CIRCULAR) {
      throw new IllegalArgumentException("\"" + (mode == PadMode.REFLECT ? "reflection_pad2d" : "replication_pad2d_cpu")
          + "\" not implemented for '" + scalarName(dtype) + "'");
    }
  }

  /** PyTorch's legacy name for a CPU tensor of {@code dtype}, as its messages print a tensor ({@code FloatTensor}). */
  public static String legacyTypeName(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> "FloatTensor";
      case FLOAT64 -> "DoubleTensor";
      case INT64 -> "LongTensor";
      case BOOL -> "BoolTensor";
    };
  }

  /** A new tensor: {@code input} (3-D or 4-D, float32 or float64) padded in its last two dimensions by {@code mode}. */
  public static Tensor modePad(Tensor input, PadMode mode, int top, int bottom, int left, int right) {
    if (dev.jconv.autograd.Node.isRecording(input)) { // autograd hook (ReflectionPad2DBackward0, ...)
      return dev.jconv.internal.autograd.ConvOps.ModePadding.apply(input, mode, top, bottom, left, right);
    }
    int[] s = input.shapeArray();
    int rank = s.length;
    int h = s[rank - 2];
    int w = s[rank - 1];
    int planes = rank == 4 ? s[0] * s[1] : s[0];
    long oh = (long) h + top + bottom;
    long ow = (long) w + left + right;
    if ((long) planes * oh * ow > Tensor.MAX_ELEMENTS) {
      throw new IllegalArgumentException("padded input of " + planes + " planes of " + oh + " x " + ow
          + " has more than the 2^31-1 (2147483647) elements a jconv tensor can hold");
    }
    int[] shape = s.clone();
    shape[rank - 2] = (int) oh;
    shape[rank - 1] = (int) ow;
    if (input.dtype() == DType.FLOAT64) {
      return Raw.wrap(ModePad.pad(Raw.doubles(input), planes, h, w, top, bottom, left, right, mode), shape);
    }
    return Raw.wrap(ModePad.pad(Raw.floats(input), planes, h, w, top, bottom, left, right, mode), shape);
  }

  /** PyTorch's way of printing a shape in messages: {@code [4, 5, 12, 12]}. */
  public static String shape(int[] s) {
    return Arrays.toString(s);
  }
}
