package dev.jconv.nn.functional;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.internal.Raw;
import dev.jconv.internal.kernels.AdaptivePool2dKernel;
import dev.jconv.internal.kernels.AdaptivePool2dParams;
import dev.jconv.internal.kernels.AvgPool2dKernel;
import dev.jconv.internal.kernels.LpPool2dKernel;
import dev.jconv.internal.kernels.MaxPool2dKernel;
import dev.jconv.internal.kernels.MaxUnpool2dKernel;
import dev.jconv.internal.kernels.Pool2dParams;
import dev.jconv.internal.kernels.Unpool2dParams;
import dev.jconv.internal.shape.PoolShapes;
import dev.jconv.internal.vector.PoolingProviders;
import dev.jconv.nn.AdaptiveAvgPool2dOptions;
import dev.jconv.nn.AdaptiveMaxPool2dOptions;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.IntPair;
import dev.jconv.nn.LPPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.MaxUnpool2dOptions;
import java.util.Arrays;

/**
 * The pooling half of {@link F}: every check of the arguments and the input, in ATen's order and
 * words with the shapes, then the kernels. Nothing is computed before every check has passed.
 */
final class Pooling {
  private Pooling() {}

  /** An input seen as planes: (N*C or C) maps of H x W, and the leading dims to restore. */
  private record Planes(int[] lead, int planes, int h, int w) {
    int[] outShape(int oh, int ow) {
      int[] s = Arrays.copyOf(lead, lead.length + 2);
      s[lead.length] = oh;
      s[lead.length + 1] = ow;
      return s;
    }
  }

  private static Planes planes(Tensor input) {
    int[] s = input.shapeArray();
    int[] lead = Arrays.copyOf(s, s.length - 2);
    long planes = 1;
    for (int d : lead) {
      planes *= d;
    }
    return new Planes(lead, (int) planes, s[s.length - 2], s[s.length - 1]);
  }

