package dev.jconv.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.testing.Golden;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random state dicts against PyTorch 1.13 (tools/golden/gen_fuzz_statedict.py): keys removed, added
 * and reshaped at random places, loaded strictly or not into the generator's network; PyTorch's
 * message (missing, unexpected and mismatched keys in its order) or success.
 */
class StateDictFuzzGoldenTest {
  private static final String AREA = "fuzz_statedict";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " strict=" + c.get("strict")
        + " " + c.get("entries"), c));
  }

  /** gen_fuzz_statedict.py's network. */
  private static Module net() {
    return new Sequential(new Conv2d(Conv2dOptions.of(1, 2, 3)), new ReLU(),
        new Sequential(new Conv2d(Conv2dOptions.of(2, 2, 1).bias(false)), new Sigmoid()), new Flatten(),
        new Linear(8, 3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void loadStateDict_matchesPyTorch(String name, JsonNode c) {
    Map<String, Tensor> state = new LinkedHashMap<>();
    c.get("entries").forEach(e -> state.put(e.get(0).asText(), Torch.zeros(Golden.ints(e.get(1)))));
    Module m = net();
    boolean strict = c.get("strict").asBoolean();
    if (c.get("error").isNull()) {
      m.loadStateDict(state, strict);
      return;
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state, strict));
    assertEquals(Golden.words(c.get("error")), e.getMessage());
  }

  @Test
  void casesReachEveryKindOfError() {
    String all = Golden.cases(AREA).toString();
    for (String s : new String[] {"Missing key(s)", "Unexpected key(s)", "size mismatch"}) {
      assertTrue(all.contains(s), s);
    }
  }
}
