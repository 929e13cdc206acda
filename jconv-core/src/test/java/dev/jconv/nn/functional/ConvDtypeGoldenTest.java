package dev.jconv.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.autograd.NoGrad;
import dev.jconv.io.Npy;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.PaddingMode;
import dev.jconv.testing.Golden;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * float64 convolution and the dtype rules against PyTorch 1.13 (tools/golden/gen_conv_dtype.py):
 * float64 outputs of F.conv2d and of float64 layers in every padding mode, and PyTorch's words for
 * mixed dtypes.
 */
class ConvDtypeGoldenTest {
  private static final String AREA = "conv_dtype";

  private static Stream<Arguments> kind(String kind) {
    return Golden.cases(AREA).stream().filter(c -> c.get("kind").asText().equals(kind))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> f64() {
    return kind("f64");
  }

  static Stream<Arguments> f64Layer() {
    return kind("f64_layer");
  }

  static Stream<Arguments> dtypeErrors() {
    return kind("dtype_error");
  }

  private static Tensor array(JsonNode c, String field) {
    JsonNode f = c.get(field);
    return f == null || f.isNull() ? null : Npy.toTensor(Golden.array(AREA, f.asText()));
  }

  /** PyTorch's message without its exception class ("RuntimeError: ..."). */
  private static String message(JsonNode c) {
    String m = c.get("message").asText();
    return m.substring(m.indexOf(": ") + 2);
  }

  private static void assertClose(Tensor expected, Tensor actual) {
    assertEquals(DType.FLOAT64, actual.dtype());
    assertArrayEquals(expected.shapeArray(), actual.shapeArray());
    assertTrue(expected.allclose(actual, 1e-12, 1e-12, false), "expected " + Arrays.toString(expected.toDoubleArray())
        + "\nactual   " + Arrays.toString(actual.toDoubleArray()));
  }

  private static int[] pair(JsonNode v) {
    return v.isArray() ? new int[] {v.get(0).asInt(), v.get(1).asInt()} : new int[] {v.asInt(), v.asInt()};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("f64")
  void conv2d_float64_matchesPyTorch(String name, JsonNode c) {
    JsonNode o = c.get("options");
    Conv2dFuncOptions opts = new Conv2dFuncOptions().bias(array(c, "b"));
    if (o.has("stride")) {
      int[] s = pair(o.get("stride"));
      opts = opts.stride(s[0], s[1]);
    }
    if (o.has("padding")) {
      JsonNode p = o.get("padding");
      int[] pd = p.isTextual() ? null : pair(p);
      opts = pd == null ? opts.padding(Padding.SAME) : opts.padding(pd[0], pd[1]);
    }
    if (o.has("dilation")) {
      int[] d = pair(o.get("dilation"));
      opts = opts.dilation(d[0], d[1]);
    }
    if (o.has("groups")) {
      opts = opts.groups(o.get("groups").asInt());
    }
    assertClose(array(c, "out"), F.conv2d(array(c, "x"), array(c, "w"), opts));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("f64Layer")
  void conv2dLayer_toDouble_everyPaddingMode_matchesPyTorch(String name, JsonNode c) {
    Conv2d layer = new Conv2d(Conv2dOptions.of(2, 3, 3).padding(2)
        .paddingMode(PaddingMode.valueOf(c.get("mode").asText().toUpperCase(Locale.ROOT))));
    layer.toDouble();
    assertEquals(DType.FLOAT64, layer.weight().dtype());
    assertTrue(layer.weight().requiresGrad());
    try (var g = NoGrad.enter()) {
      layer.weight().copyInPlace(array(c, "w"));
      layer.bias().copyInPlace(array(c, "b"));
    }
    Tensor y = layer.forward(array(c, "x"));
    assertClose(array(c, "out"), y.detach());
    assertTrue(y.toString().contains("dtype=torch.float64,") && y.toString().contains("grad_fn=<ConvolutionBackward0>"),
        y.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dtypeErrors")
  void conv2d_mixedDtypes_throwPyTorchsMessage(String name, JsonNode c) {
    Tensor x = Torch.rand(1, 2, 5, 5).to(DType.valueOf(c.get("x_dtype").asText().toUpperCase(Locale.ROOT)));
    Tensor w = Torch.rand(3, 2, 3, 3).to(DType.valueOf(c.get("w_dtype").asText().toUpperCase(Locale.ROOT)));
    Tensor b = c.get("b_dtype").isNull() ? null
        : Torch.rand(3).to(DType.valueOf(c.get("b_dtype").asText().toUpperCase(Locale.ROOT)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.conv2d(x, w, new Conv2dFuncOptions().bias(b)));
    assertEquals(message(c), e.getMessage());
  }

  @Test
  void float32Layer_float64Input_andModuleToInt64_throwPyTorchsMessages() {
    Conv2d layer = new Conv2d(Conv2dOptions.of(2, 3, 3));
    JsonNode layerCase = (JsonNode) kind("layer_dtype_error").findFirst().orElseThrow().get()[1];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> layer.forward(Torch.rand(1, 2, 5, 5).toDouble()));
    assertEquals(message(layerCase), e.getMessage());
    JsonNode toCase = (JsonNode) kind("module_to_error").findFirst().orElseThrow().get()[1];
    e = assertThrows(IllegalArgumentException.class, () -> layer.to(DType.INT64));
    assertEquals(message(toCase), e.getMessage());
  }

  @Test
  void conv2d_int64_isRefusedClearly() {
    // PyTorch 1.13 convolves int64 tensors; jconv computes in float32 and float64 only, and says so.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.conv2d(Torch.zeros(DType.INT64, 1, 1, 3, 3), Torch.zeros(DType.INT64, 1, 1, 2, 2)));
    assertEquals("conv2d in jconv computes in float32 or float64, but got input and weight of dtype torch.int64 "
        + "(convert with toFloat() or toDouble())", e.getMessage());
  }

  @Test
  void manifest_coversEveryKind() {
    assertEquals(5, f64().count());
    assertEquals(3, f64Layer().count());
    assertEquals(7, dtypeErrors().count());
  }
}
