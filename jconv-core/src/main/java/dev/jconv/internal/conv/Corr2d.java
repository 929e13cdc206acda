package dev.jconv.internal.conv;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.internal.Raw;

/** The book's {@code corr2d} (d2l, section 7.2): 2-D cross-correlation of two matrices. */
public final class Corr2d {
  private Corr2d() {}

  /**
   * {@code Y[i, j] = (X[i:i+h, j:j+w] * K).sum()}, into a float32 result as the book's version
   * writes into {@code torch.zeros}: each sum is formed in the inputs' type (integers exactly,
   * floating point in double) and rounded to float once.
   */
  /**
   * The book's loop itself, {@code Y[i, j] = (X[i:i+h, j:j+w] * K).sum()} into float32 zeros, through
   * the recorded operations: with X or K requiring grad, the result carries PyTorch's history
   * ({@code grad_fn=<CopySlices>}) and gradients, where the loops below would drop them.
   */
  private static Tensor recorded(Tensor x, Tensor k, int oh, int ow) {
    int kh = k.size(0);
    int kw = k.size(1);
    Tensor y = dev.jconv.Torch.zeros(oh, ow);
    for (int i = 0; i < oh; i++) {
      for (int j = 0; j < ow; j++) {
        y.set(x.slice(0, i, i + kh).slice(1, j, j + kw).mul(k).sum(), i, j);
      }
    }
    return y;
  }

  public static Tensor corr2d(Tensor x, Tensor k) {
    if (x.dim() != 2 || k.dim() != 2) {
      throw new IllegalArgumentException("corr2d expects 2-D X and K, but got X of size " + Conv2dOp.shape(x.shapeArray())
          + " and K of size " + Conv2dOp.shape(k.shapeArray()));
    }
    int xh = x.size(0);
    int xw = x.size(1);
    int kh = k.size(0);
    int kw = k.size(1);
    int oh = xh - kh + 1;
    int ow = xw - kw + 1;
    if (oh < 0 || ow < 0) {
      // The book's torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1)) fails this way.
      throw new IllegalArgumentException("Trying to create tensor with negative dimension " + (oh < 0 ? oh : ow)
          + ": [" + oh + ", " + ow + "]");
    }
    if (dev.jconv.autograd.Node.isRecording(x, k)) {
      return recorded(x, k, oh, ow);
    }
    float[] out = new float[oh * ow];
    boolean integral = !x.dtype().isFloatingPoint() && !k.dtype().isFloatingPoint();
    if (integral) {
      long[] xv = asLongs(x);
      long[] kv = asLongs(k);
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          long sum = 0;
          for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
              sum += xv[(i + a) * xw + j + b] * kv[a * kw + b];
            }
          }
          out[i * ow + j] = sum;
        }
      }
    } else {
      double[] xv = asDoubles(x);
      double[] kv = asDoubles(k);
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          double sum = 0;
          for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
              sum += xv[(i + a) * xw + j + b] * kv[a * kw + b];
            }
          }
          out[i * ow + j] = (float) sum;
        }
      }
    }
    return Raw.wrap(out, oh, ow);
  }

  private static long[] asLongs(Tensor t) {
    return t.dtype() == DType.INT64 ? Raw.longs(t) : Raw.longs(t.to(DType.INT64));
  }

  private static double[] asDoubles(Tensor t) {
    return t.dtype() == DType.FLOAT64 ? Raw.doubles(t) : Raw.doubles(t.to(DType.FLOAT64));
  }
}
