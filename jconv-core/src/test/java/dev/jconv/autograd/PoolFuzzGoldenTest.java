package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.testing.Golden;
import dev.jconv.testing.PoolCalls;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random pooling layers against PyTorch 1.13 (tools/golden/gen_fuzz_pool.py): max (ties included),
 * average, adaptive average and max, and LP pooling, output and input gradient in float32 and float64,
 * and PyTorch's message where it refuses the configuration.
 */
class PoolFuzzGoldenTest {
  private static final String AREA = "fuzz_pool";

  static Stream<Arguments> cases() {
    return Golden.inBothFloats(AREA,
        c -> c.get("name").asText() + " " + c.get("op").asText() + " " + c.get("shape") + " " + c.get("args"),
        DType.FLOAT32);
  }

  /** The input as the generator drew it: randn, then rounded (half to even, as torch.round) or made positive. */
  private static Tensor input(JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    Tensor x = Torch.randn(Golden.ints(c.get("shape")));
    switch (c.get("transform").asText()) {
      case "round" -> x = PoolCalls.rounded(x);
      case "abs" -> x = x.abs().add(0.1);
      case "none" -> { }
      default -> throw new AssertionError(c.get("transform").asText());
    }
    return Golden.drawnAs(x, c.get("x_sum").asDouble(), "input");
  }

  private static Tensor run(JsonNode c, Tensor x) {
    return PoolCalls.run(c.get("op").asText(), c.get("args"), x);
  }

  private static void assertClose(JsonNode c, String field, Tensor actual, String what) {
    // The kept values are float32 roundings of PyTorch's float64 results.
    Golden.assertWithin(AREA, c.get(field).asText(), actual, actual.dtype() == DType.FLOAT64 ? 1e-6 : 1e-5, what);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void pooling_matchesPyTorch(String name, JsonNode c, DType dtype) {
    Tensor x = input(c).to(dtype);
    if (!c.get("error").isNull()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(c, x));
      assertEquals(Golden.words(c.get("error")), e.getMessage());
      return;
    }
    x.setRequiresGrad(true);
    Tensor out = run(c, x);
    assertClose(c, "out", out.detach(), "output");
    assertEquals(c.get("grad_fn").asText(), out.gradFn().name());
    Torch.manualSeed(c.get("seed").asLong());
    input(c); // the gradient is the generator's next draw
    Tensor gout = Golden.drawnAs(Torch.randn(out.shapeArray()), c.get("gout_sum").asDouble(), "gout");
    out.backward(gout.to(dtype));
    assertClose(c, "gx", x.grad(), "grad input");
  }

  @Test
  void casesCoverEveryOpAndTheRefusals() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 200);
    assertEquals(5, cases.stream().map(c -> c.get("op").asText()).distinct().count());
    assertTrue(cases.stream().filter(c -> !c.get("error").isNull()).count() >= 20);
  }
}
