package dev.jconv.internal.autograd;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.autograd.Node;

/**
 * Differentiable shape operations (views, reshape, expand, slicing, copies), each forward beside its
 * backward, with PyTorch's node names.
 */
public final class ViewOps {
  private ViewOps() {}

  /** view / reshape / flatten / squeeze: the gradient is reshaped back to the input's shape. */
  public static final class Reshape extends Node {
    /** A view, except the reshape of a copy made for it (UnsafeView: nothing else holds the copy). */
    @Override
    protected boolean isView() {
      return !name().equals("UnsafeViewBackward0");
    }

    private final int[] shape;

    /** {@code a.view(shape)}. */
    public static Tensor view(Tensor a, int[] newShape) {
      return new Reshape("ViewBackward0", a).record(plain(a).view(newShape));
    }

    /**
     * {@code a.reshape(shape)} when the strides allow a view: PyTorch 1.13 records ReshapeAliasBackward0.
     * The shape must already be inferred (no -1).
     */
    public static Tensor reshapeAlias(Tensor a, int[] newShape) {
      return new Reshape("ReshapeAliasBackward0", a).record(plain(a).view(newShape));
    }

    /** {@code a.reshape(shape)} that must copy: CloneBackward0 then UnsafeViewBackward0, as in PyTorch. */
    public static Tensor reshapeCopy(Tensor a, int[] newShape) {
      Tensor copy = Copy.clone(a);
      return new Reshape("UnsafeViewBackward0", copy).record(plain(copy).view(newShape));
    }

    /**
     * PyTorch's {@code _unsafe_view} of a result nothing else holds (UnsafeViewBackward0, not a view
     * for in-place purposes): matmul's fold of rows back into the batch dimensions.
     */
    public static Tensor unsafeView(Tensor a, int[] newShape) {
      return new Reshape("UnsafeViewBackward0", a).record(plain(a).view(newShape));
    }

    /** {@code a.squeeze()} (SqueezeBackward0) or {@code a.squeeze(dim)} (SqueezeBackward1). */
    public static Tensor squeeze(Tensor a, Integer dim) {
      Tensor out = dim == null ? plain(a).squeeze() : plain(a).squeeze(dim);
      return new Reshape(dim == null ? "SqueezeBackward0" : "SqueezeBackward1", a).record(out);
    }

    /** The in-place squeeze PyTorch's matmul applies to a vector-matrix product (SqueezeBackward3). */
    static Tensor squeezeInPlaceForm(Tensor a, int dim) {
      return new Reshape("SqueezeBackward3", a).record(plain(a).squeeze(dim));
    }

