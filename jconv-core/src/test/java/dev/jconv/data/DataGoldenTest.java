package dev.jconv.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Generator;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.io.Npy;
import dev.jconv.testing.Golden;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** IDX files, Fashion-MNIST and the DataLoader against PyTorch 1.13 (tools/golden/gen_data.py). */
class DataGoldenTest {
  private static final String AREA = "data";

  @TempDir
  Path tmp;

  private static Stream<Arguments> ofKind(String kind) {
    return Golden.cases(AREA).stream().filter(c -> c.get("kind").asText().equals(kind))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> loaders() {
    return ofKind("loader");
  }

  static Stream<Arguments> badFiles() {
    return ofKind("bad_idx");
  }

  static Stream<Arguments> goodFiles() {
    return ofKind("good_idx");
  }

  static Stream<Arguments> fmnist() {
    return ofKind("fmnist");
  }

  private static byte[] resource(String file) throws IOException {
    try (InputStream in = DataGoldenTest.class.getResourceAsStream("/golden/" + AREA + "/" + file)) {
      if (in == null) {
        throw new AssertionError("missing " + file);
      }
      return in.readAllBytes();
    }
  }

  private Path copy(String file) throws IOException {
    Path p = tmp.resolve(file.replace('/', '_'));
    Files.write(p, resource(file));
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loaders")
  void dataLoader_batchesAsPyTorch_epochAfterEpoch(String name, JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    int n = c.get("n").asInt();
    Generator gen = c.get("generator_seed").isNull() ? null : new Generator(c.get("generator_seed").asLong());
    DataLoader loader = new DataLoader(new TensorDataset(Torch.arange(n), Torch.arange(n)),
        c.get("batch_size").asInt(), c.get("shuffle").asBoolean(), c.get("drop_last").asBoolean(), gen);
    assertEquals(c.get("length").asInt(), loader.size());
    for (JsonNode epoch : c.get("epochs")) {
      List<List<Long>> got = new ArrayList<>();
      for (Batch b : loader) {
        List<Long> ids = new ArrayList<>();
        for (long v : b.inputs().toLongArray()) {
          ids.add(v);
        }
        assertArrayEquals(b.inputs().toLongArray(), b.targets().toLongArray());
        got.add(ids);
      }
      List<List<Long>> want = new ArrayList<>();
      for (JsonNode batch : epoch) {
        List<Long> ids = new ArrayList<>();
        batch.forEach(v -> ids.add(v.asLong()));
        want.add(ids);
      }
      assertEquals(want, got);
    }
    // the default generator advanced exactly as PyTorch's did
    float[] after = Torch.rand(2).toFloatArray();
    assertEquals(c.get("rand_after").get(0).asDouble(), after[0], 0.0);
    assertEquals(c.get("rand_after").get(1).asDouble(), after[1], 0.0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fmnist")
  void fashionMnist_tensorsAsPyTorchMakesThem(String name, JsonNode c) throws IOException {
    Path dir = tmp.resolve("fm");
    Files.createDirectories(dir);
    for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
      Files.write(dir.resolve(f), resource("fmnist/" + f));
    }
    FashionMnist ds = FashionMnist.load(dir, c.get("train").asBoolean());
    assertEquals(c.get("count").asInt(), ds.size());
    int[] idx = new int[c.get("indices").size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = c.get("indices").get(i).asInt();
    }
    Batch b = ds.get(idx);
    Tensor x = Npy.toTensor(Golden.array(AREA, c.get("x").asText()));
    Tensor y = Npy.toTensor(Golden.array(AREA, c.get("y").asText()));
    assertArrayEquals(x.shapeArray(), b.inputs().shapeArray());
    assertTrue(x.equal(b.inputs()), "pixels bit for bit");
    assertEquals(DType.INT64, b.targets().dtype());
    assertTrue(y.equal(b.targets()));
  }

  @Test
  void fashionMnist_missingFiles_sayWhatToInstall() {
    IOException e = assertThrows(IOException.class, () -> FashionMnist.load(tmp, true));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("dataset-fashion-mnist"),
        e.getMessage());
  }

  @Test
  void fashionMnist_countsThatDisagree_areRefused() throws IOException {
    Path dir = tmp.resolve("mixed");
    Files.createDirectories(dir);
    Files.write(dir.resolve("train-images-idx3-ubyte.gz"), resource("fmnist/train-images-idx3-ubyte.gz"));
    Files.write(dir.resolve("train-labels-idx1-ubyte"), resource("fmnist/t10k-labels-idx1-ubyte"));
    IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir, true));
    assertTrue(e.getMessage().contains("12 images but") && e.getMessage().contains("5 labels"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void malformedIdx_isRefusedWithItsName(String name, JsonNode c) throws IOException {
    Path p = copy(c.get("file").asText());
    IOException e = assertThrows(IOException.class, () -> Idx.read(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodFiles")
  void idxOfOtherTypes_reads(String name, JsonNode c) throws IOException {
    IdxArray a = Idx.read(copy(c.get("file").asText()));
    Tensor t = a.toTensor();
    int[] shape = new int[c.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = c.get("shape").get(i).asInt();
    }
    assertArrayEquals(shape, t.shapeArray());
    double[] got = t.toDoubleArray();
    for (int i = 0; i < got.length; i++) {
      assertEquals(c.get("values").get(i).asDouble(), got[i], 0.0);
    }
  }

  @Test
  void idx_writeThenRead_roundTrips_withAndWithoutGzip() throws IOException {
    for (boolean gz : new boolean[] {false, true}) {
      IdxArray a = new IdxArray(IdxArray.Type.FLOAT, new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, 7, -0.25f});
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Idx.write(out, a, gz);
      IdxArray b = Idx.read(new ByteArrayInputStream(out.toByteArray()), "mem");
      assertArrayEquals(a.shape(), b.shape());
      assertArrayEquals((float[]) a.data(), (float[]) b.data());
    }
  }

  @Test
  void dataLoader_badBatchSize_throwsPyTorchsMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DataLoader(new TensorDataset(Torch.zeros(3), Torch.zeros(3)), 0, false));
    assertEquals("batch_size should be a positive integer value, but got batch_size=0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Torch.zeros(3), Torch.zeros(4)));
    assertThrows(IllegalArgumentException.class,
        () -> new TensorDataset(Torch.zeros(3), Torch.zeros(3)).get(new int[] {3}));
  }
}
