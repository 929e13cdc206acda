package dev.jconv.internal;

import dev.jconv.Tensor;

/**
 * Raw access to tensor storage for kernels (not exported from the module). The arrays returned by
 * {@code floats} and friends hold the elements in C order; when the tensor is contiguous they are its
 * storage itself, so callers must not modify them. {@code wrap} hands an array to a new tensor
 * without copying: the caller must not use the array afterwards except through that tensor.
 */
public final class Raw {

  /** Implemented by {@link Tensor}, which registers itself when its class is initialised. */
  public interface Access {
    float[] floats(Tensor t);

    double[] doubles(Tensor t);

    long[] longs(Tensor t);

    boolean[] booleans(Tensor t);

    Tensor wrap(Object data, int[] shape);
  }

  private static final Bridge<Access> ACCESS = new Bridge<>(Tensor.class);

  private Raw() {}

  /** Called once by Tensor's static initialiser. */
  public static void register(Access a) {
    ACCESS.register(a);
  }

  private static Access access() {
    return ACCESS.get();
  }

  /** The float32 elements in C order (the storage itself when contiguous: do not modify). */
  public static float[] floats(Tensor t) {
    return access().floats(t);
  }

  /** The float64 elements in C order (the storage itself when contiguous: do not modify). */
  public static double[] doubles(Tensor t) {
    return access().doubles(t);
  }

  /** The int64 elements in C order (the storage itself when contiguous: do not modify). */
  public static long[] longs(Tensor t) {
    return access().longs(t);
  }

  /** The bool elements in C order (the storage itself when contiguous: do not modify). */
  public static boolean[] booleans(Tensor t) {
    return access().booleans(t);
  }

  /** A float32 tensor that owns {@code data} (no copy). */
  public static Tensor wrap(float[] data, int... shape) {
    return access().wrap(data, shape);
  }

  /** A float64 tensor that owns {@code data} (no copy). */
  public static Tensor wrap(double[] data, int... shape) {
    return access().wrap(data, shape);
  }

  /** An int64 tensor that owns {@code data} (no copy). */
  public static Tensor wrap(long[] data, int... shape) {
    return access().wrap(data, shape);
  }

  /** A bool tensor that owns {@code data} (no copy). */
  public static Tensor wrap(boolean[] data, int... shape) {
    return access().wrap(data, shape);
  }
}
