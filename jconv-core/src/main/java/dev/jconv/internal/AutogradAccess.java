package dev.jconv.internal;

import dev.jconv.Tensor;
import dev.jconv.autograd.Node;

/**
 * The autograd state of a tensor that only the autograd machinery may change (not exported): the
 * node that made a tensor and the node that accumulates a leaf's gradient. {@link Tensor} registers
 * the implementation when its class is initialised, as it does for {@link Raw}.
 */
public final class AutogradAccess {

  /** Implemented by {@link Tensor}. */
  public interface Access {
    /** Makes {@code fn} the tensor's grad_fn; the tensor then requires grad and is no longer a leaf. */
    void setGradFn(Tensor t, Node fn);

    /** The leaf's AccumulateGrad node, or null before its first use in a graph. */
    Node gradAccumulator(Tensor t);

    void setGradAccumulator(Tensor t, Node accumulator);

    /** Makes the recorded view {@code view} a view of {@code input}'s base (or of input itself). */
    void linkView(Tensor view, Tensor input);

    /** Marks {@code t} as a module's parameter (printed as PyTorch prints an nn.Parameter). */
    void markParameter(Tensor t);

    /** Marks the view {@code t} as output {@code index} of an operation that returns several views (unbind). */
    void markMultiOutputView(Tensor t, int index);

    /** Makes {@code t} a tensor that views nothing (its storage is its own as far as autograd goes). */
    void unlinkView(Tensor t);

    /** The index of the tensor's first element in its storage. */
    int storageOffset(Tensor t);

    /** A detached alias of {@code t} (same storage and version counter) that remembers {@code t}. */
    Tensor aliasForSave(Tensor t);

    /** The tensor an alias from {@link #aliasForSave} was taken from, or null. */
    Tensor savedFrom(Tensor alias);

    /** Which output of its grad_fn the tensor is (0 but for the views an unbind returns). */
    int outputNr(Tensor t);

    /** Whether the two tensors are the same elements of one storage, in the same layout. */
    boolean sameData(Tensor a, Tensor b);
  }

  private static final Bridge<Access> ACCESS = new Bridge<>(Tensor.class);

  private AutogradAccess() {}

  /** Called once by Tensor's static initialiser. */
  public static void register(Access a) {
    ACCESS.register(a);
  }

  private static Access access() {
    return ACCESS.get();
  }

  public static void setGradFn(Tensor t, Node fn) {
    access().setGradFn(t, fn);
  }

  public static Node gradAccumulator(Tensor t) {
    return access().gradAccumulator(t);
  }

  public static void setGradAccumulator(Tensor t, Node accumulator) {
    access().setGradAccumulator(t, accumulator);
  }

  public static void linkView(Tensor view, Tensor input) {
    access().linkView(view, input);
  }

  public static void markParameter(Tensor t) {
    access().markParameter(t);
  }

  public static void markMultiOutputView(Tensor t, int index) {
    access().markMultiOutputView(t, index);
  }

  public static void unlinkView(Tensor t) {
    access().unlinkView(t);
  }

  public static int storageOffset(Tensor t) {
    return access().storageOffset(t);
  }

  public static Tensor aliasForSave(Tensor t) {
    return access().aliasForSave(t);
  }

  public static Tensor savedFrom(Tensor alias) {
    return access().savedFrom(alias);
  }

  public static int outputNr(Tensor t) {
    return access().outputNr(t);
  }

  public static boolean sameData(Tensor a, Tensor b) {
    return access().sameData(a, b);
  }
}
