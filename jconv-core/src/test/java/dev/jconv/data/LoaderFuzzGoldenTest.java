package dev.jconv.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Generator;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random data loaders against PyTorch 1.13 (tools/golden/gen_fuzz_loader.py): the same examples in
 * the same order, batch by batch, for two epochs, shuffled from the default generator or one of their
 * own, and the default generator left where PyTorch leaves it.
 */
class LoaderFuzzGoldenTest {
  private static final String AREA = "fuzz_loader";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " n=" + c.get("n") + " batch="
        + c.get("batch") + " shuffle=" + c.get("shuffle") + " drop_last=" + c.get("drop_last") + " own="
        + c.get("own_generator"), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void batches_matchPyTorch(String name, JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    Generator gen = c.get("own_generator").asBoolean() ? new Generator(c.get("generator_seed").asLong()) : null;
    int n = c.get("n").asInt();
    Tensor all = Torch.arange(n);
    if (!c.get("error").isNull()) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> new DataLoader(new TensorDataset(all, all), c.get("batch").asInt(), c.get("shuffle").asBoolean(),
              c.get("drop_last").asBoolean(), gen));
      assertEquals(Golden.words(c.get("error")), e.getMessage());
      return;
    }
    DataLoader loader = new DataLoader(new TensorDataset(all, all), c.get("batch").asInt(), c.get("shuffle").asBoolean(),
        c.get("drop_last").asBoolean(), gen);
    for (JsonNode epoch : c.get("epochs")) {
      List<Long> order = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      for (Batch b : loader) {
        for (double v : b.inputs().toDoubleArray()) {
          order.add((long) v);
        }
        sizes.add(b.size());
      }
      List<Long> wantOrder = new ArrayList<>();
      epoch.get("order").forEach(v -> wantOrder.add(v.asLong()));
      List<Integer> wantSizes = new ArrayList<>();
      epoch.get("sizes").forEach(v -> wantSizes.add(v.asInt()));
      assertEquals(wantOrder, order, "order");
      assertEquals(wantSizes, sizes, "batch sizes");
    }
    assertEquals(c.get("rand_after").asDouble(), Torch.rand(DType.FLOAT32).item(), 0,
        "the default generator after the loader");
  }

  @Test
  void casesShuffleBothWays() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 150);
    assertTrue(cases.stream().anyMatch(c -> c.get("own_generator").asBoolean() && c.get("shuffle").asBoolean()));
    assertTrue(cases.stream().anyMatch(c -> !c.get("own_generator").asBoolean() && c.get("shuffle").asBoolean()));
  }
}
