package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.AdaptiveAvgPool2dOptions;
import dev.jconv.nn.AdaptiveMaxPool2dOptions;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import dev.jconv.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Operations on non-contiguous inputs against PyTorch 1.13 (tools/golden/gen_fuzz_views_ops.py):
 * convolution, poolings, linear, matmul, softmax, sums and element-wise functions on transposed,
 * permuted, strided and sliced views of a leaf, in float32 and float64; the output and the leaf's
 * gradient.
 */
class ViewsOpsFuzzGoldenTest {
  private static final String AREA = "fuzz_views_ops";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().flatMap(c -> Stream.of(
        Arguments.of(c.get("name").asText() + " " + c.get("op").asText() + " " + c.get("views") + " float32", c,
            DType.FLOAT32),
        Arguments.of(c.get("name").asText() + " " + c.get("op").asText() + " " + c.get("views") + " float64", c,
            DType.FLOAT64)));
  }

  private static Tensor view(Tensor x, JsonNode v) {
    return switch (v.get(0).asText()) {
      case "transpose" -> x.transpose(v.get(1).asInt(), v.get(2).asInt());
      case "permute" -> x.permute(Golden.ints(v.get(1)));
      case "step" -> x.slice(v.get(1).asInt(), v.get(2).asInt(), x.size(v.get(1).asInt()), v.get(3).asInt());
      default -> x.slice(v.get(1).asInt(), v.get(2).asInt(), v.get(3).asInt(), 1);
    };
  }

  private static Tensor op(String name, Tensor x, Tensor w) {
    return switch (name) {
      case "conv" -> F.conv2d(x, w, new Conv2dFuncOptions().padding(1));
      case "max" -> F.maxPool2d(x, MaxPool2dOptions.of(2).stride(1));
      case "avg" -> F.avgPool2d(x, AvgPool2dOptions.of(2).stride(1).padding(1));
      case "aavg" -> F.adaptiveAvgPool2d(x, AdaptiveAvgPool2dOptions.of(2, 3));
      case "amax" -> F.adaptiveMaxPool2d(x, AdaptiveMaxPool2dOptions.of(2));
      case "linear" -> F.linear(x, w);
      case "matmul" -> x.matmul(w);
      case "softmax" -> F.softmax(x, -1);
      case "sum" -> x.sum(1);
      default -> x.sigmoid().mul(x.exp());
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void operation_matchesPyTorch(String name, JsonNode c, DType dtype) {
    Torch.manualSeed(c.get("seed").asLong());
    Tensor x = Torch.randn(Golden.ints(c.get("shape"))).to(dtype).detach().setRequiresGrad(true);
    Tensor w = c.get("wshape").isNull() ? null : Torch.randn(Golden.ints(c.get("wshape"))).to(dtype);
    Tensor v = x;
    for (JsonNode vw : c.get("views")) {
      v = view(v, vw);
    }
    Tensor out = op(c.get("op").asText(), v, w);
    Tensor gout = Torch.randn(out.shapeArray()).to(dtype);
    double tol = dtype == DType.FLOAT64 ? 1e-9 : 1e-4;
    Golden.assertWithinScale(AREA, c.get("out").asText(), out.detach(), tol, "output");
    out.backward(gout);
    Golden.assertWithinScale(AREA, c.get("grad").asText(), x.grad(), tol, "grad");
  }

  @Test
  void casesCoverEveryOperation() {
    assertTrue(Golden.cases(AREA).stream().map(c -> c.get("op").asText()).distinct().count() >= 10);
  }
}
