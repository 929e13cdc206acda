package dev.jconv.internal.autograd;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.autograd.Node;

/**
 * The nodes of in-place operations that overwrite a tensor (or an element) whatever it held:
 * {@code zero_}, {@code fill_}, {@code copy_} and setting one element. Their backward sends zeros to the tensor's history before the
 * change (its old values no longer matter) and, for {@code copy_}, the gradient to the source. The
 * arithmetic ones ({@code add_}, ...) reuse the out-of-place nodes (see
 * {@link Tensor#addInPlace(Tensor)}).
 */
public final class InPlaceOps {
  private InPlaceOps() {}

  /** {@code zero_} ({@code ZeroBackward0}) or {@code fill_} with a number ({@code FillBackward2}). */
  public static final class Fill extends Node {
    public Fill(String name, Tensor self) {
      super(name, self);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {needsInputGrad(0) ? Torch.zerosLike(g) : null};
    }
  }

  /**
   * Setting one element, {@code Y[i, j] = v} ({@code CopySlices}): the tensor's old history gets the
   * gradient without that element, the value (when it is a tensor) the element's gradient. The book's
   * corr2d builds its output this way.
   */
  public static final class SetElement extends Node {
    private final int[] index;
    private final int[] valueShape;

    public SetElement(Tensor self, Tensor value, int[] index) {
      super("CopySlices", self, value);
      this.index = index.clone();
      this.valueShape = value == null ? null : value.shapeArray();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor toSelf = null;
      if (needsInputGrad(0)) {
        toSelf = g.cloneTensor();
        toSelf.set(0.0, index);
      }
      Tensor toValue = needsInputGrad(1) ? Torch.full(g.dtype(), g.getDouble(index), valueShape) : null;
      return new Tensor[] {toSelf, toValue};
    }
  }

  /** {@code copy_} ({@code CopyBackwards}): the gradient goes to the source (summed to its shape). */
  public static final class Copy extends Node {
    public Copy(Tensor self, Tensor src) {
      super("CopyBackwards", self, src);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      return new Tensor[] {needsInputGrad(0) ? Torch.zerosLike(g) : null, needsInputGrad(1) ? g : null};
    }
  }
}
