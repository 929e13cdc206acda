package dev.jconv.internal.vector;

import dev.jconv.internal.kernels.AdaptivePool2dParams;
import dev.jconv.internal.kernels.Pool2dParams;

/**
 * The float32 pooling kernels that have a plain-Java and a Vector API implementation. Get the
 * active one from {@link PoolingProviders#get()}; tests construct each one with
 * {@link PoolingProviders#plain()} and {@link PoolingProviders#panama(int)}.
 *
 * <p>Every implementation gives the same bits as the plain kernels of
 * {@code dev.jconv.internal.kernels} (and so as PyTorch): max pooling keeps ATen's rule (NaN wins,
 * the last NaN's index is kept, ties keep the first maximum, so the sign of a zero maximum is the
 * first zero's), sums run in PyTorch's order. Like every kernel in {@code dev.jconv.internal}, the
 * methods trust their arguments and only {@code assert}; they run on the shared pool of
 * {@link dev.jconv.internal.parallel.Parallel}. No Vector API type appears here, so this interface
 * loads on a JVM without {@code jdk.incubator.vector}.
 */
public interface PoolingKernels {

  /** {@code "plain"} or {@code "panama"}. */
  String name();

  /** Width of the vectors the kernels use: 0 for plain Java, else 128, 256 or 512. */
  int vectorBits();

  /**
   * Max pooling of {@code p.planes()} planes of {@code x} (from {@code xOff}) into {@code out}
   * (from {@code outOff}) and, when {@code idx} is not null, the flat in-plane index of each
   * maximum into {@code idx} (from {@code idxOff}). Modifies only {@code out} and {@code idx}.
   */
  void maxPool2d(float[] x, int xOff, float[] out, int outOff, long[] idx, int idxOff, Pool2dParams p);

  /**
   * Average pooling of {@code x} (from {@code xOff}) into {@code out} (from {@code outOff}), each
   * window summed in row-major order and divided once by {@link Pool2dParams#divisor}. Modifies
   * only {@code out}.
   */
  void avgPool2d(float[] x, int xOff, float[] out, int outOff, Pool2dParams p);

  /**
   * Adaptive average pooling: each bin summed in row-major order, then divided by its height and
   * then by its width (ATen's order); a 1x1 output is PyTorch's {@code mean} over the plane, summed
   * in its 8-lane vector order. Modifies only {@code out}.
   */
  void adaptiveAvgPool2d(float[] x, int xOff, float[] out, int outOff, AdaptivePool2dParams p);

  /**
   * Adaptive max pooling with the rule of {@link #maxPool2d}, and the in-plane index of each
   * maximum into {@code idx} when it is not null. Modifies only {@code out} and {@code idx}.
   */
  void adaptiveMaxPool2d(float[] x, int xOff, float[] out, int outOff, long[] idx, int idxOff,
      AdaptivePool2dParams p);
}
