package dev.jconv.io;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.internal.Raw;
import dev.jconv.internal.json.Json;
import dev.jconv.nn.Module;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format, in which PyTorch users exchange weights: an 8-byte
 * little-endian header length, a JSON header naming each tensor with its dtype, shape and byte range
 * ({@code {"conv1.weight": {"dtype": "F32", "shape": [6, 1, 5, 5], "data_offsets": [0, 600]}, ...}},
 * plus an optional {@code "__metadata__"} map of strings), then the raw little-endian data.
 *
 * <p>Reading checks the whole file before using it and refuses, with a message naming the file and
 * the problem, a header that lies about its length or is not JSON, unknown dtypes, byte ranges that
 * do not match the shape, fall outside the data, overlap or leave gaps, and data past the last
 * tensor. F32, F64, I64 and BOOL load as they are; F16 and BF16 load as float32, and the other integer
 * types as int64.
 *
 * <pre>{@code
 * Safetensors.save(net, Path.of("lenet.safetensors"));      // conv1.weight, conv1.bias, ...
 * Safetensors.load(net, Path.of("lenet.safetensors"));      // a model trained in PyTorch
 * Map<String, Tensor> all = Safetensors.read(Path.of("x.safetensors"));
 * }</pre>
 */
public final class Safetensors {
  /** The largest header accepted (the reference implementation's limit). */
  public static final int MAX_HEADER = 100_000_000;

  private Safetensors() {}

