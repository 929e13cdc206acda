package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.io.Npy;
import dev.jconv.testing.Golden;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random arithmetic against PyTorch 1.13 (tools/golden/gen_fuzz_arith.py): element-wise operations
 * between tensors of every dtype and broadcastable shapes, or with a Python int or float; the result's
 * dtype and every value (bit for bit, NaN as NaN), or PyTorch's message where it refuses them.
 */
class ArithFuzzGoldenTest {
  private static final String AREA = "fuzz_arith";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("op").asText()
        + (c.get("scalar").isNull() ? "" : " scalar " + c.get("scalar")), c));
  }

  private static Tensor array(JsonNode c, String field) {
    JsonNode f = c.get(field);
    return f == null || f.isNull() ? null : Npy.toTensor(Golden.array(AREA, f.asText()));
  }

  private static Tensor run(JsonNode c, Tensor a, Tensor b) {
    JsonNode s = c.get("scalar");
    String op = c.get("op").asText();
    if (!s.isNull()) {
      boolean integral = c.get("scalar_int").asBoolean();
      long l = s.asLong();
      double d = s.asDouble();
      return switch (op) {
        case "add" -> integral ? a.add(l) : a.add(d);
        case "sub" -> integral ? a.sub(l) : a.sub(d);
        case "mul" -> integral ? a.mul(l) : a.mul(d);
        case "div" -> a.div(d);
        case "pow" -> integral ? a.pow(l) : a.pow(d);
        case "eq" -> a.eq(d);
        case "gt" -> a.gt(d);
        case "lt" -> a.lt(d);
        default -> throw new AssertionError(op);
      };
    }
    return switch (op) {
      case "neg" -> a.neg();
      case "abs" -> a.abs();
      case "add" -> a.add(b);
      case "sub" -> a.sub(b);
      case "mul" -> a.mul(b);
      case "div" -> a.div(b);
      case "pow" -> a.pow(b);
      case "maximum" -> a.maximum(b);
      case "minimum" -> a.minimum(b);
      case "eq" -> a.eq(b);
      case "ne" -> a.ne(b);
      case "lt" -> a.lt(b);
      case "le" -> a.le(b);
      case "gt" -> a.gt(b);
      case "ge" -> a.ge(b);
      default -> throw new AssertionError(op);
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void operation_matchesPyTorch(String name, JsonNode c) {
    Tensor a = array(c, "a");
    Tensor b = array(c, "b");
    if (!c.get("error").isNull()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(c, a, b));
      assertEquals(Golden.words(c.get("error")), e.getMessage());
      return;
    }
    Tensor got = run(c, a, b);
    Tensor want = array(c, "out");
    assertEquals(c.get("dtype").asText(), got.dtype().torchName(), "dtype");
    assertArrayEquals(want.shapeArray(), got.shapeArray(), "shape");
    double[] w = want.toDoubleArray();
    double[] g = got.toDoubleArray();
    for (int i = 0; i < w.length; i++) {
      assertEquals(Double.doubleToLongBits(w[i] == 0 ? w[i] : w[i]), Double.doubleToLongBits(g[i]),
          () -> "values differ\nexpected " + Arrays.toString(w) + "\nactual   " + Arrays.toString(g));
    }
  }

  @Test
  void casesCoverEveryOperationAndDtype() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 600);
    assertEquals(15, cases.stream().map(c -> c.get("op").asText()).distinct().count());
    assertTrue(cases.stream().filter(c -> !c.get("error").isNull()).count() >= 30);
  }
}
