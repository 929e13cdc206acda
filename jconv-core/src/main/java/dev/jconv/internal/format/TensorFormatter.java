package dev.jconv.internal.format;

import dev.jconv.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@code repr(tensor)} exactly as PyTorch 1.13 prints it with the default print options: a port of
 * {@code torch/_tensor_str.py} (precision 4, threshold 1000, edge items 3, line width 80, automatic
 * scientific mode).
 *
 * <pre>{@code
 * TensorFormatter.repr(DType.FLOAT32, new int[] {2, 2}, new float[] {19, 25, 37, 43}, List.of())
 *     // tensor([[19., 25.],
 *     //         [37., 43.]])
 * }</pre>
 *
 * <p>The steps follow PyTorch's: decide what is shown (everything, or the first and last three
 * items of every dimension when there are more than 1000 elements), let one formatter look at the
 * shown elements only to choose integer / fixed / scientific mode and the column width, lay out
 * rows of at most 80 columns, then append the suffixes ({@code dtype=...}, {@code size=...} for empty
 * tensors, then the caller's), moving a suffix to its own line when it would pass column 80.
 */
public final class TensorFormatter {

  static final int PRECISION = 4;
  static final int THRESHOLD = 1000;
  static final int EDGE_ITEMS = 3;
  static final int LINE_WIDTH = 80;

  private static final String PREFIX = "tensor(";

  private TensorFormatter() {}

  /**
   * PyTorch's {@code repr(tensor)} for a CPU tensor.
   *
   * @param dtype the element type; the default ones (float32, int64, bool) print no {@code dtype=}
   * @param shape the sizes, {@code {}} for a 0-d tensor; not modified
   * @param data the elements in C order: {@code float[]}, {@code double[]}, {@code long[]} or
   *     {@code boolean[]} matching {@code dtype}; not modified
   * @param suffixes what PyTorch appends after the dtype, e.g. {@code "requires_grad=True"} or
   *     {@code "grad_fn=<ConvolutionBackward0>"}; may be empty
   * @throws IllegalArgumentException if the data does not match the dtype or the shape
   */
  public static String repr(DType dtype, int[] shape, Object data, List<String> suffixes) {
    long numel = checkedNumel(dtype, shape, data);
    List<String> all = new ArrayList<>();
    String body;
    if (numel == 0) {
      // NumPy-style: an empty tensor shows its shape unless it is 1-d, and always its dtype
      // (there are no elements to tell the type by)
      if (shape.length != 1) {
        all.add("size=" + tupleString(shape));
      }
      if (dtype != DType.FLOAT32) {
        all.add("dtype=" + dtype.torchName());
      }
      body = "[]";
    } else {
      if (dtype == DType.FLOAT64) {
        all.add("dtype=" + dtype.torchName());
      }
      body = tensorString(dtype, shape, data, PREFIX.length());
    }
    all.addAll(suffixes);
    return addSuffixes(PREFIX + body, all, PREFIX.length());
  }

  /** {@code str(tensor.size())}: {@code torch.Size([4, 64, 10, 10])}, {@code torch.Size([])} for 0-d. */
  public static String sizeString(int[] shape) {
    StringJoiner sizes = new StringJoiner(", ", "torch.Size([", "])");
    for (int s : shape) {
      sizes.add(Integer.toString(s));
    }
    return sizes.toString();
  }

  private static long checkedNumel(DType dtype, int[] shape, Object data) {
    int length = switch (dtype) {
      case FLOAT32 -> data instanceof float[] a ? a.length : -1;
      case FLOAT64 -> data instanceof double[] a ? a.length : -1;
      case INT64 -> data instanceof long[] a ? a.length : -1;
      case BOOL -> data instanceof boolean[] a ? a.length : -1;
    };
    if (length < 0) {
      throw new IllegalArgumentException("cannot print a " + dtype.torchName() + " tensor from "
          + (data == null ? "null" : data.getClass().getSimpleName()) + " data");
    }
    long numel = 1;
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("cannot print a tensor of negative size " + Arrays.toString(shape));
      }
      numel = Math.min(numel * s, Integer.MAX_VALUE + 1L); // saturate: never overflows, never matches
    }
    if (numel != length) {
      throw new IllegalArgumentException("cannot print a tensor of shape " + Arrays.toString(shape)
          + " from " + length + " elements");
    }
    return numel;
  }

  /** PyTorch's {@code _tensor_str} for a non-empty tensor. */
  private static String tensorString(DType dtype, int[] shape, Object data, int indent) {
    boolean summarize = numel(shape) > THRESHOLD;
    int[] strides = new int[shape.length];
    int stride = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = stride;
      stride *= shape[d];
    }
    // get_summarized_data: the formatter sees only what is printed, so a hidden outlier
    // changes neither the mode nor the width
    IntList shown = new IntList();
    collectShown(shape, strides, 0, 0, summarize, shown);
    Formatter formatter = new Formatter(dtype, data, shown);
    StringBuilder out = new StringBuilder();
    appendTensor(out, formatter, shape, strides, 0, 0, indent, summarize);
    return out.toString();
  }

  private static long numel(int[] shape) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    return n;
  }

  /** Whether PyTorch replaces the middle of a dimension of this size by {@code ...}. */
  private static boolean elided(int size, boolean summarize) {
    return summarize && size > 2 * EDGE_ITEMS;
  }

  private static void collectShown(int[] shape, int[] strides, int dim, int offset, boolean summarize, IntList out) {
    if (dim == shape.length) {
      out.add(offset);
      return;
    }
    int size = shape[dim];
    boolean elided = elided(size, summarize);
    for (int i = 0; i < size; i++) {
      if (elided && i == EDGE_ITEMS) {
        i = size - EDGE_ITEMS;
      }
      collectShown(shape, strides, dim + 1, offset + i * strides[dim], summarize, out);
    }
  }

  /** {@code _tensor_str_with_formatter}: nested brackets, one blank line fewer per inner dimension. */
  private static void appendTensor(StringBuilder out, Formatter f, int[] shape, int[] strides, int dim, int offset,
      int indent, boolean summarize) {
    int remaining = shape.length - dim;
    if (remaining == 0) {
      out.append(f.format(offset));
      return;
    }
    if (remaining == 1) {
      appendVector(out, f, shape[dim], strides[dim], offset, indent, summarize);
      return;
    }
    String separator = "," + "\n".repeat(remaining - 1) + " ".repeat(indent + 1);
    int size = shape[dim];
    boolean elided = elided(size, summarize);
    out.append('[');
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        out.append(separator);
      }
      if (elided && i == EDGE_ITEMS) {
        out.append("...").append(separator);
        i = size - EDGE_ITEMS;
      }
      appendTensor(out, f, shape, strides, dim + 1, offset + i * strides[dim], indent + 1, summarize);
    }
    out.append(']');
  }

  /** {@code _vector_str}: as many elements per line as fit in 80 columns after the indent. */
  private static void appendVector(StringBuilder out, Formatter f, int size, int stride, int offset, int indent,
      boolean summarize) {
    int elementLength = f.width() + 2; // ", " after each element
    int perLine = Math.max(1, Math.floorDiv(LINE_WIDTH - indent, elementLength));
    List<String> items = new ArrayList<>();
    boolean elided = elided(size, summarize);
    for (int i = 0; i < size; i++) {
      if (elided && i == EDGE_ITEMS) {
        items.add(" ...");
        i = size - EDGE_ITEMS;
      }
      items.add(f.format(offset + i * stride));
    }
    String lineBreak = ",\n" + " ".repeat(indent + 1);
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(i % perLine == 0 ? lineBreak : ", ");
      }
      out.append(items.get(i));
    }
    out.append(']');
  }

  /** {@code _add_suffixes}, including its way of measuring the last line (two more than its length). */
  private static String addSuffixes(String tensorString, List<String> suffixes, int indent) {
    StringBuilder out = new StringBuilder(tensorString);
    int lastLineLength = tensorString.length() - tensorString.lastIndexOf('\n') + 1;
    for (String suffix : suffixes) {
      if (lastLineLength + suffix.length() + 2 > LINE_WIDTH) {
        out.append(",\n").repeat(' ', indent).append(suffix);
        lastLineLength = indent + suffix.length();
      } else {
        out.append(", ").append(suffix);
        lastLineLength += suffix.length() + 2;
      }
    }
    return out.append(')').toString();
  }

  /** Python's {@code str(tuple(shape))}: {@code (0, 3)}, {@code (0,)}. */
  private static String tupleString(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringJoiner t = new StringJoiner(", ", "(", ")");
    for (int s : shape) {
      t.add(Integer.toString(s));
    }
    return t.toString();
  }

  /**
   * PyTorch's {@code _Formatter}: picks the mode and the width from the shown elements, then pads every
   * element on the left to that width.
   */
  private static final class Formatter {
    private final DType dtype;
    private final Object data;
    private boolean intMode = true;
    private boolean sciMode = false;
    private int maxWidth = 1;

    Formatter(DType dtype, Object data, IntList shown) {
      this.dtype = dtype;
      this.data = data;
      if (!dtype.isFloatingPoint()) {
        for (int i = 0; i < shown.size(); i++) {
          maxWidth = Math.max(maxWidth, plain(shown.get(i)).length());
        }
        return;
      }
      // only non-zero finite values count: zeros, nan and inf neither widen columns nor pick the mode
      double min = Double.POSITIVE_INFINITY;
      double max = 0;
      int count = 0;
      for (int i = 0; i < shown.size(); i++) {
        double v = value(shown.get(i));
        if (Double.isFinite(v) && v != 0) {
          count++;
          min = Math.min(min, Math.abs(v));
          max = Math.max(max, Math.abs(v));
          if (v != Math.ceil(v)) {
            intMode = false;
          }
        }
      }
      if (count == 0) {
        return;
      }
      // PyTorch compares in double, so a float32 1e-4 (9.99999975e-05) is below 1e-4
      boolean wideRange = max / min > 1000.0 || max > 1.0e8;
      sciMode = intMode ? wideRange : wideRange || min < 1.0e-4;
      for (int i = 0; i < shown.size(); i++) {
        double v = value(shown.get(i));
        if (Double.isFinite(v) && v != 0) {
          int width;
          if (sciMode) {
            width = PythonFloatFormat.scientific(v, PRECISION).length();
          } else if (intMode) {
            width = PythonFloatFormat.fixed(v, 0).length() + 1; // the '.' that marks a float
          } else {
            width = PythonFloatFormat.fixed(v, PRECISION).length();
          }
          maxWidth = Math.max(maxWidth, width);
        }
      }
    }

    int width() {
      return maxWidth;
    }

    String format(int index) {
      String s;
      if (!dtype.isFloatingPoint()) {
        s = plain(index);
      } else {
        double v = value(index);
        if (sciMode) {
          s = PythonFloatFormat.scientific(v, PRECISION);
        } else if (intMode) {
          s = PythonFloatFormat.fixed(v, 0);
          if (Double.isFinite(v)) {
            s += ".";
          }
        } else {
          s = PythonFloatFormat.fixed(v, PRECISION);
        }
      }
      return s.length() >= maxWidth ? s : " ".repeat(maxWidth - s.length()) + s;
    }

    /** The element as a Python float: float32 widens exactly to double, as {@code tolist()} does. */
    private double value(int index) {
      return dtype == DType.FLOAT32 ? ((float[]) data)[index] : ((double[]) data)[index];
    }

    /** {@code str()} of an int64 or bool element. */
    private String plain(int index) {
      return dtype == DType.INT64
          ? Long.toString(((long[]) data)[index])
          : (((boolean[]) data)[index] ? "True" : "False");
    }
  }

  /** A growable int array, to avoid boxing the (up to 1000 or so) shown indices. */
  private static final class IntList {
    private int[] items = new int[16];
    private int size;

    void add(int v) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = v;
    }

    int get(int i) {
      return items[i];
    }

    int size() {
      return size;
    }
  }
}
