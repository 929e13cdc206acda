package dev.jconv.internal;

import dev.jconv.Tensor;
import dev.jconv.autograd.Node;

/**
 * The nodes with which {@link Tensor} rewrites a view's history after an in-place change (not
 * exported): {@code CopySlices} and {@code AsStridedBackward0}, which need the internals of
 * {@link Node}. The autograd package registers the implementation when {@link Node} is initialised.
 */
public final class NodeAccess {

  /** Implemented in the autograd package. */
  public interface Access {
    /**
     * After {@code op} (recorded on {@code view}, whose first input is the view's value before)
     * changed the view in place: the base's new grad_fn (CopySlices: the base's current history, with
     * op's backward applied to the view's part of the gradient, and op's other inputs), and the view's
     * (AsStridedBackward0 of it), from one placement of the view in the base. The base's grad_fn is set
     * to the first.
     */
    Node[] rebase(Tensor base, Tensor view, Node op);

    /** A grad_fn for {@code view} that sends its gradient into the view's part of the base's. */
    Node asStrided(Tensor base, Tensor view);
  }

  private static final Bridge<Access> ACCESS = new Bridge<>(Node.class);

  private NodeAccess() {}

  /** Called once by Node's static initialiser. */
  public static void register(Access a) {
    ACCESS.register(a);
  }

  private static Access access() {
    return ACCESS.get();
  }

  public static Node[] rebase(Tensor base, Tensor view, Node op) {
    return access().rebase(base, view, op);
  }

  public static Node asStrided(Tensor base, Tensor view) {
    return access().asStrided(base, view);
  }
}