  private static Tensor require(Tensor t, String name) {
    if (t == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return t;
  }

  private static <T> T requireOptions(T o) {
    if (o == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    return o;
  }

  static String shape(Tensor t) {
    return Arrays.toString(t.shapeArray());
  }

  /** ATen's dispatch error, e.g. {@code "max_pool2d" not implemented for 'Long'}. */
  private static IllegalArgumentException notImplemented(String op, DType t) {
    return new IllegalArgumentException("\"" + op + "\" not implemented for '" + pyName(t) + "'");
  }

  /** ATen's scalar type names, as its messages print them. */
  private static String pyName(DType t) {
    return switch (t) {
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      case INT64 -> "Long";
      case BOOL -> "Bool";
    };
  }

  /** Refuses outputs past jconv's element limit; sizes are non-negative and at most 2^31-1 each. */
  private static void checkElements(String op, long planes, long oh, long ow) {
    long plane = oh * ow; // < 2^62
    if (planes > 0 && plane > Tensor.MAX_ELEMENTS / planes) {
      java.math.BigInteger n = java.math.BigInteger.valueOf(planes).multiply(java.math.BigInteger.valueOf(plane));
      throw new IllegalArgumentException(op + ": the output would have " + n
          + " elements, more than the 2^31-1 (2147483647) a jconv tensor can hold");
    }
  }

  /**
   * pool2d_shape_check's input rule: (C, H, W) with every size non-zero, or (N, C, H, W) with
   * non-zero C, H, W (an empty batch is allowed).
   */
  private static void checkPoolInput(Tensor input) {
    int[] s = input.shapeArray();
    boolean ok = (s.length == 3 && s[0] != 0 && s[1] != 0 && s[2] != 0)
        || (s.length == 4 && s[1] != 0 && s[2] != 0 && s[3] != 0);
    if (!ok) {
      throw new IllegalArgumentException("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size"
          + " for input, but got:" + shape(input));
    }
  }

  /**
   * The argument checks of windowed pooling, in ATen's order and words: per dimension (height, then
   * width) {@code pooling_output_shape}'s stride, padding sign and half-kernel checks, then
   * {@code pool2d_shape_check}'s kernel, stride and dilation signs. The order is what a user sees:
   * a kernel of 0 with the default stride reports "stride should not be zero".
   */
  static void checkWindow(IntPair kernel, IntPair stride, IntPair padding, IntPair dilation) {
    checkDim(kernel.h(), stride.h(), padding.h());
    checkDim(kernel.w(), stride.w(), padding.w());
    if (kernel.h() <= 0 || kernel.w() <= 0) {
      throw new IllegalArgumentException("kernel size should be greater than zero, but got kH: "
          + kernel.h() + " kW: " + kernel.w());
    }
    if (stride.h() <= 0 || stride.w() <= 0) {
      throw new IllegalArgumentException("stride should be greater than zero, but got dH: "
          + stride.h() + " dW: " + stride.w());
    }
    if (dilation.h() <= 0 || dilation.w() <= 0) {
      throw new IllegalArgumentException("dilation should be greater than zero, but got dilationH: "
          + dilation.h() + " dilationW: " + dilation.w());
    }
  }

  private static void checkDim(int kernel, int stride, int pad) {
    if (stride == 0) {
      throw new IllegalArgumentException("stride should not be zero");
    }
    if (pad < 0) {
      throw new IllegalArgumentException("pad must be non-negative, but got pad: " + pad);
    }
    if (!PoolShapes.paddingFits(pad, kernel)) {
      throw new IllegalArgumentException("pad should be at most half of kernel size, but got pad="
          + pad + " and kernel_size=" + kernel);
    }
  }

  /** The output size of one dimension, refusing an empty result with ATen's message. */
  private static int[] windowOutput(Tensor input, IntPair k, IntPair s, IntPair p, IntPair d, boolean ceil) {
    int[] sh = input.shapeArray();
    int c = sh[sh.length - 3];
    int h = sh[sh.length - 2];
    int w = sh[sh.length - 1];
    long oh = PoolShapes.outputSize(h, k.h(), p.h(), s.h(), d.h(), ceil);
    long ow = PoolShapes.outputSize(w, k.w(), p.w(), s.w(), d.w(), ceil);
    if (oh < 1 || ow < 1) {
      throw new IllegalArgumentException("Given input size: (" + c + "x" + h + "x" + w + "). Calculated output size: ("
          + c + "x" + oh + "x" + ow + "). Output size is too small");
    }
    // Kernels index windows in int: keep the padded extent inside int range.
    if ((long) h + 2L * p.h() > Integer.MAX_VALUE || (long) w + 2L * p.w() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("pooling: padded input " + shape(input) + " with padding " + p.pairRepr()
          + " is larger than jconv's 2^31-1 limit");
    }
    return new int[] {(int) oh, (int) ow};
  }

  // ------------------------------------------------------------------ max

  static Tensor.ValuesIndices maxPool2d(Tensor input, MaxPool2dOptions o, boolean withIndices) {
    require(input, "input");
    requireOptions(o);
    if (input.dim() != 3 && input.dim() != 4) {
      throw new IllegalArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input");
    }
    checkWindow(o.kernelSize(), o.stride(), o.padding(), o.dilation());
    checkPoolInput(input);
    int[] out = windowOutput(input, o.kernelSize(), o.stride(), o.padding(), o.dilation(), o.ceilMode());
    DType t = input.dtype();
    if (t != DType.FLOAT32 && t != DType.FLOAT64) {
      throw notImplemented("max_pool2d", t);
    }
    Planes pl = planes(input);
    checkElements("max_pool2d", pl.planes(), out[0], out[1]);
    Pool2dParams p = Pool2dParams.max(pl.planes(), pl.h(), pl.w(), out[0], out[1],
        o.kernelSize().h(), o.kernelSize().w(), o.stride().h(), o.stride().w(),
        o.padding().h(), o.padding().w(), o.dilation().h(), o.dilation().w());
    int[] shape = pl.outShape(out[0], out[1]);
    int n = pl.planes() * p.outPlane();
    boolean record = dev.jconv.autograd.Node.isRecording(input); // autograd: the backward needs the indices
    long[] idx = withIndices || record ? new long[n] : null;
    Tensor values;
    if (t == DType.FLOAT32) {
      float[] y = new float[n];
      PoolingProviders.get().maxPool2d(Raw.floats(input), 0, y, 0, idx, 0, p);
      values = Raw.wrap(y, shape);
    } else {
      double[] y = new double[n];
      MaxPool2dKernel.forward(Raw.doubles(input), 0, y, 0, idx, 0, p);
      values = Raw.wrap(y, shape);
    }
    if (record) {
      values = dev.jconv.internal.autograd.PoolOps.IndexedMax.record("MaxPool2DWithIndicesBackward0", input, values,
          idx, pl.planes(), p.inPlane(), p.outPlane());
    }
    return new Tensor.ValuesIndices(values, withIndices ? Raw.wrap(idx, shape) : null);
  }

  // ------------------------------------------------------------------ average

  /**
   * avg_pool2d reads {@code input.size(-3)} first: PyTorch's IndexError there, in its words (a
   * tensor of more than 4 dimensions is refused later, by {@link #checkPoolInput}).
   */
  private static void checkAvgRank(Tensor input) {
    int nd = input.dim();
    if (nd == 0) {
      throw new IllegalArgumentException("Dimension specified as -3 but tensor has no dimensions");
    }
    if (nd < 3) {
      throw new IllegalArgumentException("Dimension out of range (expected to be in range of [" + -nd + ", "
          + (nd - 1) + "], but got -3)");
    }
  }

  /**
   * PyTorch's Python wrapper of the adaptive poolings fills a pair output size from the input's
   * ({@code _list_with_default}) before anything else, and needs 3 dimensions for that; a single
   * int goes to ATen as it is.
   */
  private static void checkAdaptiveRank(Tensor input, boolean single) {
    if (!single && input.dim() < 3) {
      throw new IllegalArgumentException("Input dimension should be at least 3");
    }
  }

  static Tensor avgPool2d(Tensor input, AvgPool2dOptions o) {
    require(input, "input");
    requireOptions(o);
    // ATen checks the divisor before anything else.
    if (o.divisorOverride().isPresent() && o.divisorOverride().getAsInt() == 0) {
      throw new IllegalArgumentException("divisor must be not zero");
    }
    checkAvgRank(input);
    checkWindow(o.kernelSize(), o.stride(), o.padding(), IntPair.of(1));
    checkPoolInput(input);
    int[] out = windowOutput(input, o.kernelSize(), o.stride(), o.padding(), IntPair.of(1), o.ceilMode());
    DType t = input.dtype();
    if (t == DType.BOOL) {
      throw notImplemented("avg_pool2d", t);
    }
    Planes pl = planes(input);
    checkElements("avg_pool2d", pl.planes(), out[0], out[1]);
    Pool2dParams p = Pool2dParams.avg(pl.planes(), pl.h(), pl.w(), out[0], out[1],
        o.kernelSize().h(), o.kernelSize().w(), o.stride().h(), o.stride().w(),
        o.padding().h(), o.padding().w(), o.countIncludePad(), o.divisorOverride().orElse(0));
    int[] shape = pl.outShape(out[0], out[1]);
    int n = pl.planes() * p.outPlane();
    if (dev.jconv.autograd.Node.isRecording(input)) { // autograd hook (AvgPool2DBackward0)
      return dev.jconv.internal.autograd.PoolOps.AvgPool.apply(input, p, shape);
    }
    switch (t) {
      case FLOAT32 -> {
        float[] y = new float[n];
        PoolingProviders.get().avgPool2d(Raw.floats(input), 0, y, 0, p);
        return Raw.wrap(y, shape);
      }
      case FLOAT64 -> {
        double[] y = new double[n];
        AvgPool2dKernel.forward(Raw.doubles(input), 0, y, 0, p);
        return Raw.wrap(y, shape);
      }
      default -> {
        long[] y = new long[n];
        AvgPool2dKernel.forward(Raw.longs(input), 0, y, 0, p);
        return Raw.wrap(y, shape);
      }
    }
  }

  // ------------------------------------------------------------------ LP

  static Tensor lpPool2d(Tensor input, LPPool2dOptions o) {
    require(input, "input");
    requireOptions(o);
    double norm = o.normType();
    // PyTorch's x.pow(p) turns bool into int64 for an integral p and into float32 otherwise;
    // int64 to an integral p stays int64 (negative p is refused there), else float32.
    boolean integral = norm == Math.rint(norm) && !Double.isInfinite(norm);
    boolean integerInput = input.dtype() == DType.BOOL || input.dtype() == DType.INT64;
    if (integerInput && integral && norm < 0) {
      throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
    }
    checkAvgRank(input);
    IntPair k = o.kernelSize();
    IntPair s = o.effectiveStride();
    checkWindow(k, s, IntPair.of(0), IntPair.of(1));
    checkPoolInput(input);
    int[] out = windowOutput(input, k, s, IntPair.of(0), IntPair.of(1), o.ceilMode());
    if (norm == 0) {
      // PyTorch computes 1.0 / norm_type in Python, after pooling, and fails there.
      throw new IllegalArgumentException("lp_pool2d: norm_type must not be 0 (PyTorch fails with"
          + " ZeroDivisionError: float division by zero)");
    }
    Tensor x = input;
    if (x.dtype() == DType.BOOL) {
      x = x.toLong();
    }
    if (x.dtype() == DType.INT64 && !integral) {
      x = x.toFloat();
    }
    Planes pl = planes(x);
    checkElements("lp_pool2d", pl.planes(), out[0], out[1]);
    Pool2dParams p = Pool2dParams.avg(pl.planes(), pl.h(), pl.w(), out[0], out[1],
        k.h(), k.w(), s.h(), s.w(), 0, 0, true, 0);
    int[] shape = pl.outShape(out[0], out[1]);
    int n = pl.planes() * p.outPlane();
    if (dev.jconv.autograd.Node.isRecording(x)) { // autograd hook (PowBackward0, as PyTorch's composite)
      return dev.jconv.internal.autograd.PoolOps.LpPool.apply(x, p, shape, norm);
    }
    switch (x.dtype()) {
      case FLOAT32 -> {
        float[] y = new float[n];
        LpPool2dKernel.forward(Raw.floats(x), 0, y, 0, p, norm);
        return Raw.wrap(y, shape);
      }
      case FLOAT64 -> {
        double[] y = new double[n];
        LpPool2dKernel.forward(Raw.doubles(x), 0, y, 0, p, norm);
        return Raw.wrap(y, shape);
      }
      default -> {
        float[] y = new float[n];
        LpPool2dKernel.forward(Raw.longs(x), 0, y, 0, p, (long) norm);
        return Raw.wrap(y, shape);
      }
    }
  }

  // ------------------------------------------------------------------ adaptive

  static Tensor adaptiveAvgPool2d(Tensor input, AdaptiveAvgPool2dOptions o) {
    require(input, "input");
    requireOptions(o);
    checkAdaptiveRank(input, o.single());
    Integer h = o.outputH();
    Integer w = o.outputW();
    if ((h != null && h < 0) || (w != null && w < 0)) {
      // PyTorch has replaced a None by the input's size when it prints the pair.
      int[] s = input.shapeArray();
      Object hh = h != null ? h : s.length >= 2 ? s[s.length - 2] : "None";
      Object ww = w != null ? w : s.length >= 1 ? s[s.length - 1] : "None";
      throw new IllegalArgumentException("adaptive_avg_pool2d: elements of output_size must be greater than or equal"
          + " to 0 but received {" + hh + ", " + ww + "}");
    }
    int nd = input.dim();
    // An output of 1x1 is PyTorch's input.mean((-1, -2), keepdim=True): any rank from 2, empty planes
    // give NaN, and the dimensions and the dtype are mean's to refuse. (A null side needs a pair, so 3
    // dimensions.)
    boolean mean = (h == null ? input.size(nd - 2) : h) == 1 && (w == null ? input.size(nd - 1) : w) == 1;
    if (mean && !input.isFloatingPoint()) {
      // mean's dtype check comes before its dimensions.
      throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a "
          + "floating point or complex dtype. Got: " + pyName(input.dtype()));
    }
    if (mean && nd < 2) {
      throw new IllegalArgumentException("Dimension out of range (expected to be in range of [-1, 0], but got -2)");
    }
    if (!mean && nd != 3 && nd != 4) {
      throw new IllegalArgumentException("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got " + shape(input));
    }
    // Only the spatial sizes must be non-zero here (unlike adaptive max), as in ATen.
    for (int i = nd - 2; i < nd && !mean; i++) {
      if (input.size(i) == 0) {
        throw new IllegalArgumentException("adaptive_avg_pool2d(): Expected input to have non-zero size for"
            + " non-batch dimensions, but input has sizes " + shape(input) + " with dimension " + i + " being empty");
      }
    }
    if (!input.isFloatingPoint()) {
      if (mean) {
        throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a "
            + "floating point or complex dtype. Got: " + pyName(input.dtype()));
      }
      throw notImplemented("adaptive_avg_pool2d", input.dtype());
    }
    if (mean && (input.size(nd - 1) == 0 || input.size(nd - 2) == 0)) {
      return input.mean(-1, true).mean(-2, true); // the mean of no element: NaN
    }
    AdaptivePool2dParams p = adaptiveParams("adaptive_avg_pool2d", input, o.outputH(), o.outputW());
    int[] shape = planes(input).outShape(p.outH(), p.outW());
    int n = p.planes() * p.outPlane();
    if (dev.jconv.autograd.Node.isRecording(input)) { // autograd hook (AdaptiveAvgPool2DBackward0 / MeanBackward1)
      return dev.jconv.internal.autograd.PoolOps.AdaptiveAvg.apply(input, p, shape);
    }
    if (input.dtype() == DType.FLOAT32) {
      float[] y = new float[n];
      PoolingProviders.get().adaptiveAvgPool2d(Raw.floats(input), 0, y, 0, p);
      return Raw.wrap(y, shape);
    }
    double[] y = new double[n];
    AdaptivePool2dKernel.avg(Raw.doubles(input), 0, y, 0, p);
    return Raw.wrap(y, shape);
  }

