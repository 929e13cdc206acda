package dev.jconv.autograd;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.internal.AutogradAccess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One recorded operation in the autograd graph, PyTorch's {@code grad_fn}: it knows the nodes that made
 * its inputs and turns the gradient of its output into gradients of its inputs. Tensors computed from
 * tensors that require grad carry the node that made them ({@link Tensor#gradFn()}); it prints with
 * PyTorch's name, e.g. {@code grad_fn=<AddBackward0>}.
 *
 * <p>A differentiable operation subclasses Node, computes its forward result, and calls
 * {@link #record} on it; {@link #backward} then gets the gradient of that result. Tensors the backward
 * needs are kept with {@link #save} and read back with {@link #saved}, which refuses a tensor changed in
 * place since (the gradient would be wrong) and a graph already freed by an earlier backward.
 *
 * <pre>{@code
 * Tensor x = Torch.rand(3).setRequiresGrad(true);
 * Tensor y = x.mul(x).sum();
 * y.gradFn().name();                          // "SumBackward0"
 * y.gradFn().nextFunctions().get(0).name();   // "MulBackward0"
 * }</pre>
 */
public abstract class Node {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  static {
    dev.jconv.internal.NodeAccess.register(new ViewHistory());
  }

  private final String name;
  /** Per input: the node its gradient flows to, or null when that input does not need one. */
  final Node[] next;
  /** Per input: the shape and dtype its gradient must have (the engine sums and casts to them). */
  final int[][] inputShapes;
  final DType[] inputTypes;
  /** Later nodes run first among those ready, as in PyTorch, so gradients add up in PyTorch's order. */
  final long sequenceNr;

  /** A view node's input until {@link #record} links its output to the input's base. */
  private Tensor viewInput;

  private Tensor[] saved = new Tensor[0];
  private int[] savedVersions = new int[0];
  /** Which saved tensors are this node's own output (named in the version message as its output 0). */
  private boolean[] savedOutputs = new boolean[0];
  private boolean released;

  /**
   * A node whose inputs are {@code inputs} in order (null entries, e.g. a missing bias, are allowed).
   * Inputs that do not require grad get no gradient.
   */
  protected Node(String name, Tensor... inputs) {
    this(name, Long.MIN_VALUE, inputs);
  }

  Node(String name, long fixedSequence, Tensor... inputs) {
    this.name = name;
    this.sequenceNr = fixedSequence == Long.MIN_VALUE ? SEQUENCE.getAndIncrement() : fixedSequence;
    int n = inputs.length;
    next = new Node[n];
    inputShapes = new int[n][];
    inputTypes = new DType[n];
    for (int i = 0; i < n; i++) {
      Tensor t = inputs[i];
      if (t != null && t.requiresGrad()) {
        Node fn = t.gradFn();
        next[i] = fn != null ? fn : AccumulateGrad.of(t);
        inputShapes[i] = t.shapeArray();
        inputTypes[i] = t.dtype();
      }
    }
    if (n > 0 && isView()) {
      viewInput = inputs[0];
    }
  }

  /**
   * A node with the given edges: per input, the node its gradient flows to (null: none), and the
   * shape and dtype of that gradient ({@link ViewHistory}'s CopySlices takes over another node's).
   */
  Node(String name, Node[] next, int[][] inputShapes, DType[] inputTypes) {
    this.name = name;
    this.sequenceNr = SEQUENCE.getAndIncrement();
    this.next = next;
    this.inputShapes = inputShapes;
    this.inputTypes = inputTypes;
  }

  /** PyTorch's name for this node, e.g. {@code "MulBackward0"}. */
  public final String name() {
    return name;
  }

  /**
   * The nodes the gradients of this node's inputs flow to, one per input in order (null for an input
   * that needs no gradient), like PyTorch's {@code next_functions}.
   */
  public final List<Node> nextFunctions() {
    List<Node> out = new ArrayList<>(next.length);
    Collections.addAll(out, next);
    return Collections.unmodifiableList(out);
  }

  /** The number of inputs. */
  public final int numInputs() {
    return next.length;
  }

  /**
   * Gradients of the inputs from the gradient of the output; entries may be null for inputs that need
   * none (see {@link #needsInputGrad}). A gradient may have the output's broadcast shape or another
   * floating dtype: the engine sums it down to the input's shape and converts it. Runs with recording
   * off.
   */
  protected abstract Tensor[] backward(Tensor grad);

  /** Whether input {@code i} gets a gradient (it requires grad). */
  protected final boolean needsInputGrad(int i) {
    return next[i] != null;
  }

  /** Keeps tensors for the backward (nulls allowed), remembering their versions. */
  protected final void save(Tensor... tensors) {
    saved = tensors.clone();
    savedVersions = new int[tensors.length];
    savedOutputs = new boolean[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      savedVersions[i] = tensors[i] == null ? 0 : tensors[i].version();
    }
  }

  /**
   * Refuses a backward whose saved tensors changed since they were saved, the first in the order they
   * were saved (the inputs before the outputs, as PyTorch unpacks them). The engine calls this before
   * {@link #backward}.
   */
  final void checkSaved() {
    if (released) {
      saved(0); // freed by a backward without retainGraph: refused whether or not backward reads them
    }
    for (int i = 0; i < saved.length; i++) {
      saved(i);
    }
  }

  /**
   * Saved tensor {@code i}.
   *
   * @throws IllegalStateException if the graph was freed by a backward without retainGraph, or the
   *     tensor was modified in place after it was saved
   */
  protected final Tensor saved(int i) {
    if (released) {
      throw new IllegalStateException("Trying to backward through the graph a second time (or directly access "
          + "saved tensors after they have already been freed). Saved intermediate values of the graph are freed "
          + "when you call .backward(). Specify retainGraph=true if you need to backward through the graph a "
          + "second time or if you need to access saved tensors after calling backward.");
    }
    Tensor t = saved[i];
    if (t != null && t.version() != savedVersions[i]) {
      // PyTorch names the saved tensor's grad_fn now (an input's, rewritten by the in-place change if it
      // was a view, or this node for an output it saved); a leaf has none. Its hint about anomaly
      // detection, which jconv does not have, is left out.
      Tensor from = AutogradAccess.savedFrom(t);
      Tensor source = from != null ? from : t;
      Node fn = savedOutputs[i] ? this : source.gradFn();
      String producer = fn == null ? "" : ", which is output " + (savedOutputs[i] ? 0 : AutogradAccess.outputNr(source))
          + " of " + cppName(fn.name()) + ",";
      throw new IllegalStateException("one of the variables needed for gradient computation has been modified by "
          + "an inplace operation: [torch." + typeName(t.dtype()) + "Tensor " + java.util.Arrays.toString(t.shapeArray())
          + "]" + producer + " is at version " + t.version() + "; expected version " + savedVersions[i] + " instead.");
    }
    return t;
  }

  /** A node's name as PyTorch's {@code name()} gives it: its C++ nodes carry their namespace. */
  private static String cppName(String name) {
    return name.equals("CopySlices") || name.equals("CopyBackwards") ? "torch::autograd::" + name : name;
  }

  private static String typeName(DType t) {
    return switch (t) {
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      case INT64 -> "Long";
      case BOOL -> "Bool";
    };
  }

  /** Frees the saved tensors (after a backward without retainGraph). */
  void release() {
    if (saved.length > 0) {
      released = true;
      saved = new Tensor[0];
    }
  }

  /** Makes this node the grad_fn of {@code output} (which then requires grad); returns {@code output}. */
  protected final Tensor record(Tensor output) {
    for (int i = 0; i < saved.length; i++) {
      savedOutputs[i] |= saved[i] != null && AutogradAccess.savedFrom(saved[i]) == null
          && AutogradAccess.sameData(saved[i], output);
    }
    AutogradAccess.setGradFn(output, this);
    if (viewInput != null) {
      // A view of the input, which in-place changes must see as such (PyTorch's _base).
      AutogradAccess.linkView(output, viewInput);
      viewInput = null;
    } else {
      // Computed on a detached alias, the output may be a view of a temporary: it views nothing a
      // caller holds (UnsafeViewBackward0's copy).
      AutogradAccess.unlinkView(output);
    }
    return output;
  }

  /**
   * Whether this node's output shares its input's storage (a view: reshape, transpose, slice, ...):
   * an in-place change of the output then rewrites its input's base's history, as in PyTorch
   * ({@link Tensor#addInPlace(Tensor)}).
   */
  protected boolean isView() {
    return false;
  }

  /** The tensor itself if it does not require grad, else a detached alias (same storage). */
  protected static Tensor plain(Tensor t) {
    return t == null || !t.requiresGrad() ? t : AutogradAccess.aliasForSave(t);
  }

  /** Whether an operation on these tensors must be recorded: recording is on and one requires grad. */
  public static boolean isRecording(Tensor a) {
    return a.requiresGrad() && GradMode.isEnabled();
  }

  /** Whether an operation on these tensors must be recorded: recording is on and one requires grad. */
  public static boolean isRecording(Tensor a, Tensor b) {
    return (a.requiresGrad() || (b != null && b.requiresGrad())) && GradMode.isEnabled();
  }

  /** Whether an operation on these tensors must be recorded: recording is on and one requires grad. */
  public static boolean isRecording(Tensor a, Tensor b, Tensor c) {
    return (a.requiresGrad() || (b != null && b.requiresGrad()) || (c != null && c.requiresGrad()))
        && GradMode.isEnabled();
  }

  /** {@code <MulBackward0>}. */
  @Override
  public String toString() {
    return "<" + name + ">";
  }
}
