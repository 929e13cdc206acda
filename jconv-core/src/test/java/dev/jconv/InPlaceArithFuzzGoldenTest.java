package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random in-place arithmetic against PyTorch 1.13 (tools/golden/gen_fuzz_inplace_arith.py): add_,
 * sub_, mul_, div_ (with a tensor, with alpha, or with a number), fill_, copy_ and zero_ between every
 * pair of dtypes and shapes that broadcast, would grow the target or do not fit, on targets that are
 * sometimes expanded views; the target's values bit for bit, or PyTorch's message.
 */
class InPlaceArithFuzzGoldenTest {
  private static final String AREA = "fuzz_inplace_arith";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("op").asText() + " "
        + c.get("dtype").asText() + c.get("shape") + (c.get("expanded").asBoolean() ? " expanded" : "") + " with "
        + c.get("other_dtype").asText() + c.get("other_shape"), c));
  }

  private static Tensor tensor(String dtype, JsonNode shapeNode, JsonNode values) {
    int[] shape = Golden.ints(shapeNode);
    int n = values.size();
    return switch (dtype) {
      case "float32" -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) Golden.number(values.get(i));
        }
        yield Torch.fromFlat(v, shape);
      }
      case "float64" -> {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = Golden.number(values.get(i));
        }
        yield Torch.fromFlat(v, shape);
      }
      case "int64" -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = values.get(i).asLong();
        }
        yield Torch.fromFlat(v, shape);
      }
      default -> {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = Golden.number(values.get(i)) != 0; // kept as 1.0 and 0.0
        }
        yield Torch.fromFlat(v, shape);
      }
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void inPlace_matchesPyTorch(String name, JsonNode c) {
    Tensor base = tensor(c.get("dtype").asText(), c.get("shape"), c.get("values"));
    Tensor other = tensor(c.get("other_dtype").asText(), c.get("other_shape"), c.get("other"));
    int[] shape = Golden.ints(c.get("shape"));
    Tensor target = base;
    if (c.get("expanded").asBoolean()) {
      int[] big = shape.clone();
      big[0] = 3;
      target = base.expand(big);
    }
    double s = c.get("scalar").asDouble();
    double alpha = c.get("alpha").asDouble();
    Tensor t = target;
    Runnable run = switch (c.get("op").asText()) {
      case "add" -> () -> t.addInPlace(other);
      case "add_alpha" -> () -> t.addInPlace(other, alpha);
      case "sub" -> () -> t.subInPlace(other);
      case "mul" -> () -> t.mulInPlace(other);
      case "div" -> () -> t.divInPlace(other);
      case "add_s" -> () -> t.addInPlace(s);
      case "sub_s" -> () -> t.subInPlace(s);
      case "mul_s" -> () -> t.mulInPlace(s);
      case "div_s" -> () -> t.divInPlace(s);
      case "fill" -> () -> t.fillInPlace(s);
      case "copy" -> () -> t.copyInPlace(other);
      case "zero" -> t::zeroInPlace;
      default -> throw new AssertionError(c.get("op"));
    };
    if (!c.get("error").isNull()) {
      String want = Golden.words(c.get("error"));
      try {
        run.run();
      } catch (IllegalArgumentException | IllegalStateException e) {
        assertEquals(want, e.getMessage());
        return;
      }
      fail("ran, PyTorch refused: " + want);
    }
    run.run();
    assertArrayEquals(Golden.ints(c.get("result_shape")), t.shapeArray(), "shape");
    assertEquals(c.get("dtype").asText(), t.dtype().torchName().replace("torch.", ""), "dtype");
    JsonNode want = c.get("result");
    double[] got = t.toDoubleArray();
    assertEquals(want.size(), got.length);
    for (int i = 0; i < got.length; i++) {
      double w = Golden.number(want.get(i));
      assertTrue(Double.compare(w, got[i]) == 0 || w == got[i], "element " + i + ": " + got[i] + ", PyTorch " + w);
    }
  }

  @Test
  void casesMixResultsAndRefusals() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 500);
    assertTrue(cases.stream().filter(c -> c.get("error").isNull()).count() >= 200);
  }
}
