package dev.jconv.autograd;

import dev.jconv.Tensor;
import dev.jconv.internal.AutogradAccess;

/**
 * The node at the end of every path to a leaf that requires grad: it adds the gradient that arrives
 * into the leaf's {@code grad} (PyTorch's {@code AccumulateGrad}). One per leaf, kept by the leaf, so
 * that every use of a leaf in one graph meets here.
 */
final class AccumulateGrad extends Node {
  private final Tensor variable;

  private AccumulateGrad(Tensor variable) {
    // PyTorch gives it the highest priority: a leaf's gradient is stored as soon as it is complete.
    super("AccumulateGrad", Long.MAX_VALUE);
    this.variable = variable;
  }

  static Node of(Tensor leaf) {
    Node acc = AutogradAccess.gradAccumulator(leaf);
    if (acc == null) {
      acc = new AccumulateGrad(leaf);
      AutogradAccess.setGradAccumulator(leaf, acc);
    }
    return acc;
  }

  Tensor variable() {
    return variable;
  }

  @Override
  protected Tensor[] backward(Tensor grad) {
    Tensor old = variable.grad();
    if (old == null) {
      // A copy: the incoming gradient may alias the caller's tensor or another node's output.
      variable.setGrad(grad.cloneTensor());
    } else if (old.requiresGrad()) {
      variable.setGrad(old.add(grad));
    } else {
      old.addInPlace(grad);
    }
    return new Tensor[0];
  }
}
