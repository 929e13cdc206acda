package dev.jconv.internal.autograd;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.autograd.Node;
import java.util.Arrays;

/** Differentiable reductions: sum, mean, max and min, each forward beside its backward. */
public final class ReductionOps {
  private ReductionOps() {}

  /** {@code a.sum()} and {@code a.mean()}: every element gets the gradient (divided by the count for mean). */
  public static final class SumAll extends Node {
    private final boolean mean;
    private final int[] shape;

    public static Tensor sum(Tensor a) {
      return new SumAll(a, false).record(plain(a).sum());
    }

    public static Tensor mean(Tensor a) {
      return new SumAll(a, true).record(plain(a).mean());
    }

    private SumAll(Tensor a, boolean mean) {
      super(mean ? "MeanBackward0" : "SumBackward0", a);
      this.mean = mean;
      this.shape = a.shapeArray();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor e = g.expand(shape);
      return new Tensor[] {mean ? e.div((double) count(shape)) : e};
    }
  }

  static long count(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** {@code a.sum(dims, keepdim)} and {@code a.mean(dim, keepdim)}. */
  public static final class SumDims extends Node {
    private final boolean mean;
    private final int[] shape;
    private final int[] dims;
    private final boolean keepdim;

    public static Tensor sum(Tensor a, int[] dims, boolean keepdim) {
      Tensor out = plain(a).sum(dims, keepdim);
      return new SumDims(a, dims, keepdim, false).record(out);
    }

    public static Tensor sum(Tensor a, int dim, boolean keepdim) {
      Tensor out = plain(a).sum(dim, keepdim);
      return new SumDims(a, new int[] {dim}, keepdim, false).record(out);
    }

    public static Tensor mean(Tensor a, int dim, boolean keepdim) {
      Tensor out = plain(a).mean(dim, keepdim);
      SumDims node = new SumDims(a, new int[] {dim}, keepdim, true);
      node.save(plain(a)); // PyTorch 1.13's MeanBackward1 saves its input (a sum's node does not)
      return node.record(out);
    }

    private SumDims(Tensor a, int[] dims, boolean keepdim, boolean mean) {
      super(mean ? "MeanBackward1" : "SumBackward1", a);
      this.mean = mean;
      this.shape = a.shapeArray();
      int rank = Math.max(shape.length, 1);
      int[] wrapped = new int[dims.length];
      for (int i = 0; i < dims.length; i++) {
        wrapped[i] = dims[i] < 0 ? dims[i] + rank : dims[i];
      }
      Arrays.sort(wrapped);
      this.dims = wrapped;
      this.keepdim = keepdim;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor e = g;
      if (!keepdim && shape.length > 0) {
        for (int d : dims) {
          e = e.unsqueeze(d);
        }
      }
      e = e.expand(shape);
      if (mean) {
        long n = 1;
        for (int d : dims) {
          n *= shape.length == 0 ? 1 : shape[d];
        }
        e = e.div((double) n);
      }
      return new Tensor[] {e};
    }
  }

  /** {@code a.max()} and {@code a.min()}: the gradient is shared evenly by every element equal to the result. */
  public static final class ExtremeAll extends Node {
    public static Tensor max(Tensor a) {
      return apply(a, true);
    }

    public static Tensor min(Tensor a) {
      return apply(a, false);
    }

    private static Tensor apply(Tensor a, boolean max) {
      Tensor out = max ? plain(a).max() : plain(a).min();
      ExtremeAll node = new ExtremeAll(a, max);
      node.save(plain(a), out.detach());
      return node.record(out);
    }

    private ExtremeAll(Tensor a, boolean max) {
      super(max ? "MaxBackward1" : "MinBackward1", a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor a = saved(0);
      double v = saved(1).item();
      double[] x = a.toDoubleArray();
      double[] mask = new double[x.length];
      int count = 0;
      for (int i = 0; i < x.length; i++) {
        if (Double.isNaN(v) ? Double.isNaN(x[i]) : x[i] == v) {
          mask[i] = 1;
          count++;
        }
      }
      Tensor m = Torch.fromFlat(mask, a.shapeArray()).to(g.dtype());
      return new Tensor[] {m.mul(g.div((double) count))};
    }
  }

  /** {@code a.max(dim)} and {@code a.min(dim)}: the gradient goes to the index that was selected. */
  public static final class ExtremeDim extends Node {
    private final int[] shape;
    private final int dim;
    private final boolean keepdim;

    public static Tensor.ValuesIndices max(Tensor a, int dim, boolean keepdim) {
      return apply(a, dim, keepdim, true);
    }

    public static Tensor.ValuesIndices min(Tensor a, int dim, boolean keepdim) {
      return apply(a, dim, keepdim, false);
    }

    private static Tensor.ValuesIndices apply(Tensor a, int dim, boolean keepdim, boolean max) {
      Tensor.ValuesIndices vi = max ? plain(a).max(dim, keepdim) : plain(a).min(dim, keepdim);
      ExtremeDim node = new ExtremeDim(a, dim, keepdim, max);
      node.save(vi.indices());
      return new Tensor.ValuesIndices(node.record(vi.values()), vi.indices());
    }

    private ExtremeDim(Tensor a, int dim, boolean keepdim, boolean max) {
      super(max ? "MaxBackward0" : "MinBackward0", a);
      this.shape = a.shapeArray();
      int rank = Math.max(shape.length, 1);
      this.dim = dim < 0 ? dim + rank : dim;
      this.keepdim = keepdim;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      if (shape.length == 0) {
        return new Tensor[] {g};
      }
      Tensor idx = saved(0);
      if (!keepdim) {
        g = g.unsqueeze(dim);
        idx = idx.unsqueeze(dim);
      }
      long[] ix = idx.toLongArray();
      double[] gv = g.toDoubleArray();
      int outer = 1;
      for (int d = 0; d < dim; d++) {
        outer *= shape[d];
      }
      int inner = 1;
      for (int d = dim + 1; d < shape.length; d++) {
        inner *= shape[d];
      }
      int len = shape[dim];
      double[] out = new double[outer * len * inner];
      for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
          int r = o * inner + i;
          out[(o * len + (int) ix[r]) * inner + i] += gv[r];
        }
      }
      return new Tensor[] {Torch.fromFlat(out, shape).to(g.dtype())};
    }
  }
}
