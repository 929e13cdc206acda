package dev.jconv.internal.format;

import dev.jconv.DType;
import java.util.List;

/** Interim formatter, replaced by the PyTorch-exact port on the print branch. */
public final class TensorFormatter {
  private TensorFormatter() {}

  public static String repr(DType dtype, int[] shape, Object data, List<String> suffixes) {
    return "tensor(" + java.util.Arrays.toString(shape) + ")";
  }

  public static String sizeString(int[] shape) {
    return java.util.Arrays.toString(shape);
  }
}
