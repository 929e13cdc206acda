package dev.jconv.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.autograd.NoGrad;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.Linear;
import dev.jconv.nn.Sequential;
import dev.jconv.nn.Sigmoid;
import dev.jconv.testing.Golden;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Safetensors against files written and read by tools/golden/gen_safetensors.py with PyTorch: a model
 * trained in PyTorch loads and gives PyTorch's output; a file jconv writes is what PyTorch read;
 * every dtype decodes; malformed files and files for another model are refused.
 */
class SafetensorsTest {
  private static final String AREA = "safetensors";

  @TempDir
  Path tmp;

  /** The small CNN of gen_safetensors.py. */
  private static Sequential smallCnn() {
    return new Sequential(new Conv2d(Conv2dOptions.of(1, 4, 3).padding(1)), new Sigmoid(),
        new Conv2d(Conv2dOptions.of(4, 2, 3)), new Flatten(), new Linear(32, 5));
  }

  private static JsonNode only(String name) {
    return Golden.cases(AREA).stream().filter(c -> c.get("name").asText().equals(name)).findFirst().orElseThrow();
  }

  private static Tensor array(JsonNode file) {
    return Npy.toTensor(Golden.array(AREA, file.asText()));
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = SafetensorsTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new AssertionError("missing resource " + path);
      }
      return in.readAllBytes();
    }
  }

  private Path file(String name) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, resource("/golden/" + AREA + "/" + name));
    return p;
  }

  private static void assertClose(Tensor expected, Tensor actual) {
    assertArrayEquals(expected.shapeArray(), actual.shapeArray());
    assertTrue(expected.allclose(actual, 1e-5, 1e-6, false), "expected " + Arrays.toString(expected.toDoubleArray())
        + "\nactual   " + Arrays.toString(actual.toDoubleArray()));
  }

  @Test
  void modelTrainedInPyTorch_loads_andGivesPyTorchsOutput() throws IOException {
    JsonNode c = only("pytorch_to_jconv");
    Sequential net = smallCnn();
    Path p = file(c.get("file").asText());
    Safetensors.load(net, p);
    List<String> names = new ArrayList<>();
    c.get("names").forEach(n -> names.add(n.asText()));
    assertEquals(names, new ArrayList<>(net.namedParameters().keySet()));
    try (var g = NoGrad.enter()) {
      assertClose(array(c.get("out")), net.forward(array(c.get("x"))));
    }
    Map<String, String> meta = Safetensors.metadata(p);
    assertEquals("pt", meta.get("format"));
    assertEquals("gen_safetensors.py", meta.get("source"));
  }

  /**
   * jconv's file for a seeded model is byte for byte the committed jconv_written.safetensors, which
   * gen_safetensors.py read into the PyTorch model and ran. (After a deliberate format change, copy
   * target/jconv_written.safetensors over the committed one and rerun the generator.)
   */
  @Test
  void fileWrittenByJconv_isWhatPyTorchRead_andGivesItsOutput() throws IOException {
    Torch.manualSeed(21);
    Sequential net = smallCnn();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Safetensors.write(out, net.stateDict(), Map.of());
    byte[] written = out.toByteArray();
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "jconv_written.safetensors"), written);
    assertArrayEquals(resource("/safetensors/jconv_written.safetensors"), written,
        "jconv no longer writes the bytes PyTorch read");
    JsonNode c = only("jconv_to_pytorch");
    Sequential loaded = smallCnn();
    Safetensors.load(loaded, Path.of("target", "jconv_written.safetensors"));
    try (var g = NoGrad.enter()) {
      assertClose(array(c.get("out")), loaded.forward(array(c.get("x"))));
    }
  }

  @Test
  void writtenHeader_isPaddedJsonWithExactOffsets() throws IOException {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("b", Torch.arange(5));
    m.put("a", Torch.rand(DType.FLOAT64, 2, 2));
    m.put("c", Torch.tensor(new boolean[] {true, false, true}));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Safetensors.write(out, m, Map.of("k", "v \"quoted\""));
    byte[] bytes = out.toByteArray();
    long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    assertEquals(0, headerLen % 8, "header padded to 8 bytes");
    JsonNode h = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
    assertEquals("v \"quoted\"", h.get("__metadata__").get("k").asText());
    assertEquals("[0,32]", h.get("a").get("data_offsets").toString());
    assertEquals("[32,72]", h.get("b").get("data_offsets").toString());
    assertEquals("[72,75]", h.get("c").get("data_offsets").toString());
    assertEquals("I64", h.get("b").get("dtype").asText());
    assertEquals(8 + headerLen + 75, bytes.length);
    Map<String, Tensor> back = Safetensors.read(bytes, "mem");
    for (String k : m.keySet()) {
      assertEquals(m.get(k).dtype(), back.get(k).dtype());
      assertTrue(m.get(k).equal(back.get(k)), k);
    }
  }

  @Test
  void everyDtype_decodesAsPyTorchDoes() throws IOException {
    JsonNode c = only("every_dtype");
    Map<String, Tensor> got = Safetensors.read(file(c.get("file").asText()));
    int checked = 0;
    for (var it = c.get("expected").fields(); it.hasNext(); ) {
      var e = it.next();
      Tensor want = array(e.getValue());
      Tensor have = got.get(e.getKey());
      assertEquals(want.dtype(), have.dtype(), e.getKey());
      assertArrayEquals(want.shapeArray(), have.shapeArray(), e.getKey());
      assertTrue(want.equal(have), e.getKey() + ": " + have);
      checked++;
    }
    assertEquals(12, checked);
    assertEquals(12, got.size());
  }

  static Stream<Arguments> malformed() {
    return Golden.cases(AREA).stream().filter(c -> c.get("kind").asText().equals("malformed"))
        .map(c -> Arguments.of(c.get("name").asText(), c.get("file").asText()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedFile_isRefusedWithItsName(String name, String fileName) throws IOException {
    Path p = file(fileName);
    IOException e = assertThrows(IOException.class, () -> Safetensors.read(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    byte[] bytes = Files.readAllBytes(p);
    IOException e2 = assertThrows(IOException.class, () -> Safetensors.read(bytes, "mem"));
    assertTrue(e2.getMessage().startsWith("mem"), e2.getMessage());
  }

  @Test
  void malformedMessages_sayWhatIsWrong() throws IOException {
    assertTrue(message("bad_header_longer_than_file.safetensors").contains("runs past the end"));
    assertTrue(message("bad_unknown_dtype.safetensors").contains("unknown dtype \"F8_E5M3\""));
    assertTrue(message("bad_overlapping.safetensors").contains("overlap"));
    assertTrue(message("bad_size_mismatch.safetensors").contains("needs"));
    assertTrue(message("bad_trailing_data.safetensors").contains("cover"));
    assertTrue(message("bad_not_json.safetensors").contains("not valid JSON"));
    assertTrue(message("bad_duplicate_key.safetensors").contains("duplicate key"));
    assertTrue(message("bad_offsets_out_of_range.safetensors").contains("beyond"));
  }

  private String message(String name) throws IOException {
    Path p = file(name);
    return assertThrows(IOException.class, () -> Safetensors.read(p)).getMessage();
  }

  @Test
  void fileForAnotherModel_isRefusedWithPyTorchsMessage_andChangesNothing() throws IOException {
    Sequential net = smallCnn();
    Tensor before = net.stateDict().get("0.weight").cloneTensor();
    Path p = file("wrong_shape.safetensors");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.load(net, p));
    assertTrue(e.getMessage().contains("size mismatch for 0.weight: copying a param with shape "
        + "torch.Size([4, 1, 5, 5]) from checkpoint, the shape in current model is torch.Size([4, 1, 3, 3])."),
        e.getMessage());
    assertTrue(before.equal(net.stateDict().get("0.weight")));
  }

  @Test
  void saveThenLoad_roundTripsAModel(@TempDir Path dir) throws IOException {
    Torch.manualSeed(4);
    Sequential a = smallCnn();
    Sequential b = smallCnn();
    Path p = dir.resolve("m.safetensors");
    Safetensors.save(a, p);
    Safetensors.load(b, p);
    for (String k : a.stateDict().keySet()) {
      assertTrue(a.stateDict().get(k).equal(b.stateDict().get(k)), k);
    }
  }

  @Test
  void reservedOrEmptyNames_areRefusedWhenWriting() {
    assertThrows(IllegalArgumentException.class,
        () -> Safetensors.write(new ByteArrayOutputStream(), Map.of("__metadata__", Torch.zeros(1)), Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> Safetensors.write(new ByteArrayOutputStream(), Map.of("", Torch.zeros(1)), Map.of()));
  }
}
