package dev.jconv.autograd;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import java.util.Arrays;

/**
 * The backward pass, like {@code torch.autograd.backward}. Usually called as {@link Tensor#backward()}.
 *
 * <pre>{@code
 * Tensor w = Torch.ones(3).setRequiresGrad(true);
 * Tensor loss = w.mul(w).sum();
 * Autograd.backward(loss, null, false);   // same as loss.backward()
 * w.grad();                               // tensor([2., 2., 2.])
 * }</pre>
 */
public final class Autograd {
  private Autograd() {}

  /**
   * Computes the gradient of {@code output} with respect to every leaf that requires grad and adds it
   * to the leaf's {@code grad}.
   *
   * @param gradient the gradient of the output (its shape); null means 1, allowed only for one-element
   *     outputs
   * @param retainGraph keep the saved tensors so that the graph can be run backward again
   * @throws IllegalArgumentException if the output does not require grad, is not a scalar and no
   *     gradient is given, or the gradient's shape differs from the output's
   */
  public static void backward(Tensor output, Tensor gradient, boolean retainGraph) {
    // PyTorch's order: the gradient's shape, then the implicit gradient of a non-scalar output that
    // requires grad, then whether the output requires grad at all.
    if (gradient != null && !Arrays.equals(gradient.shapeArray(), output.shapeArray())) {
      throw new IllegalArgumentException("Mismatch in shape: grad_output[0] has a shape of " + gradient.shape()
          + " and output[0] has a shape of " + output.shape() + ".");
    }
    if (gradient == null && output.requiresGrad() && output.numel() != 1) {
      throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs");
    }
    if (!output.requiresGrad()) {
      throw new IllegalArgumentException("element 0 of tensors does not require grad and does not have a grad_fn");
    }
    if (gradient == null) {
      gradient = Torch.ones(output.dtype(), output.shapeArray());
    } else {
      gradient = gradient.detach();
      if (gradient.dtype() != output.dtype()) {
        gradient = gradient.to(output.dtype());
      }
    }
    Node root = output.gradFn() != null ? output.gradFn() : AccumulateGrad.of(output);
    Engine.run(root, gradient, retainGraph);
  }
}
