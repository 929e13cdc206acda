package dev.jconv.internal.autograd;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.autograd.Node;
import dev.jconv.internal.Raw;
import dev.jconv.internal.kernels.AdaptivePool2dKernel;
import dev.jconv.internal.kernels.AdaptivePool2dParams;
import dev.jconv.internal.kernels.AvgPool2dKernel;
import dev.jconv.internal.kernels.LpPool2dKernel;
import dev.jconv.internal.kernels.MaxUnpool2dKernel;
import dev.jconv.internal.kernels.Pool2dParams;
import dev.jconv.internal.kernels.PoolBackward;
import dev.jconv.internal.kernels.Unpool2dParams;
import dev.jconv.internal.vector.PoolingProviders;

/**
 * Differentiable pooling: each op's forward (the pooling kernels) beside its backward
 * ({@link PoolBackward}), with PyTorch's node names. Arguments were checked by {@code Pooling}.
 * Inputs are float32 or float64 (integer tensors cannot require grad).
 */
public final class PoolOps {
  private PoolOps() {}

  /**
   * Max and adaptive max pooling: the forward ran already (with indices); the gradient goes to the
   * recorded index (MaxPool2DWithIndicesBackward0, AdaptiveMaxPool2DBackward0).
   */
  public static final class IndexedMax extends Node {
    private final int[] shape;
    private final long[] idx;
    private final int planes;
    private final int inPlane;
    private final int outPlane;

    public static Tensor record(String name, Tensor input, Tensor values, long[] idx, int planes, int inPlane,
        int outPlane) {
      IndexedMax node = new IndexedMax(name, input, idx, planes, inPlane, outPlane);
      node.save(plain(input)); // as PyTorch's node: a freed graph or an input changed in place fails the backward
      return node.record(values);
    }

    private IndexedMax(String name, Tensor input, long[] idx, int planes, int inPlane, int outPlane) {
      super(name, input);
      this.shape = input.shapeArray();
      this.idx = idx;
      this.planes = planes;
      this.inPlane = inPlane;
      this.outPlane = outPlane;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      if (g.dtype() == DType.FLOAT32) {
        float[] gx = new float[planes * inPlane];
        PoolBackward.scatterAtIndices(Raw.floats(g.contiguous()), idx, planes, inPlane, outPlane, gx);
        return new Tensor[] {Raw.wrap(gx, shape)};
      }
      double[] gx = new double[planes * inPlane];
      PoolBackward.scatterAtIndices(Raw.doubles(g.contiguous()), idx, planes, inPlane, outPlane, gx);
      return new Tensor[] {Raw.wrap(gx, shape)};
    }
  }

  /** Average pooling (AvgPool2DBackward0). */
  public static final class AvgPool extends Node {
    private final int[] shape;
    private final Pool2dParams p;

    public static Tensor apply(Tensor input, Pool2dParams p, int[] outShape) {
      int n = p.planes() * p.outPlane();
      Tensor out;
      if (input.dtype() == DType.FLOAT32) {
        float[] y = new float[n];
        PoolingProviders.get().avgPool2d(Raw.floats(input), 0, y, 0, p);
        out = Raw.wrap(y, outShape);
      } else {
        double[] y = new double[n];
        AvgPool2dKernel.forward(Raw.doubles(input), 0, y, 0, p);
        out = Raw.wrap(y, outShape);
      }
      AvgPool node = new AvgPool(input, p);
      node.save(plain(input)); // as PyTorch's AvgPool2DBackward0
      return node.record(out);
    }

    private AvgPool(Tensor input, Pool2dParams p) {
      super("AvgPool2DBackward0", input);
      this.shape = input.shapeArray();
      this.p = p;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      int n = p.planes() * p.inPlane();
      if (g.dtype() == DType.FLOAT32) {
        float[] gx = new float[n];
        PoolBackward.avg(Raw.floats(g.contiguous()), p, gx);
        return new Tensor[] {Raw.wrap(gx, shape)};
      }
      double[] gx = new double[n];
      PoolBackward.avg(Raw.doubles(g.contiguous()), p, gx);
      return new Tensor[] {Raw.wrap(gx, shape)};
    }
  }

  /** Adaptive average pooling (AdaptiveAvgPool2DBackward0; a 1x1 output is PyTorch's mean: MeanBackward1). */
  public static final class AdaptiveAvg extends Node {
    private final int[] shape;
    private final AdaptivePool2dParams p;
    private final boolean asMean;

    public static Tensor apply(Tensor input, AdaptivePool2dParams p, int[] outShape) {
      int n = p.planes() * p.outPlane();
      Tensor out;
      if (input.dtype() == DType.FLOAT32) {
        float[] y = new float[n];
        PoolingProviders.get().adaptiveAvgPool2d(Raw.floats(input), 0, y, 0, p);
        out = Raw.wrap(y, outShape);
      } else {
        double[] y = new double[n];
        AdaptivePool2dKernel.avg(Raw.doubles(input), 0, y, 0, p);
        out = Raw.wrap(y, outShape);
      }
      AdaptiveAvg node = new AdaptiveAvg(input, p);
      node.save(plain(input)); // as PyTorch's AdaptiveAvgPool2DBackward0 and MeanBackward1
      return node.record(out);
    }