  /** The tensors of a safetensors file, by name, in the order of their data in the file. */
  public static Map<String, Tensor> read(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      String name = path.toString();
      if (size < 8) {
        throw new IOException(name + ": not a safetensors file: " + size + " bytes, shorter than the 8-byte header length");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0, name);
      long headerLen = lenBuf.getLong(0);
      checkHeaderLength(headerLen, size, name);
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8, name);
      Map<String, Entry> entries = parseHeader(header.array(), name);
      long dataLen = size - 8 - headerLen;
      checkLayout(entries, dataLen, name);
      if (dataLen > Integer.MAX_VALUE) {
        throw new IOException(name + ": " + dataLen + " bytes of tensor data: jconv reads at most 2^31-1");
      }
      ByteBuffer data = ByteBuffer.allocate((int) dataLen).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, data, 8 + headerLen, name);
      return decode(entries, data);
    }
  }

  /** The tensors of safetensors bytes (e.g. read from a resource); {@code name} appears in errors. */
  public static Map<String, Tensor> read(byte[] bytes, String name) throws IOException {
    if (bytes.length < 8) {
      throw new IOException(name + ": not a safetensors file: " + bytes.length
          + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = all.getLong(0);
    checkHeaderLength(headerLen, bytes.length, name);
    byte[] header = new byte[(int) headerLen];
    System.arraycopy(bytes, 8, header, 0, header.length);
    Map<String, Entry> entries = parseHeader(header, name);
    int dataStart = 8 + (int) headerLen;
    checkLayout(entries, bytes.length - dataStart, name);
    ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice().order(ByteOrder.LITTLE_ENDIAN);
    return decode(entries, data);
  }

  /** The {@code __metadata__} strings of a file (empty when it has none). */
  public static Map<String, String> metadata(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      String name = path.toString();
      long size = ch.size();
      if (size < 8) {
        throw new IOException(name + ": not a safetensors file: " + size + " bytes, shorter than the 8-byte header length");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0, name);
      long headerLen = lenBuf.getLong(0);
      checkHeaderLength(headerLen, size, name);
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8, name);
      Map<String, String> meta = new LinkedHashMap<>();
      parseHeader(header.array(), name, meta);
      return meta;
    }
  }

  /** Writes {@code tensors} (in name order) with no metadata. */
  public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
    write(path, tensors, Map.of());
  }

  /** Writes {@code tensors} (in name order) and the {@code __metadata__} strings. */
  public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    try (OutputStream out = Files.newOutputStream(path)) {
      write(out, tensors, metadata);
    }
  }

  /**
   * Writes the file to {@code out}: header padded with spaces to a multiple of 8 bytes, as the
   * reference implementation does, so the data is aligned.
   *
   * @throws IllegalArgumentException for a name starting with {@code __} or an empty name
   */
  public static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    TreeMap<String, Tensor> sorted = new TreeMap<>(tensors);
    StringBuilder h = new StringBuilder("{");
    boolean first = true;
    if (metadata != null && !metadata.isEmpty()) {
      h.append("\"__metadata__\":{");
      boolean f = true;
      for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
        h.append(f ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
        f = false;
      }
      h.append('}');
      first = false;
    }
    long offset = 0;
    List<Tensor> order = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
      String key = e.getKey();
      if (key.isEmpty() || key.startsWith("__")) {
        throw new IllegalArgumentException("safetensors tensor names must not be empty or start with \"__\": \""
            + key + "\"");
      }
      Tensor t = e.getValue();
      long bytes = (long) t.numel() * itemSize(t.dtype());
      h.append(first ? "" : ",").append(Json.quote(key)).append(":{\"dtype\":\"").append(code(t.dtype()))
          .append("\",\"shape\":[");
      int[] shape = t.shapeArray();
      for (int i = 0; i < shape.length; i++) {
        h.append(i > 0 ? "," : "").append(shape[i]);
      }
      h.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
      offset += bytes;
      order.add(t);
      first = false;
    }
    h.append('}');
    byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (header.length + 7) / 8 * 8;
    ByteBuffer lead = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    lead.putLong(padded).put(header);
    while (lead.position() < lead.capacity()) {
      lead.put((byte) ' ');
    }
    out.write(lead.array());
    for (Tensor t : order) {
      out.write(encode(t));
    }
  }

  /** Saves a module's state dict ({@code conv1.weight}, ...), as {@code save_file(model.state_dict(), path)}. */
  public static void save(Module module, Path path) throws IOException {
    write(path, module.stateDict());
  }

  /**
   * Loads a file into a module's parameters and buffers (strict: the names and shapes must be the
   * model's; values are converted to the parameters' dtype).
   *
   * @throws IOException for a malformed file
   * @throws IllegalArgumentException when the file does not fit the model (PyTorch's load_state_dict
   *     message)
   */
  public static void load(Module module, Path path) throws IOException {
    module.loadStateDict(read(path));
  }

  // ---------------------------------------------------------------- reading

  private record Entry(String name, String dtype, int[] shape, long begin, long end) {}

  private static void readFully(FileChannel ch, ByteBuffer buf, long at, String name) throws IOException {
    long p = at;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, p);
      if (n < 0) {
        throw new IOException(name + ": truncated safetensors file");
      }
      p += n;
    }
  }

  private static void checkHeaderLength(long headerLen, long size, String name) throws IOException {
    if (headerLen < 2 || headerLen > MAX_HEADER) {
      throw new IOException(name + ": safetensors header length " + Long.toUnsignedString(headerLen)
          + " is not in [2, " + MAX_HEADER + "]");
    }
    if (headerLen > size - 8) {
      throw new IOException(name + ": safetensors header length " + headerLen + " runs past the end of the "
          + size + "-byte file");
    }
  }

  private static Map<String, Entry> parseHeader(byte[] header, String name) throws IOException {
    return parseHeader(header, name, null);
  }

  private static Map<String, Entry> parseHeader(byte[] header, String name, Map<String, String> metaOut)
      throws IOException {
    if (header[0] != '{') {
      throw new IOException(name + ": safetensors header does not start with '{'");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(header)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(name + ": safetensors header is not valid UTF-8");
    }
    Object root;
    try {
      root = Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(name + ": safetensors header is not valid JSON (" + e.getMessage() + ")");
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new IOException(name + ": safetensors header is not a JSON object");
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = (String) e.getKey();
      if (key.equals("__metadata__")) {
        if (!(e.getValue() instanceof Map<?, ?> meta)) {
          throw new IOException(name + ": __metadata__ must be an object of strings");
        }
        for (Map.Entry<?, ?> m : meta.entrySet()) {
          if (!(m.getValue() instanceof String s)) {
            throw new IOException(name + ": __metadata__ value of \"" + m.getKey() + "\" is not a string");
          }
          if (metaOut != null) {
            metaOut.put((String) m.getKey(), s);
          }
        }
        continue;
      }
      out.put(key, entry(key, e.getValue(), name));
    }
    return out;
  }

  private static Entry entry(String key, Object v, String name) throws IOException {
    String where = name + ": tensor \"" + key + "\"";
    if (!(v instanceof Map<?, ?> m)) {
      throw new IOException(where + " is not described by a JSON object");
    }
    for (Object k : m.keySet()) {
      if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
        throw new IOException(where + " has an unknown field \"" + k + "\"");
      }
    }
    if (!(m.get("dtype") instanceof String dtype)) {
      throw new IOException(where + " has no dtype string");
    }
    if (itemSize(dtype) < 0) {
      throw new IOException(where + " has unknown dtype \"" + dtype + "\" (known: F64, F32, F16, BF16, I64, I32, "
          + "I16, I8, U64, U32, U16, U8, BOOL)");
    }
    if (!(m.get("shape") instanceof List<?> shapeList)) {
      throw new IOException(where + " has no shape list");
    }
    int[] shape = new int[shapeList.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      Object d = shapeList.get(i);
      if (!(d instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
        throw new IOException(where + " has a bad dimension " + d + " in its shape " + shapeList);
      }
      shape[i] = (int) (long) l;
      numel *= l; // both factors are at most 2^31-1: no overflow
      if (numel > Tensor.MAX_ELEMENTS) {
        throw new IOException(where + " has shape " + shapeList + ", more than the 2^31-1 elements a jconv tensor holds");
      }
    }
    if (!(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2
        || !(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end) || begin < 0 || end < begin) {
      throw new IOException(where + " has bad data_offsets " + m.get("data_offsets")
          + " (expected [begin, end] with 0 <= begin <= end)");
    }
    long expected = numel * itemSize(dtype);
    if (end - begin != expected) {
      throw new IOException(where + " of dtype " + dtype + " and shape " + shapeList + " needs " + expected
          + " bytes, but its data_offsets " + offs + " span " + (end - begin));
    }
    return new Entry(key, dtype, shape, begin, end);
  }

  /** Every byte of the data belongs to exactly one tensor: no overlap, no gap, nothing outside. */
  private static void checkLayout(Map<String, Entry> entries, long dataLen, String name) throws IOException {
    List<Entry> sorted = new ArrayList<>(entries.values());
    sorted.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
    for (Entry e : sorted) {
      if (e.end > dataLen) {
        throw new IOException(name + ": tensor \"" + e.name + "\" has data_offsets [" + e.begin + ", " + e.end
            + "] beyond the " + dataLen + " bytes of data in the file");
      }
    }
    long at = 0;
    Entry prev = null;
    for (Entry e : sorted) {
      if (e.begin < at) {
        throw new IOException(name + ": tensors \"" + prev.name + "\" and \"" + e.name + "\" overlap (bytes ["
            + e.begin + ", " + at + "))");
      }
      if (e.begin > at) {
        throw new IOException(name + ": bytes [" + at + ", " + e.begin + ") of the data belong to no tensor");
      }
      at = e.end;
      prev = e;
    }
    if (at != dataLen) {
      throw new IOException(name + ": the file has " + dataLen + " bytes of data but its tensors cover " + at);
    }
  }

  private static Map<String, Tensor> decode(Map<String, Entry> entries, ByteBuffer data) throws IOException {
    List<Entry> sorted = new ArrayList<>(entries.values());
    sorted.sort((a, b) -> Long.compare(a.begin, b.begin));
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Entry e : sorted) {
      ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      b.position((int) e.begin).limit((int) e.end);
      b = b.slice().order(ByteOrder.LITTLE_ENDIAN);
      int n = (int) ((e.end - e.begin) / itemSize(e.dtype));
      Tensor t = switch (e.dtype) {
        case "F32" -> {
          float[] v = new float[n];
          b.asFloatBuffer().get(v);
          yield Raw.wrap(v, e.shape);
        }
        case "F64" -> {
          double[] v = new double[n];
          b.asDoubleBuffer().get(v);
          yield Raw.wrap(v, e.shape);
        }
        case "F16", "BF16" -> {
          float[] v = new float[n];
          for (int i = 0; i < n; i++) {
            short s = b.getShort(2 * i);
            v[i] = e.dtype.equals("F16") ? Float.float16ToFloat(s) : Float.intBitsToFloat((s & 0xffff) << 16);
          }
          yield Raw.wrap(v, e.shape);
        }
        case "BOOL" -> {
          boolean[] v = new boolean[n];
          for (int i = 0; i < n; i++) {
            byte x = b.get(i);
            if (x != 0 && x != 1) {
              throw new IOException("tensor \"" + e.name + "\": bool element " + i + " has byte value " + x);
            }
            v[i] = x == 1;
          }
          yield Raw.wrap(v, e.shape);
        }
        default -> {
          long[] v = new long[n];
          for (int i = 0; i < n; i++) {
            v[i] = switch (e.dtype) {
              case "I64" -> b.getLong(8 * i);
              case "U64" -> {
                long x = b.getLong(8 * i);
                if (x < 0) {
                  throw new IOException("tensor \"" + e.name + "\": U64 element " + i + " = "
                      + Long.toUnsignedString(x) + " does not fit int64");
                }
                yield x;
              }
              case "I32" -> b.getInt(4 * i);
              case "U32" -> b.getInt(4 * i) & 0xffffffffL;
              case "I16" -> b.getShort(2 * i);
              case "U16" -> b.getShort(2 * i) & 0xffff;
              case "I8" -> b.get(i);
              case "U8" -> b.get(i) & 0xff;
              default -> throw new AssertionError(e.dtype);
            };
          }
          yield Raw.wrap(v, e.shape);
        }
      };
      out.put(e.name, t);
    }
    return Collections.unmodifiableMap(out);
  }

  // ---------------------------------------------------------------- writing

  private static byte[] encode(Tensor t) {
    int n = t.numel();
    ByteBuffer b = ByteBuffer.allocate(n * itemSize(t.dtype())).order(ByteOrder.LITTLE_ENDIAN);
    switch (t.dtype()) {
      case FLOAT32 -> b.asFloatBuffer().put(Raw.floats(t));
      case FLOAT64 -> b.asDoubleBuffer().put(Raw.doubles(t));
      case INT64 -> b.asLongBuffer().put(Raw.longs(t));
      case BOOL -> {
        boolean[] v = Raw.booleans(t);
        for (int i = 0; i < n; i++) {
          b.put(i, (byte) (v[i] ? 1 : 0));
        }
      }
    }
    return b.array();
  }

  private static String code(DType t) {
    return switch (t) {
      case FLOAT32 -> "F32";
      case FLOAT64 -> "F64";
      case INT64 -> "I64";
      case BOOL -> "BOOL";
    };
  }

  private static int itemSize(DType t) {
    return switch (t) {
      case FLOAT32 -> 4;
      case FLOAT64, INT64 -> 8;
      case BOOL -> 1;
    };
  }

  /** Bytes per element of a safetensors dtype, or -1 if unknown. */
  private static int itemSize(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL" -> 1;
      default -> -1;
    };
  }
}
