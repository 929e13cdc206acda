package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;

/**
 * Element-wise activation kernels on float32 arrays, split across the thread pool. The exponential
 * in sigmoid and tanh is the costly part: with {@code jdk.incubator.vector} present it runs in
 * {@link VectorActivations} (vector exp, about 15x faster on AVX-512), otherwise in plain Java with
 * {@link Math#exp} in double. Both round to float from a result within an ulp or two of the exact
 * one, as PyTorch's vectorised kernels do. No argument checks.
 */
public final class Activations {
  private Activations() {}

  /** The vector twin, or null without the Vector API. */
  interface Impl {
    void sigmoid(float[] x, float[] y, int from, int to);

    void tanh(float[] x, float[] y, int from, int to);
  }

  private static final Impl VECTOR = load();

  private static Impl load() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      return (Impl) Class.forName("dev.jconv.internal.kernels.VectorActivations").getDeclaredConstructor()
          .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  private static final int GRAIN = 1 << 15;

  /** {@code y = 1 / (1 + exp(-x))} element-wise; {@code y} may be {@code x}. */
  public static void sigmoid(float[] x, float[] y) {
    Parallel.forRange(x.length, GRAIN, (a, b) -> {
      if (VECTOR != null) {
        VECTOR.sigmoid(x, y, a, b);
      } else {
        for (int i = a; i < b; i++) {
          y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
      }
    });
  }

  /** {@code y = tanh(x)} element-wise; {@code y} may be {@code x}. */
  public static void tanh(float[] x, float[] y) {
    Parallel.forRange(x.length, GRAIN, (a, b) -> {
      if (VECTOR != null) {
        VECTOR.tanh(x, y, a, b);
      } else {
        for (int i = a; i < b; i++) {
          y[i] = (float) Math.tanh(x[i]);
        }
      }
    });
  }

  /** {@code out = g * (1 - y) * y}: sigmoid's gradient from its output (PyTorch's operation order). */
  public static void sigmoidBackward(float[] g, float[] y, float[] out) {
    Parallel.forRange(y.length, GRAIN, (a, b) -> {
      for (int i = a; i < b; i++) {
        out[i] = g[i] * (1f - y[i]) * y[i];
      }
    });
  }

  /** {@code out = g * (1 - y * y)}: tanh's gradient from its output. */
  public static void tanhBackward(float[] g, float[] y, float[] out) {
    Parallel.forRange(y.length, GRAIN, (a, b) -> {
      for (int i = a; i < b; i++) {
        out[i] = g[i] * (1f - y[i] * y[i]);
      }
    });
  }

  /** {@code y = x < 0 ? 0 : x}: NaN and -0.0 kept, as PyTorch keeps them. */
  public static void relu(float[] x, float[] y) {
    Parallel.forRange(x.length, GRAIN, (a, b) -> {
      for (int i = a; i < b; i++) {
        float v = x[i];
        // As PyTorch's clamp_min: NaN and -0.0 pass unchanged.
        y[i] = v < 0f ? 0f : v;
      }
    });
  }

  /** {@code out = y > 0 ? g : 0} (NaN outputs pass the gradient), PyTorch's threshold_backward. */
  public static void reluBackward(float[] g, float[] y, float[] out) {
    Parallel.forRange(y.length, GRAIN, (a, b) -> {
      for (int i = a; i < b; i++) {
        out[i] = y[i] <= 0f ? 0f : g[i];
      }
    });
  }
}
