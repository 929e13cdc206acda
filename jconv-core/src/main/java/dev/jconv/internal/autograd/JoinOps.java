package dev.jconv.internal.autograd;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.autograd.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Differentiable {@code torch.cat} (CatBackward0) and {@code torch.stack} (StackBackward0): the forward
 * is Torch's on plain tensors; the backward hands each input its slice of the gradient. For
 * {@code Torch.cat}/{@code Torch.stack} to call when an input requires grad (after their checks).
 */
public final class JoinOps {
  private JoinOps() {}

  /** Whether a join of these tensors must be recorded. */
  public static boolean isRecording(List<Tensor> tensors) {
    if (!dev.jconv.autograd.GradMode.isEnabled()) {
      return false;
    }
    for (Tensor t : tensors) {
      if (t.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  /** {@code torch.cat(tensors, dim)} with {@code dim} already wrapped; records CatBackward0. */
  public static Tensor cat(List<Tensor> tensors, int dim) {
    List<Tensor> plain = new ArrayList<>(tensors.size());
    int[] sizes = new int[tensors.size()];
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      plain.add(t.requiresGrad() ? t.detach() : t);
      sizes[i] = t.size(dim);
    }
    Tensor out;
    try (var g = dev.jconv.autograd.NoGrad.enter()) {
      out = Torch.cat(plain, dim);
    }
    return new Join("CatBackward0", tensors, dim, sizes, false).recordOn(out);
  }

  /** {@code torch.stack(tensors, dim)} with {@code dim} already wrapped; records StackBackward0. */
  public static Tensor stack(List<Tensor> tensors, int dim) {
    List<Tensor> plain = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      plain.add(t.requiresGrad() ? t.detach() : t);
    }
    Tensor out;
    try (var g = dev.jconv.autograd.NoGrad.enter()) {
      out = Torch.stack(plain, dim);
    }
    int[] ones = new int[tensors.size()];
    java.util.Arrays.fill(ones, 1);
    return new Join("StackBackward0", tensors, dim, ones, true).recordOn(out);
  }

  private static final class Join extends Node {
    private final int dim;
    private final int[] sizes;
    private final boolean stacked;

    Join(String name, List<Tensor> inputs, int dim, int[] sizes, boolean stacked) {
      super(name, inputs.toArray(new Tensor[0]));
      this.dim = dim;
      this.sizes = sizes;
      this.stacked = stacked;
    }

    Tensor recordOn(Tensor out) {
      return record(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      Tensor[] out = new Tensor[sizes.length];
      int at = 0;
      for (int i = 0; i < sizes.length; i++) {
        if (needsInputGrad(i)) {
          out[i] = stacked ? g.select(dim, i) : g.narrow(dim, at, sizes[i]);
        }
        at += sizes[i];
      }
      return out;
    }
  }
}
