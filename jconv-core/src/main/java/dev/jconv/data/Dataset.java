package dev.jconv.data;

/**
 * Examples indexed 0..size-1, like PyTorch's map-style {@code Dataset}, read a batch at a time (the
 * collation PyTorch's default {@code collate_fn} does is part of the dataset here, so each can copy
 * its rows directly).
 *
 * <pre>{@code
 * Dataset train = FashionMnist.load(dir, true);
 * Batch b = train.get(new int[] {0, 1, 2});   // inputs [3, 1, 28, 28], targets [3]
 * }</pre>
 */
public interface Dataset {
  /** The number of examples. */
  int size();

  /**
   * The examples at {@code indices}, stacked.
   *
   * @throws IllegalArgumentException for an index outside 0..size-1
   */
  Batch get(int[] indices);

  /** Checks indices against the size, once, before any copying. */
  static void checkIndices(int[] indices, int size) {
    for (int i : indices) {
      if (i < 0 || i >= size) {
        throw new IllegalArgumentException("index " + i + " is out of range for a dataset of " + size + " examples");
      }
    }
  }
}