    private AdaptiveAvg(Tensor input, AdaptivePool2dParams p) {
      super(p.outH() == 1 && p.outW() == 1 ? "MeanBackward1" : "AdaptiveAvgPool2DBackward0", input);
      this.shape = input.shapeArray();
      this.p = p;
      this.asMean = p.outH() == 1 && p.outW() == 1;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      int n = p.planes() * p.inPlane();
      if (g.dtype() == DType.FLOAT32) {
        float[] gx = new float[n];
        PoolBackward.adaptiveAvg(Raw.floats(g.contiguous()), p, asMean, gx);
        return new Tensor[] {Raw.wrap(gx, shape)};
      }
      double[] gx = new double[n];
      PoolBackward.adaptiveAvg(Raw.doubles(g.contiguous()), p, asMean, gx);
      return new Tensor[] {Raw.wrap(gx, shape)};
    }
  }

  /** LP pooling; PyTorch's composite ends in a pow, so its node is PowBackward0. */
  public static final class LpPool extends Node {
    private final int[] shape;
    private final Pool2dParams p;
    private final double norm;

    public static Tensor apply(Tensor input, Pool2dParams p, int[] outShape, double norm) {
      int n = p.planes() * p.outPlane();
      Tensor out;
      if (input.dtype() == DType.FLOAT32) {
        float[] y = new float[n];
        LpPool2dKernel.forward(Raw.floats(input), 0, y, 0, p, norm);
        out = Raw.wrap(y, outShape);
      } else {
        double[] y = new double[n];
        LpPool2dKernel.forward(Raw.doubles(input), 0, y, 0, p, norm);
        out = Raw.wrap(y, outShape);
      }
      LpPool node = new LpPool(input, p, norm);
      node.save(plain(input));
      return node.record(out);
    }

    private LpPool(Tensor input, Pool2dParams p, double norm) {
      super("PowBackward0", input);
      this.shape = input.shapeArray();
      this.p = p;
      this.norm = norm;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      double[] gx = new double[p.planes() * p.inPlane()];
      PoolBackward.lp(saved(0).toDoubleArray(), g.toDoubleArray(), p, norm, gx);
      Tensor out = Raw.wrap(gx, shape);
      return new Tensor[] {g.dtype() == DType.FLOAT64 ? out : out.to(g.dtype())};
    }
  }

  /** Max unpooling (MaxUnpool2DBackward0): the gradient is gathered from the positions written. */
  public static final class Unpool extends Node {
    private final int[] shape;
    private final long[] idx;
    private final Unpool2dParams p;

    public static Tensor apply(Tensor input, long[] idx, Unpool2dParams p, int[] outShape) {
      int n = p.planes() * p.outH() * p.outW();
      Tensor out;
      if (input.dtype() == DType.FLOAT32) {
        float[] y = new float[n];
        if (n > 0) {
          MaxUnpool2dKernel.forward(Raw.floats(input), 0, idx, 0, y, 0, p);
        }
        out = Raw.wrap(y, outShape);
      } else {
        double[] y = new double[n];
        if (n > 0) {
          MaxUnpool2dKernel.forward(Raw.doubles(input), 0, idx, 0, y, 0, p);
        }
        out = Raw.wrap(y, outShape);
      }
      return new Unpool(input, idx, p).record(out);
    }

    private Unpool(Tensor input, long[] idx, Unpool2dParams p) {
      super("MaxUnpool2DBackward0", input);
      this.shape = input.shapeArray();
      this.idx = idx.clone(); // the caller's indices tensor may change after the forward
      this.p = p;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      int inPlane = p.inPlane();
      int outPlane = p.outH() * p.outW();
      if (outPlane == 0 && idx.length > 0) {
        // An empty output takes any index; PyTorch's backward, a gather from the empty gradient along
        // its last (flattened) dimension, refuses the first one.
        throw new IllegalArgumentException("index " + idx[0] + " is out of bounds for dimension " + (shape.length - 2)
            + " with size 0");
      }
      if (g.dtype() == DType.FLOAT32) {
        float[] gx = new float[p.planes() * inPlane];
        PoolBackward.gatherAtIndices(Raw.floats(g.contiguous()), idx, p.planes(), inPlane, outPlane, gx);
        return new Tensor[] {Raw.wrap(gx, shape)};
      }
      double[] gx = new double[p.planes() * inPlane];
      PoolBackward.gatherAtIndices(Raw.doubles(g.contiguous()), idx, p.planes(), inPlane, outPlane, gx);
      return new Tensor[] {Raw.wrap(gx, shape)};
    }
  }
}
