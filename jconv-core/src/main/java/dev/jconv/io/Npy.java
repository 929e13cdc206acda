package dev.jconv.io;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.internal.Raw;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0): float32, float64, int64 and bool,
 * C order, little-endian. Anything else is refused with an {@link IOException} that names the
 * problem; a header is never trusted for an allocation before the data it promises is there.
 *
 * <pre>{@code
 * Tensor x = Npy.read(Path.of("x.npy"));   // what np.save(...) or torch's .numpy() wrote
 * Npy.write(Path.of("y.npy"), y);          // np.load("y.npy") reads it back
 * }</pre>
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** Headers longer than this are refused (NumPy itself writes a few hundred bytes at most). */
  private static final int MAX_HEADER = 1 << 20;
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Reads a {@code .npy} file as a tensor of the same dtype and shape. */
  public static Tensor read(Path path) throws IOException {
    return toTensor(readArray(path));
  }

  /** Reads a {@code .npy} stream as a tensor; {@code name} is used in error messages. */
  public static Tensor read(InputStream in, String name) throws IOException {
    return toTensor(readArray(in, name));
  }

  /** Writes a tensor as a {@code .npy} file (C order, little-endian, as {@code np.save} does). */
  public static void write(Path path, Tensor tensor) throws IOException {
    writeArray(path, fromTensor(tensor));
  }

  /** Writes a tensor as a {@code .npy} stream. */
  public static void write(OutputStream out, Tensor tensor) throws IOException {
    writeArray(out, fromTensor(tensor));
  }

  /** The array as a tensor that owns the array's data (no copy). */
  public static Tensor toTensor(NpyArray a) {
    return switch (a.dtype()) {
      case FLOAT32 -> Raw.wrap(a.floats(), a.shape());
      case FLOAT64 -> Raw.wrap(a.doubles(), a.shape());
      case INT64 -> Raw.wrap(a.longs(), a.shape());
      case BOOL -> Raw.wrap(a.booleans(), a.shape());
    };
  }

  /** The tensor's elements in C order as an array (a copy). */
  public static NpyArray fromTensor(Tensor t) {
    Object data = switch (t.dtype()) {
      case FLOAT32 -> t.toFloatArray();
      case FLOAT64 -> t.toDoubleArray();
      case INT64 -> t.toLongArray();
      case BOOL -> t.toBooleanArray();
    };
    return new NpyArray(t.dtype(), t.shapeArray(), data);
  }

  /** Reads a {@code .npy} file. */
  public static NpyArray readArray(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return readArray(in, path.toString());
    }
  }

  /** Reads a {@code .npy} stream; {@code name} is used in error messages. */
  public static NpyArray readArray(InputStream in, String name) throws IOException {
    byte[] magic = readFully(in, 8, name, "the magic string");
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw new IOException(name + ": not a .npy file (bad magic string)");
      }
    }
    int major = magic[6] & 0xff;
    long headerLen;
    if (major == 1) {
      byte[] b = readFully(in, 2, name, "the header length");
      headerLen = (b[0] & 0xff) | (b[1] & 0xff) << 8;
    } else if (major == 2 || major == 3) {
      byte[] b = readFully(in, 4, name, "the header length");
      headerLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    } else {
      throw new IOException(name + ": unsupported .npy format version " + major + "." + (magic[7] & 0xff));
    }
    if (headerLen > MAX_HEADER) {
      throw new IOException(name + ": .npy header length " + headerLen + " is larger than " + MAX_HEADER);
    }
    String header = new String(readFully(in, (int) headerLen, name, "the header"),
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new IOException(name + ": malformed .npy header: " + header.strip());
    }
    if (f.group(1).equals("True")) {
      throw new IOException(name + ": Fortran-order .npy arrays are not supported (save with C order)");
    }
    DType dtype = switch (d.group(1)) {
      case "<f4" -> DType.FLOAT32;
      case "<f8" -> DType.FLOAT64;
      case "<i8" -> DType.INT64;
      case "|b1" -> DType.BOOL;
      case ">f4", ">f8", ">i8" -> throw new IOException(
          name + ": big-endian .npy data ('" + d.group(1) + "') is not supported");
      default -> throw new IOException(name + ": unsupported .npy dtype '" + d.group(1)
          + "' (supported: <f4 float32, <f8 float64, <i8 int64, |b1 bool)");
    };
    int[] shape = parseShape(s.group(1), name);
    long count = 1;
    for (int dim : shape) {
      count *= dim;
      if (count > Integer.MAX_VALUE) {
        throw new IOException(name + ": .npy shape " + s.group(1).strip()
            + " has more than 2^31-1 elements, the most a jconv tensor holds");
      }
    }
    long bytes = count * dtype.itemSize();
    byte[] raw = readUpTo(in, bytes, name);
    if (raw.length < bytes) {
      throw new IOException(name + ": truncated .npy data: the header promises " + bytes
          + " bytes but only " + raw.length + " follow");
    }
    if (in.read() != -1) {
      throw new IOException(name + ": .npy file has data past the " + bytes
          + " bytes its header describes");
    }
    ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) count;
    Object data = switch (dtype) {
      case FLOAT32 -> {
        float[] a = new float[n];
        buf.asFloatBuffer().get(a);
        yield a;
      }
      case FLOAT64 -> {
        double[] a = new double[n];
        buf.asDoubleBuffer().get(a);
        yield a;
      }
      case INT64 -> {
        long[] a = new long[n];
        buf.asLongBuffer().get(a);
        yield a;
      }
      case BOOL -> {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
          byte v = raw[i];
          if (v != 0 && v != 1) {
            throw new IOException(name + ": bool .npy element " + i + " has byte value " + v);
          }
          a[i] = v == 1;
        }
        yield a;
      }
    };
    return new NpyArray(dtype, shape, data);
  }

  private static int[] parseShape(String text, String name) throws IOException {
    List<Integer> dims = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      if (p.endsWith("L")) {
        p = p.substring(0, p.length() - 1);
      }
      long v;
      try {
        v = Long.parseLong(p);
      } catch (NumberFormatException e) {
        throw new IOException(name + ": bad dimension '" + part.strip() + "' in .npy shape (" + text + ")");
      }
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new IOException(name + ": dimension " + v + " in .npy shape (" + text + ") is out of range");
      }
      dims.add((int) v);
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  private static byte[] readFully(InputStream in, int n, String name, String what) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException(name + ": truncated .npy file while reading " + what);
    }
    return b;
  }

  /** Reads at most {@code n} bytes, growing the buffer only as data arrives (a forged size cannot exhaust memory). */
  private static byte[] readUpTo(InputStream in, long n, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(n, 1 << 16));
    byte[] chunk = new byte[1 << 16];
    long left = n;
    while (left > 0) {
      int r = in.read(chunk, 0, (int) Math.min(chunk.length, left));
      if (r < 0) {
        break;
      }
      out.write(chunk, 0, r);
      left -= r;
    }
    return out.toByteArray();
  }

  /** Writes a {@code .npy} file (format 1.0, as {@code np.save} does). */
  public static void writeArray(Path path, NpyArray array) throws IOException {
    try (OutputStream out = Files.newOutputStream(path)) {
      writeArray(out, array);
    }
  }

  /** Writes a {@code .npy} stream (format 1.0, as {@code np.save} does). */
  public static void writeArray(OutputStream out, NpyArray array) throws IOException {
    int[] shape = array.shape();
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sh.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        sh.append(shape.length == 1 ? "," : ", ");
      }
    }
    sh.append(')');
    String descr = switch (array.dtype()) {
      case FLOAT32 -> "<f4";
      case FLOAT64 -> "<f8";
      case INT64 -> "<i8";
      case BOOL -> "|b1";
    };
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    out.write(MAGIC);
    out.write(1);
    out.write(0);
    out.write(header.length() & 0xff);
    out.write(header.length() >>> 8);
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    Object data = array.data();
    ByteBuffer buf;
    switch (array.dtype()) {
      case FLOAT32 -> {
        float[] a = (float[]) data;
        buf = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(a);
      }
      case FLOAT64 -> {
        double[] a = (double[]) data;
        buf = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(a);
      }
      case INT64 -> {
        long[] a = (long[]) data;
        buf = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(a);
      }
      case BOOL -> {
        boolean[] a = (boolean[]) data;
        buf = ByteBuffer.allocate(a.length);
        for (boolean v : a) {
          buf.put((byte) (v ? 1 : 0));
        }
      }
      default -> throw new AssertionError();
    }
    out.write(buf.array());
  }
}
