package dev.jconv.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random layers run on random inputs against PyTorch 1.13 (tools/golden/gen_fuzz_forward.py): wrong
 * ranks, channels, features and dtypes, empty dimensions; the output's shape, or PyTorch's message
 * word for word (its Python exception class dropped).
 */
class ForwardFuzzGoldenTest {
  private static final String AREA = "fuzz_forward";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("layers") + " on "
        + c.get("dtype").asText() + " " + c.get("shape"), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forward_matchesPyTorch(String name, JsonNode c) {
    Module layer = ModulesFuzzGoldenTest.build(c.get("layers").get(0));
    DType dtype = switch (c.get("dtype").asText()) {
      case "float32" -> DType.FLOAT32;
      case "float64" -> DType.FLOAT64;
      default -> DType.INT64;
    };
    Tensor x = Torch.zeros(dtype, Golden.ints(c.get("shape")));
    JsonNode a = c.get("layers").get(0).get("args");
    if (x.dim() == 3 && a.has("padding_mode") && a.get("padding_mode").asText().equals("circular")
        && c.get("error").asText().equals("RuntimeError: Invalid padding size, expected 2 but got 4")) {
      // Deliberate (README): PyTorch 1.13 refuses an unbatched input to a circular layer (a bug later
      // versions fixed); jconv runs it as a batch of one, so it must end as the batched call does.
      String batched;
      try {
        batched = java.util.Arrays.toString(layer.forward(x.unsqueeze(0)).squeeze(0).shapeArray());
      } catch (IllegalArgumentException e) {
        batched = e.getMessage();
      }
      String unbatched;
      try {
        unbatched = java.util.Arrays.toString(layer.forward(x).shapeArray());
      } catch (IllegalArgumentException e) {
        unbatched = e.getMessage(); // the padded batch of one is what the checks see, in both calls
      }
      assertEquals(batched, unbatched);
      return;
    }
    Golden.assertShapeOrRefusal(c, () -> layer.forward(x));
  }

  @Test
  void casesMixOutputsAndRefusals() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 600);
    assertTrue(cases.stream().filter(c -> c.get("error").isNull()).count() >= 250);
    assertTrue(cases.stream().filter(c -> !c.get("error").isNull()).count() >= 250);
  }
}
