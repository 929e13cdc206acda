package dev.jconv.internal.vector;

import dev.jconv.internal.parallel.Parallel;

/**
 * What jconv's kernels run with, for {@code ./jconv info}.
 *
 * @param provider {@code "plain"} or {@code "panama"}
 * @param vectorBits vector width of the kernels, 0 for plain Java
 * @param preferredBits the CPU's native float vector width, 0 when the Vector API is not enabled
 * @param fma whether the JVM uses hardware FMA; null when it does not say
 * @param threads threads of the shared pool ({@link Parallel#getNumThreads()})
 */
public record KernelInfo(String provider, int vectorBits, int preferredBits, Boolean fma, int threads) {

  /** The active configuration. */
  public static KernelInfo current() {
    KernelProvider p = KernelProviders.get();
    return new KernelInfo(p.name(), p.vectorBits(), KernelProviders.preferredBits(),
        KernelProviders.hardwareFma().orElse(null), Parallel.getNumThreads());
  }

  /** One line, e.g. {@code provider=panama vector_bits=512 (cpu 512) fma=yes threads=2}. */
  @Override
  public String toString() {
    return "provider=" + provider + " vector_bits=" + vectorBits + " (cpu "
        + (preferredBits == 0 ? "unknown" : Integer.toString(preferredBits)) + ") fma="
        + (fma == null ? "unknown" : fma ? "yes" : "no") + " threads=" + threads;
  }
}
