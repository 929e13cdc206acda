package dev.jconv.nn.functional;

import dev.jconv.Tensor;
import dev.jconv.nn.AdaptiveAvgPool2dOptions;
import dev.jconv.nn.AdaptiveMaxPool2dOptions;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.LPPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.MaxUnpool2dOptions;

/**
 * The functional forms of jconv's layers, as PyTorch's {@code torch.nn.functional} (usually
 * imported as {@code F}). Every argument check happens here, once, before any work; the kernels
 * behind it trust their inputs.
 */
public final class F {
  private F() {}

  // ==== convolution ====

  /**
   * The book's two-dimensional cross-correlation ({@code corr2d} in "Dive into Deep Learning",
   * section 7.2) of a matrix {@code X} with a kernel {@code K}: {@code Y[i, j] = (X[i:i+h, j:j+w] * K).sum()}.
   * The result is float32 whatever the inputs' dtype, as the book's version (which fills
   * {@code torch.zeros}). A kernel one row or column larger than {@code X} gives an empty result.
   * Neither input is modified.
   *
   * <pre>{@code
   * Tensor X = tensor(new double[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
   * Tensor K = tensor(new double[][] {{0, 1}, {2, 3}});
   * F.corr2d(X, K);   // tensor([[19., 25.],
   *                   //         [37., 43.]])
   * }</pre>
   *
   * @throws IllegalArgumentException if X or K is not 2-D, or K is more than one larger than X
   */
  public static Tensor corr2d(Tensor X, Tensor K) {
    return dev.jconv.internal.conv.Corr2d.corr2d(X, K);
  }

  /**
   * {@code F.conv2d(input, weight)}: 2-D convolution (cross-correlation) with stride 1, no padding,
   * no bias. See {@link #conv2d(Tensor, Tensor, Conv2dFuncOptions)}.
   */
  public static Tensor conv2d(Tensor input, Tensor weight) {
    return conv2d(input, weight, new Conv2dFuncOptions());
  }

  /**
   * {@code F.conv2d(input, weight, bias, stride, padding, dilation, groups)}, as PyTorch: input
   * {@code (N, Cin, H, W)} or unbatched {@code (Cin, H, W)}, weight {@code (Cout, Cin/groups, kH, kW)},
   * bias {@code (Cout)} or none; the output is {@code (N, Cout, Hout, Wout)} (unbatched: no N) with
   * {@code Hout = floor((H + 2*padding - dilation*(kH-1) - 1) / stride) + 1}. Float32 only. Returns a
   * new tensor; the arguments are not modified.
   *
   * <pre>{@code
   * Tensor x = Torch.rand(4, 3, 12, 12);
   * Tensor w = Torch.rand(64, 3, 3, 3);
   * F.conv2d(x, w, new Conv2dFuncOptions().padding(1)).shape();        // torch.Size([4, 64, 12, 12])
   * F.conv2d(x, w, new Conv2dFuncOptions().padding(Padding.SAME));     // same size, any odd or even kernel
   * }</pre>
   *
   * @throws IllegalArgumentException with PyTorch's message and the shapes when PyTorch would refuse
   *     the call (wrong ranks or channel counts, groups not dividing the channels, non-positive stride
   *     or dilation, negative padding, a kernel larger than the padded input, {@code SAME} with a
   *     stride, a bias of the wrong length), or for a dtype other than float32
   */
  public static Tensor conv2d(Tensor input, Tensor weight, Conv2dFuncOptions options) {
    Tensor bias = options.bias();
    // With an int padding PyTorch compares the input's dtype with the bias's before anything else (the
    // rank included); with 'same' or 'valid' (its _convolution_mode) it does not, and casts a bias of
    // another floating dtype.
    boolean named = options.padding() instanceof Padding.Same || options.padding() instanceof Padding.Valid;
    if (!named) {
      dev.jconv.internal.conv.Conv2dOp.checkBiasDtype(input, bias);
    }
    // Fully qualified so this section merges cleanly beside pooling's (no shared import lines).
    dev.jconv.internal.kernels.ConvParams p = dev.jconv.internal.conv.Conv2dOp.check(input.shapeArray(), weight.shapeArray(), bias == null ? null : bias.shapeArray(),
        options.strideH(), options.strideW(), options.padding(), options.dilationH(), options.dilationW(),
        options.groups(), input.dtype());
    if (named && bias != null && bias.dtype() != input.dtype() && bias.isFloatingPoint() && input.isFloatingPoint()) {
      bias = bias.to(input.dtype());
    }
    Tensor empty = dev.jconv.internal.conv.Conv2dOp.emptyOutput(p, input, weight, input.dim() == 3);
    if (empty != null) {
      return empty;
    }
    dev.jconv.internal.conv.Conv2dOp.checkDtypes(input, weight, bias);
    return dev.jconv.internal.conv.Conv2dOp.run(p, input, weight, bias, input.dim() == 3);
  }

