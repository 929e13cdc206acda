package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.io.Npy;
import dev.jconv.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random tensors printed by PyTorch 1.13 (tools/golden/gen_fuzz_print.py): every dtype, ranks 0 to 4,
 * empty, wrapped and summarized tensors, fixed and scientific notation, infinities, NaN and negative
 * zeros; {@link Tensor#toString} must give PyTorch's {@code repr}, character for character.
 */
class PrintFuzzGoldenTest {
  private static final String AREA = "fuzz_print";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("dtype").asText()
        + " " + c.get("shape"), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void toString_matchesPyTorchsRepr(String name, JsonNode c) {
    Tensor x = Npy.toTensor(Golden.array(AREA, c.get("x").asText()));
    int[] shape = new int[c.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = c.get("shape").get(i).asInt();
    }
    // The stored array of a 0-d tensor has shape (1,).
    x = x.reshape(shape);
    assertArrayEquals(shape, x.shapeArray());
    assertEquals(c.get("dtype").asText(), x.dtype().torchName());
    if (c.get("requires_grad").asBoolean()) {
      x.setRequiresGrad(true);
    }
    assertEquals(c.get("repr").asText(), x.toString());
  }

  @Test
  void casesCoverEveryDtypeAndSummarizedTensors() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 400);
    assertEquals(4, cases.stream().map(c -> c.get("dtype").asText()).distinct().count());
    assertTrue(cases.stream().filter(c -> c.get("repr").asText().contains("...")).count() >= 20);
  }
}