  static Tensor.ValuesIndices adaptiveMaxPool2d(Tensor input, AdaptiveMaxPool2dOptions o, boolean withIndices) {
    require(input, "input");
    requireOptions(o);
    checkAdaptiveRank(input, o.single());
    int nd = input.dim();
    if (nd != 3 && nd != 4) {
      throw new IllegalArgumentException("adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: " + shape(input));
    }
    for (int i = 1; i < nd; i++) {
      if (input.size(i) == 0) {
        throw new IllegalArgumentException("adaptive_max_pool2d(): Expected input to have non-zero size for"
            + " non-batch dimensions, but input has sizes " + shape(input) + " with dimension " + i + " being empty");
      }
    }
    Integer h = o.outputH();
    Integer w = o.outputW();
    if ((h != null && h < 0) || (w != null && w < 0)) {
      // PyTorch fails allocating the output, so its message is the allocator's.
      Planes pl = planes(input);
      int[] s = pl.outShape(h != null ? h : pl.h(), w != null ? w : pl.w());
      throw new IllegalArgumentException("Trying to create tensor with negative dimension "
          + (h != null && h < 0 ? h : w) + ": " + Arrays.toString(s));
    }
    if (!input.isFloatingPoint()) {
      throw notImplemented("adaptive_max_pool2d", input.dtype());
    }
    AdaptivePool2dParams p = adaptiveParams("adaptive_max_pool2d", input, o.outputH(), o.outputW());
    int[] shape = planes(input).outShape(p.outH(), p.outW());
    int n = p.planes() * p.outPlane();
    boolean record = dev.jconv.autograd.Node.isRecording(input); // autograd: the backward needs the indices
    long[] idx = withIndices || record ? new long[n] : null;
    Tensor values;
    if (input.dtype() == DType.FLOAT32) {
      float[] y = new float[n];
      PoolingProviders.get().adaptiveMaxPool2d(Raw.floats(input), 0, y, 0, idx, 0, p);
      values = Raw.wrap(y, shape);
    } else {
      double[] y = new double[n];
      AdaptivePool2dKernel.max(Raw.doubles(input), 0, y, 0, idx, 0, p);
      values = Raw.wrap(y, shape);
    }
    if (record) {
      values = dev.jconv.internal.autograd.PoolOps.IndexedMax.record("AdaptiveMaxPool2DBackward0", input, values,
          idx, p.planes(), p.inPlane(), p.outPlane());
    }
    return new Tensor.ValuesIndices(values, withIndices ? Raw.wrap(idx, shape) : null);
  }

