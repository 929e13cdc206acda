package dev.jconv.autograd;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.internal.AutogradAccess;
import dev.jconv.internal.NodeAccess;
import dev.jconv.internal.Raw;
import dev.jconv.internal.autograd.GradUtil;

/**
 * PyTorch's rewriting of history for an in-place change of a view ({@code y[1:3].mul_(2)}): the base
 * gets {@code CopySlices} (its old history, with the operation's backward applied to the view's part
 * of the gradient) and the view {@code AsStridedBackward0} of the base. Views are placed in their base
 * by storage index, so any view of any base (transposed, sliced with steps, reshaped) is placed
 * exactly; an {@code AsStridedBackward0} of an expanded view adds up the elements that share memory.
 */
final class ViewHistory implements NodeAccess.Access {

  @Override
  public Node[] rebase(Tensor base, Tensor view, Node op) {
    int[] pos = positions(base, view);
    Node slices = new CopySlices(base, view.shapeArray(), pos, op);
    // The view's node takes the base's new history: made after the base has it.
    AutogradAccess.setGradFn(base, slices);
    return new Node[] {slices, new AsStrided(base, pos)};
  }

  @Override
  public Node asStrided(Tensor base, Tensor view) {
    return new AsStrided(base, positions(base, view));
  }

  /**
   * For each element of {@code view} (row-major), the row-major index of the element of {@code base}
   * at the same storage index.
   */
  static int[] positions(Tensor base, Tensor view) {
    int[] bShape = base.shapeArray();
    int[] bStrides = base.stride();
    int bOff = AutogradAccess.storageOffset(base);
    long lo = bOff;
    long hi = bOff;
    for (int d = 0; d < bShape.length; d++) {
      if (bShape[d] == 0) {
        return new int[0];
      }
      long span = (long) (bShape[d] - 1) * bStrides[d];
      lo += Math.min(0, span);
      hi += Math.max(0, span);
    }
    int[] where = new int[(int) (hi - lo + 1)];
    java.util.Arrays.fill(where, -1);
    int bn = base.numel();
    int[] idx = new int[bShape.length];
    for (int flat = 0; flat < bn; flat++) {
      long s = bOff;
      for (int d = 0; d < idx.length; d++) {
        s += (long) idx[d] * bStrides[d];
      }
      where[(int) (s - lo)] = flat;
      step(idx, bShape);
    }
    int[] vShape = view.shapeArray();
    int[] vStrides = view.stride();
    int vOff = AutogradAccess.storageOffset(view);
    int vn = view.numel();
    int[] pos = new int[vn];
    idx = new int[vShape.length];
    for (int i = 0; i < vn; i++) {
      long s = vOff;
      for (int d = 0; d < idx.length; d++) {
        s += (long) idx[d] * vStrides[d];
      }
      int p = s < lo || s > hi ? -1 : where[(int) (s - lo)];
      if (p < 0) {
        throw new IllegalStateException("a view's element lies outside its base");
      }
      pos[i] = p;
      step(idx, vShape);
    }
    return pos;
  }

