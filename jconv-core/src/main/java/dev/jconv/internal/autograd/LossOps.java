package dev.jconv.internal.autograd;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.autograd.Node;
import dev.jconv.internal.Raw;
import dev.jconv.nn.Reduction;

/**
 * Differentiable softmax, log-softmax, negative log-likelihood and mean squared error, each forward
 * beside its backward. Arguments are checked by {@code F} before these run. Values are computed in
 * double and stored in the input's dtype.
 */
public final class LossOps {
  private LossOps() {}

  /** outer x len x inner: the layout of a tensor seen along dimension {@code d}. */
  private record Along(int outer, int len, int inner) {
    static Along of(int[] shape, int d) {
      int outer = 1;
      for (int i = 0; i < d; i++) {
        outer *= shape[i];
      }
      int inner = 1;
      for (int i = d + 1; i < shape.length; i++) {
        inner *= shape[i];
      }
      return new Along(outer, shape.length == 0 ? 1 : shape[d], inner);
    }
  }

  private static Tensor wrap(double[] v, int[] shape, DType dtype) {
    if (dtype == DType.FLOAT64) {
      return Raw.wrap(v, shape);
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return Raw.wrap(f, shape);
  }

  /** {@code log_softmax(x, dim)} (logSoftmax) and {@code softmax(x, dim)}. */
  public static final class Softmax extends Node {
    private final int dim;
    private final boolean log;

    public static Tensor logSoftmax(Tensor x, int dim) {
      return apply(x, dim, true);
    }

    public static Tensor softmax(Tensor x, int dim) {
      return apply(x, dim, false);
    }

    private static Tensor apply(Tensor x, int dim, boolean log) {
      int d = dim < 0 ? dim + Math.max(x.dim(), 1) : dim;
      int[] shape = x.shapeArray();
      Along a = Along.of(shape, d);
      double[] v = x.toDoubleArray();
      double[] y = new double[v.length];
      for (int o = 0; o < a.outer; o++) {
        for (int i = 0; i < a.inner; i++) {
          int base = o * a.len * a.inner + i;
          double m = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < a.len; j++) {
            double e = v[base + j * a.inner];
            if (e > m || Double.isNaN(e)) {
              m = e;
            }
          }
          double s = 0;
          for (int j = 0; j < a.len; j++) {
            s += Math.exp(v[base + j * a.inner] - m);
          }
          double ls = Math.log(s);
          for (int j = 0; j < a.len; j++) {
            int k = base + j * a.inner;
            y[k] = log ? v[k] - m - ls : Math.exp(v[k] - m) / s;
          }
        }
      }
      Tensor out = wrap(y, shape, x.dtype());
      if (!isRecording(x)) {
        return out;
      }
      Softmax node = new Softmax(x, d, log);
      node.save(out.detach());
      return node.record(out);
    }

    private Softmax(Tensor x, int dim, boolean log) {
      super(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", x);
      this.dim = dim;
      this.log = log;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor out = saved(0);
      int[] shape = out.shapeArray();
      Along a = Along.of(shape, dim);
      double[] y = out.toDoubleArray();
      double[] gv = g.toDoubleArray();
      double[] gx = new double[y.length];
      for (int o = 0; o < a.outer; o++) {
        for (int i = 0; i < a.inner; i++) {
          int base = o * a.len * a.inner + i;
          double s = 0;
          for (int j = 0; j < a.len; j++) {
            int k = base + j * a.inner;
            s += log ? gv[k] : gv[k] * y[k];
          }
          for (int j = 0; j < a.len; j++) {
            int k = base + j * a.inner;
            gx[k] = log ? gv[k] - Math.exp(y[k]) * s : y[k] * (gv[k] - s);
          }
        }
      }
      return new Tensor[] {wrap(gx, shape, g.dtype())};
    }
  }

  /**
   * {@code nll_loss(logp, target, weight, ignoreIndex, reduction)} for logp {@code [N, C, d...]} or
   * {@code [C]} and int64 targets {@code [N, d...]} or {@code []} (already checked, except the target
   * values, which are checked here before any result is produced).
   */
  public static final class NllLoss extends Node {
    private final int[] shape;
    private final Reduction reduction;
    private final double totalWeight;
    private final long ignoreIndex;

    public static Tensor apply(Tensor logp, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
      int[] shape = logp.shapeArray();
      boolean batched = shape.length >= 2;
      int n = batched ? shape[0] : 1;
      int c = batched ? shape[1] : shape[0];
      int inner = 1;
      for (int i = 2; i < shape.length; i++) {
        inner *= shape[i];
      }
      double[] x = logp.toDoubleArray();
      long[] t = target.toLongArray();
      double[] w = weight == null ? null : weight.toDoubleArray();
      double[] losses = new double[n * inner];
      double total = 0;
      double sum = 0;
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < inner; i++) {
          int r = b * inner + i;
          long cls = t[r];
          if (cls == ignoreIndex) {
            continue;
          }
          if (cls < 0 || cls >= c) {
            throw new IllegalArgumentException("Target " + cls + " is out of bounds.");
          }
          double wc = w == null ? 1 : w[(int) cls];
          losses[r] = -wc * x[(b * c + (int) cls) * inner + i];
          total += wc;
          sum += losses[r];
        }
      }
      Tensor out;
      if (reduction == Reduction.NONE) {
        out = wrap(losses, target.shapeArray(), logp.dtype());
      } else {
        double v = reduction == Reduction.SUM ? sum : sum / total;
        out = wrap(new double[] {v}, new int[0], logp.dtype());
      }
      if (!isRecording(logp, weight)) {
        return out;
      }
      NllLoss node = new NllLoss(logp, weight, reduction, total, ignoreIndex);
      // PyTorch's NllLossBackward0 saves its input too: changing it in place fails the backward.
      node.save(plain(logp), target, weight == null ? null : weight.detach());
      return node.record(out);
    }

