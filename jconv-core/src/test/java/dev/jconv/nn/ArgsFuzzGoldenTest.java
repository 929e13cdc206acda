package dev.jconv.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import dev.jconv.nn.functional.Padding;
import dev.jconv.testing.Golden;
import dev.jconv.testing.PoolCalls;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random arguments to F.conv2d and the pooling functions against PyTorch 1.13
 * (tools/golden/gen_fuzz_args.py): the same output shape, or PyTorch's message in an
 * IllegalArgumentException where it refuses them.
 */
class ArgsFuzzGoldenTest {
  private static final String AREA = "fuzz_args";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("op").asText()
        + " " + c.get("dtype").asText()
        + " x=" + c.get("x") + (c.has("w") ? " w=" + c.get("w") + " b=" + c.get("bias") : "") + " " + c.get("args"), c));
  }

  private static Tensor run(JsonNode c) {
    DType dtype = c.get("dtype").asText().equals("float64") ? DType.FLOAT64 : DType.FLOAT32;
    Tensor x = Torch.zeros(dtype, Golden.ints(c.get("x")));
    JsonNode a = c.get("args");
    switch (c.get("op").asText()) {
      case "conv" -> {
        Tensor w = Torch.zeros(dtype, Golden.ints(c.get("w")));
        Tensor b = c.get("bias").isNull() ? null : Torch.zeros(dtype, Golden.ints(c.get("bias")));
        int[] s = Golden.ints(a.get("stride"));
        int[] d = Golden.ints(a.get("dilation"));
        JsonNode p = a.get("padding");
        Padding padding = p.isTextual() ? (p.asText().equals("same") ? Padding.SAME : Padding.VALID)
            : Padding.of(p.get(0).asInt(), p.get(1).asInt());
        return F.conv2d(x, w, new Conv2dFuncOptions().bias(b).stride(s[0], s[1]).padding(padding).dilation(d[0], d[1])
            .groups(a.get("groups").asInt()));
      }
      case "max", "avg", "lp", "adaptive_avg", "adaptive_max" -> {
        return PoolCalls.run(c.get("op").asText(), a, x);
      }
      default -> throw new AssertionError(c.get("op").asText());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void call_matchesPyTorch(String name, JsonNode c) {
    String torch = c.get("error").isNull() ? "" : Golden.words(c.get("error"));
    if (torch.startsWith("expected stride to be a single integer value or a list of")) {
      // jconv's one deliberate rewording (gen_conv.py's "weight rank" cases): it names the weight.
      int[] w = Golden.ints(c.get("w"));
      Golden.assertRefused("Expected 4-dimensional weight for conv2d (out_channels, in_channels/groups, kH, kW), but got "
          + w.length + "-dimensional weight of size " + java.util.Arrays.toString(w) + " instead", () -> run(c));
      return;
    }
    Golden.assertShapeOrRefusal(c, () -> run(c));
  }

  /** PyTorch 1.13: an empty batch with dilation 0 gives (0, 4, 5, 5), ConvolutionBackward0, and zero gradients. */
  @Test
  void emptyBatchWithDilationZero_differentiatesToZeros() {
    Tensor x = Torch.zeros(0, 3, 5, 5).setRequiresGrad(true);
    Tensor w = Torch.ones(4, 3, 3, 3).setRequiresGrad(true);
    Tensor b = Torch.ones(4).setRequiresGrad(true);
    Tensor out = F.conv2d(x, w, new Conv2dFuncOptions().bias(b).dilation(0));
    assertArrayEquals(new int[] {0, 4, 5, 5}, out.shapeArray());
    assertEquals("ConvolutionBackward0", out.gradFn().name());
    out.sum().backward();
    assertArrayEquals(new int[] {0, 3, 5, 5}, x.grad().shapeArray());
    assertEquals(0.0, w.grad().abs().sum().item());
    assertEquals(0.0, b.grad().abs().sum().item());
  }

  @Test
  void casesCoverEveryCallAndBothOutcomes() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 628);
    assertEquals(6, cases.stream().map(c -> c.get("op").asText()).distinct().count());
    assertTrue(cases.stream().filter(c -> c.get("error").isNull()).count() >= 150);
    assertTrue(cases.stream().filter(c -> !c.get("error").isNull()).count() >= 150);
  }
}
