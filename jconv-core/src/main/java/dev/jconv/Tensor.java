package dev.jconv;

import dev.jconv.autograd.Autograd;
import dev.jconv.autograd.GradMode;
import dev.jconv.autograd.Node;
import dev.jconv.internal.AutogradAccess;
import dev.jconv.internal.Raw;
import dev.jconv.internal.autograd.InPlaceOps;
import dev.jconv.internal.autograd.MatmulOps;
import dev.jconv.internal.autograd.PointwiseOps;
import dev.jconv.internal.autograd.ReductionOps;
import dev.jconv.internal.autograd.ViewOps;
import dev.jconv.internal.format.TensorFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * An n-dimensional array with PyTorch's semantics: a dtype ({@link DType#FLOAT32} by default), a
 * shape, strides into a shared storage (views share it: writing through a view changes the
 * original), and room for autograd (whether it requires grad, its gradient, the op that made it).
 *
 * <p>Methods return new tensors unless their name ends in {@code InPlace}: those change this tensor
 * (and every view of the same storage) and return it. Tensors are created through {@link Torch}.
 *
 * <pre>{@code
 * import static dev.jconv.Torch.*;
 * Tensor X = tensor(new double[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
 * Tensor K = tensor(new double[][] {{0, 1}, {2, 3}});
 * Tensor y = X.slice(0, 0, 2).slice(1, 0, 2).mul(K).sum();   // (X[0:2, 0:2] * K).sum()
 * System.out.println(y);                                      // tensor(19.)
 * }</pre>
 */
public final class Tensor {
  /** The most elements one tensor holds (Java arrays are indexed by int). */
  public static final long MAX_ELEMENTS = Integer.MAX_VALUE;

  static {
    Raw.register(new RawAccess());
    AutogradAccess.register(new GradAccess());
  }

  private final DType dtype;
  private final int[] shape;
  private final int[] strides;
  private final int offset;
  /** float[], double[], long[] or boolean[], by dtype; shared between views. */
  private final Object storage;

  /**
   * How many times the storage was changed in place ({@code [0]}); one counter shared by all views of a
   * storage, so a node can tell that a tensor it saved for backward was overwritten.
   */
  private final int[] version;

  /**
   * For a view: the tensor it views, followed back to the first that is not a view (PyTorch's
   * {@code _base}); null for other tensors (and for {@link #detach}'s alias).
   */
  private Tensor viewBase;
  /** Whether this view was taken with grad mode on (PyTorch refuses recording in place on one taken in no_grad). */
  private boolean viewWithGrad;
  /**
   * The storage's version when this view's grad_fn was set: after an in-place change of the storage
   * (through the base or another view) its history is rebuilt from the base's, as PyTorch does
   * ({@code AsStridedBackward0}).
   */
  private int viewVersion;
  /** Whether a module registered this tensor as a parameter (it then prints as PyTorch's nn.Parameter). */
  private boolean parameter;
  /** For one of several views an operation returned (unbind): its index, whose in-place change PyTorch refuses; else -1. */
  private int multiOutputIndex = -1;
  /** For a detached alias that a node saved for its backward: the tensor it was taken from (for messages). */
  private Tensor savedFrom;
  /** The node that returned those views (UnbindBackward0), for the refusal's words. */
  private String multiOutputFn;

  // Autograd state. A leaf that requires grad accumulates into grad; a computed tensor has a gradFn.
  private boolean requiresGrad;
  private Tensor grad;
  private Node gradFn;
  private Node gradAccumulator;

  Tensor(DType dtype, int[] shape, int[] strides, int offset, Object storage) {
    this(dtype, shape, strides, offset, storage, new int[1], null);
  }

  /**
   * A tensor on {@code storage}; a view of {@code from} (sharing its version counter) unless null. An
   * empty view starts at 0: the offset a slice computes may lie past the storage's end (a row of an
   * empty transposed tensor), where no array access may start.
   */
  private Tensor(DType dtype, int[] shape, int[] strides, int offset, Object storage, int[] version, Tensor from) {
    this.dtype = dtype;
    this.shape = shape;
    this.strides = strides;
    this.offset = isEmpty(shape) ? 0 : offset;
    this.storage = storage;
    this.version = version;
    if (from != null) {
      viewBase = from.viewBase != null ? from.viewBase : from;
      viewWithGrad = GradMode.isEnabled();
      viewVersion = version[0];
    }
  }

  /** Whether a shape has no elements (a loop, not a stream: views are made in the book's inner loops). */
  private static boolean isEmpty(int[] shape) {
    for (int d : shape) {
      if (d == 0) {
        return true;
      }
    }
    return false;
  }

  /** A new contiguous tensor that owns {@code storage}, whose length must equal the shape's numel. */
  static Tensor owning(DType dtype, Object storage, int[] shape) {
    return new Tensor(dtype, shape.clone(), contiguousStrides(shape), 0, storage);
  }

  static Tensor allocate(DType dtype, int[] shape) {
    int n = checkedNumel(shape);
    return owning(dtype, newStorage(dtype, n), shape);
  }

  /** The most elements a Java array holds (HotSpot refuses 2^31-2 and 2^31-1 as past the VM's limit). */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 2;

  static Object newStorage(DType dtype, int n) {
    if (n > MAX_ARRAY) {
      throw new IllegalArgumentException("a tensor of " + n + " elements is past the " + MAX_ARRAY
          + " a Java array can hold (jconv's storage)");
    }
    return switch (dtype) {
      case FLOAT32 -> new float[n];
      case FLOAT64 -> new double[n];
      case INT64 -> new long[n];
      case BOOL -> new boolean[n];
    };
  }

  /**
   * The element count of {@code shape}.
   *
   * @throws IllegalArgumentException for a negative dimension or more than 2^31-1 elements
   */
  static int checkedNumel(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "Trying to create tensor with negative dimension " + d + ": " + Arrays.toString(shape));
      }
    }
    for (int d : shape) {
      n *= d;
      if (n > MAX_ELEMENTS) {
        // Keep multiplying in a wider type only to report the true size.
        java.math.BigInteger big = java.math.BigInteger.ONE;
        for (int e : shape) {
          big = big.multiply(java.math.BigInteger.valueOf(e));
        }
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + big
            + " elements, more than the 2^31-1 (2147483647) a jconv tensor can hold");
      }
    }
    return (int) n;
  }

  static int[] contiguousStrides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= Math.max(shape[i], 1);
    }
    return s;
  }

  // ---------------------------------------------------------------- basic properties

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The shape, e.g. {@code torch.Size([4, 64, 10, 10])} when printed. */
  public Size shape() {
    return Size.of(shape);
  }

  /** Same as {@link #shape()} (PyTorch's {@code size()}). */
  public Size size() {
    return shape();
  }

  /** The size of dimension {@code dim}; negative dims count from the end. */
  public int size(int dim) {
    return shape[existingDim(dim)];
  }

  /**
   * {@code dim} wrapped, for an operation that needs the dimension to exist: PyTorch's IndexError for a
   * 0-d tensor ({@link #wrapDim} lets 0 and -1 through there, as reductions take them).
   */
  private int existingDim(int dim) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("Dimension specified as " + dim + " but tensor has no dimensions");
    }
    return wrapDim(dim, shape.length);
  }

  /** The shape as a new int array. */
  public int[] shapeArray() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int dim() {
    return shape.length;
  }

  /** The number of elements. */
  public int numel() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The strides, in elements. */
  public int[] stride() {
    return strides.clone();
  }

  /** Whether the elements lie in C order without gaps (a transpose, for example, is not). */
  public boolean isContiguous() {
    for (int d : shape) {
      if (d == 0) {
        return true; // as PyTorch: an empty tensor is contiguous whatever its strides
      }
    }
    int expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != expected) {
        return false;
      }
      expected *= shape[i];
    }
    return true;
  }

  public boolean isFloatingPoint() {
    return dtype.isFloatingPoint();
  }

  static int wrapDim(int dim, int rank) {
    int r = Math.max(rank, 1);
    if (dim < -r || dim >= r) {
      throw new IllegalArgumentException("Dimension out of range (expected to be in range of ["
          + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
    }
    return dim < 0 ? dim + r : dim;
  }

  // ---------------------------------------------------------------- element access

  private int storageIndex(int[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException("expected " + shape.length + " indices for a tensor of shape "
          + Arrays.toString(shape) + ", but got " + index.length);
    }
    int si = offset;
    for (int d = 0; d < index.length; d++) {
      int i = index[d];
      if (i < -shape[d] || i >= shape[d]) {
        throw new IllegalArgumentException(
            "index " + i + " is out of bounds for dimension " + d + " with size " + shape[d]);
      }
      if (i < 0) {
        i += shape[d];
      }
      si += i * strides[d];
    }
    return si;
  }

  double readDouble(int si) {
    return switch (dtype) {
      case FLOAT32 -> ((float[]) storage)[si];
      case FLOAT64 -> ((double[]) storage)[si];
      case INT64 -> ((long[]) storage)[si];
      case BOOL -> ((boolean[]) storage)[si] ? 1 : 0;
    };
  }

  long readLong(int si) {
    return switch (dtype) {
      case FLOAT32 -> (long) ((float[]) storage)[si];
      case FLOAT64 -> (long) ((double[]) storage)[si];
      case INT64 -> ((long[]) storage)[si];
      case BOOL -> ((boolean[]) storage)[si] ? 1 : 0;
    };
  }

  void writeDouble(int si, double v) {
    switch (dtype) {
      case FLOAT32 -> ((float[]) storage)[si] = (float) v;
      case FLOAT64 -> ((double[]) storage)[si] = v;
      case INT64 -> ((long[]) storage)[si] = (long) v;
      case BOOL -> ((boolean[]) storage)[si] = v != 0;
    }
  }

  void writeLong(int si, long v) {
    switch (dtype) {
      case FLOAT32 -> ((float[]) storage)[si] = (float) v;
      case FLOAT64 -> ((double[]) storage)[si] = (double) v;
      case INT64 -> ((long[]) storage)[si] = v;
      case BOOL -> ((boolean[]) storage)[si] = v != 0;
    }
  }

  /** The element at {@code index} as a double (like {@code float(X[i, j])}). */
  public double getDouble(int... index) {
    return readDouble(storageIndex(index));
  }

  /** The element at {@code index} as a float. */
  public float getFloat(int... index) {
    return (float) readDouble(storageIndex(index));
  }

  /** The element at {@code index} as a long (floats truncate toward zero). */
  public long getLong(int... index) {
    return readLong(storageIndex(index));
  }

  /** The element at {@code index} as a boolean (non-zero is true). */
  public boolean getBoolean(int... index) {
    return readDouble(storageIndex(index)) != 0;
  }

  /**
   * Sets one element, converting {@code value} to this tensor's dtype: {@code X[i, j] = v}. Modifies
   * this tensor (and its views).
   */
  public Tensor set(double value, int... index) {
    if (recordsInPlace(null)) {
      return recordedSet(index, () -> set(value, index));
    }
    beforeInPlace(null);
    writeDouble(storageIndex(index), value);
    return this;
  }

  /** Sets one element of an integer tensor exactly: {@code X[i, j] = v}. */
  public Tensor set(long value, int... index) {
    if (recordsInPlace(null)) {
      return recordedSet(index, () -> set(value, index));
    }
    beforeInPlace(null);
    writeLong(storageIndex(index), value);
    return this;
  }

  /** Setting one element to a number ({@code change}, unrecorded), recorded as CopySlices. */
  private Tensor recordedSet(int[] index, Runnable change) {
    storageIndex(index); // a wrong index is refused before anything is recorded
    return recordedOverwrite(new InPlaceOps.SetElement(checkRecordable(), null, index), change);
  }

  /** Sets one element from a one-element tensor: {@code Y[i, j] = (X[..] * K).sum()}. */
  public Tensor set(Tensor value, int... index) {
    if (value.numel() != 1) {
      throw new IllegalArgumentException("a tensor with " + value.numel()
          + " elements cannot be converted to a scalar (shape " + Arrays.toString(value.shape) + ")");
    }
    // Into an integer tensor nothing is recorded (it cannot require grad), as in PyTorch.
    boolean floating = dtype.isFloatingPoint();
    if (recordsInPlace(floating ? value : null)) {
      checkRecordable();
      storageIndex(index); // a wrong index is refused before anything is recorded
      return recordedOverwrite(new InPlaceOps.SetElement(this, value, index), () -> set(value, index));
    }
    beforeInPlace(floating ? value : null);
    int si = storageIndex(index);
    if (value.dtype == DType.INT64 && dtype == DType.INT64) {
      writeLong(si, value.readLong(value.offset));
    } else {
      writeDouble(si, value.readDouble(value.offset));
    }
    return this;
  }

  /** The value of a one-element tensor (PyTorch's {@code item()}). */
  public double item() {
    requireOneElement();
    return readDouble(offset);
  }

  /** The value of a one-element integer tensor, exactly. */
  public long itemLong() {
    requireOneElement();
    return readLong(offset);
  }

  private void requireOneElement() {
    if (numel() != 1) {
      throw new IllegalArgumentException("only one element tensors can be converted to scalars, but this one has "
          + numel() + " elements (shape " + shapeText(shape) + ")");
    }
  }

  // ---------------------------------------------------------------- iteration helpers

  /** Storage indices of every element, in C order. */
  int[] storageIndices() {
    int n = numel();
    int[] out = new int[n];
    if (isContiguous()) {
      for (int i = 0; i < n; i++) {
        out[i] = offset + i;
      }
      return out;
    }
    int rank = shape.length;
    int[] cnt = new int[rank];
    int si = offset;
    for (int i = 0; i < n; i++) {
      out[i] = si;
      for (int d = rank - 1; d >= 0; d--) {
        cnt[d]++;
        si += strides[d];
        if (cnt[d] < shape[d]) {
          break;
        }
        si -= strides[d] * shape[d];
        cnt[d] = 0;
      }
    }
    return out;
  }

  /** The elements in C order: the storage itself when it already is exactly that, else a copy. */
  Object elements() {
    int n = numel();
    if (offset == 0 && isContiguous() && java.lang.reflect.Array.getLength(storage) == n) {
      return storage;
    }
    Object out = newStorage(dtype, n);
    if (isContiguous()) {
      System.arraycopy(storage, offset, out, 0, n);
      return out;
    }
    int[] idx = storageIndices();
    switch (dtype) {
      case FLOAT32 -> {
        float[] s = (float[]) storage;
        float[] o = (float[]) out;
        for (int i = 0; i < n; i++) {
          o[i] = s[idx[i]];
        }
      }
      case FLOAT64 -> {
        double[] s = (double[]) storage;
        double[] o = (double[]) out;
        for (int i = 0; i < n; i++) {
          o[i] = s[idx[i]];
        }
      }
      case INT64 -> {
        long[] s = (long[]) storage;
        long[] o = (long[]) out;
        for (int i = 0; i < n; i++) {
          o[i] = s[idx[i]];
        }
      }
      case BOOL -> {
        boolean[] s = (boolean[]) storage;
        boolean[] o = (boolean[]) out;
        for (int i = 0; i < n; i++) {
          o[i] = s[idx[i]];
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- conversion

  /** A contiguous tensor with the same elements: this one if already contiguous, else a copy. */
  public Tensor contiguous() {
    return isContiguous() ? this : cloneTensor();
  }

  /** A copy with its own storage (PyTorch's {@code clone()}). */
  public Tensor cloneTensor() {
    if (Node.isRecording(this)) {
      return ViewOps.Copy.clone(this);
    }
    Object e = elements();
    if (e == storage) {
      e = switch (dtype) {
        case FLOAT32 -> ((float[]) storage).clone();
        case FLOAT64 -> ((double[]) storage).clone();
        case INT64 -> ((long[]) storage).clone();
        case BOOL -> ((boolean[]) storage).clone();
      };
    }
    return owning(dtype, e, shape);
  }

  /** This tensor converted to {@code target} (a copy; this tensor itself when the dtype matches). */
  public Tensor to(DType target) {
    if (target == dtype) {
      return this;
    }
    if (Node.isRecording(this)) {
      return ViewOps.Copy.to(this, target);
    }
    int n = numel();
    Tensor out = allocate(target, shape);
    int[] idx = storageIndices();
    boolean exactLong = dtype == DType.INT64 || dtype == DType.BOOL;
    for (int i = 0; i < n; i++) {
      if (exactLong) {
        out.writeLong(i, readLong(idx[i]));
      } else {
        out.writeDouble(i, readDouble(idx[i]));
      }
    }
    return out;
  }

  /** {@code to(FLOAT32)}. */
  public Tensor toFloat() {
    return to(DType.FLOAT32);
  }

  /** {@code to(FLOAT64)}. */
  public Tensor toDouble() {
    return to(DType.FLOAT64);
  }

  /** {@code to(INT64)}. */
  public Tensor toLong() {
    return to(DType.INT64);
  }

  /** The elements in C order as a new float array (converting if needed). */
  public float[] toFloatArray() {
    Tensor t = to(DType.FLOAT32);
    Object e = t.elements();
    return e == t.storage ? ((float[]) e).clone() : (float[]) e;
  }

  /** The elements in C order as a new double array (converting if needed). */
  public double[] toDoubleArray() {
    Tensor t = to(DType.FLOAT64);
    Object e = t.elements();
    return e == t.storage ? ((double[]) e).clone() : (double[]) e;
  }

  /** The elements in C order as a new long array (floats truncate toward zero). */
  public long[] toLongArray() {
    Tensor t = to(DType.INT64);
    Object e = t.elements();
    return e == t.storage ? ((long[]) e).clone() : (long[]) e;
  }

  /** The elements in C order as a new boolean array (non-zero is true). */
  public boolean[] toBooleanArray() {
    Tensor t = to(DType.BOOL);
    Object e = t.elements();
    return e == t.storage ? ((boolean[]) e).clone() : (boolean[]) e;
  }

  /**
   * The elements as a nested Java array of this tensor's rank ({@code float[][]} for a 2-D float32
   * tensor, {@code long[]} for a 1-D int64 one, a boxed value for a 0-d one), like {@code tolist()}.
   */
  public Object toArray() {
    Object flat = to(dtype).elements();
    if (shape.length == 0) {
      return java.lang.reflect.Array.get(flat, 0);
    }
    return nest(flat, 0, 0);
  }

  private Object nest(Object flat, int dim, int start) {
    int n = shape[dim];
    if (dim == shape.length - 1) {
      Object row = newStorage(dtype, n);
      System.arraycopy(flat, start, row, 0, n);
      return row;
    }
    int inner = 1;
    for (int d = dim + 1; d < shape.length; d++) {
      inner *= shape[d];
    }
    Class<?> leaf = flat.getClass().getComponentType();
    int[] dims = new int[shape.length - dim];
    dims[0] = n;
    Object out = java.lang.reflect.Array.newInstance(leaf, dims);
    for (int i = 0; i < n; i++) {
      java.lang.reflect.Array.set(out, i, nest(flat, dim + 1, start + i * inner));
    }
    return out;
  }

  // ---------------------------------------------------------------- views

  /**
   * A view with a new shape; one dimension may be -1 and is inferred. Fails when the strides do not
   * allow a view (use {@link #reshape}).
   */
  public Tensor view(int... newShape) {
    if (Node.isRecording(this)) {
      return ViewOps.Reshape.view(this, newShape);
    }
    int[] ns = inferShape(newShape, numel());
    int[] st = computeViewStrides(ns);
    if (st == null) {
      throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride "
          + "(at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
    }
    return new Tensor(dtype, ns, st, offset, storage, version, this);
  }

  /** A tensor with a new shape (a view when possible, else a copy); one dimension may be -1. */
  public Tensor reshape(int... newShape) {
    int[] ns = inferShape(newShape, numel());
    int[] st = computeViewStrides(ns);
    if (Node.isRecording(this)) {
      return st != null ? ViewOps.Reshape.reshapeAlias(this, ns) : ViewOps.Reshape.reshapeCopy(this, ns);
    }
    if (st != null) {
      return new Tensor(dtype, ns, st, offset, storage, version, this);
    }
    return owning(dtype, cloneTensor().storage, ns); // a fresh tensor, as PyTorch's reshape of a copy
  }

  /** {@code reshape} to the shape of a {@link Size}. */
  public Tensor reshape(Size size) {
    return reshape(size.toArray());
  }

  /** {@code flatten()}: all dimensions into one. */
  public Tensor flatten() {
    return flatten(0, -1);
  }

  /** {@code flatten(startDim, endDim)}: dimensions {@code startDim..endDim} into one. */
  public Tensor flatten(int startDim, int endDim) {
    if (shape.length == 0) {
      wrapDim(startDim, 0);
      wrapDim(endDim, 0);
      return reshape(1);
    }
    int s = wrapDim(startDim, shape.length);
    int e = wrapDim(endDim, shape.length);
    if (s > e) {
      throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
    }
    if (s == e) {
      return this; // as PyTorch: nothing to flatten, the tensor itself (no new history)
    }
    int[] ns = new int[shape.length - (e - s)];
    int k = 0;
    for (int d = 0; d < s; d++) {
      ns[k++] = shape[d];
    }
    int prod = 1;
    for (int d = s; d <= e; d++) {
      prod *= shape[d];
    }
    ns[k++] = prod;
    for (int d = e + 1; d < shape.length; d++) {
      ns[k++] = shape[d];
    }
    return reshape(ns);
  }

  private static int[] inferShape(int[] requested, int numel) {
    int infer = -1;
    long known = 1;
    for (int i = 0; i < requested.length; i++) {
      if (requested[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("only one dimension can be inferred");
        }
        infer = i;
      } else if (requested[i] < 0) {
        throw new IllegalArgumentException("invalid shape dimension " + requested[i]);
      } else {
        known *= requested[i];
      }
    }
    int[] out = requested.clone();
    if (infer >= 0) {
      if (known == 0 && numel == 0) {
        throw new IllegalArgumentException("cannot reshape tensor of 0 elements into shape " + shapeText(requested)
            + " because the unspecified dimension size -1 can be any value and is ambiguous");
      }
      if (known == 0 || numel % known != 0) {
        throw new IllegalArgumentException("shape '" + shapeText(requested) + "' is invalid for input of size " + numel);
      }
      out[infer] = (int) (numel / known);
    } else if (known != numel) {
      throw new IllegalArgumentException("shape '" + shapeText(requested) + "' is invalid for input of size " + numel);
    }
    return out;
  }

  static String shapeText(int[] s) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < s.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(s[i]);
    }
    return sb.append(']').toString();
  }

  /** PyTorch's computeStride: strides for a view of this tensor with {@code newShape}, or null. */
  private int[] computeViewStrides(int[] newShape) {
    int[] newStrides = new int[newShape.length];
    int numel = numel();
    if (shape.length == 0 || numel == 0) {
      return contiguousStrides(newShape);
    }
    int viewD = newShape.length - 1;
    long chunkBase = strides[shape.length - 1];
    long tensorNumel = 1;
    long viewNumel = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      tensorNumel *= shape[d];
      if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
        while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
          newStrides[viewD] = (int) (viewNumel * chunkBase);
          viewNumel *= newShape[viewD];
          viewD--;
        }
        if (viewNumel != tensorNumel) {
          return null;
        }
        if (d > 0) {
          chunkBase = strides[d - 1];
          tensorNumel = 1;
          viewNumel = 1;
        }
      }
    }
    if (viewD != -1) {
      return null;
    }
    return newStrides;
  }

  /** The transpose of a tensor of at most 2 dimensions (a view): {@code X.t()}. */
  public Tensor t() {
    if (Node.isRecording(this)) {
      return ViewOps.Permute.t(this);
    }
    if (shape.length > 2) {
      throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + shape.length + "D");
    }
    return shape.length < 2 ? this : transpose(0, 1);
  }

  /** Swaps two dimensions (a view). */
  public Tensor transpose(int dim0, int dim1) {
    if (Node.isRecording(this)) {
      return ViewOps.Permute.transpose(this, dim0, dim1);
    }
    int a = wrapDim(dim0, shape.length);
    int b = wrapDim(dim1, shape.length);
    if (shape.length == 0) {
      return this;
    }
    int[] ns = shape.clone();
    int[] st = strides.clone();
    ns[a] = shape[b];
    ns[b] = shape[a];
    st[a] = strides[b];
    st[b] = strides[a];
    return new Tensor(dtype, ns, st, offset, storage, version, this);
  }

  /** Reorders the dimensions (a view). */
  public Tensor permute(int... dims) {
    if (Node.isRecording(this)) {
      return ViewOps.Permute.permute(this, dims);
    }
    if (dims.length != shape.length) {
      throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not match "
          + "the length of the desired ordering of dimensions i.e. input.dim() = " + shape.length
          + " is not equal to len(dims) = " + dims.length);
    }
    int[] ns = new int[dims.length];
    int[] st = new int[dims.length];
    boolean[] seen = new boolean[dims.length];
    for (int i = 0; i < dims.length; i++) {
      int d = wrapDim(dims[i], shape.length);
      if (seen[d]) {
        throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
      }
      seen[d] = true;
      ns[i] = shape[d];
      st[i] = strides[d];
    }
    return new Tensor(dtype, ns, st, offset, storage, version, this);
  }

  /** Inserts a dimension of size 1 at {@code dim} (a view). */
  public Tensor unsqueeze(int dim) {
    if (Node.isRecording(this)) {
      return ViewOps.Unsqueeze.apply(this, dim);
    }
    int d = wrapDim(dim, shape.length + 1);
    int[] ns = new int[shape.length + 1];
    int[] st = new int[shape.length + 1];
    for (int i = 0, j = 0; i < ns.length; i++) {
      if (i == d) {
        ns[i] = 1;
        st[i] = d < shape.length ? strides[d] * shape[d] : 1;
      } else {
        ns[i] = shape[j];
        st[i] = strides[j];
        j++;
      }
    }
    return new Tensor(dtype, ns, st, offset, storage, version, this);
  }

  /**
   * The slices along {@code dim}, each without it, as views: PyTorch's {@code unbind} (what iterating
   * over a tensor gives in Python: the book's {@code for k in K} is {@code for (Tensor k : K.unbind(0))}).
   * While recording, each has {@code grad_fn=<UnbindBackward0>}, and changing one in place is refused,
   * as in PyTorch.
   *
   * @throws IllegalArgumentException for a 0-d tensor or a dimension out of range
   */
  public List<Tensor> unbind(int dim) {
    int d = existingDim(dim);
    if (Node.isRecording(this)) {
      return ViewOps.Slice.unbind(this, d);
    }
    List<Tensor> out = new ArrayList<>(shape[d]);
    for (int i = 0; i < shape[d]; i++) {
      out.add(select(d, i));
    }
    return out;
  }

  /** Removes every dimension of size 1 (a view). */
  public Tensor squeeze() {
    if (Node.isRecording(this)) {
      return ViewOps.Reshape.squeeze(this, null);
    }
    int k = 0;
    for (int s : shape) {
      if (s != 1) {
        k++;
      }
    }
    int[] ns = new int[k];
    int[] st = new int[k];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (shape[i] != 1) {
        ns[j] = shape[i];
        st[j] = strides[i];
        j++;
      }
    }
    return new Tensor(dtype, ns, st, offset, storage, version, this);
  }

  /** Removes dimension {@code dim} if its size is 1 (a view). */
  public Tensor squeeze(int dim) {
    if (Node.isRecording(this)) {
      return ViewOps.Reshape.squeeze(this, dim);
    }
    int d = wrapDim(dim, shape.length);
    if (shape.length == 0 || shape[d] != 1) {
      return new Tensor(dtype, shape, strides, offset, storage, version, this);
    }
    return select(d, 0);
  }

  /**
   * The part {@code [start, start + length)} of dimension {@code dim} (a view): PyTorch's
   * {@code narrow}.
   */
  public Tensor narrow(int dim, int start, int length) {
    if (Node.isRecording(this)) {
      return ViewOps.Slice.narrow(this, dim, start, length);
    }
    if (shape.length == 0) {
      throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
    }
    int d = wrapDim(dim, shape.length);
    int size = shape[d];
    // PyTorch wraps a start short of the size as it wraps a dimension, with its words.
    int s = start == size ? start : wrapDim(start, size);
    if (length < 0 || (long) s + length > size) {
      throw new IllegalArgumentException("start (" + s + ") + length (" + length + ") exceeds dimension size (" + size + ").");
    }
    int[] ns = shape.clone();
    ns[d] = length;
    return new Tensor(dtype, ns, strides.clone(), offset + s * strides[d], storage, version, this);
  }

  /**
   * Python slicing {@code X[..., start:end, ...]} on dimension {@code dim} (a view): negative
   * bounds count from the end and out-of-range bounds are clamped, as in Python.
   */
  public Tensor slice(int dim, int start, int end) {
    return slice(dim, start, end, 1);
  }

  /** Python slicing with a step, {@code X[start:end:step]} on dimension {@code dim} (a view). */
  public Tensor slice(int dim, int start, int end, int step) {
    if (Node.isRecording(this)) {
      return ViewOps.Slice.slice(this, dim, start, end, step);
    }
    if (shape.length == 0) {
      throw new IllegalArgumentException("slice() cannot be applied to a 0-dim tensor.");
    }
    if (step <= 0) {
      throw new IllegalArgumentException("slice step must be positive");
    }
    int d = wrapDim(dim, shape.length);
    int size = shape[d];
    long s = start < 0 ? (long) start + size : start;
    long e = end < 0 ? (long) end + size : end;
    s = Math.max(0, Math.min(s, size));
    e = Math.max(s, Math.min(e, size));
    int len = (int) ((e - s + step - 1) / step);
    int[] ns = shape.clone();
    int[] st = strides.clone();
    ns[d] = len;
    st[d] = strides[d] * step;
    return new Tensor(dtype, ns, st, offset + (int) s * strides[d], storage, version, this);
  }

  /** Indexing one position of dimension {@code dim}, which disappears (a view): {@code X[:, i]}. */
  public Tensor select(int dim, int index) {
    if (Node.isRecording(this)) {
      return ViewOps.Slice.select(this, dim, index);
    }
    if (shape.length == 0) {
      throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor.");
    }
    int d = wrapDim(dim, shape.length);
    int size = shape[d];
    if (index < -size || index >= size) {
      throw new IllegalArgumentException("index " + index + " is out of bounds for dimension " + d + " with size " + size);
    }
    int i = index < 0 ? index + size : index;
    int[] ns = new int[shape.length - 1];
    int[] st = new int[shape.length - 1];
    for (int a = 0, b = 0; a < shape.length; a++) {
      if (a != d) {
        ns[b] = shape[a];
        st[b] = strides[a];
        b++;
      }
    }
    return new Tensor(dtype, ns, st, offset + i * strides[d], storage, version, this);
  }

  /** Indexing the leading dimensions, {@code X[i]} or {@code X[i, j]} (a view). */
  public Tensor index(int... indices) {
    if (indices.length > shape.length) {
      throw new IllegalArgumentException("too many indices for tensor of dimension " + shape.length);
    }
    Tensor t = this;
    for (int i : indices) {
      t = t.select(0, i);
    }
    return t;
  }

  /** A tensor sharing nothing with the autograd graph (same storage): PyTorch's {@code detach()}. */
  public Tensor detach() {
    return new Tensor(dtype, shape, strides, offset, storage, version, null);
  }

  /** The expansion of this tensor to {@code newShape} by broadcasting (a view with zero strides). */
  public Tensor expand(int... newShape) {
    if (Node.isRecording(this)) {
      return ViewOps.Expand.apply(this, newShape);
    }
    if (newShape.length < shape.length) {
      throw new IllegalArgumentException("expand(torch." + dev.jconv.internal.conv.Conv2dOp.legacyTypeName(dtype)
          + "{" + shapeText(shape) + "}, size=" + shapeText(newShape) + "): the number of sizes provided ("
          + newShape.length + ") must be greater or equal to the number of dimensions in the tensor (" + shape.length
          + ")");
    }
    int[] ns = newShape.clone();
    int[] st = new int[ns.length];
    int lead = ns.length - shape.length;
    for (int i = ns.length - 1; i >= 0; i--) {
      int j = i - lead;
      if (j >= 0) {
        if (ns[i] == -1) {
          ns[i] = shape[j];
        }
        if (shape[j] == ns[i]) {
          st[i] = strides[j];
        } else if (shape[j] == 1) {
          st[i] = 0;
        } else {
          throw new IllegalArgumentException("The expanded size of the tensor (" + ns[i]
              + ") must match the existing size (" + shape[j] + ") at non-singleton dimension " + i
              + ".  Target sizes: " + shapeText(newShape) + ".  Tensor sizes: " + shapeText(shape));
        }
      } else {
        if (ns[i] < 0) {
          throw new IllegalArgumentException("The expanded size of the tensor (" + ns[i]
              + ") isn't allowed in a leading, non-existing dimension " + i);
        }
        st[i] = 0;
      }
    }
    checkedNumel(ns);
    return new Tensor(dtype, ns, st, offset, storage, version, this);
  }

  // ---------------------------------------------------------------- element-wise arithmetic

  static int[] broadcastShapes(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    // From the last dimension, as PyTorch's infer_size: it reports the last mismatch.
    for (int i = rank - 1; i >= 0; i--) {
      int da = i - (rank - a.length);
      int db = i - (rank - b.length);
      int sa = da >= 0 ? a[da] : 1;
      int sb = db >= 0 ? b[db] : 1;
      if (sa != sb && sa != 1 && sb != 1) {
        throw new IllegalArgumentException("The size of tensor a (" + sa + ") must match the size of tensor b ("
            + sb + ") at non-singleton dimension " + i);
      }
      out[i] = sa == 1 ? sb : sa;
    }
    checkedNumel(out);
    return out;
  }

  /** Strides of this tensor seen in an output of {@code outShape} (0 on broadcast dimensions). */
  private int[] broadcastStrides(int[] outShape) {
    int[] st = new int[outShape.length];
    int lead = outShape.length - shape.length;
    for (int i = 0; i < shape.length; i++) {
      st[i + lead] = shape[i] == 1 && outShape[i + lead] != 1 ? 0 : strides[i];
    }
    return st;
  }

  private enum Arith {
    ADD("add"), SUB("sub"), MUL("mul"), DIV("div"), EQ("eq"), NE("ne"), LT("lt"), LE("le"), GT("gt"), GE("ge"),
    MAXIMUM("maximum"), MINIMUM("minimum"), POW("pow");

    final String name;

    Arith(String name) {
      this.name = name;
    }

    boolean comparison() {
      return this.ordinal() >= EQ.ordinal() && this.ordinal() <= GE.ordinal();
    }

    double apply(double x, double y) {
      return switch (this) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case DIV -> x / y;
        case EQ -> x == y ? 1 : 0;
        case NE -> x != y ? 1 : 0;
        case LT -> x < y ? 1 : 0;
        case LE -> x <= y ? 1 : 0;
        case GT -> x > y ? 1 : 0;
        case GE -> x >= y ? 1 : 0;
        case MAXIMUM -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
        case MINIMUM -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
        case POW -> PointwiseOps.cPow(x, y);
      };
    }

    long apply(long x, long y) {
      return switch (this) {
        case ADD -> x + y;
        case SUB -> x - y;
        case MUL -> x * y;
        case DIV -> throw new AssertionError("integer division is computed in floating point");
        case EQ -> x == y ? 1 : 0;
        case NE -> x != y ? 1 : 0;
        case LT -> x < y ? 1 : 0;
        case LE -> x <= y ? 1 : 0;
        case GT -> x > y ? 1 : 0;
        case GE -> x >= y ? 1 : 0;
        case MAXIMUM -> Math.max(x, y);
        case MINIMUM -> Math.min(x, y);
        case POW -> {
          if (y < 0) {
            // PyTorch's powi for a tensor exponent (a scalar one is refused by pow(long)).
            yield x == 1 ? 1 : x == -1 ? ((-y & 1) != 0 ? -1 : 1) : 0;
          }
          // By squaring, as PyTorch's powi: the same product modulo 2^64, in log2(y) steps.
          long r = 1;
          long b = x;
          for (long e = y; e != 0; e >>>= 1) {
            if ((e & 1) != 0) {
              r *= b;
            }
            b *= b;
          }
          yield r;
        }
      };
    }
  }

  /**
   * PyTorch's result_type for two operands: tensors with dimensions outrank 0-d tensors, which outrank
   * Java scalars (wrapped numbers); a lower tier only matters when it is of a higher category
   * (bool &lt; integer &lt; floating point). {@code bWrapped} marks b as a scalar.
   */
  private static DType computeType(Tensor a, Tensor b, boolean bWrapped) {
    DType dimT = null;
    DType zeroT = null;
    for (Tensor t : new Tensor[] {a, b}) {
      if (t == b && bWrapped) {
        continue;
      }
      if (t.shape.length > 0) {
        dimT = dimT == null ? t.dtype : DType.promote(dimT, t.dtype);
      } else {
        zeroT = zeroT == null ? t.dtype : DType.promote(zeroT, t.dtype);
      }
    }
    // A float Java scalar counts as the default dtype (float32), an integral one as int64.
    DType wrappedT = bWrapped ? (b.dtype.isFloatingPoint() ? DType.FLOAT32 : b.dtype) : null;
    return combine(dimT, combine(zeroT, wrappedT));
  }

  private static DType combine(DType higher, DType lower) {
    if (higher == null) {
      return lower;
    }
    if (lower == null || higher.isFloatingPoint()) {
      return higher;
    }
    if (higher == DType.BOOL || lower.isFloatingPoint()) {
      return DType.promote(higher, lower);
    }
    return higher;
  }

  private static DType resultType(Arith op, DType a, DType b, DType common) {
    if (op == Arith.SUB && (a == DType.BOOL || b == DType.BOOL)) {
      throw new IllegalArgumentException(a == b
          ? "Subtraction, the `-` operator, with two bool tensors is not supported. "
              + "Use the `^` or `logical_xor()` operator instead."
          : "Subtraction, the `-` operator, with a bool tensor is not supported. "
              + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }
    if (op.comparison()) {
      return DType.BOOL;
    }
    if (op == Arith.DIV && !common.isFloatingPoint()) {
      return DType.FLOAT32;
    }
    if (op == Arith.POW && common == DType.BOOL) {
      // Two bool operands (a bool tensor with an int scalar computes in int64).
      throw new IllegalArgumentException("\"pow\" not implemented for 'Bool'");
    }
    return common;
  }

  private static Tensor binary(Arith op, Tensor a, Tensor b) {
    return binary(op, a, b, false);
  }

  private static Tensor binary(Arith op, Tensor a, Tensor b, boolean bWrapped) {
    DType common = computeType(a, b, bWrapped);
    if (op == Arith.SUB) {
      resultType(op, a.dtype, b.dtype, common); // sub's bool refusal comes first, as in PyTorch
    }
    // Then the shapes (TensorIterator's build), then what the kernel refuses for the dtype.
    int[] outShape = broadcastShapes(a.shape, b.shape);
    DType rt = resultType(op, a.dtype, b.dtype, common);
    Tensor out = allocate(rt, outShape);
    // Operands are converted to the type the op computes in (division: floating point).
    DType computeIn = op == Arith.DIV ? rt : common;
    boolean integral = computeIn == DType.INT64 || computeIn == DType.BOOL;
    binaryLoop(op, a.dtype == computeIn ? a : a.to(computeIn), b.dtype == computeIn ? b : b.to(computeIn), out,
        outShape, integral);
    return out;
  }

  /** out[i] = a[i] op b[i] over outShape (a, b broadcast); out may be a or a view of it. */
  private static void binaryLoop(Arith op, Tensor a, Tensor b, Tensor out, int[] outShape, boolean integral) {
    int n = checkedNumel(outShape);
    if (n == 0) {
      return;
    }
    // The common case: same-shape contiguous float32.
    if (!integral && a.dtype == DType.FLOAT32 && b.dtype == DType.FLOAT32 && out.dtype == DType.FLOAT32
        && Arrays.equals(a.shape, outShape) && Arrays.equals(b.shape, outShape)
        && a.isContiguous() && b.isContiguous() && out.isContiguous()) {
      float[] x = (float[]) a.storage;
      float[] y = (float[]) b.storage;
      float[] z = (float[]) out.storage;
      int ao = a.offset;
      int bo = b.offset;
      int oo = out.offset;
      switch (op) {
        case ADD -> {
          for (int i = 0; i < n; i++) {
            z[oo + i] = x[ao + i] + y[bo + i];
          }
        }
        case SUB -> {
          for (int i = 0; i < n; i++) {
            z[oo + i] = x[ao + i] - y[bo + i];
          }
        }
        case MUL -> {
          for (int i = 0; i < n; i++) {
            z[oo + i] = x[ao + i] * y[bo + i];
          }
        }
        case DIV -> {
          for (int i = 0; i < n; i++) {
            z[oo + i] = x[ao + i] / y[bo + i];
          }
        }
        default -> {
          for (int i = 0; i < n; i++) {
            z[oo + i] = (float) op.apply((double) x[ao + i], (double) y[bo + i]);
          }
        }
      }
      return;
    }
    int rank = outShape.length;
    int[] sa = a.broadcastStrides(outShape);
    int[] sb = b.broadcastStrides(outShape);
    int[] so = out.broadcastStrides(outShape);
    int[] cnt = new int[rank];
    int ia = a.offset;
    int ib = b.offset;
    int io = out.offset;
    for (int i = 0; i < n; i++) {
      if (integral) {
        out.writeLong(io, op.apply(a.readLong(ia), b.readLong(ib)));
      } else {
        out.writeDouble(io, op.apply(a.readDouble(ia), b.readDouble(ib)));
      }
      for (int d = rank - 1; d >= 0; d--) {
        cnt[d]++;
        ia += sa[d];
        ib += sb[d];
        io += so[d];
        if (cnt[d] < outShape[d]) {
          break;
        }
        ia -= sa[d] * outShape[d];
        ib -= sb[d] * outShape[d];
        io -= so[d] * outShape[d];
        cnt[d] = 0;
      }
    }
  }

  /** A Java float scalar as an operand (a float64 0-d tensor, converted to the compute type). */
  private static Tensor wrapped(double v) {
    Tensor s = allocate(DType.FLOAT64, new int[0]);
    s.writeDouble(0, v);
    return s;
  }

  /** A Java integral scalar as an operand. */
  private static Tensor wrapped(long v) {
    Tensor s = allocate(DType.INT64, new int[0]);
    s.writeLong(0, v);
    return s;
  }

  private Tensor scalarOp(Arith op, double v) {
    return binary(op, this, wrapped(v), true);
  }

  private Tensor scalarOp(Arith op, long v) {
    return binary(op, this, wrapped(v), true);
  }

  /** Element-wise {@code this + other} with broadcasting. */
  public Tensor add(Tensor other) {
    if (Node.isRecording(this, other)) {
      return PointwiseOps.Add.apply(this, other);
    }
    return binary(Arith.ADD, this, other);
  }

  /** {@code this + value} (an integer tensor becomes float32, as with a Python float). */
  public Tensor add(double value) {
    if (Node.isRecording(this)) {
      return PointwiseOps.ScalarShift.add(this, value);
    }
    return scalarOp(Arith.ADD, value);
  }

  /** {@code this + value} (an integer tensor stays int64, as with a Python int). */
  public Tensor add(long value) {
    if (Node.isRecording(this)) {
      return PointwiseOps.ScalarShift.add(this, value);
    }
    return scalarOp(Arith.ADD, value);
  }

  /** Element-wise {@code this - other} with broadcasting. */
  public Tensor sub(Tensor other) {
    if (Node.isRecording(this, other)) {
      return PointwiseOps.Sub.apply(this, other);
    }
    return binary(Arith.SUB, this, other);
  }

  public Tensor sub(double value) {
    if (Node.isRecording(this)) {
      return PointwiseOps.ScalarShift.sub(this, value);
    }
    return scalarOp(Arith.SUB, value);
  }

  public Tensor sub(long value) {
    if (Node.isRecording(this)) {
      return PointwiseOps.ScalarShift.sub(this, value);
    }
    return scalarOp(Arith.SUB, value);
  }

  /** Element-wise {@code this * other} with broadcasting. */
  public Tensor mul(Tensor other) {
    if (Node.isRecording(this, other)) {
      return PointwiseOps.Mul.apply(this, other);
    }
    return binary(Arith.MUL, this, other);
  }

  public Tensor mul(double value) {
    if (Node.isRecording(this)) {
      return PointwiseOps.ScalarScale.mul(this, value);
    }
    return scalarOp(Arith.MUL, value);
  }

  public Tensor mul(long value) {
    if (Node.isRecording(this)) {
      return PointwiseOps.ScalarScale.mul(this, value);
    }
    return scalarOp(Arith.MUL, value);
  }

  /** Element-wise true division {@code this / other} (integers give float32, as in PyTorch). */
  public Tensor div(Tensor other) {
    if (Node.isRecording(this, other)) {
      return PointwiseOps.Div.apply(this, other);
    }
    return binary(Arith.DIV, this, other);
  }

  public Tensor div(double value) {
    if (Node.isRecording(this)) {
      return PointwiseOps.ScalarScale.div(this, value);
    }
    return scalarOp(Arith.DIV, value);
  }

  /** Element-wise power. */
  public Tensor pow(double exponent) {
    if (Node.isRecording(this)) {
      return PointwiseOps.PowScalar.apply(this, exponent);
    }
    return scalarOp(Arith.POW, exponent);
  }

  /** Element-wise power with an integer exponent (integer tensors stay int64). */
  public Tensor pow(long exponent) {
    if (exponent < 0 && (dtype == DType.INT64 || dtype == DType.BOOL)) {
      throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
    }
    if (Node.isRecording(this)) {
      return PointwiseOps.PowScalar.apply(this, exponent);
    }
    return scalarOp(Arith.POW, exponent);
  }

  public Tensor pow(Tensor exponent) {
    if (Node.isRecording(this, exponent)) {
      return PointwiseOps.PowTensor.apply(this, exponent);
    }
    return binary(Arith.POW, this, exponent);
  }

  /** Element-wise maximum of two tensors (NaN propagates), PyTorch's {@code torch.maximum}. */
  public Tensor maximum(Tensor other) {
    if (Node.isRecording(this, other)) {
      return PointwiseOps.Extremum.maximum(this, other);
    }
    return binary(Arith.MAXIMUM, this, other);
  }

  /** Element-wise minimum of two tensors (NaN propagates), PyTorch's {@code torch.minimum}. */
  public Tensor minimum(Tensor other) {
    if (Node.isRecording(this, other)) {
      return PointwiseOps.Extremum.minimum(this, other);
    }
    return binary(Arith.MINIMUM, this, other);
  }

  /** Element-wise {@code ==} as a bool tensor (PyTorch's {@code X == Y}). */
  public Tensor eq(Tensor other) {
    return binary(Arith.EQ, this, other);
  }

  public Tensor eq(double value) {
    return scalarOp(Arith.EQ, value);
  }

  public Tensor ne(Tensor other) {
    return binary(Arith.NE, this, other);
  }

  public Tensor lt(Tensor other) {
    return binary(Arith.LT, this, other);
  }

  public Tensor le(Tensor other) {
    return binary(Arith.LE, this, other);
  }

  public Tensor gt(Tensor other) {
    return binary(Arith.GT, this, other);
  }

  public Tensor gt(double value) {
    return scalarOp(Arith.GT, value);
  }

  public Tensor ge(Tensor other) {
    return binary(Arith.GE, this, other);
  }

  public Tensor lt(double value) {
    return scalarOp(Arith.LT, value);
  }

  // ---------------------------------------------------------------- in place

  static String pyTypeName(DType t) {
    return switch (t) {
      case FLOAT32 -> "Float";
      case FLOAT64 -> "Double";
      case INT64 -> "Long";
      case BOOL -> "Bool";
    };
  }

  private Tensor inPlace(Arith op, Tensor other, boolean wrapped) {
    return inPlace(op, other, wrapped, 1, true);
  }

  /**
   * {@code this op= alpha * other} (alpha only for add): PyTorch's checks in its order (sub's bool
   * refusal, autograd's, the overlaps, the shapes, the result type, then alpha: a floating alpha,
   * {@code integralAlpha} false, is refused for integer and bool results), then the change.
   */
  private Tensor inPlace(Arith op, Tensor other, boolean wrapped, double alpha, boolean integralAlpha) {
    if (op == Arith.SUB) {
      resultType(op, dtype, other.dtype, dtype); // sub's bool refusal comes before everything else
    }
    if (recordsInPlace(wrapped ? null : other)) {
      return recordedInPlace(op, other, wrapped, alpha, integralAlpha);
    }
    checkNoInternalOverlap();
    if (!wrapped) {
      checkNoPartialOverlap(other);
    }
    DType common = computeType(this, other, wrapped);
    DType rt = checkInPlace(op, other, common);
    checkAlpha(common, integralAlpha);
    beforeInPlace(wrapped ? null : other);
    DType computeIn = op == Arith.DIV ? rt : common;
    boolean integral = computeIn == DType.INT64 || computeIn == DType.BOOL;
    if (other.dtype != computeIn) {
      other = other.to(computeIn);
    }
    other = scaled(other, alpha, integralAlpha);
    if (dtype != computeIn) {
      // Compute in the common type, then store into this tensor's type.
      Tensor tmp = to(computeIn);
      binaryLoop(op, tmp, other, tmp, shape, integral);
      copyInPlace(tmp);
      return this;
    }
    binaryLoop(op, this, other, this, shape, integral);
    return this;
  }

  /**
   * An in-place {@code + - * /} recorded for autograd, as PyTorch records {@code add_} and the like: the
   * result's grad_fn is the operation's node ({@code AddBackward0}, ...), whose input is this tensor's
   * history before the change. The values before are kept (a copy) where the backward needs them
   * ({@code mul_}, {@code div_} by a tensor that requires grad); nodes that saved this tensor see its version change and refuse to run,
   * as in PyTorch. Refused as PyTorch refuses ({@link #checkRecordable}). On a view, the base's history
   * is rewritten ({@link #rebaseView}).
   */
  private Tensor recordedInPlace(Arith op, Tensor other, boolean wrapped, double alpha, boolean integralAlpha) {
    checkRecordable();
    checkNoInternalOverlap();
    if (!wrapped) {
      checkNoPartialOverlap(other);
    }
    DType common = computeType(this, other, wrapped);
    checkInPlace(op, other, common);
    checkAlpha(common, integralAlpha);
    other = scaled(other, alpha, integralAlpha);
    // The values before the change, carrying this tensor's history: the recorded out-of-place operation
    // on them is the in-place one's node. A copy only where that node keeps them for its backward
    // (mul and div by a tensor that requires grad); else an alias, read before the change.
    boolean kept = !wrapped && (op == Arith.MUL || op == Arith.DIV) && other.requiresGrad();
    Tensor before = kept ? detach().cloneTensor() : detach();
    if (requiresGrad()) {
      AutogradAccess.setGradFn(before, gradFn());
    }
    // A number takes the scalar forms (their nodes differ: MulBackward1 ...), a tensor the tensor forms.
    double v = wrapped ? other.toDoubleArray()[0] : 0;
    Tensor result = switch (op) {
      case ADD -> wrapped ? before.add(v) : before.add(other);
      case SUB -> wrapped ? before.sub(v) : before.sub(other);
      case MUL -> wrapped ? before.mul(v) : before.mul(other);
      case DIV -> wrapped ? before.div(v) : before.div(other);
      default -> throw new IllegalStateException(op.toString());
    };
    try (var g = dev.jconv.autograd.NoGrad.enter()) {
      copyInPlace(result);
    }
    AutogradAccess.setGradFn(this, result.gradFn);
    rebaseView();
    return this;
  }

  /** add_'s alpha: a floating one (Python float) only for a floating result, as PyTorch checks it. */
  private static void checkAlpha(DType common, boolean integralAlpha) {
    if (!integralAlpha && !common.isFloatingPoint()) {
      throw new IllegalArgumentException("For integral input tensors, argument alpha must not be a floating point number.");
    }
  }

  /** {@code alpha * other} (other itself for 1): a long alpha keeps an integer tensor's dtype. */
  private static Tensor scaled(Tensor other, double alpha, boolean integralAlpha) {
    if (alpha == 1) {
      return other;
    }
    return integralAlpha && !other.dtype.isFloatingPoint() ? other.mul((long) alpha) : other.mul(alpha);
  }

  /**
   * PyTorch's checks of {@code this op= other} before anything changes: the result type must cast to
   * this tensor's, and {@code other} must broadcast to its shape. Returns the result type.
   */
  private DType checkInPlace(Arith op, Tensor other, DType common) {
    // PyTorch's TensorIterator: the shapes (broadcast, then the output's), then the types.
    int[] outShape = broadcastShapes(shape, other.shape);
    if (!Arrays.equals(outShape, shape)) {
      throw new IllegalArgumentException("output with shape " + shapeText(shape)
          + " doesn't match the broadcast shape " + shapeText(outShape));
    }
    DType rt = resultType(op, dtype, other.dtype, common);
    if (rt != dtype && castKind(rt) > castKind(dtype)) {
      throw new IllegalArgumentException("result type " + pyTypeName(rt)
          + " can't be cast to the desired output type " + pyTypeName(dtype));
    }
    return rt;
  }

  /**
   * Whether an in-place change of this tensor (from {@code source}, may be null) is recorded: grad
   * mode is on and one of them requires grad, or this is a view taken in no_grad mode of a base that
   * requires grad (which {@link #checkRecordable} then refuses, as PyTorch does).
   */
  private boolean recordsInPlace(Tensor source) {
    return GradMode.isEnabled() && (requiresGrad() || (source != null && source.requiresGrad())
        || (viewBase != null && !viewWithGrad && viewBase.requiresGrad()));
  }

  /**
   * Refuses to record an in-place change of this tensor where PyTorch does, with its words, in its
   * order: a view taken in no_grad mode, a view of a leaf that requires grad, such a leaf itself;
   * returns this tensor.
   */
  private Tensor checkRecordable() {
    if (viewBase != null) {
      if (multiOutputIndex >= 0) {
        throw new IllegalArgumentException("Output " + multiOutputIndex + " of " + multiOutputFn + " is a view and "
            + "is being modified inplace. This view is the output of a function that returns multiple views. Such "
            + "functions do not allow the output views to be modified inplace. You should replace the inplace "
            + "operation by an out-of-place one.");
      }
      if (!viewWithGrad) {
        throw new IllegalArgumentException("A view was created in no_grad mode and is being modified inplace with "
            + "grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can "
            + "clarify your code by moving both the view and the inplace either both inside the no_grad block (if "
            + "you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).");
      }
      if (viewBase.requiresGrad() && viewBase.gradFn() == null) {
        throw new IllegalArgumentException("a view of a leaf Variable that requires grad is being used in an "
            + "in-place operation.");
      }
    }
    if (requiresGrad() && gradFn() == null) {
      throw new IllegalArgumentException("a leaf Variable that requires grad is being used in an in-place "
          + "operation.");
    }
    return this;
  }

  /**
   * PyTorch's refusal to write through a tensor whose elements share memory (an expanded dimension):
   * {@code copy_} and the in-place arithmetic would read and write one element many times.
   */
  private void checkNoInternalOverlap() {
    for (int d = 0; d < shape.length; d++) {
      if (strides[d] == 0 && shape[d] > 1) {
        throw new IllegalArgumentException("unsupported operation: more than one element of the written-to tensor "
            + "refers to a single memory location. Please clone() the tensor before performing the operation.");
      }
    }
  }

  /**
   * PyTorch's refusal to write into a tensor from one that shares part of its memory
   * ({@code assert_no_partial_overlap}): both dense (some permutation of their dimensions
   * contiguous), of one storage, with ranges that intersect without being the same elements in the same
   * order. The same tensor, or layouts PyTorch cannot judge, pass.
   */
  private void checkNoPartialOverlap(Tensor other) {
    if (other == this || other.storage != storage || numel() == 0 || other.numel() == 0
        || !nonOverlappingAndDense(this) || !nonOverlappingAndDense(other)) {
      return;
    }
    long aBegin = offset;
    long aEnd = aBegin + numel();
    long bBegin = other.offset;
    long bEnd = bBegin + other.numel();
    boolean partial = aBegin == bBegin && aEnd == bEnd ? !Arrays.equals(strides, other.strides)
        : aBegin < bEnd && bBegin < aEnd;
    if (partial) {
      throw new IllegalArgumentException("unsupported operation: some elements of the input tensor and the written-to "
          + "tensor refer to a single memory location. Please clone() the tensor before performing the operation.");
    }
  }

  /** PyTorch's is_non_overlapping_and_dense: ordered by stride, the dimensions of 2 or more elements tile memory. */
  private static boolean nonOverlappingAndDense(Tensor t) {
    int n = t.shape.length;
    if (n == 1) {
      return t.shape[0] < 2 || t.strides[0] == 1;
    }
    Integer[] perm = new Integer[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    Arrays.sort(perm, (x, y) -> {
      boolean xs = t.shape[x] < 2;
      boolean ys = t.shape[y] < 2;
      return xs != ys ? (xs ? 1 : -1) : xs ? 0 : Integer.compare(t.strides[x], t.strides[y]);
    });
    long require = 1;
    for (int i : perm) {
      if (t.shape[i] < 2) {
        return true;
      }
      if (t.strides[i] != require) {
        return false;
      }
      require *= t.shape[i];
    }
    return true;
  }

  /**
   * After an in-place change of this view was recorded (its grad_fn is the operation's node), rewrites
   * the base's history as PyTorch does: the base's grad_fn becomes {@code CopySlices} (its old history,
   * with the operation's backward applied to this view's part of the gradient), and this view's
   * {@code AsStridedBackward0} of the base. Other views of the base rebuild theirs when next used
   * ({@link #refreshView}).
   */
  private void rebaseView() {
    if (viewBase == null) {
      return;
    }
    // The base takes nodes[0] (CopySlices) as its grad_fn there; this view, nodes[1].
    Node[] nodes = dev.jconv.internal.NodeAccess.rebase(viewBase, this, gradFn);
    takeHistory(nodes[1]);
  }

  /** This view's grad_fn becomes {@code fromBase} (AsStridedBackward0), as of the storage's current version. */
  private void takeHistory(Node fromBase) {
    gradFn = fromBase;
    requiresGrad = true;
    viewVersion = version[0];
  }

  /**
   * A view whose storage was changed in place since its grad_fn was set takes the base's current
   * history ({@code AsStridedBackward0}), as PyTorch regenerates a view's grad_fn.
   */
  private void refreshView() {
    if (viewBase != null && viewWithGrad && viewVersion != version[0] && viewBase.requiresGrad()) {
      takeHistory(dev.jconv.internal.NodeAccess.asStrided(viewBase, this));
    }
  }

  /**
   * {@code change} (an in-place overwrite) unrecorded, then {@code node}, made from this tensor's
   * history before it, as its grad_fn.
   */
  private Tensor recordedOverwrite(Node node, Runnable change) {
    try (var g = dev.jconv.autograd.NoGrad.enter()) {
      change.run();
    }
    AutogradAccess.setGradFn(this, node);
    rebaseView();
    return this;
  }

  /** bool < integer < floating point: a result may be cast only down to an equal or higher kind. */
  private static int castKind(DType t) {
    return switch (t) {
      case BOOL -> 0;
      case INT64 -> 1;
      case FLOAT32, FLOAT64 -> 2;
    };
  }

  /** {@code this += other} (broadcast to this shape). Modifies this tensor. */
  public Tensor addInPlace(Tensor other) {
    return inPlace(Arith.ADD, other, false);
  }

  /**
   * {@code this += alpha * other}, PyTorch's {@code add_(other, alpha=alpha)} with a Python float alpha:
   * refused for integer and bool tensors, as PyTorch refuses a floating alpha there (use the long
   * overload). Modifies this tensor.
   */
  public Tensor addInPlace(Tensor other, double alpha) {
    return inPlace(Arith.ADD, other, false, alpha, false);
  }

  /** {@code this += alpha * other} with an integer alpha (PyTorch's {@code alpha=2}). Modifies this tensor. */
  public Tensor addInPlace(Tensor other, long alpha) {
    return inPlace(Arith.ADD, other, false, alpha, true);
  }

  /** {@code this += value}. Modifies this tensor. */
  public Tensor addInPlace(double value) {
    return inPlace(Arith.ADD, wrapped(value), true);
  }

  /** {@code this -= other}. Modifies this tensor. */
  public Tensor subInPlace(Tensor other) {
    return inPlace(Arith.SUB, other, false);
  }

  /** {@code this -= value}. Modifies this tensor. */
  public Tensor subInPlace(double value) {
    return inPlace(Arith.SUB, wrapped(value), true);
  }

  /** {@code this *= other}. Modifies this tensor. */
  public Tensor mulInPlace(Tensor other) {
    return inPlace(Arith.MUL, other, false);
  }

  /** {@code this *= value}. Modifies this tensor. */
  public Tensor mulInPlace(double value) {
    return inPlace(Arith.MUL, wrapped(value), true);
  }

  /** {@code this /= other}. Modifies this tensor. */
  public Tensor divInPlace(Tensor other) {
    return inPlace(Arith.DIV, other, false);
  }

  /** {@code this /= value}. Modifies this tensor. */
  public Tensor divInPlace(double value) {
    return inPlace(Arith.DIV, wrapped(value), true);
  }

  /** Sets every element to {@code value}, PyTorch's {@code fill_} ({@code X[:, 2:6] = 0} on a slice). */
  public Tensor fillInPlace(double value) {
    if (recordsInPlace(null)) {
      return recordedOverwrite(new InPlaceOps.Fill("FillBackward2", checkRecordable()), () -> fillInPlace(value));
    }
    beforeInPlace(null);
    if (dtype == DType.FLOAT32 && isContiguous()) {
      java.util.Arrays.fill((float[]) storage, offset, offset + numel(), (float) value);
      return this;
    }
    int[] idx = storageIndices();
    for (int si : idx) {
      writeDouble(si, value);
    }
    return this;
  }

  /** Sets every element to zero. Modifies this tensor. */
  public Tensor zeroInPlace() {
    if (recordsInPlace(null)) {
      return recordedOverwrite(new InPlaceOps.Fill("ZeroBackward0", checkRecordable()), () -> fillInPlace(0));
    }
    return fillInPlace(0);
  }

  /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this tensor: {@code copy_}. */
  public Tensor copyInPlace(Tensor src) {
    int[] outShape = broadcastShapes(shape, src.shape);
    if (!Arrays.equals(outShape, shape)) {
      throw new IllegalArgumentException("output with shape " + shapeText(shape)
          + " doesn't match the broadcast shape " + shapeText(outShape));
    }
    // Into an integer tensor nothing is recorded (it cannot require grad), as in PyTorch.
    boolean floating = dtype.isFloatingPoint();
    checkNoInternalOverlap();
    checkNoPartialOverlap(src);
    if (recordsInPlace(floating ? src : null)) {
      checkRecordable();
      return recordedOverwrite(new InPlaceOps.Copy(this, src), () -> copyInPlace(src));
    }
    beforeInPlace(floating ? src : null);
    if (src.dtype == dtype && dtype == DType.FLOAT32 && Arrays.equals(src.shape, shape) && isContiguous()
        && src.isContiguous()) {
      // arraycopy moves overlapping ranges of one array correctly, so no defensive copy is needed.
      System.arraycopy(src.storage, src.offset, storage, offset, numel());
      return this;
    }
    Tensor s = src.expand(shape).cloneTensor(); // a copy first: src may overlap this tensor
    int[] idx = storageIndices();
    boolean exact = s.dtype == DType.INT64 || s.dtype == DType.BOOL;
    for (int i = 0; i < idx.length; i++) {
      if (exact) {
        writeLong(idx[i], s.readLong(i));
      } else {
        writeDouble(idx[i], s.readDouble(i));
      }
    }
    return this;
  }

  // ---------------------------------------------------------------- unary

  private Tensor mapFloat(String name, DoubleUnaryOperator f) {
    DType rt = dtype.isFloatingPoint() ? dtype : DType.FLOAT32;
    Tensor out = allocate(rt, shape);
    int[] idx = storageIndices();
    for (int i = 0; i < idx.length; i++) {
      out.writeDouble(i, f.applyAsDouble(readDouble(idx[i])));
    }
    return out;
  }

  /** Element-wise negation. */
  public Tensor neg() {
    if (Node.isRecording(this)) {
      return PointwiseOps.Neg.apply(this);
    }
    if (dtype == DType.BOOL) {
      throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. "
          + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }
    return mul(-1L);
  }

  /** Element-wise absolute value. */
  public Tensor abs() {
    if (Node.isRecording(this)) {
      return PointwiseOps.Abs.apply(this);
    }
    if (dtype == DType.BOOL) {
      throw new IllegalArgumentException("\"abs_cpu\" not implemented for 'Bool'");
    }
    if (dtype == DType.INT64) {
      Tensor out = allocate(dtype, shape);
      int[] idx = storageIndices();
      for (int i = 0; i < idx.length; i++) {
        out.writeLong(i, Math.abs(readLong(idx[i])));
      }
      return out;
    }
    return mapFloat("abs", Math::abs);
  }

  public Tensor exp() {
    if (Node.isRecording(this)) {
      return PointwiseOps.Exp.apply(this);
    }
    return mapFloat("exp", Math::exp);
  }

  public Tensor log() {
    if (Node.isRecording(this)) {
      return PointwiseOps.Log.apply(this);
    }
    return mapFloat("log", Math::log);
  }

  public Tensor sqrt() {
    if (Node.isRecording(this)) {
      return PointwiseOps.Sqrt.apply(this);
    }
    return mapFloat("sqrt", Math::sqrt);
  }

  public Tensor sigmoid() {
    if (Node.isRecording(this)) {
      return PointwiseOps.Sigmoid.apply(this);
    }
    if (dtype == DType.FLOAT32) {
      float[] y = new float[numel()];
      dev.jconv.internal.kernels.Activations.sigmoid((float[]) elements(), y);
      return owning(DType.FLOAT32, y, shape);
    }
    return mapFloat("sigmoid", x -> 1 / (1 + Math.exp(-x)));
  }

  public Tensor tanh() {
    if (Node.isRecording(this)) {
      return PointwiseOps.Tanh.apply(this);
    }
    if (dtype == DType.FLOAT32) {
      float[] y = new float[numel()];
      dev.jconv.internal.kernels.Activations.tanh((float[]) elements(), y);
      return owning(DType.FLOAT32, y, shape);
    }
    return mapFloat("tanh", Math::tanh);
  }

  /** Element-wise {@code max(x, 0)} (NaN stays NaN). */
  public Tensor relu() {
    if (Node.isRecording(this)) {
      return PointwiseOps.Relu.apply(this);
    }
    if (dtype == DType.BOOL) {
      throw new IllegalArgumentException("Boolean inputs not supported for relu");
    }
    if (dtype == DType.INT64) {
      return binary(Arith.MAXIMUM, this, wrapped(0L), true);
    }
    if (dtype == DType.FLOAT32) {
      float[] y = new float[numel()];
      dev.jconv.internal.kernels.Activations.relu((float[]) elements(), y);
      return owning(DType.FLOAT32, y, shape);
    }
    return mapFloat("relu", x -> x < 0 ? 0.0 : x); // NaN and -0.0 pass, as in PyTorch
  }

  // ---------------------------------------------------------------- reductions

  private DType sumType() {
    return dtype.isFloatingPoint() ? dtype : DType.INT64;
  }

  /** The sum of all elements as a 0-d tensor (integers and bools give int64). */
  public Tensor sum() {
    if (Node.isRecording(this)) {
      return ReductionOps.SumAll.sum(this);
    }
    Tensor out = allocate(sumType(), new int[0]);
    int[] idx = storageIndices();
    if (sumType() == DType.INT64) {
      long s = 0;
      for (int si : idx) {
        s += readLong(si);
      }
      out.writeLong(0, s);
    } else {
      double s = 0;
      for (int si : idx) {
        s += readDouble(si);
      }
      out.writeDouble(0, s);
    }
    return out;
  }

  /** The sum over dimension {@code dim}, keeping it as size 1 when {@code keepdim}. */
  public Tensor sum(int dim, boolean keepdim) {
    if (Node.isRecording(this)) {
      return ReductionOps.SumDims.sum(this, dim, keepdim);
    }
    return reduceDim(dim, keepdim, sumType(), false);
  }

  /** The sum over dimension {@code dim}. */
  public Tensor sum(int dim) {
    return sum(dim, false);
  }

  /** The sum over several dimensions. */
  public Tensor sum(int[] dims, boolean keepdim) {
    if (Node.isRecording(this)) {
      return ReductionOps.SumDims.sum(this, dims, keepdim);
    }
    int[] sorted = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      sorted[i] = wrapDim(dims[i], shape.length);
    }
    Arrays.sort(sorted);
    Tensor t = this;
    for (int i = sorted.length - 1; i >= 0; i--) {
      if (i < sorted.length - 1 && sorted[i] == sorted[i + 1]) {
        throw new IllegalArgumentException("dim " + sorted[i] + " appears multiple times in the list of dims");
      }
      t = t.reduceDim(sorted[i], keepdim, sumType(), false);
    }
    return t;
  }

  private void requireFloatForMean() {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a "
          + "floating point or complex dtype. Got: " + pyTypeName(dtype));
    }
  }

  /** The mean of all elements (floating-point tensors only, as in PyTorch). */
  public Tensor mean() {
    requireFloatForMean();
    if (Node.isRecording(this)) {
      return ReductionOps.SumAll.mean(this);
    }
    Tensor out = allocate(dtype, new int[0]);
    double n = numel();
    int[] idx = storageIndices();
    double acc = 0;
    for (int si : idx) {
      acc += readDouble(si);
    }
    out.writeDouble(0, acc / n); // NaN for an empty tensor, as in PyTorch
    return out;
  }

  /** The mean over dimension {@code dim}. */
  public Tensor mean(int dim, boolean keepdim) {
    requireFloatForMean();
    if (Node.isRecording(this)) {
      return ReductionOps.SumDims.mean(this, dim, keepdim);
    }
    return reduceDim(dim, keepdim, dtype, true);
  }

  public Tensor mean(int dim) {
    return mean(dim, false);
  }

  private Tensor reduceDim(int dim, boolean keepdim, DType rt, boolean mean) {
    int d = wrapDim(dim, shape.length);
    if (shape.length == 0) {
      return mean ? mean() : sum();
    }
    int len = shape[d];
    Tensor moved = permuteToLast(d);
    int rows = len == 0 ? numel() : numel() / len;
    if (len == 0) {
      rows = 1;
      for (int i = 0; i < shape.length; i++) {
        if (i != d) {
          rows *= shape[i];
        }
      }
    }
    Tensor out = allocate(rt, reducedShape(d, keepdim));
    for (int r = 0; r < rows; r++) {
      if (rt == DType.INT64) {
        long s = 0;
        for (int j = 0; j < len; j++) {
          s += moved.readLong(moved.offset + r * len + j);
        }
        out.writeLong(r, s);
      } else {
        double s = 0;
        for (int j = 0; j < len; j++) {
          s += moved.readDouble(moved.offset + r * len + j);
        }
        out.writeDouble(r, mean ? s / len : s);
      }
    }
    return out;
  }

  /** A contiguous copy with dimension d moved last. */
  private Tensor permuteToLast(int d) {
    int[] perm = new int[shape.length];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != d) {
        perm[j++] = i;
      }
    }
    perm[shape.length - 1] = d;
    return permute(perm).contiguous();
  }

  private int[] reducedShape(int d, boolean keepdim) {
    if (keepdim) {
      int[] s = shape.clone();
      s[d] = 1;
      return s;
    }
    int[] s = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != d) {
        s[j++] = shape[i];
      }
    }
    return s;
  }

  /** The largest element as a 0-d tensor; NaN if any element is NaN. */
  public Tensor max() {
    if (Node.isRecording(this)) {
      return ReductionOps.ExtremeAll.max(this);
    }
    return extreme(true);
  }

  /** The smallest element as a 0-d tensor; NaN if any element is NaN. */
  public Tensor min() {
    if (Node.isRecording(this)) {
      return ReductionOps.ExtremeAll.min(this);
    }
    return extreme(false);
  }

  private Tensor extreme(boolean max) {
    if (numel() == 0) {
      throw new IllegalArgumentException((max ? "max" : "min") + "(): Expected reduction dim to be specified for "
          + "input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    }
    ValuesIndices vi = flatten().extremeDim(0, false, max);
    return vi.values();
  }

  /** Values and their indices, as returned by {@code max(dim)} and {@code min(dim)}. */
  public record ValuesIndices(Tensor values, Tensor indices) {}

  /** The maximum over {@code dim} and where it is (first occurrence; NaN wins). */
  public ValuesIndices max(int dim, boolean keepdim) {
    if (Node.isRecording(this)) {
      return ReductionOps.ExtremeDim.max(this, dim, keepdim);
    }
    return extremeDim(dim, keepdim, true);
  }

  public ValuesIndices max(int dim) {
    return max(dim, false);
  }

  /** The minimum over {@code dim} and where it is (first occurrence; NaN wins). */
  public ValuesIndices min(int dim, boolean keepdim) {
    if (Node.isRecording(this)) {
      return ReductionOps.ExtremeDim.min(this, dim, keepdim);
    }
    return extremeDim(dim, keepdim, false);
  }

  /** The index of the maximum over {@code dim} (int64). */
  public Tensor argmax(int dim) {
    if (dtype == DType.BOOL) {
      // PyTorch runs no kernel where the dimension has one element or the result none: zeros there.
      int d = wrapDim(dim, shape.length);
      if (shape.length > 0 && shape[d] == 0) {
        return extremeDim(dim, false, true).indices(); // its refusal of an empty dimension
      }
      ValuesIndices vi = extremeDim(dim, false, true);
      if (shape.length == 0 || (shape[d] != 1 && vi.indices().numel() > 0)) {
        throw new IllegalArgumentException("\"argmax_cpu\" not implemented for 'Bool'");
      }
      return vi.indices();
    }
    return extremeDim(dim, false, true).indices();
  }

  /** The index of the maximum of all elements, counted in the flattened tensor (0-d int64): {@code x.argmax()}. */
  public Tensor argmax() {
    if (numel() == 0) {
      throw new IllegalArgumentException("argmax(): Expected reduction dim to be specified for input.numel() == 0.");
    }
    if (dtype == DType.BOOL) {
      throw new IllegalArgumentException("\"argmax_cpu\" not implemented for 'Bool'");
    }
    return reshape(-1).argmax(0);
  }

  private ValuesIndices extremeDim(int dim, boolean keepdim, boolean max) {
    if (dtype == DType.BOOL) {
      ValuesIndices vi = to(DType.INT64).extremeDim(dim, keepdim, max);
      return new ValuesIndices(vi.values().to(DType.BOOL), vi.indices());
    }
    int d = wrapDim(dim, shape.length);
    if (shape.length == 0) {
      Tensor zero = allocate(DType.INT64, new int[0]);
      return new ValuesIndices(cloneTensor(), zero);
    }
    int len = shape[d];
    if (len == 0) {
      throw new IllegalArgumentException((max ? "max" : "min") + "(): Expected reduction dim " + d
          + " to have non-zero size.");
    }
    Tensor moved = permuteToLast(d);
    int rows = moved.numel() / len;
    int[] rs = reducedShape(d, keepdim);
    Tensor values = allocate(dtype, rs);
    Tensor indices = allocate(DType.INT64, rs);
    boolean integral = dtype == DType.INT64;
    for (int r = 0; r < rows; r++) {
      int base = moved.offset + r * len;
      int best = 0;
      if (integral) {
        long bv = moved.readLong(base);
        for (int j = 1; j < len; j++) {
          long v = moved.readLong(base + j);
          if (max ? v > bv : v < bv) {
            bv = v;
            best = j;
          }
        }
        values.writeLong(r, bv);
      } else {
        double bv = moved.readDouble(base);
        if (!Double.isNaN(bv)) {
          for (int j = 1; j < len; j++) {
            double v = moved.readDouble(base + j);
            if (Double.isNaN(v)) {
              bv = v;
              best = j;
              break;
            }
            if (max ? v > bv : v < bv) {
              bv = v;
              best = j;
            }
          }
        }
        values.writeDouble(r, bv);
      }
      indices.writeLong(r, best);
    }
    return new ValuesIndices(values, indices);
  }

  // ---------------------------------------------------------------- matrix product

  /**
   * Matrix product as {@code torch.matmul}: vector·vector gives a 0-d tensor, matrix·vector a vector,
   * matrix·matrix a matrix; with more dimensions, the leading ones are batch dimensions, broadcast
   * against each other (see {@link #matmulBatched}).
   */
  public Tensor matmul(Tensor other) {
    if (shape.length == 0 || other.shape.length == 0) {
      throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are "
          + shape.length + "D and " + other.shape.length + "D");
    }
    if (shape.length > 2 || other.shape.length > 2) {
      return matmulBatched(other);
    }
    Tensor a = shape.length == 1 ? unsqueeze(0) : this;
    Tensor b = other.shape.length == 1 ? other.unsqueeze(1) : other;
    int m = a.shape[0];
    int k = a.shape[1];
    int n = b.shape[1];
    if (b.shape[0] != k) {
      if (shape.length == 1 && other.shape.length == 1) {
        throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + shape[0]
            + "] and src [" + other.shape[0] + "] to have the same number of elements, but got " + shape[0]
            + " and " + other.shape[0] + " elements respectively");
      }
      if (other.shape.length == 1) {
        throw new IllegalArgumentException("size mismatch, got " + m + ", " + m + "x" + k + "," + other.shape[0]);
      }
      throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + m + "x" + k + " and "
          + b.shape[0] + "x" + n + ")");
    }
    DType rt = DType.promote(dtype, other.dtype);
    if (dtype != other.dtype) {
      throw new IllegalArgumentException("expected scalar type " + pyTypeName(dtype) + " but found "
          + pyTypeName(other.dtype));
    }
    if (Node.isRecording(this, other)) {
      return MatmulOps.matmul(this, other);
    }
    Tensor out = allocate(rt, new int[] {m, n});
    if (rt == DType.FLOAT32) {
      float[] x = (float[]) a.contiguous().elements();
      float[] y = (float[]) b.contiguous().elements();
      float[] z = (float[]) out.storage;
      for (int i = 0; i < m; i++) {
        for (int p = 0; p < k; p++) {
          float av = x[i * k + p];
          int yo = p * n;
          int zo = i * n;
          for (int j = 0; j < n; j++) {
            z[zo + j] += av * y[yo + j];
          }
        }
      }
    } else {
      Tensor ac = a.contiguous();
      Tensor bc = b.contiguous();
      boolean integral = rt == DType.INT64 || rt == DType.BOOL;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          if (integral) {
            long s = 0;
            for (int p = 0; p < k; p++) {
              s += ac.readLong(ac.offset + i * k + p) * bc.readLong(bc.offset + p * n + j);
            }
            out.writeLong(i * n + j, s);
          } else {
            double s = 0;
            for (int p = 0; p < k; p++) {
              s += ac.readDouble(ac.offset + i * k + p) * bc.readDouble(bc.offset + p * n + j);
            }
            out.writeDouble(i * n + j, s);
          }
        }
      }
    }
    if (shape.length == 1 && other.shape.length == 1) {
      return out.reshape();
    }
    if (shape.length == 1) {
      return out.reshape(n);
    }
    if (other.shape.length == 1) {
      return out.reshape(m);
    }
    return out;
  }

  /**
   * {@link #matmul} with an operand of 3 or more dimensions, in PyTorch 1.13's steps (the same
   * products, the same history and the same messages): a batched left operand times a matrix or
   * vector folds its batch into the rows (reshape, mm or mv, {@code _unsafe_view});
   * a vector or matrix times a batched right operand runs as the transposed product; two batched
   * operands broadcast their batch dimensions and run one {@code bmm}.
   */
  private Tensor matmulBatched(Tensor other) {
    int d1 = shape.length;
    int d2 = other.shape.length;
    if (d2 <= 2) {
      int k = shape[d1 - 1];
      int[] batch = Arrays.copyOf(shape, d1 - 1);
      Tensor rows = reshape(checkedProduct(batch), k).matmul(other);
      int[] outShape = d2 == 2 ? Arrays.copyOf(batch, d1) : batch;
      if (d2 == 2) {
        outShape[d1 - 1] = other.shape[1];
      }
      return Node.isRecording(rows) ? ViewOps.Reshape.unsafeView(rows, outShape)
          : rows.view(outShape);
    }
    if (d1 <= 2) {
      Tensor otherT = other.transpose(-2, -1);
      return d1 == 1 ? otherT.matmul(this) : otherT.matmul(t()).transpose(-2, -1).contiguous();
    }
    int n = shape[d1 - 2];
    int k = shape[d1 - 1];
    int k2 = other.shape[d2 - 2];
    int p = other.shape[d2 - 1];
    int[] batch = broadcastShapes(Arrays.copyOf(shape, d1 - 2), Arrays.copyOf(other.shape, d2 - 2));
    int count = checkedProduct(batch);
    int[] aShape = Arrays.copyOf(batch, batch.length + 2);
    aShape[batch.length] = n;
    aShape[batch.length + 1] = k;
    int[] bShape = Arrays.copyOf(batch, batch.length + 2);
    bShape[batch.length] = k2;
    bShape[batch.length + 1] = p;
    Tensor a = expand(aShape).reshape(count, n, k);
    Tensor b = other.expand(bShape).reshape(count, k2, p);
    if (k2 != k) {
      throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + count
          + ", " + k + "] but got: [" + count + ", " + k2 + "].");
    }
    if (dtype != other.dtype) {
      throw new IllegalArgumentException("expected scalar type " + pyTypeName(dtype) + " but found "
          + pyTypeName(other.dtype));
    }
    Tensor out = Node.isRecording(a, b) ? MatmulOps.Bmm.apply(a, b) : MatmulOps.bmm(a, b);
    int[] outShape = Arrays.copyOf(batch, batch.length + 2);
    outShape[batch.length] = n;
    outShape[batch.length + 1] = p;
    return Node.isRecording(out) ? ViewOps.Reshape.unsafeView(out, outShape)
        : out.view(outShape);
  }

  /** The product of the sizes, refused when it does not fit a dimension (possible only with an empty dimension). */
  private static int checkedProduct(int[] sizes) {
    long count = 1;
    for (int s : sizes) {
      count *= s;
      if (count > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("matmul: the batch dimensions " + shapeText(sizes)
            + " hold more than 2^31-1 matrices");
      }
    }
    return (int) count;
  }

  // ---------------------------------------------------------------- comparison helpers

  /** Whether both tensors have the same shape and elements (PyTorch's {@code torch.equal}). */
  public boolean equal(Tensor other) {
    if (!Arrays.equals(shape, other.shape)) {
      return false;
    }
    int[] ia = storageIndices();
    int[] ib = other.storageIndices();
    boolean exact = !dtype.isFloatingPoint() && !other.dtype.isFloatingPoint();
    for (int i = 0; i < ia.length; i++) {
      if (exact ? readLong(ia[i]) != other.readLong(ib[i]) : readDouble(ia[i]) != other.readDouble(ib[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code |this - other| <= atol + rtol * |other|} element-wise after broadcasting (PyTorch's
   * {@code allclose}); NaNs are unequal unless {@code equalNan}.
   */
  public boolean allclose(Tensor other, double rtol, double atol, boolean equalNan) {
    int[] outShape = broadcastShapes(shape, other.shape);
    Tensor a = expand(outShape);
    Tensor b = other.expand(outShape);
    int[] ia = a.storageIndices();
    int[] ib = b.storageIndices();
    for (int i = 0; i < ia.length; i++) {
      double x = a.readDouble(ia[i]);
      double y = b.readDouble(ib[i]);
      if (Double.isNaN(x) || Double.isNaN(y)) {
        if (!(equalNan && Double.isNaN(x) && Double.isNaN(y))) {
          return false;
        }
      } else if (x != y && !(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
        return false;
      }
    }
    return true;
  }

  /** {@code allclose} with PyTorch's defaults {@code rtol=1e-5, atol=1e-8}. */
  public boolean allclose(Tensor other) {
    return allclose(other, 1e-5, 1e-8, false);
  }

  // ---------------------------------------------------------------- autograd state

  /** Whether operations on this tensor are recorded for autograd. */
  public boolean requiresGrad() {
    refreshView();
    return requiresGrad;
  }

  /**
   * Sets whether this tensor requires grad (PyTorch's {@code requires_grad_}); only floating-point
   * tensors can. Modifies this tensor; returns it.
   */
  public Tensor setRequiresGrad(boolean value) {
    if (value && !dtype.isFloatingPoint()) {
      throw new IllegalArgumentException("only Tensors of floating point dtype can require gradients");
    }
    if (gradFn != null && !value) {
      throw new IllegalArgumentException("you can only change requires_grad flags of leaf variables. If you want "
          + "to use a computed variable in a subgraph that doesn't require differentiation use "
          + "var_no_grad = var.detach().");
    }
    this.requiresGrad = value;
    return this;
  }

  /** The accumulated gradient, or null. */
  public Tensor grad() {
    return grad;
  }

  /** Replaces the gradient (null clears it). */
  public void setGrad(Tensor g) {
    this.grad = g;
  }

  /**
   * The autograd node that made this tensor, PyTorch's {@code grad_fn}: null for leaves (tensors made
   * by the user) and for results computed without recording.
   */
  public Node gradFn() {
    refreshView();
    return gradFn;
  }

  /** Whether this tensor is a leaf of the autograd graph: it was not computed by a recorded operation. */
  public boolean isLeaf() {
    return gradFn() == null;
  }

  /**
   * How many times this tensor's storage was changed in place (PyTorch's {@code _version}); shared by
   * every view of the same storage.
   */
  public int version() {
    return version[0];
  }

  /**
   * Computes the gradient of this one-element tensor (a loss) with respect to every leaf that requires
   * grad and adds it to the leaf's {@link #grad()}; the graph's saved tensors are then freed.
   *
   * <pre>{@code
   * Tensor w = Torch.tensor(new double[] {1, 2}).setRequiresGrad(true);
   * w.mul(w).sum().backward();
   * w.grad();   // tensor([2., 4.])
   * }</pre>
   *
   * @throws IllegalArgumentException if this tensor does not require grad or has more than one element
   */
  public void backward() {
    Autograd.backward(this, null, false);
  }

  /**
   * Backward with the gradient of this tensor given ({@code gradient}, same shape), for non-scalar
   * outputs: {@code y.backward(torch.ones_like(y))}.
   */
  public void backward(Tensor gradient) {
    Autograd.backward(this, gradient, false);
  }

  /** Backward that keeps the graph when {@code retainGraph}, so that it can be run backward again. */
  public void backward(Tensor gradient, boolean retainGraph) {
    Autograd.backward(this, gradient, retainGraph);
  }

  /**
   * Counts an in-place change in the version, after the operation's own checks. While recording,
   * the in-place operations have recorded themselves (or refused) before this ({@code + - * /}:
   * {@link #recordedInPlace}; {@code fill}, {@code zero}, {@code copy}, {@code set}:
   * {@link #recordedOverwrite}); an unrecorded change to a tensor in the graph would be a bug here.
   */
  private void beforeInPlace(Tensor source) {
    assert !GradMode.isEnabled() || !(requiresGrad() || (source != null && source.requiresGrad()))
        : "an in-place change of a tensor in the autograd graph was not recorded";
    version[0]++;
  }

  // ---------------------------------------------------------------- printing

  /** Exactly PyTorch's {@code repr}: {@code tensor([[19., 25.],\n        [37., 43.]])}. */
  @Override
  public String toString() {
    List<String> suffixes = new ArrayList<>();
    if (gradFn() != null) {
      suffixes.add("grad_fn=<" + gradFn.name() + ">");
    } else if (requiresGrad) {
      suffixes.add("requires_grad=True");
    }
    String repr = TensorFormatter.repr(dtype, shape.clone(), elements(), suffixes);
    return parameter ? "Parameter containing:\n" + repr : repr;
  }

  // ---------------------------------------------------------------- raw access (kernels)

  private static final class GradAccess implements AutogradAccess.Access {
    @Override
    public void setGradFn(Tensor t, Node fn) {
      t.gradFn = fn;
      t.requiresGrad = true;
    }

    @Override
    public Node gradAccumulator(Tensor t) {
      return t.gradAccumulator;
    }

    @Override
    public void setGradAccumulator(Tensor t, Node accumulator) {
      t.gradAccumulator = accumulator;
    }

    @Override
    public void linkView(Tensor view, Tensor input) {
      view.viewBase = input.viewBase != null ? input.viewBase : input;
      view.viewWithGrad = true;
      view.viewVersion = view.version[0];
    }

    @Override
    public void markParameter(Tensor t) {
      t.parameter = true;
    }

    @Override
    public void markMultiOutputView(Tensor t, int index) {
      t.multiOutputIndex = index;
      t.multiOutputFn = t.gradFn.name();
    }

    @Override
    public void unlinkView(Tensor t) {
      t.viewBase = null;
    }

    @Override
    public int storageOffset(Tensor t) {
      return t.offset;
    }

    @Override
    public Tensor aliasForSave(Tensor t) {
      Tensor alias = t.detach();
      alias.savedFrom = t;
      return alias;
    }

    @Override
    public Tensor savedFrom(Tensor alias) {
      return alias.savedFrom;
    }

    @Override
    public int outputNr(Tensor t) {
      return Math.max(0, t.multiOutputIndex);
    }

    @Override
    public boolean sameData(Tensor a, Tensor b) {
      return a.storage == b.storage && a.offset == b.offset && Arrays.equals(a.shape, b.shape)
          && Arrays.equals(a.strides, b.strides);
    }
  }

  private static final class RawAccess implements Raw.Access {
    @Override
    public float[] floats(Tensor t) {
      requireType(t, DType.FLOAT32);
      return (float[]) t.elements();
    }

    @Override
    public double[] doubles(Tensor t) {
      requireType(t, DType.FLOAT64);
      return (double[]) t.elements();
    }

    @Override
    public long[] longs(Tensor t) {
      requireType(t, DType.INT64);
      return (long[]) t.elements();
    }

    @Override
    public boolean[] booleans(Tensor t) {
      requireType(t, DType.BOOL);
      return (boolean[]) t.elements();
    }

    private static void requireType(Tensor t, DType want) {
      if (t.dtype != want) {
        throw new IllegalArgumentException("expected a " + want + " tensor but got " + t.dtype);
      }
    }

    @Override
    public Tensor wrap(Object data, int[] shape) {
      DType dt;
      if (data instanceof float[]) {
        dt = DType.FLOAT32;
      } else if (data instanceof double[]) {
        dt = DType.FLOAT64;
      } else if (data instanceof long[]) {
        dt = DType.INT64;
      } else if (data instanceof boolean[]) {
        dt = DType.BOOL;
      } else {
        throw new IllegalArgumentException("unsupported storage " + data.getClass());
      }
      int n = checkedNumel(shape);
      if (java.lang.reflect.Array.getLength(data) != n) {
        throw new IllegalArgumentException("data of length " + java.lang.reflect.Array.getLength(data)
            + " does not match shape " + shapeText(shape));
      }
      return owning(dt, data, shape);
    }
  }
}
