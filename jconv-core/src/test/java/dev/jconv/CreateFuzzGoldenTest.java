package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.io.Npy;
import dev.jconv.testing.Golden;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random tensor creation against PyTorch 1.13 (tools/golden/gen_fuzz_create.py): arange with int and
 * float arguments, full with int, float and bool values (the dtype inferred from the value's type, as
 * Java's overloads choose: {@code full(3, ...)} is int64, {@code full(3.0, ...)} float32), zeros and ones;
 * the dtype and values bit for bit, or PyTorch's message.
 */
class CreateFuzzGoldenTest {
  private static final String AREA = "fuzz_create";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("fn").asText()
        + " " + c.get("args"), c));
  }

  private static DType dtype(JsonNode d) {
    return DType.valueOf(d.asText().toUpperCase(Locale.ROOT));
  }

  private static Tensor run(JsonNode c) {
    JsonNode a = c.get("args");
    switch (c.get("fn").asText()) {
      case "arange" -> {
        JsonNode p = a.get("params");
        if (a.get("kind").asText().equals("int")) {
          return switch (p.size()) {
            case 1 -> Torch.arange(p.get(0).asLong());
            case 2 -> Torch.arange(p.get(0).asLong(), p.get(1).asLong(), 1);
            default -> Torch.arange(p.get(0).asLong(), p.get(1).asLong(), p.get(2).asLong());
          };
        }
        return switch (p.size()) {
          case 1 -> Torch.arange(0.0, p.get(0).asDouble(), 1.0);
          case 2 -> Torch.arange(p.get(0).asDouble(), p.get(1).asDouble(), 1.0);
          default -> Torch.arange(p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asDouble());
        };
      }
      case "arange_dtype" -> {
        return Torch.arange(a.get("params").get(0).asLong(), dtype(a.get("dtype")));
      }
      case "full" -> {
        int[] shape = Golden.ints(a.get("shape"));
        JsonNode v = a.get("value");
        if (!a.get("dtype").isNull()) {
          return Torch.full(dtype(a.get("dtype")), v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asDouble(), shape);
        }
        return switch (a.get("kind").asText()) {
          case "int" -> Torch.full(v.asLong(), shape);
          case "bool" -> Torch.full(v.asBoolean(), shape);
          default -> Torch.full(v.asDouble(), shape);
        };
      }
      case "zeros" -> {
        return Torch.zeros(dtype(a.get("dtype")), Golden.ints(a.get("shape")));
      }
      default -> {
        return Torch.ones(dtype(a.get("dtype")), Golden.ints(a.get("shape")));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void creation_matchesPyTorch(String name, JsonNode c) {
    if (!c.get("error").isNull()) {
      Golden.assertRefused(Golden.words(c.get("error")), () -> run(c));
      return;
    }
    Tensor got = run(c);
    assertEquals(c.get("dtype").asText(), got.dtype().torchName(), "dtype");
    assertArrayEquals(Golden.ints(c.get("shape")), got.shapeArray(), "shape");
    assertArrayEquals(Npy.toTensor(Golden.array(AREA, c.get("out").asText())).toDoubleArray(), got.toDoubleArray());
  }

  @Test
  void casesCoverEveryFunction() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 300);
    assertEquals(5, cases.stream().map(c -> c.get("fn").asText()).distinct().count());
  }
}
