package dev.jconv.internal.autograd;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.internal.Raw;
import dev.jconv.autograd.Node;

/** Differentiable matrix products: mm, mv, dot, and the fused {@code x W^T + b} of a linear layer. */
public final class MatmulOps {
  private MatmulOps() {}

  /**
   * {@code a.matmul(b)} for 1-D and 2-D operands (shapes already checked by the caller's forward):
   * recorded as PyTorch records it (MmBackward0, MvBackward0, DotBackward0, or for vector·matrix an
   * unsqueeze, an mm and SqueezeBackward3).
   */
  public static Tensor matmul(Tensor a, Tensor b) {
    if (a.dim() == 2 && b.dim() == 2) {
      return Mm.apply(a, b);
    }
    if (a.dim() == 2) {
      return Mv.apply(a, b);
    }
    if (b.dim() == 1) {
      return Dot.apply(a, b);
    }
    return ViewOps.Reshape.squeezeInPlaceForm(Mm.apply(ViewOps.Unsqueeze.apply(a, 0), b), 0);
  }

  /** Matrix times matrix. */
  public static final class Mm extends Node {
    static Tensor apply(Tensor a, Tensor b) {
      Tensor out = plain(a).matmul(plain(b));
      Mm node = new Mm(a, b);
      node.save(node.needsInputGrad(1) ? plain(a) : null, node.needsInputGrad(0) ? plain(b) : null);
      return node.record(out);
    }

    private Mm(Tensor a, Tensor b) {
      super("MmBackward0", a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {
        needsInputGrad(0) ? g.matmul(saved(1).t()) : null, needsInputGrad(1) ? saved(0).t().matmul(g) : null
      };
    }
  }

  /**
   * {@code torch.bmm} of {@code (B, n, k)} and {@code (B, k, p)} tensors of one dtype (checked by the
   * caller), not recorded: each of the B products as {@link Tensor#matmul} computes a matrix product.
   */
  public static Tensor bmm(Tensor a, Tensor b) {
    int count = a.size(0);
    Tensor out = dev.jconv.Torch.zeros(a.dtype(), count, a.size(1), b.size(2));
    for (int i = 0; i < count; i++) {
      out.select(0, i).copyInPlace(a.select(0, i).matmul(b.select(0, i)));
    }
    return out;
  }

  /** Batches of matrices ({@code (B, n, k)} times {@code (B, k, p)}), as matmul runs two batched operands. */
  public static final class Bmm extends Node {
    public static Tensor apply(Tensor a, Tensor b) {
      Tensor out = bmm(plain(a), plain(b));
      Bmm node = new Bmm(a, b);
      node.save(node.needsInputGrad(1) ? plain(a) : null, node.needsInputGrad(0) ? plain(b) : null);
      return node.record(out);
    }

    private Bmm(Tensor a, Tensor b) {
      super("BmmBackward0", a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {
        needsInputGrad(0) ? bmm(g.contiguous(), saved(1).transpose(1, 2)) : null,
        needsInputGrad(1) ? bmm(saved(0).transpose(1, 2), g.contiguous()) : null
      };
    }
  }

  /** Matrix times vector. */
  public static final class Mv extends Node {
    static Tensor apply(Tensor a, Tensor v) {
      Tensor out = plain(a).matmul(plain(v));
      Mv node = new Mv(a, v);
      node.save(node.needsInputGrad(1) ? plain(a) : null, node.needsInputGrad(0) ? plain(v) : null);
      return node.record(out);
    }

    private Mv(Tensor a, Tensor v) {
      super("MvBackward0", a, v);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {
        needsInputGrad(0) ? g.unsqueeze(1).mul(saved(1).unsqueeze(0)) : null,
        needsInputGrad(1) ? saved(0).t().matmul(g) : null
      };
    }
  }

  /** Vector dot vector. */
  public static final class Dot extends Node {
    static Tensor apply(Tensor a, Tensor b) {
      Tensor out = plain(a).matmul(plain(b));
      Dot node = new Dot(a, b);
      node.save(node.needsInputGrad(1) ? plain(a) : null, node.needsInputGrad(0) ? plain(b) : null);
      return node.record(out);
    }

    private Dot(Tensor a, Tensor b) {
      super("DotBackward0", a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {
        needsInputGrad(0) ? saved(1).mul(g) : null, needsInputGrad(1) ? saved(0).mul(g) : null
      };
    }
  }

