package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.io.Npy;
import dev.jconv.testing.Golden;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tensor's own operations against PyTorch 1.13 (tools/golden/gen_tensor.py). */
class TensorGoldenTest {

  static Stream<Arguments> cases() {
    List<JsonNode> cases = Golden.cases("tensor");
    return cases.stream().filter(c -> !c.get("kind").asText().equals("error"))
        .map(c -> Arguments.of(c.get("kind").asText() + " " + c.path("op").asText(c.path("view").asText("")), c));
  }

  private static Tensor t(JsonNode c, String field) {
    return Npy.toTensor(Golden.array("tensor", c.get(field).asText()));
  }

  private static void assertSame(Tensor expected, Tensor actual, double rtol, String what) {
    assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
    assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what + ": shape");
    if (rtol == 0) {
      assertTrue(expected.equal(actual) || expected.allclose(actual, 0, 0, true),
          what + ": values differ\nexpected " + java.util.Arrays.toString(expected.toDoubleArray())
              + "\nactual   " + java.util.Arrays.toString(actual.toDoubleArray()));
    } else {
      assertTrue(expected.allclose(actual, rtol, 1e-6, true), what + ": values differ\nexpected "
          + java.util.Arrays.toString(expected.toDoubleArray()) + "\nactual   "
          + java.util.Arrays.toString(actual.toDoubleArray()));
    }
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void matchesPyTorch(String label, JsonNode c) {
    String kind = c.get("kind").asText();
    switch (kind) {
      case "binary" -> {
        Tensor a = t(c, "a");
        Tensor b = t(c, "b");
        Tensor out = switch (c.get("op").asText()) {
          case "add" -> a.add(b);
          case "sub" -> a.sub(b);
          case "mul" -> a.mul(b);
          case "div" -> a.div(b);
          default -> throw new AssertionError(c.toString());
        };
        assertEquals(c.get("dtype").asText(), out.dtype().torchName());
        assertSame(t(c, "out"), out, 0, label);
      }
      case "binary_error" -> {
        Tensor a = t(c, "a");
        Tensor b = t(c, "b");
        var e = assertThrows(IllegalArgumentException.class, () -> a.sub(b));
        assertEquals(stripType(c.get("message").asText()), e.getMessage());
      }
      case "scalar" -> {
        Tensor a = t(c, "a");
        boolean integral = c.get("integral").asBoolean();
        double v = c.get("scalar").asDouble();
        Tensor out = switch (c.get("op").asText()) {
          case "add" -> integral ? a.add((long) v) : a.add(v);
          case "sub" -> integral ? a.sub((long) v) : a.sub(v);
          case "mul" -> integral ? a.mul((long) v) : a.mul(v);
          case "div" -> a.div(v);
          default -> throw new AssertionError(c.toString());
        };
        assertEquals(c.get("dtype").asText(), out.dtype().torchName());
        assertSame(t(c, "out"), out, 0, label);
      }
      case "sum_all" -> assertSame(t(c, "out"), t(c, "a").sum(), 1e-6, label);
      case "sum_dim" -> assertSame(t(c, "out"),
          t(c, "a").sum(c.get("dim").asInt(), c.get("keepdim").asBoolean()), 1e-6, label);
      case "mean_dim" -> assertSame(t(c, "out"),
          t(c, "a").mean(c.get("dim").asInt(), c.get("keepdim").asBoolean()), 1e-6, label);
      case "max_dim" -> {
        Tensor.ValuesIndices vi = t(c, "a").max(c.get("dim").asInt(), c.get("keepdim").asBoolean());
        assertSame(t(c, "values"), vi.values(), 0, label + " values");
        assertSame(t(c, "indices"), vi.indices(), 0, label + " indices");
      }
      case "max_all" -> assertSame(t(c, "out"), t(c, "a").max(), 0, label);
      case "view" -> {
        Tensor a = t(c, "a");
        Map<String, Supplier<Tensor>> views = Map.ofEntries(
            Map.entry("transpose01", () -> a.transpose(0, 1)),
            Map.entry("permute201", () -> a.permute(2, 0, 1)),
            Map.entry("slice1_1_3", () -> a.slice(1, 1, 3)),
            Map.entry("slice2_step2", () -> a.slice(2, 0, Integer.MAX_VALUE, 2)),
            Map.entry("narrow2_1_2", () -> a.narrow(2, 1, 2)),
            Map.entry("select1_2", () -> a.select(1, 2)),
            Map.entry("neg_slice", () -> a.slice(1, -2, Integer.MAX_VALUE)),
            Map.entry("reshape_t", () -> a.transpose(1, 2).reshape(4, 6)),
            Map.entry("flatten12", () -> a.flatten(1, 2)),
            Map.entry("unsqueeze1", () -> a.unsqueeze(1)),
            Map.entry("t2d", () -> a.index(0).t()));
        Tensor v = views.get(c.get("view").asText()).get();
        assertSame(t(c, "out"), v, 0, label);
        assertSame(t(c, "out"), v.contiguous(), 0, label + " contiguous");
      }
      case "matmul" -> assertSame(t(c, "out"), t(c, "a").matmul(t(c, "b")), 1e-5, label);
      case "cat" -> assertSame(t(c, "out"), Torch.cat(c.get("dim").asInt(), t(c, "a"), t(c, "b")), 0, label);
      case "stack" -> assertSame(t(c, "out"), Torch.stack(c.get("dim").asInt(), t(c, "a"), t(c, "b")), 0, label);
      case "size_slices" -> {
        int[] dims = new int[c.get("shape").size()];
        for (int i = 0; i < dims.length; i++) {
          dims[i] = c.get("shape").get(i).asInt();
        }
        Size size = Size.of(dims);
        for (JsonNode sl : c.get("slices")) {
          int from = sl.get(0).asInt();
          Size got = sl.get(1).isNull() ? size.slice(from) : size.slice(from, sl.get(1).asInt());
          int[] want = new int[sl.get(2).size()];
          for (int i = 0; i < want.length; i++) {
            want[i] = sl.get(2).get(i).asInt();
          }
          assertEquals(Size.of(want), got, label + " " + sl);
        }
      }
      case "pow_int" -> assertSame(t(c, "out"), t(c, "a").pow(c.get("exponent").asLong()), 0, label);
      default -> throw new AssertionError("unknown case kind " + kind);
    }
  }

