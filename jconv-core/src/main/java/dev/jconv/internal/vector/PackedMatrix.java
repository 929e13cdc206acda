package dev.jconv.internal.vector;

/**
 * A matrix packed once by {@link KernelProvider#packA} for many products with
 * {@link KernelProvider#sgemmPacked}: the packing a GEMM would redo on every call (a filter bank
 * multiplied by many blocks of transformed input, say). Its layout belongs to the provider that
 * made it; use it only with that provider. Immutable once made, so threads may share it.
 */
public final class PackedMatrix {
  final int rows;
  final int cols;
  final float[] data;
  final Object owner;

  PackedMatrix(int rows, int cols, float[] data, Object owner) {
    this.rows = rows;
    this.cols = cols;
    this.data = data;
    this.owner = owner;
  }

  /** Rows of op(A), the {@code m} of the products. */
  public int rows() {
    return rows;
  }

  /** Columns of op(A), the shared dimension {@code k} of the products. */
  public int cols() {
    return cols;
  }
}
