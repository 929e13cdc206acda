package dev.jconv.internal.vector;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.Raw;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.functional.F;
import java.util.Arrays;

/**
 * Run by {@link PoolingProvidersLookupTest} in a JVM without {@code jdk.incubator.vector}: the
 * book's {@code MaxPool2d(3, padding=1, stride=2)} on {@code arange(16)} as a 4x4 map.
 */
public final class NoVectorPoolingMain {
  private NoVectorPoolingMain() {}

  public static void main(String[] args) {
    PoolingKernels k = PoolingProviders.get();
    Tensor x = Torch.arange(16, DType.FLOAT32).reshape(1, 1, 4, 4);
    Tensor y = F.maxPool2d(x, MaxPool2dOptions.of(3).padding(1).stride(2));
    System.out.println(k.name() + " " + k.vectorBits() + " " + Arrays.toString(Raw.floats(y)));
  }
}
