package dev.jconv.nn;

import static dev.jconv.testing.ConvGolden.assertClose;
import static dev.jconv.testing.ConvGolden.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.Generator;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.testing.ConvGolden;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Conv2d} against PyTorch 1.13's {@code nn.Conv2d}: forward, default init, printing, errors. */
class Conv2dGoldenTest {

  static Stream<Named<JsonNode>> moduleCases() {
    return ConvGolden.cases("module");
  }

  static Stream<Named<JsonNode>> initCases() {
    return ConvGolden.cases("init");
  }

  static Stream<Named<JsonNode>> seededCases() {
    return ConvGolden.cases("seeded");
  }

  static Stream<Named<JsonNode>> errorCases() {
    return ConvGolden.cases("module_error");
  }

  @ParameterizedTest
  @MethodSource("moduleCases")
  void forward_matchesPyTorch(JsonNode c) {
    Conv2d conv = new Conv2d(ConvGolden.moduleOptions(c));
    conv.weight().copyInPlace(tensor(c, "weight"));
    Tensor b = tensor(c, "bias_value");
    if (b == null) {
      assertNull(conv.bias());
    } else {
      conv.bias().copyInPlace(b);
    }
    Tensor got = conv.forward(tensor(c, "x"));
    assertClose(c.get("name").asText(), tensor(c, "out"), got, 1e-5, 1e-5);
    assertEquals(c.get("repr").asText(), conv.toString());
  }

  @ParameterizedTest
  @MethodSource("initCases")
  void defaultInit_equalsPyTorchBitForBit(JsonNode c) {
    Generator.defaultGenerator().manualSeed(c.get("seed").asLong());
    Conv2d conv = new Conv2d(ConvGolden.moduleOptions(c));
    assertBitsEqual("weight", tensor(c, "weight"), conv.weight());
    Tensor b = tensor(c, "bias_value");
    if (b == null) {
      assertNull(conv.bias());
      assertEquals(1, conv.parameters().size());
    } else {
      assertBitsEqual("bias", b, conv.bias());
      assertEquals(2, conv.parameters().size());
    }
    assertEquals(c.get("repr").asText(), conv.toString());
  }

  @ParameterizedTest
  @MethodSource("seededCases")
  void seedExample_endToEnd_matchesPyTorch(JsonNode c) {
    // torch.manual_seed(s); conv = nn.Conv2d(...); x = torch.rand(...); conv(x)
    Torch.manualSeed(c.get("seed").asLong());
    Conv2d conv = new Conv2d(ConvGolden.moduleOptions(c));
    Tensor x = Torch.rand(ConvGolden.ints(c.get("x_shape")));
    Tensor y = conv.forward(x);
    assertEquals(c.get("printed_shape").asText(), y.shape().toString());
    assertClose(c.get("name").asText(), tensor(c, "out"), y, 1e-5, 1e-5);
  }

  private static void assertBitsEqual(String what, Tensor expected, Tensor got) {
    assertArrayEquals(expected.shapeArray(), got.shapeArray(), what + " shape");
    float[] e = expected.toFloatArray();
    float[] g = got.toFloatArray();
    for (int i = 0; i < e.length; i++) {
      assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(g[i]),
          what + "[" + i + "]: " + g[i] + " vs PyTorch " + e[i]);
    }
  }

  @ParameterizedTest
  @MethodSource("errorCases")
  void refusesWhatPyTorchRefuses(JsonNode c) {
    // jconv checks options when they are built, so an error PyTorch raises in forward (stride 0)
    // may come from the options here; the message must be PyTorch's either way.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
      Conv2d conv = new Conv2d(ConvGolden.moduleOptions(c));
      if (c.get("stage").asText().equals("forward")) {
        conv.forward(Torch.zeros(ConvGolden.ints(c.get("x_shape"))));
      }
    }, () -> "PyTorch: " + c.get("message").asText());
    for (JsonNode f : c.get("contains")) {
      assertTrue(e.getMessage().contains(f.asText()),
          () -> "message \"" + e.getMessage() + "\" lacks \"" + f.asText() + "\" (PyTorch: " + c.get("message").asText() + ")");
    }
  }
}