  private static AdaptivePool2dParams adaptiveParams(String op, Tensor input, Integer oh, Integer ow) {
    Planes pl = planes(input);
    int h = oh == null ? pl.h() : oh;
    int w = ow == null ? pl.w() : ow;
    checkElements(op, pl.planes(), h, w);
    return new AdaptivePool2dParams(pl.planes(), pl.h(), pl.w(), h, w);
  }

  // ------------------------------------------------------------------ unpool

  static Tensor maxUnpool2d(Tensor input, Tensor indices, MaxUnpool2dOptions o, int[] outputSize) {
    require(input, "input");
    require(indices, "indices");
    requireOptions(o);
    int nd = input.dim();
    if (nd != 3 && nd != 4) {
      throw new IllegalArgumentException("Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with "
          + nd + " dimensions.");
    }
    long[] size = unpoolSize(input, o, outputSize);
    if (indices.dtype() != DType.INT64) {
      throw new IllegalArgumentException("elements in indices should be type int64 but got: "
          + pyName(indices.dtype()));
    }
    if (!Arrays.equals(input.shapeArray(), indices.shapeArray())) {
      throw new IllegalArgumentException("Expected shape of indices to be same as that of the input tensor ("
          + shape(input) + ") but got indices tensor with shape: " + shape(indices));
    }
    for (int i = 1; i < nd; i++) {
      if (input.size(i) == 0) {
        throw new IllegalArgumentException("max_unpooling2d_forward_out_cpu(): Expected input to have non-zero size"
            + " for non-batch dimensions, but got " + shape(input) + " with dimension " + i + " being empty.");
      }
    }
    if (!input.isFloatingPoint()) {
      throw notImplemented("max_unpool2d", input.dtype());
    }
    Planes pl = planes(input);
    if (size[0] < 0 || size[1] < 0) {
      long[] s = new long[pl.lead().length + 2];
      for (int i = 0; i < pl.lead().length; i++) {
        s[i] = pl.lead()[i];
      }
      s[s.length - 2] = size[0];
      s[s.length - 1] = size[1];
      throw new IllegalArgumentException("max_unpool2d: Trying to create tensor with negative dimension "
          + (size[0] < 0 ? size[0] : size[1]) + ": " + Arrays.toString(s));
    }
    if (size[0] > Integer.MAX_VALUE || size[1] > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("max_unpool2d: output size (" + size[0] + ", " + size[1]
          + ") is larger than jconv's 2^31-1 limit per dimension");
    }
    checkElements("max_unpool2d", pl.planes(), size[0], size[1]);
    int oh = (int) size[0];
    int ow = (int) size[1];
    int[] shape = pl.outShape(oh, ow);
    int n = pl.planes() * oh * ow;
    Unpool2dParams p = new Unpool2dParams(pl.planes(), pl.h() * pl.w(), oh, ow);
    long[] idx = Raw.longs(indices);
    if (n > 0) {
      // ATen finds bad indices while writing and reports the last one it met; here they are all
      // checked before any work, and the last one is reported too.
      long plane = (long) oh * ow;
      long bad = 0;
      boolean found = false;
      for (long at : idx) {
        if (at < 0 || at >= plane) {
          bad = at;
          found = true;
        }
      }
      if (found) {
        // PyTorch's words, its parenthesis left open.
        throw new IllegalArgumentException("Found an invalid max index: " + bad + " (output volumes are of size "
            + oh + "x" + ow);
      }
    }
    if (dev.jconv.autograd.Node.isRecording(input)) { // autograd hook (MaxUnpool2DBackward0)
      return dev.jconv.internal.autograd.PoolOps.Unpool.apply(input, idx, p, shape);
    }
    if (input.dtype() == DType.FLOAT32) {
      float[] y = new float[n];
      if (n > 0) {
        MaxUnpool2dKernel.forward(Raw.floats(input), 0, idx, 0, y, 0, p);
      }
      return Raw.wrap(y, shape);
    }
    double[] y = new double[n];
    if (n > 0) {
      MaxUnpool2dKernel.forward(Raw.doubles(input), 0, idx, 0, y, 0, p);
    }
    return Raw.wrap(y, shape);
  }

