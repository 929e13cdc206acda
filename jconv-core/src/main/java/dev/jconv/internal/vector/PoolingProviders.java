package dev.jconv.internal.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the {@link PoolingKernels} by the rule of {@link KernelProviders}: the Vector API
 * kernels at the width of {@link KernelProviders#get()} when it is the Vector API provider, the
 * plain ones otherwise (so {@code -Djconv.provider} and {@code -Djconv.vector.bits} apply here too,
 * and the one warning comes from there).
 */
public final class PoolingProviders {
  private static final List<Integer> WIDTHS = List.of(128, 256, 512);

  private PoolingProviders() {}

  /** The active pooling kernels. */
  public static PoolingKernels get() {
    return Holder.INSTANCE;
  }

  /** The plain-Java pooling kernels. */
  public static PoolingKernels plain() {
    return PlainPooling.INSTANCE;
  }

  /**
   * New Vector API pooling kernels at {@code bits} (128, 256 or 512), whatever the properties say:
   * for tests and benchmarks that compare widths in one JVM.
   *
   * @throws UnsupportedOperationException when the module is not present
   * @throws IllegalArgumentException when {@code bits} is not 128, 256 or 512
   */
  public static PoolingKernels panama(int bits) {
    if (!WIDTHS.contains(bits)) {
      throw new IllegalArgumentException("vector bits must be 128, 256 or 512, got " + bits);
    }
    if (!KernelProviders.vectorModulePresent()) {
      throw new UnsupportedOperationException("the Vector API is not enabled: " + KernelProviders.ENABLE_HINT);
    }
    return newPanama(bits);
  }

  /**
   * Plain, and the Vector API kernels at each width up to the CPU's (none without the module):
   * every implementation this JVM runs at native speed. Tests check each one.
   */
  public static List<PoolingKernels> allNative() {
    List<PoolingKernels> all = new ArrayList<>();
    all.add(plain());
    int preferred = KernelProviders.preferredBits();
    for (int bits : WIDTHS) {
      if (bits <= preferred) {
        all.add(newPanama(bits));
      }
    }
    return List.copyOf(all);
  }

  private static PoolingKernels newPanama(int bits) {
    // Through a method handle so that nothing here links against the Vector API unless the
    // module is present.
    try {
      var lookup = MethodHandles.lookup();
      var cls = lookup.findClass(PoolingProviders.class.getPackageName() + ".PanamaPooling");
      var factory = lookup.findStatic(cls, "forBits", MethodType.methodType(cls, int.class));
      return (PoolingKernels) factory.invoke(bits);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static final class Holder {
    static final PoolingKernels INSTANCE = choose();

    private static PoolingKernels choose() {
      int bits = KernelProviders.get().vectorBits();
      return bits == 0 ? plain() : newPanama(bits);
    }
  }
}
