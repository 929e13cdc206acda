package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random shape operations against PyTorch 1.13 (tools/golden/gen_fuzz_views.py): the same output
 * shape, or PyTorch's message in an IllegalArgumentException where it refuses the arguments.
 */
class ViewsFuzzGoldenTest {
  private static final String AREA = "fuzz_views";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("op").asText()
        + " on " + c.get("shape") + (c.get("transposed").asBoolean() ? " (transposed)" : "") + " " + c.get("args"), c));
  }

  /** The case's tensor: zeros of its shape, stored transposed in the last two dimensions when the case says so. */
  private static Tensor make(JsonNode c) {
    int[] s = Golden.ints(c.get("shape"));
    if (!c.get("transposed").asBoolean()) {
      return Torch.zeros(s);
    }
    int[] t = s.clone();
    t[t.length - 1] = s[s.length - 2];
    t[t.length - 2] = s[s.length - 1];
    return Torch.zeros(t).transpose(-1, -2);
  }

  private static Tensor run(JsonNode c) {
    Tensor x = make(c);
    JsonNode a = c.get("args");
    return switch (c.get("op").asText()) {
      case "view" -> x.view(Golden.ints(a.get(0)));
      case "reshape" -> x.reshape(Golden.ints(a.get(0)));
      case "permute" -> x.permute(Golden.ints(a.get(0)));
      case "transpose" -> x.transpose(a.get(0).asInt(), a.get(1).asInt());
      case "t" -> x.t();
      case "squeeze" -> a.isEmpty() ? x.squeeze() : x.squeeze(a.get(0).asInt());
      case "unsqueeze" -> x.unsqueeze(a.get(0).asInt());
      case "narrow" -> x.narrow(a.get(0).asInt(), a.get(1).asInt(), a.get(2).asInt());
      case "select" -> x.select(a.get(0).asInt(), a.get(1).asInt());
      case "slice" -> x.slice(a.get(0).asInt(), a.get(1).asInt(), a.get(2).asInt(), a.get(3).asInt());
      case "expand" -> x.expand(Golden.ints(a.get(0)));
      case "flatten" -> x.flatten(a.get(0).asInt(), a.get(1).asInt());
      case "sum" -> x.sum(a.get(0).asInt(), a.get(1).asBoolean());
      case "mean" -> x.mean(a.get(0).asInt(), a.get(1).asBoolean());
      case "max" -> x.max(a.get(0).asInt(), a.get(1).asBoolean()).values();
      case "cat" -> Torch.cat(a.get(1).asInt(), x, Torch.zeros(Golden.ints(a.get(0))));
      case "stack" -> Torch.stack(a.get(1).asInt(), x, Torch.zeros(Golden.ints(a.get(0))));
      case "add" -> x.add(Torch.zeros(Golden.ints(a.get(0))));
      default -> throw new AssertionError(c.get("op").asText());
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void call_matchesPyTorch(String name, JsonNode c) {
    Golden.assertShapeOrRefusal(c, () -> run(c));
  }

  @Test
  void casesCoverEveryOperationAndBothOutcomes() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 812);
    assertEquals(18, cases.stream().map(c -> c.get("op").asText()).distinct().count());
    assertTrue(cases.stream().filter(c -> c.get("error").isNull()).count() >= 300);
    assertTrue(cases.stream().filter(c -> !c.get("error").isNull()).count() >= 100);
  }
}
