package dev.jconv.nn.functional;

import static dev.jconv.testing.ConvGolden.assertClose;
import static dev.jconv.testing.ConvGolden.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.Raw;
import dev.jconv.testing.ConvGolden;
import dev.jconv.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code F.conv2d} and {@code F.corr2d} against PyTorch 1.13 (tools/golden/gen_conv.py). */
class ConvGoldenTest {
  private static final double RTOL = 1e-5;
  private static final double ATOL = 1e-5;

  static Stream<Named<JsonNode>> forwardCases() {
    return ConvGolden.cases("f");
  }

  static Stream<Named<JsonNode>> largeCases() {
    return ConvGolden.cases("f_large");
  }

  static Stream<Named<JsonNode>> corr2dCases() {
    return ConvGolden.cases("corr2d");
  }

  static Stream<Named<JsonNode>> errorCases() {
    return ConvGolden.cases("f_error");
  }

  @Test
  void golden_coversTheIssuesCaseCounts() {
    // Issue 3 asks for at least 150 forward cases (functional and layer together).
    assertTrue(ConvGolden.count("f") + ConvGolden.count("f_large") + ConvGolden.count("module") >= 150);
    assertTrue(ConvGolden.count("f_error") >= 30);
  }

  @ParameterizedTest
  @MethodSource("forwardCases")
  void conv2d_matchesPyTorch(JsonNode c) {
    Tensor x = tensor(c, "x");
    Tensor w = tensor(c, "weight");
    Tensor b = tensor(c, "bias");
    Tensor expected = tensor(c, "out");
    Conv2dFuncOptions o = ConvGolden.funcOptions(c, b);
    boolean defaults = !c.hasNonNull("stride") && !c.hasNonNull("padding") && !c.hasNonNull("dilation")
        && !c.hasNonNull("groups") && b == null;
    Tensor got = defaults ? F.conv2d(x, w) : F.conv2d(x, w, o);
    assertClose(c.get("name").asText(), expected, got, RTOL, ATOL);
  }

  @ParameterizedTest
  @MethodSource("largeCases")
  void conv2d_largeCase_matchesPyTorchSample(JsonNode c) {
    Tensor x = pattern(ConvGolden.ints(c.get("x_shape")), c.get("x_seed").asInt(), 1f);
    Tensor w = pattern(ConvGolden.ints(c.get("w_shape")), c.get("w_seed").asInt(), (float) c.get("w_scale").asDouble());
    Tensor b = c.get("bias_len").isNull() ? null : pattern(new int[] {c.get("bias_len").asInt()}, c.get("bias_seed").asInt(), 1f);
    Tensor got = F.conv2d(x, w, ConvGolden.funcOptions(c, b));
    assertArrayEquals(ConvGolden.ints(c.get("out_shape")), got.shapeArray());
    float[] out = got.toFloatArray();
    long[] idx = ConvGolden.tensor(c, "sample_index").toLongArray();
    float[] sample = ConvGolden.tensor(c, "sample").toFloatArray();
    double scale = c.get("out_abs_sum").asDouble() / out.length;
    for (int i = 0; i < idx.length; i++) {
      float g = out[(int) idx[i]];
      double tol = RTOL * Math.abs(sample[i]) + ATOL * Math.max(1, scale * 10);
      assertTrue(Math.abs(g - sample[i]) <= tol, "element " + idx[i] + ": " + g + " vs PyTorch " + sample[i]);
    }
    double sum = 0;
    for (float v : out) {
      sum += v;
    }
    assertEquals(c.get("out_sum").asDouble(), sum, 1e-5 * c.get("out_abs_sum").asDouble());
  }

  /** The generator's deterministic input: {@code float((i*7919 + seed) % 2003) / 1001.5f - 1f}, times scale. */
  static Tensor pattern(int[] shape, int seed, float scale) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((float) ((i * 7919L + seed) % 2003) / 1001.5f - 1f) * scale;
    }
    return Raw.wrap(v, shape);
  }

  @ParameterizedTest
  @MethodSource("corr2dCases")
  void corr2d_matchesTheBook(JsonNode c) {
    Tensor x = tensor(c, "x");
    Tensor k = tensor(c, "k");
    Tensor expected = tensor(c, "out");
    Tensor got = F.corr2d(x, k);
    assertEquals(DType.FLOAT32, got.dtype());
    assertClose(c.get("name").asText(), expected, got, 1e-6, 1e-6);
    assertEquals(c.get("printed").asText(), got.toString());
  }

  @Test
  void corr2d_bookExample_printsAsPyTorch() {
    Tensor X = Torch.tensor(new double[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
    Tensor K = Torch.tensor(new double[][] {{0, 1}, {2, 3}});
    assertEquals("tensor([[19., 25.],\n        [37., 43.]])", F.corr2d(X, K).toString());
  }

  @Test
  void corr2d_kernelTwoLargerThanInput_throwsAsTheBook() {
    // The book's torch.zeros((X.shape[0] - h + 1, ...)) fails with a negative dimension.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.corr2d(Torch.zeros(3, 3), Torch.zeros(5, 2)));
    assertTrue(e.getMessage().contains("negative dimension -1: [-1, 2]"), e.getMessage());
  }

  @Test
  void corr2d_notTwoDimensional_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.corr2d(Torch.zeros(1, 3, 3), Torch.zeros(2, 2)));
    assertTrue(e.getMessage().contains("[1, 3, 3]"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("errorCases")
  void conv2d_refusesWhatPyTorchRefuses(JsonNode c) {
    Tensor x = Torch.zeros(ConvGolden.ints(c.get("x_shape")));
    Tensor w = Torch.zeros(ConvGolden.ints(c.get("w_shape")));
    Tensor b = c.get("bias_shape").isNull() ? null : Torch.zeros(ConvGolden.ints(c.get("bias_shape")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.conv2d(x, w, ConvGolden.funcOptions(c, b)), () -> "PyTorch: " + c.get("message").asText());
    for (JsonNode f : c.get("contains")) {
      assertTrue(e.getMessage().contains(f.asText()),
          () -> "message \"" + e.getMessage() + "\" lacks \"" + f.asText() + "\" (PyTorch: " + c.get("message").asText() + ")");
    }
    for (JsonNode f : c.get("java_contains")) {
      assertTrue(e.getMessage().contains(f.asText()), () -> "message \"" + e.getMessage() + "\" lacks \"" + f.asText() + "\"");
    }
  }
}
