package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.io.Npy;
import dev.jconv.nn.AdaptiveAvgPool2dOptions;
import dev.jconv.nn.AdaptiveMaxPool2dOptions;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.LPPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.MaxUnpool2dOptions;
import dev.jconv.nn.functional.F;
import dev.jconv.testing.Golden;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pooling gradients against PyTorch 1.13 (tools/golden/gen_grad_pool.py): max with ties and NaN,
 * average with every divisor rule, adaptive average and max, LP, max unpooling.
 */
class PoolGradGoldenTest {
  private static final String AREA = "grad_pool";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("dtype").asText(), c));
  }

  private static Tensor array(JsonNode c, String field) {
    return Npy.toTensor(Golden.array(AREA, c.get(field).asText()));
  }

  private static int[] pair(JsonNode v) {
    return v.isArray() ? new int[] {v.get(0).asInt(), v.get(1).asInt()} : new int[] {v.asInt(), v.asInt()};
  }

  private static void assertClose(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what + ": shape");
    boolean f64 = actual.dtype() == DType.FLOAT64;
    Tensor e = expected.to(actual.dtype());
    assertTrue(e.allclose(actual, f64 ? 1e-10 : 1e-5, f64 ? 1e-12 : 1e-5, true), what + ": values differ\nexpected "
        + Arrays.toString(e.toDoubleArray()) + "\nactual   " + Arrays.toString(actual.toDoubleArray()));
  }

  private static Tensor run(JsonNode c, Tensor x) {
    JsonNode a = c.get("args");
    return switch (c.get("op").asText()) {
      case "max" -> {
        int[] k = pair(a.get("kernel"));
        int[] s = pair(a.get("stride"));
        int[] p = pair(a.get("padding"));
        int[] d = pair(a.get("dilation"));
        yield F.maxPool2d(x, MaxPool2dOptions.of(k[0], k[1]).stride(s[0], s[1]).padding(p[0], p[1])
            .dilation(d[0], d[1]).ceilMode(a.get("ceil").asBoolean()));
      }
      case "avg" -> {
        int[] k = pair(a.get("kernel"));
        int[] s = pair(a.get("stride"));
        int[] p = pair(a.get("padding"));
        AvgPool2dOptions o = AvgPool2dOptions.of(k[0], k[1]).stride(s[0], s[1]).padding(p[0], p[1])
            .ceilMode(a.get("ceil").asBoolean()).countIncludePad(a.get("include").asBoolean());
        if (!a.get("divisor").isNull()) {
          o = o.divisorOverride(a.get("divisor").asInt());
        }
        yield F.avgPool2d(x, o);
      }
      case "adaptive_avg" -> F.adaptiveAvgPool2d(x,
          AdaptiveAvgPool2dOptions.of(a.get("out").get(0).asInt(), a.get("out").get(1).asInt()));
      case "adaptive_max" -> F.adaptiveMaxPool2d(x,
          AdaptiveMaxPool2dOptions.of(a.get("out").get(0).asInt(), a.get("out").get(1).asInt()));
      case "lp" -> {
        int[] k = pair(a.get("kernel"));
        LPPool2dOptions o = LPPool2dOptions.of(a.get("norm").asDouble(), k[0], k[1]).ceilMode(a.get("ceil").asBoolean());
        if (!a.get("stride").isNull()) {
          int[] s = pair(a.get("stride"));
          o = o.stride(s[0], s[1]);
        }
        yield F.lpPool2d(x, o);
      }
      case "unpool" -> {
        int[] k = pair(a.get("kernel"));
        int[] s = pair(a.get("stride"));
        int[] p = pair(a.get("padding"));
        yield F.maxUnpool2d(x, array(c, "indices"), MaxUnpool2dOptions.of(k[0], k[1]).stride(s[0], s[1])
            .padding(p[0], p[1]));
      }
      default -> throw new AssertionError(c.get("op").asText());
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradients_matchPyTorch(String name, JsonNode c) {
    Tensor x = array(c, "x").setRequiresGrad(true);
    Tensor out = run(c, x);
    assertClose(array(c, "out"), out.detach(), "output");
    assertEquals(c.get("grad_fn").asText(), out.gradFn().name());
    out.backward(array(c, "gout"));
    assertClose(array(c, "gx"), x.grad(), "grad input");
  }

  @Test
  void atLeastThirtyConfigurations_coverEveryPoolingOp() {
    assertTrue(Golden.cases(AREA).size() >= 30);
    assertEquals(6, Golden.cases(AREA).stream().map(c -> c.get("op").asText()).distinct().count());
  }
}
