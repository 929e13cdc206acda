package dev.jconv.data;

import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes IDX files, the format of (Fashion-)MNIST: two zero bytes, a type byte, the number
 * of dimensions, each dimension as a big-endian int32, then the big-endian elements. Gzip-compressed
 * files ({@code .gz}, recognised by their content) are read transparently.
 *
 * <p>Reading refuses, with the file's name and the problem, a bad magic number, an unknown type, a
 * negative dimension or more than 2^31-1 elements, truncated data, data past the end, and corrupt
 * gzip streams.
 *
 * <pre>{@code
 * IdxArray labels = Idx.read(Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"));
 * labels.shape();   // [10000]
 * }</pre>
 */
public final class Idx {
  private Idx() {}

  /** Reads an IDX file, gzip-compressed or not. */
  public static IdxArray read(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, path.toString());
    }
  }

  /** Reads an IDX stream, gzip-compressed or not; {@code name} appears in error messages. */
  public static IdxArray read(InputStream raw, String name) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    InputStream src = in;
    if (b0 == 0x1f && b1 == 0x8b) {
      try {
        src = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
      } catch (IOException e) {
        throw new IOException(name + ": corrupt gzip stream (" + e.getMessage() + ")", e);
      }
    }
    try {
      return parse(src, name);
    } catch (java.util.zip.ZipException e) {
      throw new IOException(name + ": corrupt gzip stream (" + e.getMessage() + ")", e);
    } catch (EOFException e) {
      throw new IOException(name + ": truncated IDX file (" + e.getMessage() + ")", e);
    }
  }

  private static IdxArray parse(InputStream in, String name) throws IOException {
    byte[] magic = readN(in, 4, name, "the magic number");
    if (magic[0] != 0 || magic[1] != 0) {
      throw new IOException(name + ": not an IDX file (magic number " + hex(magic) + " does not start with 00 00)");
    }
    IdxArray.Type type = IdxArray.Type.of(magic[2] & 0xff);
    if (type == null) {
      throw new IOException(name + ": unknown IDX element type 0x" + Integer.toHexString(magic[2] & 0xff)
          + " (known: 08 ubyte, 09 byte, 0B short, 0C int, 0D float, 0E double)");
    }
    int rank = magic[3] & 0xff;
    ByteBuffer dims = ByteBuffer.wrap(readN(in, 4 * rank, name, "the dimensions")).order(ByteOrder.BIG_ENDIAN);
    int[] shape = new int[rank];
    long numel = 1;
    for (int i = 0; i < rank; i++) {
      shape[i] = dims.getInt();
      if (shape[i] < 0) {
        throw new IOException(name + ": negative dimension " + shape[i] + " in IDX shape");
      }
      numel *= shape[i];
      if (numel > Integer.MAX_VALUE) {
        throw new IOException(name + ": IDX shape " + Arrays.toString(Arrays.copyOf(shape, i + 1))
            + "... has more than 2^31-1 elements");
      }
    }
    int n = (int) numel;
    long bytes = numel * type.size;
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new IOException(name + ": IDX data of " + bytes + " bytes is larger than jconv reads");
    }
    byte[] body = readN(in, (int) bytes, name, "the data (the header promises " + bytes + " bytes)");
    if (in.read() != -1) {
      throw new IOException(name + ": IDX file has data past the " + bytes + " bytes its header promises");
    }
    ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.BIG_ENDIAN);
    Object data = switch (type) {
      case UBYTE, BYTE -> body;
      case SHORT -> {
        short[] v = new short[n];
        b.asShortBuffer().get(v);
        yield v;
      }
      case INT -> {
        int[] v = new int[n];
        b.asIntBuffer().get(v);
        yield v;
      }
      case FLOAT -> {
        float[] v = new float[n];
        b.asFloatBuffer().get(v);
        yield v;
      }
      case DOUBLE -> {
        double[] v = new double[n];
        b.asDoubleBuffer().get(v);
        yield v;
      }
    };
    return new IdxArray(type, shape, data);
  }

  private static byte[] readN(InputStream in, int n, String name, String what) throws IOException {
    // Grown as the bytes arrive, up to n: a damaged header that promises gigabytes in a short file is
    // refused from what the file holds, without allocating the promise first.
    byte[] out = new byte[Math.min(n, 1 << 16)];
    int got = 0;
    while (true) {
      got += in.readNBytes(out, got, out.length - got);
      if (got < out.length || got == n) {
        break;
      }
      out = Arrays.copyOf(out, (int) Math.min(n, 2L * out.length));
    }
    if (got < n) {
      throw new IOException(name + ": truncated IDX file: " + got + " of " + n + " bytes of " + what);
    }
    return out;
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x ", x & 0xff));
    }
    return sb.toString().strip();
  }

  /** Writes an IDX file, gzip-compressed when {@code gzip}. */
  public static void write(Path path, IdxArray array, boolean gzip) throws IOException {
    try (OutputStream out = Files.newOutputStream(path)) {
      write(out, array, gzip);
    }
  }

  /** Writes an IDX stream, gzip-compressed when {@code gzip}. */
  public static void write(OutputStream raw, IdxArray array, boolean gzip) throws IOException {
    OutputStream sink = gzip ? new GZIPOutputStream(raw) : raw;
    DataOutputStream out = new DataOutputStream(sink);
    int[] shape = array.shape();
    out.write(new byte[] {0, 0, (byte) array.type().code, (byte) shape.length});
    for (int d : shape) {
      out.writeInt(d);
    }
    Object data = array.data();
    switch (array.type()) {
      case UBYTE, BYTE -> out.write((byte[]) data);
      case SHORT -> {
        for (short v : (short[]) data) {
          out.writeShort(v);
        }
      }
      case INT -> {
        for (int v : (int[]) data) {
          out.writeInt(v);
        }
      }
      case FLOAT -> {
        for (float v : (float[]) data) {
          out.writeFloat(v);
        }
      }
      case DOUBLE -> {
        for (double v : (double[]) data) {
          out.writeDouble(v);
        }
      }
    }
    out.flush();
    if (gzip) {
      ((GZIPOutputStream) sink).finish();
    }
  }
}
