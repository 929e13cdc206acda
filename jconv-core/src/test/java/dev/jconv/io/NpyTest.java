package dev.jconv.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.testing.Golden;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** .npy files written by NumPy (tools/golden/gen_npy.py), round trips, and forged files. */
class NpyTest {

  static Stream<JsonNode> good() {
    return Golden.cases("npy").stream().filter(c -> c.get("kind").asText().equals("good"));
  }

  static Stream<JsonNode> bad() {
    return Golden.cases("npy").stream().filter(c -> c.get("kind").asText().equals("bad"));
  }

  private static byte[] resource(String file) throws IOException {
    try (InputStream in = NpyTest.class.getResourceAsStream("/golden/npy/" + file)) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @MethodSource("good")
  void read_numpyFile_givesItsValues(JsonNode c) throws IOException {
    byte[] bytes = resource(c.get("file").asText());
    Tensor t = Npy.read(new ByteArrayInputStream(bytes), c.get("file").asText());
    int[] shape = new int[c.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = c.get("shape").get(i).asInt();
    }
    assertArrayEquals(shape, t.shapeArray());
    String dt = c.get("dtype").asText();
    assertEquals(switch (dt) {
      case "float32" -> DType.FLOAT32;
      case "float64" -> DType.FLOAT64;
      case "int64" -> DType.INT64;
      default -> DType.BOOL;
    }, t.dtype());
    double[] got = t.toDoubleArray();
    JsonNode values = c.get("values");
    assertEquals(values.size(), got.length);
    for (int i = 0; i < got.length; i++) {
      if (values.get(i).isNull()) {
        assertTrue(!Double.isFinite(got[i]));
      } else {
        assertEquals(values.get(i).asDouble(), got[i], 0.0);
      }
    }
    // Writing it back gives NumPy's bytes exactly (same header layout and padding).
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, t);
    assertArrayEquals(bytes, out.toByteArray());
  }

  @ParameterizedTest
  @MethodSource("bad")
  void read_unsupportedNumpyFile_refusedWithReason(JsonNode c) throws IOException {
    byte[] bytes = resource(c.get("file").asText());
    var e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(bytes), "x.npy"));
    assertTrue(e.getMessage().contains(c.get("message").asText()), e.getMessage());
  }

  @Test
  void roundTrip_throughAFile(@TempDir Path dir) throws IOException {
    for (Tensor t : List.of(Torch.arange(24, DType.FLOAT32).reshape(2, 3, 4), Torch.arange(5),
        Torch.tensor(new boolean[][] {{true, false}}), Torch.tensor(new double[] {0.1, -2}, DType.FLOAT64),
        Torch.arange(6, DType.FLOAT32).reshape(2, 3).t())) {
      Path p = dir.resolve("t.npy");
      Npy.write(p, t);
      Tensor back = Npy.read(p);
      assertEquals(t.dtype(), back.dtype());
      assertTrue(t.equal(back));
    }
  }

  private static byte[] withHeader(String dict, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String header = dict + "\n";
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >>> 8);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }

  @Test
  void read_truncatedData_refused() {
    byte[] f = withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[12]);
    var e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(f), "t.npy"));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void read_headerThatUndercountsTheData_refused() {
    byte[] f = withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[12]);
    var e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(f), "t.npy"));
    assertTrue(e.getMessage().contains("past the"), e.getMessage());
  }

  @Test
  void read_forgedHugeShape_refusedWithoutAllocating() {
    byte[] over = withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", new byte[8]);
    var e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(over), "t.npy"));
    assertTrue(e.getMessage().contains("2^31-1"), e.getMessage());
    // Within the element limit but far more than the file holds: refused as truncated, no 16 GB allocation.
    byte[] big = withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2000000000,), }", new byte[8]);
    var e2 = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(big), "t.npy"));
    assertTrue(e2.getMessage().contains("truncated"), e2.getMessage());
  }

  @Test
  void read_garbage_refused() {
    assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream("hello".getBytes()), "t.npy"));
    byte[] noShape = withHeader("{'descr': '<f4', 'fortran_order': False}", new byte[0]);
    assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(noShape), "t.npy"));
    byte[] negative = withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }", new byte[0]);
    assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(negative), "t.npy"));
    byte[] badBool = withHeader("{'descr': '|b1', 'fortran_order': False, 'shape': (1,), }", new byte[] {7});
    assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(badBool), "t.npy"));
  }

  @Test
  void write_thenNumpyLayout_headerIs64ByteAligned(@TempDir Path dir) throws IOException {
    Path p = dir.resolve("a.npy");
    Npy.write(p, Torch.zeros(3, 5));
    byte[] b = Files.readAllBytes(p);
    int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    assertEquals(0, (10 + headerLen) % 64);
    assertEquals(10 + headerLen + 3 * 5 * 4, b.length);
    assertTrue(new String(Arrays.copyOfRange(b, 10, 10 + headerLen), StandardCharsets.ISO_8859_1)
        .contains("'shape': (3, 5)"));
  }
}
