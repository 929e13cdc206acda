package dev.jconv.internal.autograd;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.autograd.Node;
import dev.jconv.internal.Raw;
import dev.jconv.internal.kernels.Activations;

/**
 * Element-wise differentiable operations: each op's forward (computed on plain, unrecorded tensors)
 * beside its backward. The engine sums gradients of broadcast operands back to their shapes.
 */
public final class PointwiseOps {

  /**
   * C's {@code pow}, which PyTorch calls: as {@link Math#pow} but 1 for a base of 1 (whatever the
   * exponent, NaN included) and for a base of -1 with an infinite exponent, where Java gives NaN.
   */
  public static double cPow(double x, double y) {
    if (x == 1 || (x == -1 && Double.isInfinite(y))) {
      return 1;
    }
    return Math.pow(x, y);
  }
  private PointwiseOps() {}

  /** {@code a + b}. */
  public static final class Add extends Node {
    public static Tensor apply(Tensor a, Tensor b) {
      Tensor out = plain(a).add(plain(b));
      return new Add(a, b).record(out);
    }

    private Add(Tensor a, Tensor b) {
      super("AddBackward0", a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g, g};
    }
  }

  /** {@code a - b}. */
  public static final class Sub extends Node {
    public static Tensor apply(Tensor a, Tensor b) {
      Tensor out = plain(a).sub(plain(b));
      return new Sub(a, b).record(out);
    }

    private Sub(Tensor a, Tensor b) {
      super("SubBackward0", a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g, needsInputGrad(1) ? g.neg() : null};
    }
  }

  /** {@code a op s} for a Java scalar s where the gradient passes unchanged ({@code +}, {@code -}). */
  public static final class ScalarShift extends Node {
    public static Tensor add(Tensor a, double s) {
      return new ScalarShift("AddBackward0", a).record(plain(a).add(s));
    }

    public static Tensor add(Tensor a, long s) {
      return new ScalarShift("AddBackward0", a).record(plain(a).add(s));
    }

    public static Tensor sub(Tensor a, double s) {
      return new ScalarShift("SubBackward0", a).record(plain(a).sub(s));
    }

    public static Tensor sub(Tensor a, long s) {
      return new ScalarShift("SubBackward0", a).record(plain(a).sub(s));
    }

    private ScalarShift(String name, Tensor a) {
      super(name, a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g};
    }
  }

  /** {@code a * b}. */
  public static final class Mul extends Node {
    public static Tensor apply(Tensor a, Tensor b) {
      Tensor out = plain(a).mul(plain(b));
      Mul node = new Mul(a, b);
      // Each operand is needed only for the other's gradient.
      node.save(node.needsInputGrad(1) ? plain(a) : null, node.needsInputGrad(0) ? plain(b) : null);
      return node.record(out);
    }

    private Mul(Tensor a, Tensor b) {
      super("MulBackward0", a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {
        needsInputGrad(0) ? g.mul(saved(1)) : null, needsInputGrad(1) ? g.mul(saved(0)) : null
      };
    }
  }

  /** {@code a * s} and {@code a / s} for a Java scalar s. */
  public static final class ScalarScale extends Node {
    private final double factor;
    private final boolean divide;

    public static Tensor mul(Tensor a, double s) {
      return wrapped(new ScalarScale("MulBackward0", a, s, false), dev.jconv.Torch.scalarTensor(s)).record(plain(a).mul(s));
    }

    public static Tensor mul(Tensor a, long s) {
      return wrapped(new ScalarScale("MulBackward0", a, s, false), dev.jconv.Torch.scalarTensor(s)).record(plain(a).mul(s));
    }

    public static Tensor div(Tensor a, double s) {
      return wrapped(new ScalarScale("DivBackward0", a, s, true), dev.jconv.Torch.scalarTensor(s)).record(plain(a).div(s));
    }

    /**
     * PyTorch wraps a Python number in a 0-d tensor for {@code mul} and {@code div} and its node saves
     * it: a second backward through a freed graph fails there (not for the Scalar overload, DivBackward1).
     */
    private static ScalarScale wrapped(ScalarScale node, Tensor scalar) {
      node.save(scalar);
      return node;
    }

    /**
     * {@code a.div(s)} as PyTorch's C++ code calls it with a Scalar (DivBackward1), e.g. inside
     * cross_entropy; recorded only when needed.
     */
    public static Tensor divScalarOverload(Tensor a, double s) {
      if (!isRecording(a)) {
        return a.div(s);
      }
      return new ScalarScale("DivBackward1", a, s, true).record(plain(a).div(s));
    }

