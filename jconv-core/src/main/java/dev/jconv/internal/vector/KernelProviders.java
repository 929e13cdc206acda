package dev.jconv.internal.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the {@link KernelProvider} once, at first use, as Lucene's
 * {@code VectorizationProvider} does: the Vector API provider when the module
 * {@code jdk.incubator.vector} is in the boot layer, else the plain one and one warning that says
 * how to enable the fast path.
 *
 * <p>System properties (for tests and benchmarks):
 * <ul>
 *   <li>{@code -Djconv.provider=plain|panama} forces the provider;
 *   <li>{@code -Djconv.vector.bits=0|128|256|512} forces the vector width (0 = plain).
 * </ul>
 * Example: {@code java --add-modules jdk.incubator.vector -Djconv.vector.bits=256 ...} runs the
 * AVX2-width kernels on an AVX-512 machine.
 */
public final class KernelProviders {

  static final String PROVIDER_PROPERTY = "jconv.provider";
  static final String BITS_PROPERTY = "jconv.vector.bits";
  static final String VECTOR_MODULE = "jdk.incubator.vector";
  static final String ENABLE_HINT =
      "pass --add-modules " + VECTOR_MODULE + " to the java command to enable it";

  private static final List<Integer> WIDTHS = List.of(128, 256, 512);

  private KernelProviders() {}

  private static volatile KernelProvider override;

  /**
   * The provider chosen at start-up (from the properties above and the JVM), or the one set by
   * {@link #overrideForTesting}.
   */
  public static KernelProvider get() {
    KernelProvider o = override;
    return o != null ? o : Holder.INSTANCE;
  }

  /** Restores the provider replaced by {@link #overrideForTesting}. */
  public interface Restore extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Makes {@link #get()} return {@code provider} for every thread until the returned handle is
   * closed: tests and benchmarks use it to run the kernels that go through {@code get()} at each
   * width in one JVM. Not for concurrent use; nest by closing in reverse order.
   *
   * <pre>{@code
   * try (var r = KernelProviders.overrideForTesting(KernelProviders.panama(256))) { ... }
   * }</pre>
   */
  public static Restore overrideForTesting(KernelProvider provider) {
    KernelProvider previous = override;
    override = provider;
    return () -> override = previous;
  }

  /** The plain-Java provider. */
  public static KernelProvider plain() {
    return PlainProvider.INSTANCE;
  }

  /** Whether the module {@code jdk.incubator.vector} is in the boot layer. */
  public static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /**
   * A new Vector API provider at {@code bits} (128, 256 or 512), whatever the properties say: for
   * tests and benchmarks that compare widths in one JVM.
   *
   * @throws UnsupportedOperationException when the module is not present
   * @throws IllegalArgumentException when {@code bits} is not 128, 256 or 512
   */
  public static KernelProvider panama(int bits) {
    if (!WIDTHS.contains(bits)) {
      throw new IllegalArgumentException("vector bits must be 128, 256 or 512, got " + bits);
    }
    if (!vectorModulePresent()) {
      throw new UnsupportedOperationException("the Vector API is not enabled: " + ENABLE_HINT);
    }
    return newPanama(bits);
  }

