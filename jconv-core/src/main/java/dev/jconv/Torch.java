package dev.jconv;

import dev.jconv.internal.parallel.Parallel;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code torch.*} functions: tensor creation, random numbers, joining, threads. Import them
 * statically and a notebook line translates mechanically:
 *
 * <pre>{@code
 * import static dev.jconv.Torch.*;
 *
 * Tensor X = tensor(new int[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});   // torch.tensor([[0, 1, 2], ...])  (int64)
 * Tensor K = tensor(new double[][] {{0.0, 1.0}, {2.0, 3.0}});         // torch.tensor([[0.0, 1.0], ...]) (float32)
 * Tensor Z = zeros(2, 3);                                             // torch.zeros((2, 3))
 * manualSeed(0);
 * Tensor R = rand(4, 3, 12, 12);                                      // torch.rand(size=(4, 3, 12, 12))
 * }</pre>
 */
public final class Torch {
  private Torch() {}

  // ---------------------------------------------------------------- from Java arrays

  /**
   * A tensor from a Java array of any rank, with PyTorch's inferred dtype: {@code float} and
   * {@code double} elements give float32 (as Python floats do), {@code int} and {@code long} give
   * int64 (as Python ints do), {@code boolean} gives bool. Use {@link #tensor(Object, DType)} for
   * another dtype. The data is copied.
   *
   * @throws IllegalArgumentException if the array is ragged or not a primitive array
   */
  public static Tensor tensor(Object array) {
    return tensor(array, null);
  }

  /** A tensor from a Java array of any rank, converted to {@code dtype}. The data is copied. */
  public static Tensor tensor(Object array, DType dtype) {
    if (array == null) {
      throw new IllegalArgumentException("tensor(): expected an array, got null");
    }
    List<Integer> dims = new ArrayList<>();
    Object a = array;
    Class<?> c = array.getClass();
    if (!c.isArray()) {
      return scalar(array, dtype);
    }
    while (c.isArray()) {
      int len = Array.getLength(a);
      dims.add(len);
      c = c.getComponentType();
      if (c.isArray()) {
        a = len > 0 ? Array.get(a, 0) : null;
        if (a == null) {
          // An empty outer dimension: the inner lengths are unknown, PyTorch's shape is (0,).
          break;
        }
      }
    }
    while (c.isArray()) {
      c = c.getComponentType();
    }
    DType natural;
    if (c == float.class || c == double.class) {
      natural = DType.FLOAT32;
    } else if (c == int.class || c == long.class || c == short.class || c == byte.class) {
      natural = DType.INT64;
    } else if (c == boolean.class) {
      natural = DType.BOOL;
    } else {
      throw new IllegalArgumentException("tensor(): expected an array of float, double, int, long or boolean, got "
          + array.getClass().getSimpleName());
    }
    int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
    int n = Tensor.checkedNumel(shape);
    DType target = dtype == null ? natural : dtype;
    Tensor out = Tensor.allocate(target, shape);
    int[] pos = {0};
    fill(array, 0, shape, out, pos, c);
    assert pos[0] == n;
    return out;
  }

  private static void fill(Object a, int dim, int[] shape, Tensor out, int[] pos, Class<?> leaf) {
    int len = Array.getLength(a);
    if (len != shape[dim]) {
      throw new IllegalArgumentException("expected sequence of length " + shape[dim] + " at dim " + dim
          + " (got " + len + ")");
    }
    if (dim == shape.length - 1) {
      for (int i = 0; i < len; i++) {
        if (leaf == long.class) {
          out.writeLong(pos[0]++, Array.getLong(a, i));
        } else if (leaf == boolean.class) {
          out.writeLong(pos[0]++, Array.getBoolean(a, i) ? 1 : 0);
        } else if (leaf == int.class || leaf == short.class || leaf == byte.class) {
          out.writeLong(pos[0]++, Array.getLong(a, i));
        } else {
          out.writeDouble(pos[0]++, Array.getDouble(a, i));
        }
      }
      return;
    }
    for (int i = 0; i < len; i++) {
      Object sub = Array.get(a, i);
      if (sub == null) {
        throw new IllegalArgumentException("tensor(): null sub-array at dim " + dim + " index " + i);
      }
      fill(sub, dim + 1, shape, out, pos, leaf);
    }
  }