  /**
   * PyTorch's {@code _unpool_output_size}: the default {@code (in-1)*s - 2p + k}, or the requested
   * size (2 values, or 4 of which the last 2 count), which must lie strictly within one stride of it.
   */
  private static long[] unpoolSize(Tensor input, MaxUnpool2dOptions o, int[] outputSize) {
    int[] s = input.shapeArray();
    IntPair k = o.kernelSize();
    IntPair st = o.stride();
    IntPair p = o.padding();
    long[] def = {
      PoolShapes.unpoolDefaultSize(s[s.length - 2], k.h(), st.h(), p.h()),
      PoolShapes.unpoolDefaultSize(s[s.length - 1], k.w(), st.w(), p.w())
    };
    if (outputSize == null) {
      return def;
    }
    int[] req = outputSize;
    if (req.length == 4) {
      req = Arrays.copyOfRange(req, 2, 4);
    }
    if (req.length != 2) {
      throw new IllegalArgumentException("output_size should be a sequence containing 2 or 4 elements, but it has a"
          + " length of '" + req.length + "'");
    }
    int[] strides = {st.h(), st.w()};
    for (int d = 0; d < 2; d++) {
      long min = def[d] - strides[d];
      long max = def[d] + strides[d];
      if (!(min < req[d] && req[d] < max)) {
        throw new IllegalArgumentException("invalid output_size \"(" + req[0] + ", " + req[1] + ")\" (dim " + d
            + " must be between " + min + " and " + max + ")");
      }
    }
    return new long[] {req[0], req[1]};
  }
}
