package dev.jconv.optim;

import dev.jconv.Tensor;

/**
 * Stochastic gradient descent, PyTorch 1.13's {@code torch.optim.SGD} step for each parameter p with
 * gradient g: {@code g += weight_decay * p}; with momentum, {@code buf = g} on the first step and
 * {@code buf = momentum * buf + (1 - dampening) * g} after, and {@code g = buf} (Nesterov:
 * {@code g += momentum * buf}); then {@code p -= lr * g}. Float32 arithmetic as PyTorch's kernels do it
 * (fused multiply-adds), so trajectories match.
 *
 * <pre>{@code
 * SGD opt = new SGD(net.parameters(), SGDOptions.of(0.9));   // the book's LeNet: lr 0.9
 * }</pre>
 */
public final class SGD extends Optimizer {
  private SGDOptions options;

  public SGD(Iterable<Tensor> parameters, SGDOptions options) {
    super(parameters);
    if (options == null) {
      throw new IllegalArgumentException("SGD needs options (at least a learning rate)");
    }
    this.options = options;
  }

  /** Plain SGD with learning rate {@code lr}. */
  public SGD(Iterable<Tensor> parameters, double lr) {
    this(parameters, SGDOptions.of(lr));
  }

  public SGDOptions options() {
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
    return 1;
  }

  @Override
  protected void update(float[] p, float[] grad, Object[] state) {
    SGDOptions o = options;
    float wd = (float) o.weightDecay();
    float mom = (float) o.momentum();
    float keep = (float) (1 - o.dampening());
    float step = (float) -o.lr();
    float[] d = grad;
    if (o.weightDecay() != 0) {
      d = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        d[i] = Math.fma(p[i], wd, grad[i]);
      }
    }
    if (o.momentum() != 0) {
      float[] buf = (float[]) state[0];
      if (buf == null) {
        buf = d.clone();
        state[0] = buf;
      } else {
        for (int i = 0; i < p.length; i++) {
          buf[i] = Math.fma(d[i], keep, buf[i] * mom);
        }
      }
      if (o.nesterov()) {
        float[] n = new float[p.length];
        for (int i = 0; i < p.length; i++) {
          n[i] = Math.fma(buf[i], mom, d[i]);
        }
        d = n;
      } else {
        d = buf;
      }
    }
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.fma(d[i], step, p[i]);
    }
  }

  @Override
  protected void update(double[] p, double[] grad, Object[] state) {
    SGDOptions o = options;
    double[] d = grad;
    if (o.weightDecay() != 0) {
      d = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        d[i] = Math.fma(p[i], o.weightDecay(), grad[i]);
      }
    }
    if (o.momentum() != 0) {
      double[] buf = (double[]) state[0];
      if (buf == null) {
        buf = d.clone();
        state[0] = buf;
      } else {
        for (int i = 0; i < p.length; i++) {
          buf[i] = Math.fma(d[i], 1 - o.dampening(), buf[i] * o.momentum());
        }
      }
      if (o.nesterov()) {
        double[] n = new double[p.length];
        for (int i = 0; i < p.length; i++) {
          n[i] = Math.fma(buf[i], o.momentum(), d[i]);
        }
        d = n;
      } else {
        d = buf;
      }
    }
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.fma(d[i], -o.lr(), p[i]);
    }
  }
}