    private ScalarScale(String name, Tensor a, double factor, boolean divide) {
      super(name, a);
      this.factor = factor;
      this.divide = divide;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {divide ? g.div(factor) : g.mul(factor)};
    }
  }

  /** {@code a / b}. */
  public static final class Div extends Node {
    public static Tensor apply(Tensor a, Tensor b) {
      Tensor out = plain(a).div(plain(b));
      Div node = new Div(a, b);
      node.save(node.needsInputGrad(1) ? plain(a) : null, plain(b));
      return node.record(out);
    }

    private Div(Tensor a, Tensor b) {
      super("DivBackward0", a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor b = saved(1);
      // PyTorch's form: -grad * ((a / b) / b).
      return new Tensor[] {
        needsInputGrad(0) ? g.div(b) : null, needsInputGrad(1) ? g.neg().mul(saved(0).div(b).div(b)) : null
      };
    }
  }

  /** {@code -a}. */
  public static final class Neg extends Node {
    public static Tensor apply(Tensor a) {
      return new Neg(a).record(plain(a).neg());
    }

    private Neg(Tensor a) {
      super("NegBackward0", a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g.neg()};
    }
  }

  /** {@code a ** e} for a Java scalar exponent. */
  public static final class PowScalar extends Node {
    private final double exponent;
    private final boolean integral;

    public static Tensor apply(Tensor a, double e) {
      PowScalar node = new PowScalar(a, e, false);
      node.save(plain(a));
      return node.record(plain(a).pow(e));
    }

    public static Tensor apply(Tensor a, long e) {
      PowScalar node = new PowScalar(a, e, true);
      node.save(plain(a));
      return node.record(plain(a).pow(e));
    }

    private PowScalar(Tensor a, double exponent, boolean integral) {
      super("PowBackward0", a);
      this.exponent = exponent;
      this.integral = integral;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor a = saved(0);
      if (exponent == 0) {
        return new Tensor[] {Torch.zeros(a.dtype(), a.shapeArray())};
      }
      Tensor p = integral ? a.pow((long) exponent - 1) : a.pow(exponent - 1);
      return new Tensor[] {g.mul(p.mul(exponent))};
    }
  }

  /** {@code a ** b} with a tensor exponent. */
  public static final class PowTensor extends Node {
    public static Tensor apply(Tensor a, Tensor b) {
      Tensor out = plain(a).pow(plain(b));
      PowTensor node = new PowTensor(a, b);
      node.save(plain(a), plain(b), out.detach());
      return node.record(out);
    }

    private PowTensor(Tensor a, Tensor b) {
      super("PowBackward1", a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor a = saved(0);
      Tensor b = saved(1);
      Tensor ga = null;
      Tensor gb = null;
      if (needsInputGrad(0)) {
        // where(b == 0, 0, g * (b * a^(b-1))): a zero exponent has zero slope even where a^(b-1) is inf.
        Tensor slope = GradUtil.zip(b, a, g.dtype(), (e, x) -> e == 0 ? 0 : e * cPow(x, e - 1));
        ga = g.mul(slope);
      }
      if (needsInputGrad(1)) {
        Tensor result = saved(2);
        Tensor lnA = GradUtil.zip(a, b, g.dtype(), (x, e) -> x == 0 && e >= 0 ? 0 : Math.log(x));
        gb = g.mul(result.mul(lnA));
      }
      return new Tensor[] {ga, gb};
    }
  }

  /** {@code exp(a)}. */
  public static final class Exp extends Node {
    public static Tensor apply(Tensor a) {
      Tensor out = plain(a).exp();
      Exp node = new Exp(a);
      node.save(out.detach());
      return node.record(out);
    }

    private Exp(Tensor a) {
      super("ExpBackward0", a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g.mul(saved(0))};
    }
  }

  /** {@code log(a)}. */
  public static final class Log extends Node {
    public static Tensor apply(Tensor a) {
      Log node = new Log(a);
      node.save(plain(a));
      return node.record(plain(a).log());
    }

    private Log(Tensor a) {
      super("LogBackward0", a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g.div(saved(0))};
    }
  }

  /** {@code sqrt(a)}. */
  public static final class Sqrt extends Node {
    public static Tensor apply(Tensor a) {
      Tensor out = plain(a).sqrt();
      Sqrt node = new Sqrt(a);
      node.save(out.detach());
      return node.record(out);
    }

    private Sqrt(Tensor a) {
      super("SqrtBackward0", a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {g.div(saved(0).mul(2L))};
    }
  }