    private Reshape(String name, Tensor a) {
      super(name, a);
      this.shape = a.shapeArray();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g.reshape(shape)};
    }
  }

  /** {@code a.unsqueeze(dim)}. */
  public static final class Unsqueeze extends Node {
    @Override
    protected boolean isView() {
      return true;
    }

    private final int dim;

    public static Tensor apply(Tensor a, int dim) {
      Tensor out = plain(a).unsqueeze(dim);
      int d = dim < 0 ? dim + a.dim() + 1 : dim;
      return new Unsqueeze(a, d).record(out);
    }

    private Unsqueeze(Tensor a, int dim) {
      super("UnsqueezeBackward0", a);
      this.dim = dim;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g.squeeze(dim)};
    }
  }

  /** {@code a.t()} (TBackward0), {@code a.transpose(d0, d1)} and {@code a.permute(dims)}. */
  public static final class Permute extends Node {
    @Override
    protected boolean isView() {
      return true;
    }

    private final int[] inverse;

    public static Tensor t(Tensor a) {
      Tensor out = plain(a).t();
      int[] perm = a.dim() < 2 ? identity(a.dim()) : new int[] {1, 0};
      return new Permute("TBackward0", a, perm).record(out);
    }

    public static Tensor transpose(Tensor a, int d0, int d1) {
      Tensor out = plain(a).transpose(d0, d1);
      int r = a.dim();
      int[] perm = identity(r);
      if (r > 0) {
        int x = d0 < 0 ? d0 + r : d0;
        int y = d1 < 0 ? d1 + r : d1;
        perm[x] = y;
        perm[y] = x;
      }
      return new Permute("TransposeBackward0", a, perm).record(out);
    }

    public static Tensor permute(Tensor a, int[] dims) {
      Tensor out = plain(a).permute(dims);
      int[] perm = new int[dims.length];
      for (int i = 0; i < dims.length; i++) {
        perm[i] = dims[i] < 0 ? dims[i] + dims.length : dims[i];
      }
      return new Permute("PermuteBackward0", a, perm).record(out);
    }

    private static int[] identity(int n) {
      int[] p = new int[n];
      for (int i = 0; i < n; i++) {
        p[i] = i;
      }
      return p;
    }

    private Permute(String name, Tensor a, int[] perm) {
      super(name, a);
      inverse = new int[perm.length];
      for (int i = 0; i < perm.length; i++) {
        inverse[perm[i]] = i;
      }
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {inverse.length == 0 ? g : g.permute(inverse)};
    }
  }

  /** {@code a.expand(shape)}: the gradient is summed over the broadcast dimensions. */
  public static final class Expand extends Node {
    @Override
    protected boolean isView() {
      return true;
    }

    private final int[] shape;

    public static Tensor apply(Tensor a, int[] newShape) {
      return new Expand(a).record(plain(a).expand(newShape));
    }

    private Expand(Tensor a) {
      super("ExpandBackward0", a);
      this.shape = a.shapeArray();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {GradUtil.sumTo(g, shape)};
    }
  }

  /** {@code narrow} and {@code slice} (SliceBackward0) and {@code select} (SelectBackward0). */
  public static final class Slice extends Node {
    @Override
    protected boolean isView() {
      return true;
    }

    private final int[] shape;
    private final int dim;
    private final int start;
    private final int end;
    private final int step;
    private final boolean select;

    public static Tensor slice(Tensor a, int dim, int start, int end, int step) {
      Tensor out = plain(a).slice(dim, start, end, step);
      int d = dim < 0 ? dim + a.dim() : dim;
      int size = a.size(d);
      long s = start < 0 ? (long) start + size : start;
      s = Math.max(0, Math.min(s, size));
      return new Slice(a, d, (int) s, (int) s + (out.size(d) - 1) * step + 1, step, false).record(out);
    }

    public static Tensor narrow(Tensor a, int dim, int start, int length) {
      Tensor out = plain(a).narrow(dim, start, length);
      int d = dim < 0 ? dim + a.dim() : dim;
      // As narrow wraps it: a start of -1 on an empty dimension is 0.
      int s = start < 0 ? start + Math.max(a.size(d), 1) : start;
      return new Slice(a, d, s, s + length, 1, false).record(out);
    }

    public static Tensor select(Tensor a, int dim, int index) {
      Tensor out = plain(a).select(dim, index);
      int d = dim < 0 ? dim + a.dim() : dim;
      int i = index < 0 ? index + a.size(d) : index;
      return new Slice(a, d, i, i + 1, 1, true).record(out);
    }

    /**
     * {@code a.unbind(d)} (d already wrapped): one view per index, each recorded as PyTorch's UnbindBackward0 (the
     * gradient of output i goes to index i), and marked as one of several outputs, whose in-place
     * change PyTorch refuses while recording.
     */
    public static java.util.List<Tensor> unbind(Tensor a, int d) {
      java.util.List<Tensor> out = new java.util.ArrayList<>();
      for (int i = 0; i < a.size(d); i++) {
        Tensor v = new Slice("UnbindBackward0", a, d, i, i + 1, 1, true).record(plain(a).select(d, i));
        dev.jconv.internal.AutogradAccess.markMultiOutputView(v, i);
        out.add(v);
      }
      return out;
    }

    private Slice(Tensor a, int dim, int start, int end, int step, boolean select) {
      this(select ? "SelectBackward0" : "SliceBackward0", a, dim, start, end, step, select);
    }

    private Slice(String name, Tensor a, int dim, int start, int end, int step, boolean select) {
      super(name, a);
      this.shape = a.shapeArray();
      this.dim = dim;
      this.start = start;
      this.end = Math.max(start, end);
      this.step = step;
      this.select = select;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor z = Torch.zeros(g.dtype(), shape);
      Tensor part = select ? z.select(dim, start) : z.slice(dim, start, end, step);
      part.copyInPlace(g);
      return new Tensor[] {z};
    }
  }

  /** {@code clone()} / {@code contiguous()} (CloneBackward0) and {@code to(dtype)} (ToCopyBackward0). */
  public static final class Copy extends Node {
    private final DType from;

    public static Tensor clone(Tensor a) {
      return new Copy("CloneBackward0", a).record(plain(a).cloneTensor());
    }

    public static Tensor to(Tensor a, DType dtype) {
      Tensor out = plain(a).to(dtype);
      // Integer and bool results cannot carry gradients: PyTorch records nothing for them.
      return dtype.isFloatingPoint() ? new Copy("ToCopyBackward0", a).record(out) : out;
    }

    private Copy(String name, Tensor a) {
      super(name, a);
      this.from = a.dtype();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g.dtype() == from ? g : g.to(from)};
    }
  }
}
