package dev.jconv.internal.autograd;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.internal.Raw;
import java.util.function.DoubleBinaryOperator;

/** Helpers shared by the backward formulas (not exported). */
public final class GradUtil {
  private GradUtil() {}

  /** Whether a tensor of shape {@code from} broadcasts to {@code to}. */
  public static boolean expandable(int[] from, int[] to) {
    if (from.length > to.length) {
      return false;
    }
    int lead = to.length - from.length;
    for (int i = 0; i < from.length; i++) {
      if (from[i] != 1 && from[i] != to[lead + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sums {@code g} down to {@code shape} (PyTorch's {@code sum_to}): the leading dimensions it has in
   * excess, and every dimension where {@code shape} has 1 and {@code g} more. The gradient of a
   * broadcast.
   */
  public static Tensor sumTo(Tensor g, int[] shape) {
    int[] gs = g.shapeArray();
    if (java.util.Arrays.equals(gs, shape)) {
      return g;
    }
    int lead = gs.length - shape.length;
    int[] dims = new int[gs.length];
    int k = 0;
    for (int i = 0; i < gs.length; i++) {
      if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) {
        dims[k++] = i;
      }
    }
    Tensor r = k == 0 ? g : g.sum(java.util.Arrays.copyOf(dims, k), true);
    return r.reshape(shape);
  }

  /** A float tensor of {@code dtype} and {@code shape} holding {@code f(a, b)} element-wise, a and b broadcast. */
  public static Tensor zip(Tensor a, Tensor b, DType dtype, DoubleBinaryOperator f) {
    int[] shape = broadcast(a.shapeArray(), b.shapeArray());
    double[] x = a.expand(shape).toDoubleArray();
    double[] y = b.expand(shape).toDoubleArray();
    double[] z = new double[x.length];
    for (int i = 0; i < z.length; i++) {
      z[i] = f.applyAsDouble(x[i], y[i]);
    }
    Tensor out = Raw.wrap(z, shape);
    return dtype == DType.FLOAT64 ? out : out.to(dtype);
  }

  static int[] broadcast(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i - (rank - a.length);
      int db = i - (rank - b.length);
      int sa = da >= 0 ? a[da] : 1;
      int sb = db >= 0 ? b[db] : 1;
      out[i] = sa == 1 ? sb : sa;
    }
    return out;
  }

  /** Whether both tensors are contiguous float32 of the same shape: the fast paths need exactly that. */
  public static boolean sameFloat32(Tensor a, Tensor b) {
    return a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && a.isContiguous() && b.isContiguous()
        && java.util.Arrays.equals(a.shapeArray(), b.shapeArray());
  }
}