  static String stripType(String pyMessage) {
    int colon = pyMessage.indexOf(": ");
    return pyMessage.substring(colon + 2);
  }

  private static String pyError(String name) {
    for (JsonNode c : Golden.cases("tensor")) {
      if (c.get("kind").asText().equals("error") && c.get("error").asText().equals(name)) {
        return stripType(c.get("message").asText());
      }
    }
    throw new AssertionError("no golden error " + name);
  }

  private static void assertPyTorchError(String name, Runnable r) {
    var e = assertThrows(IllegalArgumentException.class, r::run);
    assertEquals(pyError(name), e.getMessage(), name);
  }

  @Test
  void errors_matchPyTorchWording() {
    assertPyTorchError("broadcast", () -> Torch.ones(2, 3).add(Torch.ones(4)));
    assertPyTorchError("broadcast2", () -> Torch.ones(2, 3, 4).mul(Torch.ones(5, 1)));
    assertPyTorchError("reshape", () -> Torch.ones(3, 3).reshape(2, 5));
    assertPyTorchError("reshape_two_infer", () -> Torch.ones(3, 4).reshape(-1, -1));
    assertPyTorchError("narrow", () -> Torch.ones(6).narrow(0, 5, 3));
    assertPyTorchError("select", () -> Torch.ones(3, 2).index(5));
    assertPyTorchError("matmul", () -> Torch.ones(2, 3).matmul(Torch.ones(4, 5)));
    assertPyTorchError("cat", () -> Torch.cat(1, Torch.ones(2, 3), Torch.ones(3, 4)));
    assertPyTorchError("stack", () -> Torch.stack(0, Torch.ones(3, 3), Torch.ones(3, 4)));
    assertPyTorchError("t3d", () -> Torch.ones(2, 3, 4).t());
    assertPyTorchError("mean_int", () -> Torch.ones(DType.INT64, 3).mean());
    assertPyTorchError("view_noncontig", () -> Torch.ones(2, 3).t().view(6));
    assertPyTorchError("dim_range", () -> Torch.ones(2, 3).sum(2));
    assertPyTorchError("neg_dim", () -> Torch.zeros(-1, 3));
    assertPyTorchError("bool_sub", () -> Torch.ones(DType.BOOL, 2).sub(Torch.ones(DType.BOOL, 2)));
    assertPyTorchError("inplace_cast", () -> Torch.ones(DType.INT64, 2).addInPlace(Torch.ones(2)));
    assertPyTorchError("pow_int_negative", () -> Torch.tensor(new long[] {2, 3}).pow(-1L));
    var e = assertThrows(IllegalArgumentException.class, () -> Torch.ones(2).item());
    assertTrue(e.getMessage().startsWith("only one element tensors can be converted to"), e.getMessage());
  }
}
