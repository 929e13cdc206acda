package dev.jconv.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.data.Idx;
import dev.jconv.data.IdxArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files: valid safetensors, .npy and IDX files (PyTorch's and numpy's from the golden
 * directories, and jconv's own), changed at random: bits flipped, bytes overwritten, inserted or
 * cut, the file truncated or extended, numbers in the text headers replaced by extreme ones. Every
 * reader must either read the damaged file or refuse it with an {@link IOException}: never another
 * exception (an index out of bounds, a negative array size, a number format error), never a hang,
 * and never an allocation far larger than the file (a header that promises gigabytes in a file of a
 * few bytes is refused from what the file holds).
 */
class FileFormatsMutationTest {

  private static final int MUTANTS = 3000;

  /** What one reader does with the bytes of a file. */
  interface Reader {
    void read(byte[] bytes) throws IOException;
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = FileFormatsMutationTest.class.getResourceAsStream("/golden/" + path)) {
      if (in == null) {
        throw new IOException("missing test resource golden/" + path);
      }
      return in.readAllBytes();
    }
  }

  private static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** One random change of {@code src}; {@code textEnd} bounds the header text (0: none). */
  static byte[] mutate(byte[] src, int textEnd, SplittableRandom r) {
    byte[] b = src.clone();
    int kind = r.nextInt(textEnd > 0 ? 8 : 7);
    switch (kind) {
      case 0 -> { // flip 1 to 4 bits
        for (int i = 1 + r.nextInt(4); i > 0 && b.length > 0; i--) {
          int at = r.nextInt(b.length);
          b[at] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> { // overwrite a run of up to 8 bytes, mostly in the first 64 (the binary headers)
        if (b.length > 0) {
          int at = r.nextInt(4) > 0 ? r.nextInt(Math.min(64, b.length)) : r.nextInt(b.length);
          for (int i = at; i < Math.min(b.length, at + 1 + r.nextInt(8)); i++) {
            b[i] = (byte) (r.nextInt(3) == 0 ? 0xff : r.nextInt(3) == 0 ? 0 : r.nextInt(256));
          }
        }
      }
      case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncate
      case 3 -> { // extend with zeros or random bytes
        int old = b.length;
        b = Arrays.copyOf(b, old + 1 + r.nextInt(64));
        if (r.nextBoolean()) {
          for (int i = old; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
          }
        }
      }
      case 4 -> { // insert bytes
        int at = r.nextInt(b.length + 1);
        byte[] ins = new byte[1 + r.nextInt(8)];
        r.nextBytes(ins);
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        b = out;
      }
      case 5 -> { // cut bytes
        if (b.length > 0) {
          int at = r.nextInt(b.length);
          int n = Math.min(b.length - at, 1 + r.nextInt(8));
          byte[] out = new byte[b.length - n];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(b, at + n, out, at, b.length - at - n);
          b = out;
        }
      }
      case 6 -> { // a 4- or 8-byte integer field at a 4-aligned place in the first 64 bytes
        if (b.length >= 8) {
          int at = 4 * r.nextInt(Math.min(16, (b.length - 4) / 4 + 1));
          long[] extreme = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7fff_fff0L, 1L << 31, 1L << 32,
              Long.MAX_VALUE, Long.MIN_VALUE, src.length, src.length + 1L, 100_000, 60_000};
          long v = extreme[r.nextInt(extreme.length)];
          ByteBuffer buf = ByteBuffer.wrap(b).order(r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
          if (at + 8 <= b.length && r.nextBoolean()) {
            buf.putLong(at, v);
          } else if (at + 4 <= b.length) {
            buf.putInt(at, (int) v);
          }
        }
      }
      default -> b = replaceNumber(b, textEnd, r);
    }
    return b;
  }

  /** A run of digits in the header text replaced by an extreme number (or a sign or letter added). */
  private static byte[] replaceNumber(byte[] b, int textEnd, SplittableRandom r) {
    List<int[]> runs = new ArrayList<>();
    for (int i = 0; i < Math.min(textEnd, b.length); i++) {
      if (Character.isDigit(b[i])) {
        int j = i;
        while (j < textEnd && j < b.length && Character.isDigit(b[j])) {
          j++;
        }
        runs.add(new int[] {i, j});
        i = j;
      }
    }
    if (runs.isEmpty()) {
      return b;
    }
    int[] run = runs.get(r.nextInt(runs.size()));
    String[] extreme = {"0", "1", "-1", "2147483647", "2147483648", "4294967296", "9223372036854775807",
        "9223372036854775808", "18446744073709551615", "99999999999999999999999", "1e30", "-0", "1.5", "00", "3x",
        "100000", "65536"};
    byte[] with = extreme[r.nextInt(extreme.length)].getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[b.length - (run[1] - run[0]) + with.length];
    System.arraycopy(b, 0, out, 0, run[0]);
    System.arraycopy(with, 0, out, run[0], with.length);
    System.arraycopy(b, run[1], out, run[0] + with.length, b.length - run[1]);
    return out;
  }

  /** The bytes this thread has allocated so far (HotSpot's ThreadMXBean; reflection, since the module does not read java.management). */
  private static long allocated() {
    try {
      return (long) ALLOCATED.invoke(BEAN);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Object BEAN;
  private static final java.lang.reflect.Method ALLOCATED;

  static {
    try {
      BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
      ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Reads {@code MUTANTS} damaged copies of each of {@code files}; returns how many were refused
   * (and checks that some were and some were not, so the damage is neither always fatal nor inert).
   */
  private static int[] run(String what, List<byte[]> files, java.util.function.ToIntFunction<byte[]> textEnd,
      Reader reader, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] counts = new int[2];
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < MUTANTS; i++) {
        byte[] src = files.get(i % files.size());
        byte[] bad = mutate(src, textEnd.applyAsInt(src), r);
        long before = allocated();
        try {
          reader.read(bad);
          counts[0]++;
        } catch (IOException e) {
          assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + " mutant " + i + ": empty message");
          counts[1]++;
        } catch (RuntimeException | OutOfMemoryError e) {
          fail(what + " mutant " + i + " (" + bad.length + " bytes, from a file of " + src.length + "): "
              + e + "\nfirst bytes: " + Arrays.toString(Arrays.copyOf(bad, Math.min(bad.length, 96))), e);
        }
        long used = allocated() - before;
        // The reader may hold the file a few times over (bytes, decoded values) and its stream buffers
        // (64 KB each), not what a header promises.
        long allowed = 16L * bad.length + (4 << 20);
        assertTrue(used <= allowed, what + " mutant " + i + " of " + bad.length + " bytes allocated " + used
            + " bytes\nfirst bytes: " + Arrays.toString(Arrays.copyOf(bad, Math.min(bad.length, 96))));
      }
    });
    assertTrue(counts[0] > 0 && counts[1] > 0, what + ": read " + counts[0] + ", refused " + counts[1]);
    return counts;
  }

  private static int safetensorsHeaderEnd(byte[] b) {
    if (b.length < 8) {
      return 0;
    }
    long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    return (int) Math.min(b.length, 8 + Math.max(0, Math.min(n, b.length)));
  }

  private static int npyHeaderEnd(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return b.length;
  }

  @Test
  void damagedSafetensors_readOrRefusedWithIOException() throws IOException {
    List<byte[]> files = List.of(resource("safetensors/mixed.safetensors"), resource("safetensors/model.safetensors"));
    run("safetensors", files, FileFormatsMutationTest::safetensorsHeaderEnd,
        b -> Safetensors.read(b, "mutant.safetensors").values().forEach(t -> t.numel()), 11);
  }

  @Test
  void damagedSafetensorsFiles_readOrRefusedWithIOException(@TempDir Path dir) throws IOException {
    // The path reader sizes its buffers from the file: a second route through the checks.
    List<byte[]> files = List.of(resource("safetensors/mixed.safetensors"));
    Path p = dir.resolve("mutant.safetensors");
    run("safetensors file", files, FileFormatsMutationTest::safetensorsHeaderEnd, b -> {
      Files.write(p, b);
      Safetensors.read(p);
    }, 12);
  }

  @Test
  void damagedNpy_readOrRefusedWithIOException() throws IOException {
    List<byte[]> files = new ArrayList<>();
    for (String s : List.of("f32", "f64", "i64", "bool", "empty", "scalar")) {
      files.add(resource("safetensors/mixed_" + s + ".npy"));
    }
    files.add(resource("optim/o4_p3_1.npy"));
    run("npy", files, FileFormatsMutationTest::npyHeaderEnd,
        b -> Npy.read(new ByteArrayInputStream(b), "mutant.npy"), 13);
  }

  @Test
  void damagedIdx_readOrRefusedWithIOException() throws IOException {
    List<byte[]> files = List.of(resource("data/good_int.idx"), resource("data/truncated_data.idx"),
        resource("data/trailing_data.idx"), idx(IdxArray.Type.UBYTE, new int[] {7, 5, 4}),
        idx(IdxArray.Type.FLOAT, new int[] {3, 2}), idx(IdxArray.Type.DOUBLE, new int[] {9}));
    run("idx", files, b -> 0, b -> Idx.read(new ByteArrayInputStream(b), "mutant.idx"), 14);
  }

  @Test
  void damagedGzippedIdx_readOrRefusedWithIOException() throws IOException {
    // Damage to the compressed stream, and valid compression of damaged content.
    byte[] good = idx(IdxArray.Type.UBYTE, new int[] {20, 6, 6});
    SplittableRandom r = new SplittableRandom(15);
    List<byte[]> files = new ArrayList<>(List.of(resource("data/good_double.idx.gz"), gzip(good)));
    for (int i = 0; i < 40; i++) {
      files.add(gzip(mutate(good, 0, r)));
    }
    run("gzipped idx", files, b -> 0, b -> Idx.read(new ByteArrayInputStream(b), "mutant.idx.gz"), 16);
  }

  /** A header that promises about 2 GB and a file of a few bytes: refused without allocating the promise. */
  @Test
  void idxPromisingGigabytes_refusedFromWhatTheFileHolds() {
    byte[] bad = {0, 0, 0x08, 1, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xe0, 1, 2, 3};
    long before = allocated();
    IOException e = assertThrows(IOException.class, () -> Idx.read(new ByteArrayInputStream(bad), "big.idx"));
    long used = allocated() - before;
    assertEquals("big.idx: truncated IDX file: 3 of 2147483616 bytes of the data (the header promises 2147483616 "
        + "bytes)", e.getMessage());
    assertTrue(used < (4 << 20), "allocated " + used + " bytes for an 11-byte file");
  }

  private static byte[] idx(IdxArray.Type type, int[] shape) throws IOException {
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    SplittableRandom r = new SplittableRandom(n);
    Object data = switch (type) {
      case UBYTE, BYTE -> {
        byte[] v = new byte[n];
        r.nextBytes(v);
        yield v;
      }
      case SHORT -> new short[n];
      case INT -> new int[n];
      case FLOAT -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) r.nextGaussian();
        }
        yield v;
      }
      case DOUBLE -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = r.nextGaussian();
        }
        yield v;
      }
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Idx.write(out, new IdxArray(type, shape, data), false);
    return out.toByteArray();
  }
}
