package dev.jconv;

import java.util.Arrays;

/**
 * A tensor's shape, printed as PyTorch prints {@code torch.Size}: {@code torch.Size([4, 64, 10, 10])}.
 *
 * <pre>{@code
 * System.out.println(Y.shape());        // torch.Size([4, 64, 10, 10])
 * int channels = Y.shape().get(1);      // 64
 * }</pre>
 */
public final class Size {
  private final int[] dims;

  private Size(int[] dims) {
    this.dims = dims;
  }

  /** A size from its dimensions (copied). */
  public static Size of(int... dims) {
    return new Size(dims.clone());
  }

  /** The number of dimensions. */
  public int length() {
    return dims.length;
  }

  /** Dimension {@code i}; negative {@code i} counts from the end, as in Python. */
  public int get(int i) {
    int d = i < 0 ? i + dims.length : i;
    if (d < 0 || d >= dims.length) {
      throw new IndexOutOfBoundsException("tuple index out of range: " + i + " for " + this);
    }
    return dims[d];
  }

  /**
   * The dimensions from {@code from} on, Python's {@code shape[from:]}: the book's
   * {@code Y.reshape(Y.shape[2:])} is {@code Y.reshape(Y.shape().slice(2))}. Negative {@code from}
   * counts from the end; out of range, it is clamped, as Python's slices are.
   */
  public Size slice(int from) {
    return slice(from, dims.length);
  }

  /** The dimensions {@code [from, to)}, Python's {@code shape[from:to]} (negative and out-of-range bounds as there). */
  public Size slice(int from, int to) {
    int a = clamp(from);
    int b = clamp(to);
    return new Size(Arrays.copyOfRange(dims, a, Math.max(a, b)));
  }

  /** A slice bound as Python resolves it: negative counts from the end, then clamped to [0, length]. */
  private int clamp(int i) {
    long v = i < 0 ? (long) i + dims.length : i;
    return (int) Math.max(0, Math.min(dims.length, v));
  }

  /** The dimensions as a new array. */
  public int[] toArray() {
    return dims.clone();
  }

  /** The number of elements a tensor of this size holds (a long: it may pass 2^31-1). */
  public long numel() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Size s && Arrays.equals(s.dims, dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** {@code torch.Size([4, 64, 10, 10])}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("torch.Size([");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(dims[i]);
    }
    return sb.append("])").toString();
  }
}
