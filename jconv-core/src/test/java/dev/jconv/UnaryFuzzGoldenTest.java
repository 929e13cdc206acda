package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.io.Npy;
import dev.jconv.nn.functional.F;
import dev.jconv.testing.Golden;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random unary functions and reductions against PyTorch 1.13 (tools/golden/gen_fuzz_unary.py), special
 * values included: the result's dtype and values (the transcendental functions within 4 units in the
 * last place, the rest exactly; NaN as NaN, signed zeros as signed zeros), or PyTorch's message.
 */
class UnaryFuzzGoldenTest {
  private static final String AREA = "fuzz_unary";

  /** PyTorch's float32 exp, log, tanh and sigmoid are vectorized approximations (SLEEF), not Java's. */
  private static final Set<String> APPROXIMATE = Set.of("exp", "log", "sigmoid", "tanh", "softmax", "log_softmax",
      "mean", "mean_dim", "sum", "sum_dim");

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("op").asText()
        + " dim " + c.get("dim").asInt(), c));
  }

  private static Tensor run(String op, Tensor x, int dim) {
    return switch (op) {
      case "exp" -> x.exp();
      case "log" -> x.log();
      case "sqrt" -> x.sqrt();
      case "sigmoid" -> x.sigmoid();
      case "tanh" -> x.tanh();
      case "relu" -> x.relu();
      case "neg" -> x.neg();
      case "abs" -> x.abs();
      case "softmax" -> F.softmax(x, dim);
      case "log_softmax" -> F.logSoftmax(x, dim);
      case "sum" -> x.sum();
      case "mean" -> x.mean();
      case "max" -> x.max();
      case "min" -> x.min();
      case "argmax" -> x.argmax();
      case "sum_dim" -> x.sum(dim);
      case "mean_dim" -> x.mean(dim);
      case "max_dim" -> x.max(dim).values();
      case "min_dim" -> x.min(dim, false).values();
      case "argmax_dim" -> x.argmax(dim);
      default -> throw new AssertionError(op);
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void function_matchesPyTorch(String name, JsonNode c) {
    Tensor x = Npy.toTensor(Golden.array(AREA, c.get("x").asText()));
    String op = c.get("op").asText();
    int dim = c.get("dim").asInt();
    if (!c.get("error").isNull()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(op, x, dim));
      assertEquals(Golden.words(c.get("error")), e.getMessage());
      return;
    }
    Tensor got = run(op, x, dim);
    Tensor want = Npy.toTensor(Golden.array(AREA, c.get("out").asText()));
    assertEquals(c.get("dtype").asText(), got.dtype().torchName(), "dtype");
    int[] shape = new int[c.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = c.get("shape").get(i).asInt();
    }
    assertArrayEquals(shape, got.shapeArray(), "shape");
    double[] w = want.toDoubleArray();
    double[] g = got.toDoubleArray();
    boolean f32 = got.dtype() == DType.FLOAT32;
    for (int i = 0; i < w.length; i++) {
      boolean same = Double.doubleToLongBits(w[i]) == Double.doubleToLongBits(g[i]);
      if (!same && APPROXIMATE.contains(op) && Double.isFinite(w[i]) && Double.isFinite(g[i])) {
        double ulp = f32 ? Math.ulp((float) w[i]) : Math.ulp(w[i]);
        same = Math.abs(w[i] - g[i]) <= 4 * ulp || Math.abs(w[i] - g[i]) <= (f32 ? 1e-6 : 1e-14) * maxAbs(w);
      }
      int at = i;
      assertTrue(same, () -> "element " + at + " differs\nexpected " + Arrays.toString(w) + "\nactual   "
          + Arrays.toString(g));
    }
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double d : v) {
      m = Double.isFinite(d) ? Math.max(m, Math.abs(d)) : m;
    }
    return m;
  }

  @Test
  void casesCoverEveryFunction() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 500);
    assertEquals(20, cases.stream().map(c -> c.get("op").asText()).distinct().count());
  }
}
