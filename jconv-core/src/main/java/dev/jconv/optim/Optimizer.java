package dev.jconv.optim;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.autograd.NoGrad;
import dev.jconv.internal.Raw;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of the optimizers, like PyTorch's {@code torch.optim.Optimizer}: it holds parameters (leaf
 * tensors that require grad) and per-parameter state, {@link #step()} updates the parameters in place
 * from their gradients (without recording), and {@link #zeroGrad()} clears the gradients.
 *
 * <pre>{@code
 * Optimizer opt = new SGD(net.parameters(), SGDOptions.of(0.9));
 * for (Batch b : loader) {
 *   opt.zeroGrad();
 *   F.crossEntropy(net.forward(b.x()), b.y()).backward();
 *   opt.step();
 * }
 * }</pre>
 */
public abstract class Optimizer {
  private final List<Tensor> params;
  private final Map<Tensor, Object[]> state = new IdentityHashMap<>();

  /**
   * @throws IllegalArgumentException for an empty list, a parameter that is not a floating-point leaf,
   *     or the same parameter twice
   */
  protected Optimizer(Iterable<Tensor> parameters) {
    List<Tensor> list = new ArrayList<>();
    Map<Tensor, Boolean> seen = new IdentityHashMap<>();
    for (Tensor p : parameters) {
      if (!p.isLeaf()) {
        throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
      }
      if (!p.dtype().isFloatingPoint()) {
        throw new IllegalArgumentException("optimizer can only optimize floating-point Tensors, but one is "
            + p.dtype());
      }
      if (seen.put(p, Boolean.TRUE) != null) {
        throw new IllegalArgumentException("some parameters appear in more than one parameter group");
      }
      list.add(p);
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("optimizer got an empty parameter list");
    }
    this.params = Collections.unmodifiableList(list);
  }

  /** The parameters, in the order given. */
  public List<Tensor> parameters() {
    return params;
  }

  /** The learning rate. */
  public abstract double lr();

  /** Changes the learning rate (as a scheduler would, through {@code param_groups[0]['lr']}). */
  public abstract void setLr(double lr);

  /**
   * Updates every parameter that has a gradient, in place, without recording; parameters without a
   * gradient are skipped (as in PyTorch).
   */
  public final void step() {
    try (var g = NoGrad.enter()) {
      for (Tensor p : params) {
        Tensor grad = p.grad();
        if (grad == null) {
          continue;
        }
        if (!java.util.Arrays.equals(grad.shapeArray(), p.shapeArray())) {
          throw new IllegalArgumentException("gradient of shape " + grad.shape() + " does not match its parameter's "
              + p.shape());
        }
        Object[] s = state.computeIfAbsent(p, k -> new Object[stateSlots()]);
        if (p.dtype() == DType.FLOAT32) {
          float[] values = p.toFloatArray();
          update(values, grad.dtype() == DType.FLOAT32 ? Raw.floats(grad) : grad.toFloatArray(), s);
          p.copyInPlace(Raw.wrap(values, p.shapeArray()));
        } else {
          double[] values = p.toDoubleArray();
          update(values, grad.toDoubleArray(), s);
          p.copyInPlace(Raw.wrap(values, p.shapeArray()));
        }
      }
    }
  }

  /** How many state arrays per parameter the update keeps (momentum buffer, moments, ...). */
  protected abstract int stateSlots();

  /**
   * Updates float32 parameter values in place from the gradient (not to be modified) and the
   * parameter's state slots (null until first set).
   */
  protected abstract void update(float[] param, float[] grad, Object[] state);

  /** The float64 twin of {@link #update(float[], float[], Object[])}. */
  protected abstract void update(double[] param, double[] grad, Object[] state);

  /**
   * Clears the gradients: set to zero in place (PyTorch 1.13's default), or dropped with
   * {@code setToNone}.
   */
  public void zeroGrad(boolean setToNone) {
    for (Tensor p : params) {
      Tensor g = p.grad();
      if (g == null) {
        continue;
      }
      if (setToNone) {
        p.setGrad(null);
      } else {
        try (var ng = NoGrad.enter()) {
          g.zeroInPlace();
        }
      }
    }
  }

  /** {@code zeroGrad(false)}. */
  public void zeroGrad() {
    zeroGrad(false);
  }
}