  /**
   * {@code x W^T + b} for a 2-D x {@code [n, in]}, weight {@code [out, in]}, optional bias that
   * broadcasts to {@code [n, out]} (usually {@code [out]}): PyTorch's F.linear, recorded as
   * AddmmBackward0 (MmBackward0 without bias). Shapes are checked by the caller.
   */
  public static final class Linear extends Node {
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
      Tensor out = forward(plain(x), plain(weight), plain(bias));
      if (!isRecording(x, weight, bias)) {
        return out;
      }
      Linear node = new Linear(x, weight, bias);
      node.save(node.needsInputGrad(1) ? plain(x) : null, node.needsInputGrad(0) ? plain(weight) : null);
      return node.record(out);
    }

    static Tensor forward(Tensor x, Tensor weight, Tensor bias) {
      if (x.dtype() == DType.FLOAT32) {
        int n = x.size(0);
        int in = x.size(1);
        int outF = weight.size(0);
        float[] out = new float[n * outF];
        float beta = 0f;
        if (rowBias(bias, outF)) {
          float[] b = Raw.floats(bias);
          for (int i = 0; i < n; i++) {
            System.arraycopy(b, 0, out, i * outF, outF);
          }
          beta = 1f;
        } else if (bias != null) {
          // A bias of one element, or of rows: broadcast to the output first.
          System.arraycopy(Raw.floats(bias.expand(n, outF).contiguous()), 0, out, 0, n * outF);
          beta = 1f;
        }
        dev.jconv.internal.vector.KernelProviders.get().sgemm(false, true, n, outF, in, Raw.floats(x), 0, in,
            Raw.floats(weight), 0, in, beta, out, 0, outF);
        return Raw.wrap(out, n, outF);
      }
      Tensor out = x.matmul(weight.t());
      return bias == null ? out : out.add(bias);
    }

    private Linear(Tensor x, Tensor weight, Tensor bias) {
      super(bias == null ? "MmBackward0" : "AddmmBackward0", x, weight, bias);
      this.rowBias = rowBias(bias, weight.size(0));
    }

    /** Whether {@code bias} is one value per output feature ({@code [outF]}), the usual bias. */
    private static boolean rowBias(Tensor bias, int outF) {
      return bias != null && bias.dim() == 1 && bias.size(0) == outF;
    }

    /** Whether the bias is one value per output feature (else the engine sums g to its shape). */
    private final boolean rowBias;

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor x = saved(0);
      Tensor w = saved(1);
      if (g.dtype() == DType.FLOAT32) {
        float[] gv = Raw.floats(g.contiguous());
        int n = g.size(0);
        int outF = g.size(1);
        Tensor gx = null;
        Tensor gw = null;
        Tensor gb = null;
        if (needsInputGrad(0)) {
          int in = w.size(1);
          float[] r = new float[n * in];
          dev.jconv.internal.vector.KernelProviders.get().sgemm(false, false, n, in, outF, gv, 0, outF,
              Raw.floats(w), 0, in, 0f, r, 0, in);
          gx = Raw.wrap(r, n, in);
        }
        if (needsInputGrad(1)) {
          int in = x.size(1);
          float[] r = new float[outF * in];
          dev.jconv.internal.vector.KernelProviders.get().sgemm(true, false, outF, in, n, gv, 0, outF,
              Raw.floats(x), 0, in, 0f, r, 0, in);
          gw = Raw.wrap(r, outF, in);
        }
        if (needsInputGrad(2) && !rowBias) {
          gb = g;
        } else if (needsInputGrad(2)) {
          double[] acc = new double[outF];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < outF; j++) {
              acc[j] += gv[i * outF + j];
            }
          }
          float[] r = new float[outF];
          for (int j = 0; j < outF; j++) {
            r[j] = (float) acc[j];
          }
          gb = Raw.wrap(r, outF);
        }
        return new Tensor[] {gx, gw, gb};
      }
      return new Tensor[] {
        needsInputGrad(0) ? g.matmul(w) : null,
        needsInputGrad(1) ? g.t().matmul(x) : null,
        needsInputGrad(2) ? (rowBias ? g.sum(0) : g) : null
      };
    }
  }
}
