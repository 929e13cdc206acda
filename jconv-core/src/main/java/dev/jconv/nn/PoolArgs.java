package dev.jconv.nn;

import dev.jconv.internal.shape.PoolShapes;

/**
 * The argument checks of PyTorch's windowed pooling that do not need the input, in ATen's order
 * and words: per dimension (height, then width) {@code pooling_output_shape}'s stride, padding
 * sign and half-kernel checks, then {@code pool2d_shape_check}'s kernel, stride and dilation signs.
 * ATen's order matters for what a user sees: a kernel of 0 with the default stride reports
 * "stride should not be zero".
 */
final class PoolArgs {
  private PoolArgs() {}

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

  static String pyBool(boolean b) {
    return b ? "True" : "False";
  }

  static IntPair nonNull(IntPair p, String name) {
    if (p == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return p;
  }

  /** Adaptive output sizes must not be negative (0 is allowed and gives an empty output). */
  static void checkAdaptive(String op, Integer h, Integer w) {
    if ((h != null && h < 0) || (w != null && w < 0)) {
      throw new IllegalArgumentException(op + ": elements of output_size must be greater than or equal to 0"
          + " but received {" + none(h) + ", " + none(w) + "}");
    }
  }

  static String adaptiveRepr(Integer h, Integer w, boolean single) {
    return "output_size=" + (single ? none(h) : "(" + none(h) + ", " + none(w) + ")");
  }

  private static String none(Integer v) {
    return v == null ? "None" : v.toString();
  }
}
