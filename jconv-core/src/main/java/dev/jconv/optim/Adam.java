package dev.jconv.optim;

import dev.jconv.Tensor;

/**
 * Adam, PyTorch 1.13's {@code torch.optim.Adam} (single-tensor form): with step count t,
 * {@code g += weight_decay * p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)} (AMSGrad: the running maximum of v).
 * Float32 arithmetic in PyTorch's order, so trajectories match.
 *
 * <pre>{@code
 * Adam opt = new Adam(net.parameters(), AdamOptions.of(1e-3));
 * }</pre>
 */
public final class Adam extends Optimizer {
  private AdamOptions options;

  public Adam(Iterable<Tensor> parameters, AdamOptions options) {
    super(parameters);
    if (options == null) {
      throw new IllegalArgumentException("Adam needs options; AdamOptions.of() gives PyTorch's defaults");
    }
    this.options = options;
  }

  /** Adam with PyTorch's defaults. */
  public Adam(Iterable<Tensor> parameters) {
    this(parameters, AdamOptions.of());
  }

  public AdamOptions options() {
    return options;
  }

  @Override
  public double lr() {
    return options.lr();
  }

  @Override
  public void setLr(double lr) {
    options = options.lr(lr);
  }

  @Override
  protected int stateSlots() {
    return 4; // m, v, max v (AMSGrad), step count
  }

  /** This parameter's step count after this step (PyTorch keeps one per parameter). */
  private static double nextStep(Object[] state) {
    long[] t = (long[]) state[3];
    if (t == null) {
      t = new long[1];
      state[3] = t;
    }
    return ++t[0];
  }

  @Override
  protected void update(float[] p, float[] grad, Object[] state) {
    AdamOptions o = options;
    int n = p.length;
    if (state[0] == null) {
      state[0] = new float[n];
      state[1] = new float[n];
      if (o.amsgrad()) {
        state[2] = new float[n];
      }
    }
    float[] m = (float[]) state[0];
    float[] v = (float[]) state[1];
    double step = nextStep(state);
    double bc1 = 1 - Math.pow(o.beta1(), step);
    double bc2 = 1 - Math.pow(o.beta2(), step);
    float stepSize = (float) -(o.lr() / bc1);
    float bc2Sqrt = (float) Math.sqrt(bc2);
    float b1 = (float) o.beta1();
    float b2 = (float) o.beta2();
    float oneMinusB1 = (float) (1 - o.beta1());
    float oneMinusB2 = (float) (1 - o.beta2());
    float eps = (float) o.eps();
    float wd = (float) o.weightDecay();
    float[] max = o.amsgrad() ? maxBuffer(state, n) : null;
    for (int i = 0; i < n; i++) {
      float g = o.weightDecay() != 0 ? Math.fma(p[i], wd, grad[i]) : grad[i];
      m[i] = Math.fma(g, oneMinusB1, m[i] * b1);
      // addcmul_: PyTorch's build contracts self + value * t1 * t2 into one fused multiply-add (its
      // vector and scalar loops alike), after rounding value * t1.
      v[i] = Math.fma(oneMinusB2 * g, g, v[i] * b2);
      float second = v[i];
      if (max != null) {
        max[i] = Math.max(max[i], v[i]);
        second = max[i];
      }
      float denom = (float) Math.sqrt(second) / bc2Sqrt + eps;
      p[i] = p[i] + stepSize * m[i] / denom;
    }
  }

  private static float[] maxBuffer(Object[] state, int n) {
    if (state[2] == null) {
      state[2] = new float[n];
    }
    return (float[]) state[2];
  }

  @Override
  protected void update(double[] p, double[] grad, Object[] state) {
    AdamOptions o = options;
    int n = p.length;
    if (state[0] == null) {
      state[0] = new double[n];
      state[1] = new double[n];
      state[2] = o.amsgrad() ? new double[n] : null;
    }
    double[] m = (double[]) state[0];
    double[] v = (double[]) state[1];
    if (o.amsgrad() && state[2] == null) {
      state[2] = new double[n];
    }
    double[] max = (double[]) state[2];
    double step = nextStep(state);
    double bc1 = 1 - Math.pow(o.beta1(), step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(o.beta2(), step));
    double stepSize = -(o.lr() / bc1);
    for (int i = 0; i < n; i++) {
      double g = o.weightDecay() != 0 ? Math.fma(p[i], o.weightDecay(), grad[i]) : grad[i];
      m[i] = Math.fma(g, 1 - o.beta1(), m[i] * o.beta1());
      v[i] = Math.fma((1 - o.beta2()) * g, g, v[i] * o.beta2());
      double second = v[i];
      if (o.amsgrad()) {
        max[i] = Math.max(max[i], v[i]);
        second = max[i];
      }
      double denom = Math.sqrt(second) / bc2Sqrt + o.eps();
      p[i] = p[i] + stepSize * m[i] / denom;
    }
  }
}
