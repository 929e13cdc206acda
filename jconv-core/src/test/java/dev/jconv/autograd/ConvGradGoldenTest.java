package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
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

  /**
   * Every case twice: in float32 (the fast kernels) and in float64. PyTorch computed the expected
   * values in float64 from float32-representable inputs, so jconv's float64 path must agree to
   * float64 rounding (1e-10), its float32 path to float32 rounding (1e-4).
   */
  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().flatMap(c -> Stream.of(
        Arguments.of(c.get("name").asText() + " float32", c, DType.FLOAT32),
        Arguments.of(c.get("name").asText() + " float64", c, DType.FLOAT64)));
  }

  private static Tensor array(JsonNode c, String field, DType dtype) {
    JsonNode f = c.get(field);
    return f == null || f.isNull() ? null : Npy.toTensor(Golden.array(AREA, f.asText())).to(dtype);
  }

  private static void assertClose(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what + ": shape");
    assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
    double tol = actual.dtype() == DType.FLOAT64 ? 1e-10 : 1e-4;
    assertTrue(expected.allclose(actual, tol, tol, false), what + ": values differ\nexpected "
        + Arrays.toString(expected.toDoubleArray()) + "\nactual   " + Arrays.toString(actual.toDoubleArray()));
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
  void gradients_matchPyTorch(String name, JsonNode c, DType dtype) {
    Tensor x = array(c, "x", dtype);
    Tensor w = array(c, "w", dtype).setRequiresGrad(true);
    Tensor b = array(c, "b", dtype);
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
      layer.to(dtype);
      try (var g = NoGrad.enter()) {
        layer.weight().copyInPlace(w);
        if (b != null) {
          layer.bias().copyInPlace(b);
        }
      }
      out = layer.forward(x);
    }
    assertClose(array(c, "out", dtype), out.detach(), "output");
    assertEquals(c.get("grad_fn").asText(), out.gradFn().name());
    out.backward(array(c, "gout", dtype));
    Tensor gw = layer == null ? w.grad() : layer.weight().grad();
    Tensor gb = layer == null ? (b == null ? null : b.grad()) : layer.bias() == null ? null : layer.bias().grad();
    if (xGrad) {
      assertClose(array(c, "gx", dtype), x.grad(), "grad input");
    } else {
      assertNull(x.grad());
    }
    assertClose(array(c, "gw", dtype), gw, "grad weight");
    if (b != null) {
      assertClose(array(c, "gb", dtype), gb, "grad bias");
    }
  }

  @Test
  void atLeastFortyConfigurations_coverEveryPaddingMode() {
    long modes = Golden.cases(AREA).stream().map(c -> c.get("mode").asText()).distinct().count();
    assertEquals(4, modes);
    assertTrue(Golden.cases(AREA).size() >= 40);
  }
}
