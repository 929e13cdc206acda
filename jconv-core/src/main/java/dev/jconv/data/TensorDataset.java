package dev.jconv.data;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.Raw;
import java.util.ArrayList;
import java.util.List;

/**
 * Examples that are the rows (first dimension) of an input tensor and a target tensor, PyTorch's
 * {@code TensorDataset(X, y)}.
 *
 * <pre>{@code
 * Dataset ds = new TensorDataset(Torch.randn(100, 4), Torch.randint(0, 3, 100));
 * }</pre>
 */
public final class TensorDataset implements Dataset {
  private final Tensor inputs;
  private final Tensor targets;

  /** @throws IllegalArgumentException if the tensors are 0-d or differ in their first dimension */
  public TensorDataset(Tensor inputs, Tensor targets) {
    if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != targets.size(0)) {
      throw new IllegalArgumentException("Size mismatch between tensors: inputs " + inputs.shape() + ", targets "
          + targets.shape() + " (the first dimensions must be equal)");
    }
    this.inputs = inputs.detach().contiguous();
    this.targets = targets.detach().contiguous();
  }

  @Override
  public int size() {
    return inputs.size(0);
  }

  @Override
  public Batch get(int[] indices) {
    Dataset.checkIndices(indices, size());
    return new Batch(rows(inputs, indices), rows(targets, indices));
  }

  private static Tensor rows(Tensor t, int[] indices) {
    int[] shape = t.shapeArray();
    int row = 1;
    for (int d = 1; d < shape.length; d++) {
      row *= shape[d];
    }
    shape[0] = indices.length;
    switch (t.dtype()) {
      case FLOAT32 -> {
        float[] src = Raw.floats(t);
        float[] out = new float[indices.length * row];
        for (int i = 0; i < indices.length; i++) {
          System.arraycopy(src, indices[i] * row, out, i * row, row);
        }
        return Raw.wrap(out, shape);
      }
      case INT64 -> {
        long[] src = Raw.longs(t);
        long[] out = new long[indices.length * row];
        for (int i = 0; i < indices.length; i++) {
          System.arraycopy(src, indices[i] * row, out, i * row, row);
        }
        return Raw.wrap(out, shape);
      }
      default -> {
        List<Tensor> parts = new ArrayList<>();
        for (int i : indices) {
          parts.add(t.select(0, i));
        }
        return parts.isEmpty() ? Torch.zeros(t.dtype(), shape) : Torch.stack(parts, 0);
      }
    }
  }
}
