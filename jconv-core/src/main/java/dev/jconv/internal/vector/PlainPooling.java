package dev.jconv.internal.vector;

import dev.jconv.internal.kernels.AdaptivePool2dKernel;
import dev.jconv.internal.kernels.AdaptivePool2dParams;
import dev.jconv.internal.kernels.AvgPool2dKernel;
import dev.jconv.internal.kernels.MaxPool2dKernel;
import dev.jconv.internal.kernels.Pool2dParams;

/** The plain-Java pooling kernels of {@code dev.jconv.internal.kernels}, as a provider. */
final class PlainPooling implements PoolingKernels {
  static final PlainPooling INSTANCE = new PlainPooling();

  private PlainPooling() {}

  @Override
  public String name() {
    return "plain";
  }

  @Override
  public int vectorBits() {
    return 0;
  }

  @Override
  public void maxPool2d(float[] x, int xOff, float[] out, int outOff, long[] idx, int idxOff, Pool2dParams p) {
    MaxPool2dKernel.forward(x, xOff, out, outOff, idx, idxOff, p);
  }

  @Override
  public void avgPool2d(float[] x, int xOff, float[] out, int outOff, Pool2dParams p) {
    AvgPool2dKernel.forward(x, xOff, out, outOff, p);
  }

  @Override
  public void adaptiveAvgPool2d(float[] x, int xOff, float[] out, int outOff, AdaptivePool2dParams p) {
    AdaptivePool2dKernel.avg(x, xOff, out, outOff, p);
  }

  @Override
  public void adaptiveMaxPool2d(float[] x, int xOff, float[] out, int outOff, long[] idx, int idxOff,
      AdaptivePool2dParams p) {
    AdaptivePool2dKernel.max(x, xOff, out, outOff, idx, idxOff, p);
  }

  @Override
  public String toString() {
    return "plain pooling";
  }
}
