package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.AdaptiveAvgPool2dOptions;
import dev.jconv.nn.AdaptiveMaxPool2dOptions;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.LPPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.functional.F;
import dev.jconv.testing.Golden;
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
    return Golden.cases(AREA).stream().flatMap(c -> {
      String name = c.get("name").asText() + " " + c.get("op").asText() + " " + c.get("shape") + " " + c.get("args");
      return c.get("error").isNull()
          ? Stream.of(Arguments.of(name + " float32", c, DType.FLOAT32), Arguments.of(name + " float64", c, DType.FLOAT64))
          : Stream.of(Arguments.of(name + " refused", c, DType.FLOAT32));
    });
  }

  private static int[] ints(JsonNode v) {
    if (!v.isArray()) {
      return new int[] {v.asInt(), v.asInt()};
    }
    int[] r = new int[v.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = v.get(i).asInt();
    }
    return r;
  }

  /** The input as the generator drew it: randn, then rounded (half to even, as torch.round) or made positive. */
  private static Tensor input(JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    Tensor x = Torch.randn(ints(c.get("shape")));
    switch (c.get("transform").asText()) {
      case "round" -> {
        float[] v = new float[(int) x.numel()];
        double[] d = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) Math.rint(d[i]);
        }
        x = Torch.tensor(v).reshape(x.shapeArray());
      }
      case "abs" -> x = x.abs().add(0.1);
      case "none" -> { }
      default -> throw new AssertionError(c.get("transform").asText());
    }
    return Golden.drawnAs(x, c.get("x_sum").asDouble(), "input");
  }

  private static Tensor run(JsonNode c, Tensor x) {
    JsonNode a = c.get("args");
    return switch (c.get("op").asText()) {
      case "max" -> {
        int[] k = ints(a.get("kernel"));
        int[] p = ints(a.get("padding"));
        int[] d = ints(a.get("dilation"));
        MaxPool2dOptions o = MaxPool2dOptions.of(k[0], k[1]).padding(p[0], p[1]).dilation(d[0], d[1])
            .ceilMode(a.get("ceil").asBoolean());
        if (!a.get("stride").isNull()) {
          int[] s = ints(a.get("stride"));
          o = o.stride(s[0], s[1]);
        }
        yield F.maxPool2d(x, o);
      }
      case "avg" -> {
        int[] k = ints(a.get("kernel"));
        int[] p = ints(a.get("padding"));
        AvgPool2dOptions o = AvgPool2dOptions.of(k[0], k[1]).padding(p[0], p[1]).ceilMode(a.get("ceil").asBoolean())
            .countIncludePad(a.get("include").asBoolean());
        if (!a.get("stride").isNull()) {
          int[] s = ints(a.get("stride"));
          o = o.stride(s[0], s[1]);
        }
        if (!a.get("divisor").isNull()) {
          o = o.divisorOverride(a.get("divisor").asInt());
        }
        yield F.avgPool2d(x, o);
      }
      case "adaptive_avg" -> F.adaptiveAvgPool2d(x, AdaptiveAvgPool2dOptions.of(ints(a.get("out"))[0],
          ints(a.get("out"))[1]));
      case "adaptive_max" -> F.adaptiveMaxPool2d(x, AdaptiveMaxPool2dOptions.of(ints(a.get("out"))[0],
          ints(a.get("out"))[1]));
      case "lp" -> {
        int[] k = ints(a.get("kernel"));
        LPPool2dOptions o = LPPool2dOptions.of(a.get("norm").asDouble(), k[0], k[1]).ceilMode(a.get("ceil").asBoolean());
        if (!a.get("stride").isNull()) {
          int[] s = ints(a.get("stride"));
          o = o.stride(s[0], s[1]);
        }
        yield F.lpPool2d(x, o);
      }
      default -> throw new AssertionError(c.get("op").asText());
    };
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
      assertEquals(c.get("error").asText().replaceFirst("^RuntimeError: ", ""), e.getMessage());
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
