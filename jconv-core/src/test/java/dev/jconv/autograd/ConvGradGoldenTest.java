package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.Tensor;
import dev.jconv.io.Npy;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.PaddingMode;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import dev.jconv.nn.functional.Padding;
import dev.jconv.testing.Golden;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution gradients (input, weight, bias) against PyTorch 1.13 (tools/golden/gen_grad_conv.py),
 * through F.conv2d and through the Conv2d layer for every padding mode.
 */
class ConvGradGoldenTest {
  private static final String AREA = "grad_conv";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  private static Tensor array(JsonNode c, String field) {
    JsonNode f = c.get(field);
    return f == null || f.isNull() ? null : Npy.toTensor(Golden.array(AREA, f.asText()));
  }

  private static void assertClose(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what + ": shape");
    Tensor e = expected.toFloat();
    assertTrue(e.allclose(actual, 1e-4, 1e-4, false), what + ": values differ\nexpected "
        + Arrays.toString(e.toFloatArray()) + "\nactual   " + Arrays.toString(actual.toFloatArray()));
  }

  private static Padding padding(JsonNode c) {
    JsonNode p = c.get("padding");
    if (p.isTextual()) {
      return p.asText().equals("same") ? Padding.SAME : Padding.VALID;
    }
    return Padding.of(p.get(0).asInt(), p.get(1).asInt());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradients_matchPyTorch(String name, JsonNode c) {
    Tensor x = array(c, "x");
    Tensor w = array(c, "w").setRequiresGrad(true);
    Tensor b = array(c, "b");
    if (b != null) {
      b.setRequiresGrad(true);
    }
    boolean xGrad = c.get("x_grad").asBoolean();
    x.setRequiresGrad(xGrad);
    int[] s = {c.get("stride").get(0).asInt(), c.get("stride").get(1).asInt()};
    int[] d = {c.get("dilation").get(0).asInt(), c.get("dilation").get(1).asInt()};
    int groups = c.get("groups").asInt();
    String mode = c.get("mode").asText();
    Tensor out;
    Conv2d layer = null;
    if (mode.equals("zeros")) {
      out = F.conv2d(x, w, new Conv2dFuncOptions().bias(b).stride(s[0], s[1]).padding(padding(c)).dilation(d[0], d[1])
          .groups(groups));
    } else {
      layer = new Conv2d(Conv2dOptions.of(c.get("cin").asInt(), c.get("cout").asInt(), c.get("kernel").get(0).asInt(),
              c.get("kernel").get(1).asInt()).stride(s[0], s[1]).padding(padding(c)).dilation(d[0], d[1]).groups(groups)
          .bias(b != null).paddingMode(PaddingMode.valueOf(mode.toUpperCase(Locale.ROOT))));
      try (var g = NoGrad.enter()) {
        layer.weight().copyInPlace(w);
        if (b != null) {
          layer.bias().copyInPlace(b);
        }
      }
      out = layer.forward(x);
    }
    assertClose(array(c, "out"), out.detach(), "output");
    assertEquals(c.get("grad_fn").asText(), out.gradFn().name());
    out.backward(array(c, "gout"));
    Tensor gw = layer == null ? w.grad() : layer.weight().grad();
    Tensor gb = layer == null ? (b == null ? null : b.grad()) : layer.bias() == null ? null : layer.bias().grad();
    if (xGrad) {
      assertClose(array(c, "gx"), x.grad(), "grad input");
    } else {
      assertNull(x.grad());
    }
    assertClose(array(c, "gw"), gw, "grad weight");
    if (b != null) {
      assertClose(array(c, "gb"), gb, "grad bias");
    }
  }

  @Test
  void atLeastFortyConfigurations_coverEveryPaddingMode() {
    long modes = Golden.cases(AREA).stream().map(c -> c.get("mode").asText()).distinct().count();
    assertEquals(4, modes);
    assertTrue(Golden.cases(AREA).size() >= 40);
  }
}
