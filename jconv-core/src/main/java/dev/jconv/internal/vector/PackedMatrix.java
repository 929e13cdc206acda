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
  /** Where the matrix starts in {@code data} (several matrices packed together share one array). */
  final int offset;
  final Object owner;

  PackedMatrix(int rows, int cols, float[] data, Object owner) {
    this(rows, cols, data, 0, owner);
  }

  PackedMatrix(int rows, int cols, float[] data, int offset, Object owner) {
    this.rows = rows;
    this.cols = cols;
    this.data = data;
    this.offset = offset;
    this.owner = owner;
  }

  /**
   * Distance (floats) between the matrices packed together in one array: {@code size} rounded up
   * to a cache line, plus one line. Without the extra line, sizes like 256 x 256 put every matrix at
   * a multiple of 256 KB, on one cache set: a source that writes all of them at once (Winograd's
   * 36 filter planes) would then miss L1 and L2 on nearly every store.
   */
  static int setStride(int size) {
    return (size + 15) / 16 * 16 + 16;
  }

  /**
   * The {@code count} matrices {@code rows x cols} of {@code owner} packed into {@code data}
   * {@code stride} floats apart: {@code reuse} when {@code fits} (its storage written again), else new.
   */
  static PackedMatrix[] set(int count, int rows, int cols, float[] data, int stride, Object owner,
      PackedMatrix[] reuse, boolean fits) {
    if (fits) {
      return reuse;
    }
    PackedMatrix[] set = new PackedMatrix[count];
    for (int e = 0; e < count; e++) {
      set[e] = new PackedMatrix(rows, cols, data, e * stride, owner);
    }
    return set;
  }

  /**
   * Whether {@code set} holds {@code count} matrices {@code rows x cols} of {@code owner}, packed
   * together {@code stride} floats apart by a set packing: their storage can be written again.
   */
  static boolean reusableSet(PackedMatrix[] set, int count, int rows, int cols, int stride,
      Object owner) {
    if (set == null || set.length != count || count == 0) {
      return false;
    }
    float[] data = set[0] == null ? null : set[0].data;
    if (data == null || data.length < (long) count * stride) {
      return false;
    }
    for (int e = 0; e < count; e++) {
      PackedMatrix a = set[e];
      if (a == null || a.owner != owner || a.rows != rows || a.cols != cols || a.data != data
          || a.offset != e * stride) {
        return false;
      }
    }
    return true;
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