  /**
   * The CPU's native float vector width in bits as the Vector API reports it, or 0 when the module
   * is not present.
   */
  public static int preferredBits() {
    if (!vectorModulePresent()) {
      return 0;
    }
    try {
      var lookup = MethodHandles.lookup();
      var cls = lookup.findClass(KernelProviders.class.getPackageName() + ".PanamaProvider");
      return (int) lookup.findStatic(cls, "preferredBits", MethodType.methodType(int.class)).invoke();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /**
   * Every provider this JVM can run at native speed: plain, and the Vector API at each width up to
   * the CPU's (none without the module). Tests check each of them against a reference.
   */
  public static List<KernelProvider> allNative() {
    List<KernelProvider> all = new ArrayList<>();
    all.add(plain());
    int preferred = preferredBits();
    for (int bits : WIDTHS) {
      if (bits <= preferred) {
        all.add(newPanama(bits));
      }
    }
    return List.copyOf(all);
  }

  /** What {@link #get()} picks, and the warning to print (if any), for the given inputs. */
  record Choice(int bits, Optional<String> warning) {}

  /**
   * The decision, as a pure function so that it can be tested without restarting the JVM.
   *
   * @param providerProp value of {@code jconv.provider}, or null
   * @param bitsProp value of {@code jconv.vector.bits}, or null
   * @param modulePresent whether {@code jdk.incubator.vector} is in the boot layer
   * @param preferredBits the CPU's native width (ignored when the module is absent)
   * @param fma whether the JVM uses hardware FMA (empty when it does not say)
   * @return {@code bits} 0 for plain, else the Vector API width
   */
  static Choice choose(String providerProp, String bitsProp, boolean modulePresent,
      int preferredBits, Optional<Boolean> fma) {
    List<String> notes = new ArrayList<>();
    String provider = providerProp == null ? "" : providerProp.trim();
    if (!provider.isEmpty() && !provider.equals("plain") && !provider.equals("panama")) {
      notes.add("ignoring -D" + PROVIDER_PROPERTY + "=" + providerProp + " (expected plain or panama)");
      provider = "";
    }
    Integer bits = null;
    if (bitsProp != null && !bitsProp.isBlank()) {
      try {
        int b = Integer.parseInt(bitsProp.trim());
        if (b == 0 || WIDTHS.contains(b)) {
          bits = b;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      if (bits == null) {
        notes.add("ignoring -D" + BITS_PROPERTY + "=" + bitsProp + " (expected 0, 128, 256 or 512)");
      }
    }
    int chosen;
    if (provider.equals("plain") || (bits != null && bits == 0)) {
      if (provider.equals("panama")) {
        notes.add("-D" + BITS_PROPERTY + "=0 means plain Java; ignoring -D" + PROVIDER_PROPERTY + "=panama");
      }
      chosen = 0;
    } else if (!modulePresent) {
      notes.add("the Vector API is not enabled, so jconv runs its plain-Java kernels (several times"
          + " slower); " + ENABLE_HINT);
      chosen = 0;
    } else if (bits != null) {
      chosen = bits;
      if (bits > preferredBits) {
        notes.add("-D" + BITS_PROPERTY + "=" + bits + " is wider than this CPU's " + preferredBits
            + "-bit vectors; the Vector API emulates it (slow)");
      }
    } else if (fma.isPresent() && !fma.get() && !provider.equals("panama")) {
      notes.add("this JVM has no hardware FMA, so jconv runs its plain-Java kernels;"
          + " -D" + PROVIDER_PROPERTY + "=panama forces the Vector API");
      chosen = 0;
    } else if (preferredBits < 128) {
      notes.add("this CPU's vectors (" + preferredBits + " bits) are too narrow for jconv's"
          + " Vector API kernels; using plain Java");
      chosen = 0;
    } else {
      chosen = Math.min(512, preferredBits);
    }
    Optional<String> warning = notes.isEmpty()
        ? Optional.empty()
        : Optional.of("jconv: " + String.join("; ", notes));
    return new Choice(chosen, warning);
  }

  /** Whether HotSpot uses FMA instructions, or empty when the JVM does not say. */
  static Optional<Boolean> hardwareFma() {
    // Through reflection: java.management is optional for jconv's module, and may be absent from
    // a jlinked runtime.
    try {
      Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
      Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
      Object bean = factory.getMethod("getPlatformMXBean", Class.class).invoke(null, beanType);
      if (bean == null) {
        return Optional.empty();
      }
      Object option = beanType.getMethod("getVMOption", String.class).invoke(bean, "UseFMA");
      Object value = Class.forName("com.sun.management.VMOption").getMethod("getValue").invoke(option);
      return Optional.of(Boolean.parseBoolean(String.valueOf(value)));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  private static KernelProvider lookup() {
    boolean present = vectorModulePresent();
    Optional<Boolean> fma = present ? hardwareFma() : Optional.empty();
    Choice choice = choose(System.getProperty(PROVIDER_PROPERTY), System.getProperty(BITS_PROPERTY),
        present, present ? preferredBits() : 0, fma);
    choice.warning().ifPresent(System.err::println);
    return choice.bits() == 0 ? plain() : newPanama(choice.bits());
  }

  private static KernelProvider newPanama(int bits) {
    // Through a method handle so that no class here links against PanamaProvider (and so against
    // the Vector API) unless the module is present.
    try {
      var lookup = MethodHandles.lookup();
      var cls = lookup.findClass(KernelProviders.class.getPackageName() + ".PanamaProvider");
      var ctor = lookup.findConstructor(cls, MethodType.methodType(void.class, int.class));
      return (KernelProvider) ctor.invoke(bits);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** Lazy holder: the lookup runs on first use, once, without locking on every call. */
  private static final class Holder {
    static final KernelProvider INSTANCE = lookup();
  }
}
