package dev.jconv.nn.functional;

import dev.jconv.Tensor;

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
    // Fully qualified so this section merges cleanly beside pooling's (no shared import lines).
    dev.jconv.internal.kernels.ConvParams p = dev.jconv.internal.conv.Conv2dOp.check(input.shapeArray(), weight.shapeArray(), bias == null ? null : bias.shapeArray(),
        options.strideH(), options.strideW(), options.padding(), options.dilationH(), options.dilationW(),
        options.groups());
    dev.jconv.internal.conv.Conv2dOp.checkDtypes(input, weight, bias);
    return dev.jconv.internal.conv.Conv2dOp.run(p, input, weight, bias, input.dim() == 3);
  }

  // ==== end convolution ====



  // ==== pooling ====


  // ==== end pooling ====
}