  // ==== end convolution ====



  // ==== pooling ====
  // Input shapes: (N, C, H, W), or unbatched (C, H, W) giving (C, outH, outW). Indices are int64
  // flat positions h * W + w within each plane, as in PyTorch.

  /**
   * 2-D max pooling with a square kernel and stride = kernel, as {@code F.max_pool2d(x, k)}.
   *
   * <pre>{@code
   * Tensor x = Torch.arange(16, DType.FLOAT32).reshape(1, 1, 4, 4);
   * F.maxPool2d(x, 2);   // tensor([[[[ 5.,  7.], [13., 15.]]]])
   * }</pre>
   *
   * @throws IllegalArgumentException for a bad rank, empty dims, bad arguments, an output smaller
   *     than 1x1 or an unsupported dtype (float32 and float64 are), with PyTorch's message
   */
  public static Tensor maxPool2d(Tensor input, int kernelSize) {
    return maxPool2d(input, MaxPool2dOptions.of(kernelSize));
  }

  /** {@code F.max_pool2d(x, kernelSize, stride)}. */
  public static Tensor maxPool2d(Tensor input, int kernelSize, int stride) {
    return maxPool2d(input, MaxPool2dOptions.of(kernelSize).stride(stride));
  }

  /** {@code F.max_pool2d(x, kernelSize, stride, padding)}; padding is -inf and at most half the kernel. */
  public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
    return maxPool2d(input, MaxPool2dOptions.of(kernelSize).stride(stride).padding(padding));
  }

  /**
   * 2-D max pooling with all of PyTorch's arguments. A NaN in a window is its max; ties keep the
   * first maximum; padding never wins. Does not modify {@code input}.
   *
   * <pre>{@code
   * F.maxPool2d(x, MaxPool2dOptions.of(3).stride(2).padding(1).ceilMode(true));
   * }</pre>
   */
  public static Tensor maxPool2d(Tensor input, MaxPool2dOptions options) {
    return Pooling.maxPool2d(input, options, false).values();
  }

  /**
   * Max pooling that also returns where each max came from ({@code return_indices=True}): int64
   * flat indices {@code h * W + w} within each input plane, the input for {@link #maxUnpool2d}.
   * NaN reports the last NaN's index; a window of only -inf its first in-bounds element.
   *
   * <pre>{@code
   * Tensor.ValuesIndices r = F.maxPool2dWithIndices(x, MaxPool2dOptions.of(2));
   * Tensor back = F.maxUnpool2d(r.values(), r.indices(), MaxUnpool2dOptions.of(2));
   * }</pre>
   */
  public static Tensor.ValuesIndices maxPool2dWithIndices(Tensor input, MaxPool2dOptions options) {
    return Pooling.maxPool2d(input, options, true);
  }

  /**
   * 2-D average pooling with a square kernel and stride = kernel, as {@code F.avg_pool2d(x, k)}.
   * float32, float64 and int64 (whose quotient truncates toward zero).
   *
   * <pre>{@code
   * F.avgPool2d(x, 2);   // for arange(16) as 4x4: tensor([[[[ 2.5000,  4.5000], [10.5000, 12.5000]]]])
   * }</pre>
   */
  public static Tensor avgPool2d(Tensor input, int kernelSize) {
    return avgPool2d(input, AvgPool2dOptions.of(kernelSize));
  }

  /** {@code F.avg_pool2d(x, kernelSize, stride)}. */
  public static Tensor avgPool2d(Tensor input, int kernelSize, int stride) {
    return avgPool2d(input, AvgPool2dOptions.of(kernelSize).stride(stride));
  }

  /** {@code F.avg_pool2d(x, kernelSize, stride, padding)} with zero padding counted in the divisor. */
  public static Tensor avgPool2d(Tensor input, int kernelSize, int stride, int padding) {
    return avgPool2d(input, AvgPool2dOptions.of(kernelSize).stride(stride).padding(padding));
  }

  /**
   * 2-D average pooling with all of PyTorch's arguments. The divisor of a window is its size
   * clipped to the padded input ({@code countIncludePad}, so a ceil-mode overhang past the padding
   * does not count), or its in-bounds size, or {@code divisorOverride}. Does not modify {@code input}.
   *
   * <pre>{@code
   * F.avgPool2d(x, AvgPool2dOptions.of(3).stride(1).padding(1).countIncludePad(false));
   * }</pre>
   */
  public static Tensor avgPool2d(Tensor input, AvgPool2dOptions options) {
    return Pooling.avgPool2d(input, options);
  }

  /**
   * Adaptive average pooling to {@code size x size}: bin i covers
   * {@code [floor(i*H/size), ceil((i+1)*H/size))}, so bins may overlap and the size may exceed
   * the input's.
   *
   * <pre>{@code
   * F.adaptiveAvgPool2d(x, 1);   // global average pooling, shape (N, C, 1, 1)
   * }</pre>
   */
  public static Tensor adaptiveAvgPool2d(Tensor input, int outputSize) {
    return adaptiveAvgPool2d(input, AdaptiveAvgPool2dOptions.of(outputSize));
  }

  /** Adaptive average pooling to {@code outputH x outputW}. */
  public static Tensor adaptiveAvgPool2d(Tensor input, int outputH, int outputW) {
    return adaptiveAvgPool2d(input, AdaptiveAvgPool2dOptions.of(outputH, outputW));
  }

  /**
   * Adaptive average pooling; a null side of the options keeps the input's size. Does not modify
   * {@code input}.
   *
   * <pre>{@code
   * F.adaptiveAvgPool2d(x, AdaptiveAvgPool2dOptions.of(null, 1));   // average each row
   * }</pre>
   */
  public static Tensor adaptiveAvgPool2d(Tensor input, AdaptiveAvgPool2dOptions options) {
    return Pooling.adaptiveAvgPool2d(input, options);
  }

  /**
   * Global average pooling, the book's {@code F.adaptive_avg_pool2d(X, (1, 1))}: the mean of each
   * plane, shape (N, C, 1, 1) (or (C, 1, 1)).
   *
   * <pre>{@code
   * F.globalAvgPool2d(Torch.ones(8, 2048, 7, 7)).shape();   // torch.Size([8, 2048, 1, 1])
   * }</pre>
   */
  public static Tensor globalAvgPool2d(Tensor input) {
    return adaptiveAvgPool2d(input, AdaptiveAvgPool2dOptions.of(1, 1));
  }

  /** Adaptive max pooling to {@code size x size} (the bins of {@link #adaptiveAvgPool2d(Tensor, int)}). */
  public static Tensor adaptiveMaxPool2d(Tensor input, int outputSize) {
    return adaptiveMaxPool2d(input, AdaptiveMaxPool2dOptions.of(outputSize));
  }

  /** Adaptive max pooling to {@code outputH x outputW}. */
  public static Tensor adaptiveMaxPool2d(Tensor input, int outputH, int outputW) {
    return adaptiveMaxPool2d(input, AdaptiveMaxPool2dOptions.of(outputH, outputW));
  }

  /**
   * Adaptive max pooling; a null side keeps the input's size. NaN and ties as in
   * {@link #maxPool2d(Tensor, MaxPool2dOptions)}. Does not modify {@code input}.
   *
   * <pre>{@code
   * F.adaptiveMaxPool2d(x, AdaptiveMaxPool2dOptions.of(2, 3));
   * }</pre>
   */
  public static Tensor adaptiveMaxPool2d(Tensor input, AdaptiveMaxPool2dOptions options) {
    return Pooling.adaptiveMaxPool2d(input, options, false).values();
  }

  /** Adaptive max pooling with int64 in-plane indices ({@code return_indices=True}). */
  public static Tensor.ValuesIndices adaptiveMaxPool2dWithIndices(Tensor input, AdaptiveMaxPool2dOptions options) {
    return Pooling.adaptiveMaxPool2d(input, options, true);
  }

  /**
   * Power-average pooling with stride = kernel, as {@code F.lp_pool2d(x, normType, k)}.
   *
   * <pre>{@code
   * F.lpPool2d(x, 2, 2);   // the L2 norm of each 2x2 window
   * }</pre>
   */
  public static Tensor lpPool2d(Tensor input, double normType, int kernelSize) {
    return lpPool2d(input, LPPool2dOptions.of(normType, kernelSize));
  }

  /** {@code F.lp_pool2d(x, normType, kernelSize, stride)}. */
  public static Tensor lpPool2d(Tensor input, double normType, int kernelSize, int stride) {
    return lpPool2d(input, LPPool2dOptions.of(normType, kernelSize).stride(stride));
  }

  /**
   * Power-average pooling exactly as PyTorch composes it:
   * {@code (sign(a) * relu(|a|) * kH*kW)^(1/p)} with {@code a = avg_pool2d(x^p)}. So norm 1 gives the
   * signed window sum, a negative sum under a fractional root is NaN, and a ceil-mode partial window
   * is scaled as if it were full. float32 and float64 keep their type; int64 (and bool) give float32,
   * computed in int64 up to the root when the norm is integral (PyTorch's Python-int norm).
   * Does not modify {@code input}.
   */
  public static Tensor lpPool2d(Tensor input, LPPool2dOptions options) {
    return Pooling.lpPool2d(input, options);
  }

  /**
   * The partial inverse of max pooling with a square kernel and stride = kernel: zeros everywhere
   * except each value written at its index. The output is {@code (in-1)*s - 2p + k} per side.
   *
   * <pre>{@code
   * Tensor.ValuesIndices r = F.maxPool2dWithIndices(x, MaxPool2dOptions.of(2));
   * F.maxUnpool2d(r.values(), r.indices(), 2);
   * }</pre>
   */
  public static Tensor maxUnpool2d(Tensor input, Tensor indices, int kernelSize) {
    return maxUnpool2d(input, indices, MaxUnpool2dOptions.of(kernelSize));
  }

  /** Max unpooling with the default output size {@code (in-1)*s - 2p + k}. */
  public static Tensor maxUnpool2d(Tensor input, Tensor indices, MaxUnpool2dOptions options) {
    return Pooling.maxUnpool2d(input, indices, options, null);
  }

  /**
   * Max unpooling to an explicit size ({@code (H, W)} or {@code (N, C, H, W)}), needed when the
   * pooled map's size was not {@code (in-1)*s - 2p + k}; it must lie strictly within one stride of
   * that default. Every index must fit in the output plane, else {@code Found an invalid max index}.
   * Does not modify {@code input} or {@code indices}.
   *
   * <pre>{@code
   * // x was 5x5: pooling with k2 gave 2x2, whose default unpool size is 4x4
   * F.maxUnpool2d(r.values(), r.indices(), MaxUnpool2dOptions.of(2), 5, 5);
   * }</pre>
   */
  public static Tensor maxUnpool2d(Tensor input, Tensor indices, MaxUnpool2dOptions options, int... outputSize) {
    if (outputSize == null) {
      throw new IllegalArgumentException("output_size must not be null (omit it for the default size)");
    }
    return Pooling.maxUnpool2d(input, indices, options, outputSize.clone());
  }


  // ==== end pooling ====

  // ==== activations and losses ====

  /** {@code F.relu(x)}: {@code max(x, 0)} element-wise (differentiable: ReluBackward0). */
  public static Tensor relu(Tensor x) {
    return x.relu();
  }

  /** {@code torch.sigmoid(x)}: {@code 1 / (1 + exp(-x))} element-wise. */
  public static Tensor sigmoid(Tensor x) {
    return x.sigmoid();
  }

  /** {@code torch.tanh(x)} element-wise. */
  public static Tensor tanh(Tensor x) {
    return x.tanh();
  }

  /** {@code F.linear(input, weight)}: {@code input @ weight.T}, no bias. */
  public static Tensor linear(Tensor input, Tensor weight) {
    return linear(input, weight, null);
  }

  /**
   * {@code F.linear(input, weight, bias)}: {@code input @ weight.T + bias} over the last dimension of
   * {@code input} ({@code [*, in]}), with weight {@code [out, in]} and bias {@code [out]} (or null).
   *
   * <pre>{@code
   * Tensor y = F.linear(x, w, b);   // x [256, 400], w [120, 400], b [120] -> y [256, 120]
   * }</pre>
   *
   * @throws IllegalArgumentException if the shapes or dtypes do not fit, in PyTorch's words
   */
  public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
    if (input.dim() == 0 || weight.dim() == 0) {
      throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are "
          + input.dim() + "D and " + weight.dim() + "D");
    }
    if (weight.dim() > 2) {
      throw new IllegalArgumentException("linear(): weight must be 1-D or 2-D, but got shape " + weight.shape());
    }
    // PyTorch 1.13's at::linear: addmm for 2-D input with a bias, and for contiguous 3-D input (as a
    // view of its rows, ViewBackward0); else matmul (a 1-D input as one row; more dimensions folded into
    // rows, UnsafeViewBackward0), then the bias added in place (AddBackward0). addmm compares the dtypes
    // before the shapes (the bias's with the weight's, then the input's); matmul the shapes first, and
    // the dtypes only when the product is not empty.
    boolean addmm = bias != null && weight.dim() == 2 && (input.dim() == 2 || input.dim() == 3 && input.isContiguous());
    if (addmm && bias.dtype() != weight.dtype()) {
      throw new IllegalArgumentException("self and mat2 must have the same dtype");
    }
    if (addmm && input.dtype() != weight.dtype()) {
      throw new IllegalArgumentException("mat1 and mat2 must have the same dtype");
    }
    int in = input.size(-1);
    if (weight.dim() == 1) {
      if (input.dtype() != weight.dtype() || (bias != null && bias.dtype() != input.dtype())) {
        Tensor other = input.dtype() != weight.dtype() ? weight : bias;
        throw new IllegalArgumentException("expected scalar type " + typeName(input) + " but found " + typeName(other));
      }
      if (weight.size(0) != in) {
        throw new IllegalArgumentException("size mismatch, got input (" + in + "), weight (" + weight.size(0) + ")");
      }
      Tensor out = input.matmul(weight);
      return bias == null ? out : out.add(bias);
    }
    int outFeatures = weight.size(0);
    int rows = 1;
    for (int d = 0; d < input.dim() - 1; d++) {
      rows *= input.size(d); // no overflow: at most the input's element count, or a zero
    }
    if (weight.size(1) != in) {
      throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + rows + "x" + in + " and "
          + weight.size(1) + "x" + outFeatures + ")");
    }
    if (bias != null) {
      int[] outShape = input.shapeArray();
      outShape[outShape.length - 1] = outFeatures;
      int[] bs = bias.shapeArray();
      boolean fits = bs.length <= outShape.length;
      for (int i = 0; fits && i < bs.length; i++) {
        int o = outShape[outShape.length - bs.length + i];
        fits = bs[i] == 1 || bs[i] == o;
      }
      if (!fits) {
        throw new IllegalArgumentException("The expanded size of the tensor (" + outFeatures + ") must match the "
            + "existing size (" + bs[bs.length - 1] + ") at non-singleton dimension " + (outShape.length - 1)
            + ".  Target sizes: " + java.util.Arrays.toString(outShape) + ".  Tensor sizes: "
            + java.util.Arrays.toString(bs));
      }
    }
    if (input.dim() == 2 && bias != null) {
      return dev.jconv.internal.autograd.MatmulOps.Linear.apply(input, weight, bias);
    }
    int[] outShape = input.shapeArray();
    outShape[outShape.length - 1] = outFeatures;
    if (input.dim() == 3 && bias != null && input.isContiguous()) {
      return dev.jconv.internal.autograd.MatmulOps.Linear.apply(input.view(rows, in), weight, bias).view(outShape);
    }
    Tensor out;
    if (input.dtype() != weight.dtype()) {
      if (rows > 0 && outFeatures > 0 && in > 0) {
        throw new IllegalArgumentException("expected scalar type " + typeName(input) + " but found " + typeName(weight));
      }
      out = dev.jconv.Torch.zeros(input.dtype(), outShape); // an empty product: no kernel runs to compare them
    } else if (input.dim() == 1) {
      out = input.matmul(weight.t());
    } else if (input.dim() == 2) {
      out = dev.jconv.internal.autograd.MatmulOps.Linear.apply(input, weight, null);
    } else {
      Tensor flat = dev.jconv.internal.autograd.MatmulOps.Linear.apply(input.reshape(rows, in), weight, null);
      out = dev.jconv.autograd.Node.isRecording(flat) ? dev.jconv.internal.autograd.ViewOps.Reshape.unsafeView(flat, outShape)
          : flat.view(outShape);
    }
    if (bias == null) {
      return out;
    }
    if (bias.dtype() == out.dtype()) {
      return out.add(bias);
    }
    // out.add_(bias): computed in the promoted dtype, which must cast back to the output's.
    Tensor sum = out.add(bias);
    if (sum.dtype().isFloatingPoint() && !out.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException("result type " + typeName(sum) + " can't be cast to the desired output type "
          + typeName(out));
    }
    return sum.to(out.dtype());
  }

  private static String typeName(Tensor t) {
    return switch (t.dtype()) {
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      case INT64 -> "Long";
      case BOOL -> "Bool";
    };
  }

  /**
   * The wrapped-as-given dimension of a softmax; a tensor that is not floating point is refused with
   * the words of the ATen kernel PyTorch would dispatch ({@code op}: "softmax" or "log_softmax"; the
   * "lastdim" kernel when nothing follows the dimension but sizes of 1).
   */
  private static int softmaxDim(Tensor x, int dim, String op) {
    int r = Math.max(x.dim(), 1);
    if (dim < -r || dim >= r) {
      throw new IllegalArgumentException("Dimension out of range (expected to be in range of [" + (-r) + ", "
          + (r - 1) + "], but got " + dim + ")");
    }
    if (!x.dtype().isFloatingPoint()) {
      long inner = 1;
      for (int d = (dim < 0 ? dim + r : dim) + 1; d < x.dim(); d++) {
        inner *= x.size(d);
      }
      throw new IllegalArgumentException("\"" + op + (inner == 1 ? "_lastdim" : "") + "_kernel_impl\" not implemented "
          + "for '" + typeName(x) + "'");
    }
    return dim;
  }

  /**
   * {@code F.softmax(x, dim)}: {@code exp(x) / exp(x).sum(dim)}, computed stably (the maximum is
   * subtracted first).
   */
  public static Tensor softmax(Tensor x, int dim) {
    if (x.numel() == 0 && !x.isFloatingPoint()) {
      softmaxDim(x.toDouble(), dim, "softmax");
      return x.cloneTensor(); // PyTorch runs no kernel on an empty tensor, whatever its dtype
    }
    return dev.jconv.internal.autograd.LossOps.Softmax.softmax(x, softmaxDim(x, dim, "softmax"));
  }

  /**
   * {@code F.log_softmax(x, dim)}: {@code x - logsumexp(x, dim)}, stable for large inputs.
   *
   * <pre>{@code
   * Tensor logp = F.logSoftmax(logits, 1);   // [N, C]; each row's exp sums to 1
   * }</pre>
   */
  public static Tensor logSoftmax(Tensor x, int dim) {
    if (x.numel() == 0 && !x.isFloatingPoint()) {
      softmaxDim(x.toDouble(), dim, "log_softmax");
      return x.cloneTensor();
    }
    return dev.jconv.internal.autograd.LossOps.Softmax.logSoftmax(x, softmaxDim(x, dim, "log_softmax"));
  }

  /** {@code F.nll_loss(logp, target)}: the mean of {@code -logp[i, target[i]]}. */
  public static Tensor nllLoss(Tensor input, Tensor target) {
    return nllLoss(input, target, null, -100, dev.jconv.nn.Reduction.MEAN);
  }

  /** {@code F.nll_loss(logp, target, reduction=...)}. */
  public static Tensor nllLoss(Tensor input, Tensor target, dev.jconv.nn.Reduction reduction) {
    return nllLoss(input, target, null, -100, reduction);
  }

  /**
   * {@code F.nll_loss(input, target, weight, ignore_index, reduction)}: input {@code [N, C]},
   * {@code [N, C, d1, ...]} or {@code [C]} (log-probabilities), int64 class indices {@code [N]},
   * {@code [N, d1, ...]} or {@code []}; targets equal to {@code ignoreIndex} count for nothing; the
   * mean divides by the total weight of the counted targets.
   *
   * @param weight a weight per class ({@code [C]}) or null
   * @throws IllegalArgumentException for mismatched shapes, a non-int64 target, or a class index out of
   *     range
   */
  public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, dev.jconv.nn.Reduction reduction) {
    checkNll(input, target, weight);
    return dev.jconv.internal.autograd.LossOps.NllLoss.apply(input, target, weight, ignoreIndex, reduction);
  }

  /**
   * nll_loss's checks in PyTorch's order and words: the batch sizes, then by the input's rank
   * (1-D or 2-D: nll_loss; 4-D: nll_loss2d; others: reshaped to nll_loss2d) the target's shape and the
   * weight's length, and last the target's dtype.
   */
  private static void checkNll(Tensor input, Tensor target, Tensor weight) {
    int nd = input.dim();
    if (nd < 1) {
      throw new IllegalArgumentException("Expected 1 or more dimensions (got " + nd + ")");
    }
    if (!input.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException("nll_loss expects a floating-point input, but got " + typeName(input));
    }
    int[] is = input.shapeArray();
    int[] ts = target.shapeArray();
    String in = java.util.Arrays.toString(is);
    String tg = java.util.Arrays.toString(ts);
    // (a 0-d target counts as a batch of 0 here, as in PyTorch's message)
    if (nd != 1 && (ts.length == 0 || ts[0] != is[0])) {
      throw new IllegalArgumentException("Expected input batch_size (" + is[0] + ") to match target batch_size ("
          + (ts.length == 0 ? 0 : ts[0]) + ").");
    }
    int classes = nd == 1 ? is[0] : is[1];
    long weightLength = weight == null ? classes : weight.numel();
    if (nd <= 2) {
      if (ts.length > 1) {
        throw new IllegalArgumentException("0D or 1D target tensor expected, multi-target not supported");
      }
      if (nd == 1 && ts.length != 0) {
        throw new IllegalArgumentException("size mismatch (got input: " + in + ", target: " + tg + ")");
      }
      if (weightLength != classes) {
        throw new IllegalArgumentException("weight tensor should be defined either for all " + classes
            + " classes or no classes but got weight tensor of shape: " + java.util.Arrays.toString(weight.shapeArray()));
      }
    } else if (nd == 4) {
      if (ts.length != 3) {
        throw new IllegalArgumentException("only batches of spatial targets supported (3D tensors) but got targets of "
            + "dimension: " + ts.length);
      }
      if (ts[1] != is[2] || ts[2] != is[3]) {
        // (sic: PyTorch's message has a space before the comma and no closing parenthesis)
        throw new IllegalArgumentException("size mismatch (got input: " + in + " , target: " + tg);
      }
      if (weightLength != classes) {
        throw new IllegalArgumentException("weight tensor should be defined either for all or no classes");
      }
    } else {
      int[] want = new int[nd - 1];
      want[0] = is[0];
      System.arraycopy(is, 2, want, 1, nd - 2);
      if (!java.util.Arrays.equals(want, ts)) {
        throw new IllegalArgumentException("Expected target size " + java.util.Arrays.toString(want) + ", got " + tg);
      }
      if (weightLength != classes) {
        throw new IllegalArgumentException("weight tensor should be defined either for all or no classes");
      }
    }
    if (target.dtype() != dev.jconv.DType.INT64) {
      throw new IllegalArgumentException("expected scalar type Long but found " + typeName(target));
    }
  }

  /** {@code F.cross_entropy(logits, target)}: log-softmax over the classes, then the NLL loss (mean). */
  public static Tensor crossEntropy(Tensor input, Tensor target) {
    return crossEntropy(input, target, null, -100, dev.jconv.nn.Reduction.MEAN);
  }

  /** {@code F.cross_entropy(logits, target, reduction=...)}. */
  public static Tensor crossEntropy(Tensor input, Tensor target, dev.jconv.nn.Reduction reduction) {
    return crossEntropy(input, target, null, -100, reduction);
  }

  /**
   * {@code F.cross_entropy(input, target, weight, ignore_index, reduction)}: {@code
   * nll_loss(log_softmax(input, classDim), ...)} with the class dimension 1 (0 for an unbatched
   * {@code [C]} input). A target of the input's shape holds class probabilities instead of indices
   * (floating-point; {@code ignoreIndex} must then be negative, as in PyTorch).
   *
   * <pre>{@code
   * Tensor loss = F.crossEntropy(net.forward(x), labels);   // labels: int64 [N]
   * loss.backward();
   * }</pre>
   */
  public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
      dev.jconv.nn.Reduction reduction) {
    int classDim = input.dim() == 1 ? 0 : 1;
    // PyTorch takes a target of the input's shape as class probabilities, whatever its dtype.
    if (java.util.Arrays.equals(input.shapeArray(), target.shapeArray())) {
      if (!target.dtype().isFloatingPoint()) {
        throw new IllegalArgumentException("Expected floating point type for target with class probabilities, got "
            + typeName(target));
      }
      if (ignoreIndex >= 0) {
        throw new IllegalArgumentException("ignore_index is not supported for floating point target");
      }
      if (input.dim() < 1) {
        throw new IllegalArgumentException("Dimension specified as 1 but tensor has no dimensions");
      }
      int classes = input.size(classDim);
      if (weight != null && (weight.dim() != 1 || weight.size(0) != classes)) {
        throw new IllegalArgumentException("cross_entropy: weight tensor should be defined either for all " + classes
            + " classes or no classes but got weight tensor of shape: "
            + java.util.Arrays.toString(weight.shapeArray()));
      }
      Tensor logp = dev.jconv.internal.autograd.LossOps.Softmax.logSoftmax(input, classDim);
      Tensor prod = logp.mul(target);
      if (weight != null) {
        int[] ws = new int[input.dim()];
        java.util.Arrays.fill(ws, 1);
        ws[classDim] = classes;
        prod = prod.mul(weight.view(ws));
      }
      return switch (reduction) {
        case NONE -> prod.sum(classDim, false).neg();
        case SUM -> prod.sum().neg();
        case MEAN -> dev.jconv.internal.autograd.PointwiseOps.ScalarScale.divScalarOverload(prod.sum().neg(),
            (double) (input.numel() / Math.max(classes, 1)));
      };
    }
    checkNll(input, target, weight);
    return dev.jconv.internal.autograd.LossOps.NllLoss.apply(dev.jconv.internal.autograd.LossOps.Softmax.logSoftmax(input, classDim), target, weight, ignoreIndex, reduction);
  }

  /** {@code F.mse_loss(input, target)}: the mean of {@code (input - target)^2}. */
  public static Tensor mseLoss(Tensor input, Tensor target) {
    return mseLoss(input, target, dev.jconv.nn.Reduction.MEAN);
  }

  /**
   * {@code F.mse_loss(input, target, reduction)}: {@code (input - target)^2}, then mean, sum or none.
   * Shapes must broadcast (PyTorch warns when they differ; jconv allows it silently).
   */
  public static Tensor mseLoss(Tensor input, Tensor target, dev.jconv.nn.Reduction reduction) {
    if (!input.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException("mse_loss expects a floating-point input, but got " + typeName(input));
    }
    return dev.jconv.internal.autograd.LossOps.MseLoss.apply(input, target, reduction);
  }

  // ==== end activations and losses ====
}