  private static Tensor scalar(Object value, DType dtype) {
    Tensor t;
    if (value instanceof Double || value instanceof Float) {
      t = Tensor.allocate(dtype == null ? DType.FLOAT32 : dtype, new int[0]);
      t.writeDouble(0, ((Number) value).doubleValue());
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      t = Tensor.allocate(dtype == null ? DType.INT64 : dtype, new int[0]);
      t.writeLong(0, ((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      t = Tensor.allocate(dtype == null ? DType.BOOL : dtype, new int[0]);
      t.writeLong(0, b ? 1 : 0);
    } else {
      throw new IllegalArgumentException("tensor(): could not infer dtype of " + value.getClass().getSimpleName());
    }
    return t;
  }

  /** A 0-d float32 tensor: {@code torch.tensor(3.5)}. */
  public static Tensor scalarTensor(double value) {
    return scalar(value, null);
  }

  /** A 0-d int64 tensor: {@code torch.tensor(3)}. */
  public static Tensor scalarTensor(long value) {
    return scalar(value, null);
  }

  /** A float32 tensor of {@code shape} from C-order elements (copied). */
  public static Tensor fromFlat(float[] data, int... shape) {
    return Tensor.owning(DType.FLOAT32, checkFlat(data.clone(), data.length, shape), shape);
  }

  /** A float64 tensor of {@code shape} from C-order elements (copied). */
  public static Tensor fromFlat(double[] data, int... shape) {
    return Tensor.owning(DType.FLOAT64, checkFlat(data.clone(), data.length, shape), shape);
  }

  /** An int64 tensor of {@code shape} from C-order elements (copied). */
  public static Tensor fromFlat(long[] data, int... shape) {
    return Tensor.owning(DType.INT64, checkFlat(data.clone(), data.length, shape), shape);
  }

  /** A bool tensor of {@code shape} from C-order elements (copied). */
  public static Tensor fromFlat(boolean[] data, int... shape) {
    return Tensor.owning(DType.BOOL, checkFlat(data.clone(), data.length, shape), shape);
  }

  private static Object checkFlat(Object data, int length, int[] shape) {
    int n = Tensor.checkedNumel(shape);
    if (n != length) {
      throw new IllegalArgumentException("shape '" + Tensor.shapeText(shape) + "' is invalid for input of size " + length);
    }
    return data;
  }

  // ---------------------------------------------------------------- filled tensors

  /** {@code torch.zeros(shape)} (float32). */
  public static Tensor zeros(int... shape) {
    return Tensor.allocate(DType.FLOAT32, shape.clone());
  }

  /** {@code torch.zeros(shape, dtype=dtype)}. */
  public static Tensor zeros(DType dtype, int... shape) {
    return Tensor.allocate(dtype, shape.clone());
  }

  /** {@code torch.zeros(size)}. */
  public static Tensor zeros(Size size) {
    return zeros(size.toArray());
  }

  /** {@code torch.ones(shape)} (float32). */
  public static Tensor ones(int... shape) {
    return full(1.0, shape);
  }

  /** {@code torch.ones(shape, dtype=dtype)}. */
  public static Tensor ones(DType dtype, int... shape) {
    return full(dtype, 1.0, shape);
  }

  /** {@code torch.ones(size)}. */
  public static Tensor ones(Size size) {
    return ones(size.toArray());
  }

  /** {@code torch.full(shape, value)} with a floating-point value: float32. */
  public static Tensor full(double value, int... shape) {
    return full(DType.FLOAT32, value, shape);
  }

  /** {@code torch.full(shape, value)} with an integer value: int64, as PyTorch infers it. */
  public static Tensor full(long value, int... shape) {
    Tensor t = Tensor.allocate(DType.INT64, shape.clone());
    for (int i = 0; value != 0 && i < t.numel(); i++) {
      t.writeLong(i, value); // every bit of a long, which a double would round
    }
    return t;
  }

  /** {@code torch.full(shape, value)} with a bool value: a bool tensor. */
  public static Tensor full(boolean value, int... shape) {
    Tensor t = Tensor.allocate(DType.BOOL, shape.clone());
    if (value) {
      t.fillInPlace(1);
    }
    return t;
  }

  /** {@code torch.full(shape, value, dtype=dtype)}. */
  public static Tensor full(DType dtype, double value, int... shape) {
    Tensor t = Tensor.allocate(dtype, shape.clone());
    if (value != 0) {
      t.fillInPlace(value);
    }
    return t;
  }

  /** A zero tensor with the shape and dtype of {@code t}. */
  public static Tensor zerosLike(Tensor t) {
    return Tensor.allocate(t.dtype(), t.shapeArray());
  }

  /** A tensor of ones with the shape and dtype of {@code t}. */
  public static Tensor onesLike(Tensor t) {
    return full(t.dtype(), 1.0, t.shapeArray());
  }

  /** {@code torch.arange(end)}: 0, 1, ..., end-1 as int64. */
  public static Tensor arange(long end) {
    return arange(0, end, 1);
  }

  /** {@code torch.arange(start, end, step)} with integer arguments: int64. */
  public static Tensor arange(long start, long end, long step) {
    long n = arangeLength(start, end, step);
    Tensor t = Tensor.allocate(DType.INT64, new int[] {(int) n});
    for (int i = 0; i < n; i++) {
      t.writeLong(i, start + i * step);
    }
    return t;
  }

  /** {@code torch.arange(end, dtype=dtype)}, e.g. {@code arange(16, FLOAT32)}. */
  public static Tensor arange(long end, DType dtype) {
    if (dtype == DType.BOOL) {
      throw new IllegalArgumentException("\"arange_cpu\" not implemented for 'Bool'");
    }
    return arange(0, end, 1).to(dtype);
  }

  /** {@code torch.arange(start, end, step)} with floating-point arguments: float32. */
  public static Tensor arange(double start, double end, double step) {
    if (step == 0) {
      throw new IllegalArgumentException("step must be nonzero");
    }
    if (!((step > 0 && end >= start) || (step < 0 && end <= start))) {
      throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
    }
    double len = Math.ceil((end - start) / step);
    if (len > Tensor.MAX_ELEMENTS) {
      throw new IllegalArgumentException("arange would have " + (long) len + " elements, more than 2^31-1");
    }
    int n = (int) len;
    Tensor t = Tensor.allocate(DType.FLOAT32, new int[] {n});
    // As PyTorch's kernel rounds (one thread): in its vector loop (16 elements a turn) each group of 8
    // starts at start + step * idx, rounded to float, and goes on in double from there; the last
    // elements come from start + step * i.
    int vectorEnd = n / 16 * 16;
    for (int i = 0; i < n; i++) {
      if (i < vectorEnd) {
        int group = i / 8 * 8;
        float base = (float) (start + step * group);
        t.writeDouble(i, (float) (base + (i - group) * step));
      } else {
        t.writeDouble(i, (float) (start + step * i));
      }
    }
    return t;
  }

  private static long arangeLength(long start, long end, long step) {
    if (step == 0) {
      throw new IllegalArgumentException("step must be nonzero");
    }
    if ((step > 0 && end < start) || (step < 0 && end > start)) {
      throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
    }
    long n = Math.ceilDiv(end - start, step);
    if (n > Tensor.MAX_ELEMENTS) {
      throw new IllegalArgumentException("arange would have " + n + " elements, more than 2^31-1");
    }
    return n;
  }

  // ---------------------------------------------------------------- random numbers (PyTorch's CPU generator)

  /**
   * {@code torch.manual_seed(seed)}: seeds the default generator, so that the following {@link #rand},
   * {@link #randn}, {@link #normal} and layer initialisations give PyTorch's numbers bit for bit.
   */
  public static Generator manualSeed(long seed) {
    return Generator.defaultGenerator().manualSeed(seed);
  }

  /** {@code torch.initial_seed()} (unsigned: print it with {@code Long.toUnsignedString}). */
  public static long initialSeed() {
    return Generator.defaultGenerator().initialSeed();
  }

  /** {@code torch.rand(shape)}: uniform on [0, 1), float32. */
  public static Tensor rand(int... shape) {
    return rand(DType.FLOAT32, shape);
  }

  /** {@code torch.rand(shape, dtype=dtype)} for float32 or float64. */
  public static Tensor rand(DType dtype, int... shape) {
    Tensor t = Tensor.allocate(requireFloat("rand", dtype), shape.clone());
    int n = t.numel();
    if (dtype == DType.FLOAT32) {
      Generator.defaultGenerator().fillRand((float[]) t.elements(), 0, n);
    } else {
      Generator.defaultGenerator().fillRand((double[]) t.elements(), 0, n);
    }
    return t;
  }

  /** {@code torch.randn(shape)}: standard normal, float32. */
  public static Tensor randn(int... shape) {
    return normal(DType.FLOAT32, 0, 1, shape);
  }

  /** {@code torch.randn(shape, dtype=dtype)} for float32 or float64. */
  public static Tensor randn(DType dtype, int... shape) {
    return normal(dtype, 0, 1, shape);
  }

  /** {@code torch.normal(mean, std, size)}: float32, e.g. the book's {@code torch.normal(0, 1, (3, 3, 3))}. */
  public static Tensor normal(double mean, double std, int... shape) {
    return normal(DType.FLOAT32, mean, std, shape);
  }

  /** {@code torch.normal(mean, std, size, dtype=dtype)} for float32 or float64. */
  public static Tensor normal(DType dtype, double mean, double std, int... shape) {
    Tensor t = Tensor.allocate(requireFloat("normal", dtype), shape.clone());
    int n = t.numel();
    if (dtype == DType.FLOAT32) {
      Generator.defaultGenerator().fillNormal((float[]) t.elements(), 0, n, mean, std);
    } else {
      Generator.defaultGenerator().fillNormal((double[]) t.elements(), 0, n, mean, std);
    }
    return t;
  }

  /** {@code torch.randint(low, high, size)}: int64 uniform on [low, high). */
  public static Tensor randint(long low, long high, int... shape) {
    Tensor t = Tensor.allocate(DType.INT64, shape.clone());
    Generator.defaultGenerator().fillRandint((long[]) t.elements(), 0, t.numel(), low, high);
    return t;
  }

  /** {@code torch.randperm(n)}: a random permutation of 0..n-1 (int64), as PyTorch's CPU generator makes it. */
  public static Tensor randperm(int n) {
    long[] p = Generator.defaultGenerator().randperm(n);
    return Tensor.owning(DType.INT64, p, new int[] {p.length});
  }

  private static DType requireFloat(String fn, DType dtype) {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException("\"" + fn + "_cpu\" not implemented for '" + Tensor.pyTypeName(dtype) + "'");
    }
    return dtype;
  }

  // ---------------------------------------------------------------- joining

  /** {@code torch.cat(tensors, dim)}: joins along an existing dimension. */
  public static Tensor cat(List<Tensor> tensors, int dim) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
    }
    for (int i = 0; i < tensors.size(); i++) {
      if (tensors.get(i).dim() == 0) {
        throw new IllegalArgumentException("zero-dimensional tensor (at position " + i + ") cannot be concatenated");
      }
    }
    // PyTorch's legacy rule: 1-D empty tensors join anything (they are skipped, but for the dtype).
    List<Tensor> joined = new java.util.ArrayList<>();
    DType dt = null;
    for (Tensor t : tensors) {
      dt = dt == null ? t.dtype() : DType.promote(dt, t.dtype());
      if (!(t.dim() == 1 && t.size(0) == 0)) {
        joined.add(t);
      }
    }
    if (joined.isEmpty()) {
      return Tensor.allocate(dt, new int[] {0});
    }
    Tensor first = joined.get(0);
    int d = Tensor.wrapDim(dim, first.dim());
    int[] shape = first.shapeArray();
    long total = 0;
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      if (t.dim() == 1 && t.size(0) == 0) {
        continue;
      }
      if (t.dim() != shape.length) {
        throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + shape.length
            + " and " + t.dim());
      }
      for (int k = 0; k < shape.length; k++) {
        if (k != d && t.size(k) != shape[k]) {
          throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d + ". Expected size "
              + shape[k] + " but got size " + t.size(k) + " for tensor number " + i + " in the list.");
        }
      }
      total += t.size(d);
    }
    if (dev.jconv.internal.autograd.JoinOps.isRecording(joined)) {
      return dev.jconv.internal.autograd.JoinOps.cat(joined, d); // records CatBackward0
    }
    int[] outShape = shape.clone();
    if (total > Tensor.MAX_ELEMENTS) {
      throw new IllegalArgumentException("torch.cat(): result would have more than 2^31-1 elements");
    }
    outShape[d] = (int) total;
    Tensor out = Tensor.allocate(dt, outShape);
    int at = 0;
    for (Tensor t : joined) {
      int len = t.size(d);
      out.narrow(d, at, len).copyInPlace(t);
      at += len;
    }
    return out;
  }

  /** {@code torch.cat((a, b, ...), dim)}. */
  public static Tensor cat(int dim, Tensor... tensors) {
    return cat(Arrays.asList(tensors), dim);
  }

  /** {@code torch.stack(tensors, dim)}: joins along a new dimension. */
  public static Tensor stack(List<Tensor> tensors, int dim) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("stack expects a non-empty TensorList");
    }
    int[] shape = tensors.get(0).shapeArray();
    for (int i = 1; i < tensors.size(); i++) {
      if (!Arrays.equals(shape, tensors.get(i).shapeArray())) {
        throw new IllegalArgumentException("stack expects each tensor to be equal size, but got "
            + Tensor.shapeText(shape) + " at entry 0 and " + Tensor.shapeText(tensors.get(i).shapeArray())
            + " at entry " + i);
      }
    }
    int d = Tensor.wrapDim(dim, shape.length + 1);
    if (dev.jconv.internal.autograd.JoinOps.isRecording(tensors)) {
      return dev.jconv.internal.autograd.JoinOps.stack(tensors, d); // records StackBackward0
    }
    List<Tensor> expanded = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      expanded.add(t.unsqueeze(d));
    }
    return cat(expanded, d);
  }

  /** {@code torch.stack((a, b, ...), dim)}. */
  public static Tensor stack(int dim, Tensor... tensors) {
    return stack(Arrays.asList(tensors), dim);
  }

  /** {@code torch.matmul(a, b)}. */
  public static Tensor matmul(Tensor a, Tensor b) {
    return a.matmul(b);
  }

  /** {@code torch.abs(t)}. */
  public static Tensor abs(Tensor t) {
    return t.abs();
  }

  // ---------------------------------------------------------------- threads

  /** {@code torch.set_num_threads(n)}: the threads every kernel uses. */
  public static void setNumThreads(int n) {
    Parallel.setNumThreads(n);
  }

  /** The most threads {@link #setNumThreads} takes (all are started; PyTorch runs 1000). */
  public static final int MAX_THREADS = Parallel.MAX_THREADS;

  /** {@code torch.get_num_threads()}. */
  public static int getNumThreads() {
    return Parallel.getNumThreads();
  }
}
