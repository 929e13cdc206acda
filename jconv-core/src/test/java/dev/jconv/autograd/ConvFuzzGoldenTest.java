package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.PaddingMode;
import dev.jconv.nn.functional.Padding;
import dev.jconv.testing.Golden;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random convolutions against PyTorch 1.13 (tools/golden/gen_fuzz_conv.py): a Conv2d layer's output
 * and its input, weight and bias gradients, for configurations drawn at random (strides, dilations,
 * paddings, every padding mode, groups and depthwise, and channel counts that reach the fast forms),
 * in float32 and float64; and PyTorch's message where it refuses the layer's input.
 */
class ConvFuzzGoldenTest {
  private static final String AREA = "fuzz_conv";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().flatMap(c -> c.get("error").isNull()
        ? Stream.of(Arguments.of(describe(c) + " float32", c, DType.FLOAT32),
            Arguments.of(describe(c) + " float64", c, DType.FLOAT64))
        : Stream.of(Arguments.of(describe(c) + " refused", c, DType.FLOAT32)));
  }

  private static String describe(JsonNode c) {
 return c.get("name").asText() + " x=" + c.get("x_shape") + " " + c.get("cin") + " -> " + c.get("cout") + " k=" + c.get("kernel") + " s=" + c.get("stride") + " p=" + c.get("padding")
        + " d=" + c.get("dilation") + " g=" + c.get("groups") + " " + c.get("mode").asText()
        + (c.get("bias").asBoolean() ? "" : " no bias");
  }

  private static int[] pair(JsonNode v) {
    return new int[] {v.get(0).asInt(), v.get(1).asInt()};
  }

  private static Padding padding(JsonNode p) {
    if (p.isTextual()) {
      return p.asText().equals("same") ? Padding.SAME : Padding.VALID;
    }
    return Padding.of(p.get(0).asInt(), p.get(1).asInt());
  }

  private static Conv2d layer(JsonNode c) {
    int[] k = pair(c.get("kernel"));
    int[] s = pair(c.get("stride"));
    int[] d = pair(c.get("dilation"));
    return new Conv2d(Conv2dOptions.of(c.get("cin").asInt(), c.get("cout").asInt(), k[0], k[1]).stride(s[0], s[1])
        .padding(padding(c.get("padding"))).dilation(d[0], d[1]).groups(c.get("groups").asInt())
        .bias(c.get("bias").asBoolean()).paddingMode(PaddingMode.valueOf(c.get("mode").asText().toUpperCase(Locale.ROOT))));
  }

  private static int[] inputShape(JsonNode c) {
    JsonNode s = c.get("x_shape");
    int[] shape = new int[s.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = s.get(i).asInt();
    }
    return shape;
  }

  private static Tensor checked(Tensor t, JsonNode c, String sumField) {
    return Golden.drawnAs(t, c.get(sumField).asDouble(), sumField);
  }

  private static void assertClose(JsonNode c, String field, Tensor actual, String what) {
    // The kept values are float32 roundings of PyTorch's float64 results.
    Golden.assertWithin(AREA, c.get(field).asText(), actual, actual.dtype() == DType.FLOAT64 ? 1e-6 : 1e-4, what);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void layer_matchesPyTorch(String name, JsonNode c, DType dtype) {
    Torch.manualSeed(c.get("seed").asLong());
    Tensor x = checked(Torch.randn(inputShape(c)), c, "x_sum");
    if (!c.get("error").isNull()) {
      String message = c.get("error").asText().replaceFirst("^(RuntimeError|NotImplementedError): ", "");
      Conv2d conv = layer(c);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.forward(x));
      assertEquals(message, e.getMessage());
      return;
    }
    Tensor w = checked(Torch.randn(pair4(c)).mul(0.5), c, "w_sum");
    Tensor b = c.get("bias").asBoolean() ? checked(Torch.randn(c.get("cout").asInt()), c, "b_sum") : null;
    Conv2d conv = layer(c);
    conv.to(dtype);
    try (var g = NoGrad.enter()) {
      conv.weight().copyInPlace(w);
      if (b != null) {
        conv.bias().copyInPlace(b);
      }
    }
    Tensor input = x.to(dtype).setRequiresGrad(c.get("x_grad").asBoolean());
    Tensor out = conv.forward(input);
    Tensor gout = checked(Torch.randn(out.shapeArray()), c, "gout_sum");
    assertClose(c, "out", out.detach(), "output");
    out.backward(gout.to(dtype));
    if (c.get("x_grad").asBoolean()) {
      assertClose(c, "gx", input.grad(), "grad input");
    } else {
      assertNull(input.grad());
    }
    assertClose(c, "gw", conv.weight().grad(), "grad weight");
    if (b != null) {
      assertClose(c, "gb", conv.bias().grad(), "grad bias");
    }
  }

  private static int[] pair4(JsonNode c) {
    int[] k = pair(c.get("kernel"));
    return new int[] {c.get("cout").asInt(), c.get("cin").asInt() / c.get("groups").asInt(), k[0], k[1]};
  }

  @Test
  void casesReachTheFastFormsAndTheRefusals() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 200);
    long wide = cases.stream().filter(c -> c.get("error").isNull() && c.get("groups").asInt() == 1
        && c.get("cin").asInt() >= 32 && c.get("cout").asInt() >= 32).count();
    long refused = cases.stream().filter(c -> !c.get("error").isNull()).count();
    assertTrue(wide >= 10, "cases with 32 or more channels: " + wide);
    assertTrue(refused >= 10, "refused cases: " + refused);
  }
}