  /** The next row-major index. */
  private static void step(int[] idx, int[] shape) {
    for (int d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        return;
      }
      idx[d] = 0;
    }
  }

  /** The elements of {@code t} (floating point) at {@code pos} of its row-major order, as a tensor of {@code shape}. */
  static Tensor gather(Tensor t, int[] pos, int[] shape) {
    if (t.dtype() == DType.FLOAT64) {
      double[] src = Raw.doubles(t.contiguous());
      double[] out = new double[pos.length];
      for (int i = 0; i < pos.length; i++) {
        out[i] = src[pos[i]];
      }
      return Raw.wrap(out, shape);
    }
    float[] src = Raw.floats(t.to(DType.FLOAT32).contiguous());
    float[] out = new float[pos.length];
    for (int i = 0; i < pos.length; i++) {
      out[i] = src[pos[i]];
    }
    return Raw.wrap(out, shape);
  }

  /** {@code base}'s current history as an edge: its grad_fn, its AccumulateGrad, or none. */
  private static Node edge(Tensor t) {
    if (!t.requiresGrad()) {
      return null;
    }
    Node fn = t.gradFn();
    return fn != null ? fn : AccumulateGrad.of(t);
  }

  /** {@code CopySlices}: see {@link ViewHistory}. */
  static final class CopySlices extends Node {
    private final Node op;
    private final int[] baseShape;
    private final int[] viewShape;
    private final int[] pos;

    CopySlices(Tensor base, int[] viewShape, int[] pos, Node op) {
      super("CopySlices", edges(base, op), shapes(base, op), types(base, op));
      this.op = op;
      this.baseShape = base.shapeArray();
      this.viewShape = viewShape;
      this.pos = pos;
    }

    private static Node[] edges(Tensor base, Node op) {
      Node[] e = op.next.clone();
      e[0] = edge(base);
      return e;
    }

    private static int[][] shapes(Tensor base, Node op) {
      int[][] s = op.inputShapes.clone();
      s[0] = base.shapeArray();
      return s;
    }

    private static DType[] types(Tensor base, Node op) {
      DType[] t = op.inputTypes.clone();
      t[0] = base.dtype();
      return t;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor[] res = op.backward(gather(g, pos, viewShape));
      Tensor[] out = new Tensor[next.length];
      for (int i = 1; i < out.length; i++) {
        out[i] = res[i];
      }
      if (next[0] != null) {
        // The base's gradient, with the view's part replaced by the gradient of the view's values
        // before the change (zero where the operation overwrote them).
        Tensor toView = res[0];
        if (toView != null) {
          toView = GradUtil.sumTo(toView, viewShape).to(g.dtype());
        }
        out[0] = scatter(g, toView);
      }
      return out;
    }

    /** {@code g} (base-shaped) with the view's elements replaced by {@code part} (null: zeros). */
    private Tensor scatter(Tensor g, Tensor part) {
      if (g.dtype() == DType.FLOAT64) {
        double[] out = Raw.doubles(g.contiguous()).clone();
        double[] p = part == null ? new double[pos.length] : Raw.doubles(part.contiguous());
        for (int i = 0; i < pos.length; i++) {
          out[pos[i]] = p[i];
        }
        return Raw.wrap(out, baseShape);
      }
      float[] out = Raw.floats(g.to(DType.FLOAT32).contiguous()).clone();
      float[] p = part == null ? new float[pos.length] : Raw.floats(part.to(DType.FLOAT32).contiguous());
      for (int i = 0; i < pos.length; i++) {
        out[pos[i]] = p[i];
      }
      return Raw.wrap(out, baseShape);
    }

    @Override
    void release() {
      super.release();
      op.release();
    }
  }

  /** {@code AsStridedBackward0}: the view's gradient added into zeros of the base's shape. */
  static final class AsStrided extends Node {
    private final int[] baseShape;
    private final int[] pos;

    AsStrided(Tensor base, int[] pos) {
      super("AsStridedBackward0", base);
      this.baseShape = base.shapeArray();
      this.pos = pos;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      int n = 1;
      for (int d : baseShape) {
        n *= d;
      }
      if (g.dtype() == DType.FLOAT64) {
        double[] src = Raw.doubles(g.contiguous());
        double[] out = new double[n];
        for (int i = 0; i < pos.length; i++) {
          out[pos[i]] += src[i];
        }
        return new Tensor[] {Raw.wrap(out, baseShape)};
      }
      float[] src = Raw.floats(g.to(DType.FLOAT32).contiguous());
      float[] out = new float[n];
      for (int i = 0; i < pos.length; i++) {
        out[pos[i]] += src[i];
      }
      return new Tensor[] {Raw.wrap(out, baseShape)};
    }
  }
}
