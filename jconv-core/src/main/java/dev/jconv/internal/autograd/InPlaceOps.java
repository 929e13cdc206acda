package dev.jconv.internal.autograd;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.autograd.Node;

/**
 * The nodes of in-place operations that overwrite a tensor whatever it held: {@code zero_},
 * {@code fill_} and {@code copy_}. Their backward sends zeros to the tensor's history before the
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