    private NllLoss(Tensor logp, Tensor weight, Reduction reduction, double totalWeight, long ignoreIndex) {
      // PyTorch runs inputs with spatial dimensions through nll_loss2d.
      super(logp.dim() >= 3 ? "NllLoss2DBackward0" : "NllLossBackward0", logp, weight);
      this.ignoreIndex = ignoreIndex;
      this.shape = logp.shapeArray();
      this.reduction = reduction;
      this.totalWeight = totalWeight;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      if (needsInputGrad(1)) {
        throw new IllegalStateException("the derivative for 'weight' is not implemented.");
      }
      if (!needsInputGrad(0)) {
        return new Tensor[2];
      }
      Tensor target = saved(1);
      Tensor weight = saved(2);
      boolean batched = shape.length >= 2;
      int n = batched ? shape[0] : 1;
      int c = batched ? shape[1] : shape[0];
      int inner = 1;
      for (int i = 2; i < shape.length; i++) {
        inner *= shape[i];
      }
      long[] t = target.toLongArray();
      double[] w = weight == null ? null : weight.toDoubleArray();
      double[] gv = g.toDoubleArray();
      double[] gx = new double[n * c * inner];
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < inner; i++) {
          int r = b * inner + i;
          long cls = t[r];
          if (cls == ignoreIndex) {
            continue;
          }
          double wc = w == null ? 1 : w[(int) cls];
          double gr = switch (reduction) {
            case NONE -> gv[r];
            case SUM -> gv[0];
            case MEAN -> gv[0] / totalWeight;
          };
          gx[(b * c + (int) cls) * inner + i] = -wc * gr;
        }
      }
      return new Tensor[] {wrap(gx, shape, g.dtype()), null};
    }
  }

  /** {@code mse_loss(x, target, reduction)}: {@code (x - target)^2}, operands broadcast. */
  public static final class MseLoss extends Node {
    private final Reduction reduction;

    public static Tensor apply(Tensor x, Tensor target, Reduction reduction) {
      Tensor diff = plain(x).sub(plain(target));
      Tensor sq = diff.mul(diff);
      Tensor out = switch (reduction) {
        case NONE -> sq;
        case SUM -> sq.sum();
        case MEAN -> sq.mean();
      };
      if (!isRecording(x, target)) {
        return out;
      }
      MseLoss node = new MseLoss(x, target, reduction);
      // PyTorch's MseLossBackward0 saves the input and the target (changing either in place fails the
      // backward); the difference is kept beside them.
      node.save(plain(x), plain(target), diff);
      return node.record(out);
    }

    private MseLoss(Tensor x, Tensor target, Reduction reduction) {
      super("MseLossBackward0", x, target);
      this.reduction = reduction;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor diff = saved(2);
      double norm = reduction == Reduction.MEAN ? 2.0 / diff.numel() : 2.0;
      Tensor gx = diff.mul(norm).mul(g);
      return new Tensor[] {needsInputGrad(0) ? gx : null, needsInputGrad(1) ? gx.neg() : null};
    }
  }
}
