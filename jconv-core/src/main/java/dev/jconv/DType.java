package dev.jconv;

/** Element types, named as PyTorch names them. float32 is the default. */
public enum DType {
  FLOAT32("torch.float32", 4, true),
  FLOAT64("torch.float64", 8, true),
  INT64("torch.int64", 8, false),
  BOOL("torch.bool", 1, false);

  private final String torchName;
  private final int itemSize;
  private final boolean floatingPoint;

  DType(String torchName, int itemSize, boolean floatingPoint) {
    this.torchName = torchName;
    this.itemSize = itemSize;
    this.floatingPoint = floatingPoint;
  }

  /** PyTorch's name, e.g. {@code torch.float32}. */
  public String torchName() {
    return torchName;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /** PyTorch's type promotion between two tensors of these types. */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
    }
    if (a == FLOAT64 || b == FLOAT64) {
      return FLOAT64;
    }
    if (a == FLOAT32 || b == FLOAT32) {
      return FLOAT32;
    }
    return INT64; // int64 with bool
  }

  @Override
  public String toString() {
    return torchName;
  }
}
