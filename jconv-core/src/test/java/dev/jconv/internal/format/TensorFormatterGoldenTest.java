package dev.jconv.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.io.NpyArray;
import dev.jconv.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of {@code golden/print}: the formatter must reproduce PyTorch's {@code repr} character for character. */
class TensorFormatterGoldenTest {

  static Stream<Arguments> cases() {
    return Golden.cases("print").stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void repr_matchesPyTorch(String name, JsonNode c) {
    NpyArray x = Golden.array("print", c.get("x").asText());
    assertEquals(c.get("dtype").asText(), x.dtype().torchName(), "dtype of the stored array");
    List<String> suffixes = new ArrayList<>();
    c.get("suffixes").forEach(s -> suffixes.add(s.asText()));

    String actual = TensorFormatter.repr(x.dtype(), shape(c), x.data(), suffixes);

    assertEquals(c.get("repr").asText(), actual);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sizeString_matchesPyTorch(String name, JsonNode c) {
    assertEquals(c.get("size").asText(), TensorFormatter.sizeString(shape(c)));
  }

  /**
   * The case's shape, not the array's: golden_common saves 0-d tensors through
   * {@code np.ascontiguousarray}, which turns them into shape (1,).
   */
  private static int[] shape(JsonNode c) {
    int[] shape = new int[c.get("shape").size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = c.get("shape").get(i).asInt();
      numel *= shape[i];
    }
    NpyArray x = Golden.array("print", c.get("x").asText());
    int[] stored = x.shape();
    assertTrue(Arrays.equals(shape, stored) || (shape.length == 0 && Arrays.equals(stored, new int[] {1})),
        "case shape " + Arrays.toString(shape) + " vs stored " + Arrays.toString(stored));
    assertEquals(numel, x.toDoubles().length, "element count");
    return shape;
  }

  @Test
  void golden_coversEveryDtypeAndSuffixKind() {
    List<JsonNode> all = Golden.cases("print");
    assertTrue(all.size() >= 60, "at least 60 print cases, found " + all.size());
    for (String dtype : List.of("torch.float32", "torch.float64", "torch.int64", "torch.bool")) {
      assertTrue(all.stream().anyMatch(c -> c.get("dtype").asText().equals(dtype)), "a case of " + dtype);
    }
    for (String suffix : List.of("requires_grad=True", "grad_fn=<")) {
      assertTrue(all.stream().anyMatch(c -> c.get("suffixes").toString().contains(suffix)), "a case with " + suffix);
    }
  }
}