  /** {@code |a|}; the gradient at 0 is 0 (sign(0) = 0, as in PyTorch). */
  public static final class Abs extends Node {
    public static Tensor apply(Tensor a) {
      Abs node = new Abs(a);
      node.save(plain(a));
      return node.record(plain(a).abs());
    }

    private Abs(Tensor a) {
      super("AbsBackward0", a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor a = saved(0);
      Tensor sign = GradUtil.zip(a, a, g.dtype(), (x, y) -> Math.signum(x));
      return new Tensor[] {g.mul(sign)};
    }
  }

  /** {@code 1 / (1 + exp(-a))}; the gradient is {@code g * (1 - y) * y} from the saved output y. */
  public static final class Sigmoid extends Node {
    public static Tensor apply(Tensor a) {
      Tensor out = plain(a).sigmoid();
      Sigmoid node = new Sigmoid(a);
      node.save(out.detach());
      return node.record(out);
    }

    private Sigmoid(Tensor a) {
      super("SigmoidBackward0", a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor y = saved(0);
      if (GradUtil.sameFloat32(g, y)) {
        float[] gv = Raw.floats(g);
        float[] yv = Raw.floats(y);
        float[] out = new float[yv.length];
        Activations.sigmoidBackward(gv, yv, out);
        return new Tensor[] {Raw.wrap(out, y.shapeArray())};
      }
      return new Tensor[] {g.mul(y.neg().add(1L)).mul(y)};
    }
  }

  /** {@code tanh(a)}; the gradient is {@code g * (1 - y^2)}. */
  public static final class Tanh extends Node {
    public static Tensor apply(Tensor a) {
      Tensor out = plain(a).tanh();
      Tanh node = new Tanh(a);
      node.save(out.detach());
      return node.record(out);
    }

    private Tanh(Tensor a) {
      super("TanhBackward0", a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor y = saved(0);
      if (GradUtil.sameFloat32(g, y)) {
        float[] gv = Raw.floats(g);
        float[] yv = Raw.floats(y);
        float[] out = new float[yv.length];
        Activations.tanhBackward(gv, yv, out);
        return new Tensor[] {Raw.wrap(out, y.shapeArray())};
      }
      return new Tensor[] {g.mul(y.mul(y).neg().add(1L))};
    }
  }

  /** {@code max(a, 0)}; the gradient passes where the output is positive (or NaN), as PyTorch's threshold_backward. */
  public static final class Relu extends Node {
    public static Tensor apply(Tensor a) {
      Tensor out = plain(a).relu();
      Relu node = new Relu(a);
      node.save(out.detach());
      return node.record(out);
    }

    private Relu(Tensor a) {
      super("ReluBackward0", a);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor y = saved(0);
      if (GradUtil.sameFloat32(g, y)) {
        float[] gv = Raw.floats(g);
        float[] yv = Raw.floats(y);
        float[] out = new float[yv.length];
        Activations.reluBackward(gv, yv, out);
        return new Tensor[] {Raw.wrap(out, y.shapeArray())};
      }
      return new Tensor[] {GradUtil.zip(g, y, g.dtype(), (gi, yi) -> yi <= 0 ? 0 : gi)};
    }
  }

  /** {@code maximum(a, b)} and {@code minimum(a, b)}: a tie splits the gradient in halves, as in PyTorch. */
  public static final class Extremum extends Node {
    private final boolean max;

    public static Tensor maximum(Tensor a, Tensor b) {
      return apply(a, b, true);
    }

    public static Tensor minimum(Tensor a, Tensor b) {
      return apply(a, b, false);
    }

    private static Tensor apply(Tensor a, Tensor b, boolean max) {
      Tensor out = max ? plain(a).maximum(plain(b)) : plain(a).minimum(plain(b));
      Extremum node = new Extremum(a, b, max);
      node.save(plain(a), plain(b));
      return node.record(out);
    }

    private Extremum(Tensor a, Tensor b, boolean max) {
      super(max ? "MaximumBackward0" : "MinimumBackward0", a, b);
      this.max = max;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor a = saved(0);
      Tensor b = saved(1);
      // Share of the gradient that goes to a: 1 where a wins, 1/2 on ties, 0 where b wins (NaN: both get it).
      Tensor shareA = GradUtil.zip(a, b, g.dtype(), (x, y) -> x == y ? 0.5 : (max ? x < y : x > y) ? 0 : 1);
      Tensor shareB = GradUtil.zip(a, b, g.dtype(), (x, y) -> x == y ? 0.5 : (max ? x > y : x < y) ? 0 : 1);
      return new Tensor[] {
        needsInputGrad(0) ? g.mul(shareA) : null, needsInputGrad(1) ? g.mul(shareB) : null
      };
    }
  }
}
