package dev.jconv.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.io.NpyArray;
import dev.jconv.nn.AdaptiveAvgPool2d;
import dev.jconv.nn.AdaptiveAvgPool2dOptions;
import dev.jconv.nn.AdaptiveMaxPool2d;
import dev.jconv.nn.AdaptiveMaxPool2dOptions;
import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.IntPair;
import dev.jconv.nn.LPPool2d;
import dev.jconv.nn.LPPool2dOptions;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.MaxUnpool2d;
import dev.jconv.nn.MaxUnpool2dOptions;
import dev.jconv.nn.Module;
import dev.jconv.testing.Golden;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pooling case PyTorch computed ({@code tools/golden/gen_pool.py}): values and indices through
 * F and through the layers, printed layers, and the calls PyTorch refuses.
 */
class PoolGoldenTest {
  private static final String AREA = "pool";
  private static final List<JsonNode> CASES = Golden.cases(AREA);

  private static boolean isError(JsonNode c) {
    return c.has("error");
  }

  static Stream<Arguments> forwardCases() {
    return CASES.stream()
        .filter(c -> !isError(c) && !Set.of("repr", "book").contains(c.get("op").asText()))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> errorCases() {
    return CASES.stream().filter(PoolGoldenTest::isError).map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> reprCases() {
    return CASES.stream()
        .filter(c -> c.get("op").asText().equals("repr"))
        .map(c -> Arguments.of(c.get("repr").asText(), c));
  }

  static Stream<Arguments> bookCases() {
    return CASES.stream()
        .filter(c -> c.get("op").asText().equals("book"))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  @Test
  void manifest_hasTheCasesTheIssueAsksFor() {
    assertEquals(8, bookCases().count());
    assertTrue(forwardCases().count() >= 120, "forward cases: " + forwardCases().count());
    assertTrue(errorCases().count() >= 50, "error cases: " + errorCases().count());
    assertEquals(19, reprCases().count());
    Set<String> ops = Set.of("max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d",
        "global_avg_pool2d", "lp_pool2d", "max_unpool2d");
    for (String op : ops) {
      assertTrue(forwardCases().anyMatch(a -> ((JsonNode) a.get()[1]).get("op").asText().equals(op)), op);
    }
  }

  // ------------------------------------------------------------------ building calls from a case

  private static Tensor tensor(JsonNode c, String field) {
    NpyArray a = Golden.array(AREA, c.get(field).asText());
    return switch (a.dtype()) {
      case FLOAT32 -> Torch.fromFlat(a.floats(), a.shape());
      case FLOAT64 -> Torch.fromFlat(a.doubles(), a.shape());
      case INT64 -> Torch.fromFlat(a.longs(), a.shape());
      case BOOL -> Torch.fromFlat(a.booleans(), a.shape());
    };
  }

  /** An argument as PyTorch got it: an int, a pair, or absent/None (null). */
  private static IntPair pair(JsonNode c, String field) {
    JsonNode n = c.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isInt()) {
      return IntPair.of(n.asInt());
    }
    return IntPair.of(n.get(0).asInt(), n.get(1).asInt());
  }

  private static IntPair pair(JsonNode c, String field, int dflt) {
    IntPair p = pair(c, field);
    return p == null ? IntPair.of(dflt) : p;
  }

  private static boolean flag(JsonNode c, String field, boolean dflt) {
    JsonNode n = c.get(field);
    return n == null || n.isNull() ? dflt : n.asBoolean();
  }

  static MaxPool2dOptions maxOptions(JsonNode c) {
    MaxPool2dOptions o = MaxPool2dOptions.of(pair(c, "kernel_size"));
    IntPair stride = pair(c, "stride");
    if (stride != null) {
      o = o.stride(stride);
    }
    return o.padding(pair(c, "padding", 0)).dilation(pair(c, "dilation", 1)).ceilMode(flag(c, "ceil_mode", false));
  }

  static AvgPool2dOptions avgOptions(JsonNode c) {
    AvgPool2dOptions o = AvgPool2dOptions.of(pair(c, "kernel_size"));
    IntPair stride = pair(c, "stride");
    if (stride != null) {
      o = o.stride(stride);
    }
    o = o.padding(pair(c, "padding", 0)).ceilMode(flag(c, "ceil_mode", false))
        .countIncludePad(flag(c, "count_include_pad", true));
    JsonNode d = c.get("divisor_override");
    return d == null || d.isNull() ? o : o.divisorOverride(d.asInt());
  }

  /** output_size: an int, or a pair whose entries may be None (null). */
  private static Integer[] outputSize(JsonNode c) {
    JsonNode n = c.get("output_size");
    if (n.isInt()) {
      return new Integer[] {n.asInt()};
    }
    return new Integer[] {
      n.get(0).isNull() ? null : n.get(0).asInt(), n.get(1).isNull() ? null : n.get(1).asInt()
    };
  }

  static AdaptiveAvgPool2dOptions adaptiveAvgOptions(JsonNode c) {
    Integer[] s = outputSize(c);
    return s.length == 1 ? AdaptiveAvgPool2dOptions.of(s[0]) : AdaptiveAvgPool2dOptions.of(s[0], s[1]);
  }

  static AdaptiveMaxPool2dOptions adaptiveMaxOptions(JsonNode c) {
    Integer[] s = outputSize(c);
    return s.length == 1 ? AdaptiveMaxPool2dOptions.of(s[0]) : AdaptiveMaxPool2dOptions.of(s[0], s[1]);
  }

  static double norm(JsonNode c) {
    JsonNode n = c.get("norm_type");
    if (n.isTextual()) {
      return switch (n.asText()) {
        case "inf" -> Double.POSITIVE_INFINITY;
        case "-inf" -> Double.NEGATIVE_INFINITY;
        default -> throw new AssertionError("norm_type " + n);
      };
    }
    return n.asDouble();
  }

  static LPPool2dOptions lpOptions(JsonNode c) {
    LPPool2dOptions o = LPPool2dOptions.of(norm(c), pair(c, "kernel_size"));
    IntPair stride = pair(c, "stride");
    if (stride != null) {
      o = o.stride(stride);
    }
    return o.ceilMode(flag(c, "ceil_mode", false));
  }

  static MaxUnpool2dOptions unpoolOptions(JsonNode c) {
    MaxUnpool2dOptions o = MaxUnpool2dOptions.of(pair(c, "kernel_size"));
    IntPair stride = pair(c, "stride");
    if (stride != null) {
      o = o.stride(stride);
    }
    return o.padding(pair(c, "padding", 0));
  }

  private static int[] ints(JsonNode n) {
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asInt();
    }
    return out;
  }

  /** Runs the case's call through F; a max op returns values and indices. */
  static Tensor.ValuesIndices callF(JsonNode c) {
    Tensor x = tensor(c, "x");
    return switch (c.get("op").asText()) {
      case "max_pool2d", "max_pool2d_with_indices" -> F.maxPool2dWithIndices(x, maxOptions(c));
      case "avg_pool2d" -> new Tensor.ValuesIndices(F.avgPool2d(x, avgOptions(c)), null);
      case "adaptive_avg_pool2d" -> new Tensor.ValuesIndices(F.adaptiveAvgPool2d(x, adaptiveAvgOptions(c)), null);
      case "global_avg_pool2d" -> new Tensor.ValuesIndices(F.globalAvgPool2d(x), null);
      case "adaptive_max_pool2d" -> F.adaptiveMaxPool2dWithIndices(x, adaptiveMaxOptions(c));
      case "lp_pool2d" -> new Tensor.ValuesIndices(F.lpPool2d(x, lpOptions(c)), null);
      case "max_unpool2d" -> {
        Tensor idx = tensor(c, "indices");
        JsonNode size = c.get("output_size");
        Tensor y = size == null || size.isNull()
            ? F.maxUnpool2d(x, idx, unpoolOptions(c))
            : F.maxUnpool2d(x, idx, unpoolOptions(c), ints(size));
        yield new Tensor.ValuesIndices(y, null);
      }
      default -> throw new AssertionError("unknown op " + c.get("op"));
    };
  }

  // ------------------------------------------------------------------ forward

  @ParameterizedTest(name = "{0}")
  @MethodSource("forwardCases")
  void forward_matchesPyTorch(String name, JsonNode c) {
    String op = c.get("op").asText();
    Tensor.ValuesIndices r = callF(c);
    NpyArray expected = Golden.array(AREA, c.get("out").asText());
    assertValues(name, op, expected, r.values());
    if (!op.equals("max_unpool2d") && c.has("indices")) {
      NpyArray idx = Golden.array(AREA, c.get("indices").asText());
      assertNotNull(r.indices(), name);
      assertEquals(DType.INT64, r.indices().dtype());
      assertArrayEquals(idx.shape(), r.indices().shapeArray(), name + " indices shape");
      assertArrayEquals(idx.longs(), r.indices().toLongArray(), name + " indices");
    }
  }

  /**
   * Max, unpool and the averages reproduce PyTorch bit for bit (signed zeros included; a 1x1
   * adaptive average follows PyTorch's AVX2 {@code mean}, the build these files come from). LP
   * pooling's pow is a 1-ulp powf in PyTorch, so it gets a tolerance.
   */
  private static void assertValues(String name, String op, NpyArray expected, Tensor actual) {
    assertArrayEquals(expected.shape(), actual.shapeArray(), name + " shape");
    DType want = expected.dtype();
    assertEquals(want, actual.dtype(), name + " dtype");
    double tol = op.equals("lp_pool2d") ? 2e-6 : 0;
    if (want == DType.INT64) {
      assertArrayEquals(expected.longs(), actual.toLongArray(), name);
      return;
    }
    double[] e = expected.toDoubles();
    double[] a = actual.toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      if (Double.isNaN(e[i]) || Double.isNaN(a[i])) {
        assertTrue(Double.isNaN(e[i]) && Double.isNaN(a[i]), name + " [" + i + "]: " + e[i] + " vs " + a[i]);
      } else if (tol == 0) {
        assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]),
            name + " [" + i + "]: expected " + e[i] + " got " + a[i]);
      } else {
        assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), name + " [" + i + "]");
      }
    }
  }

  /** The layers are the same call: each gives exactly F's result. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("forwardCases")
  void layer_matchesFunctional(String name, JsonNode c) {
    Tensor x = tensor(c, "x");
    Tensor.ValuesIndices viaF = callF(c);
    Tensor viaLayer;
    switch (c.get("op").asText()) {
      case "max_pool2d" -> {
        MaxPool2d m = new MaxPool2d(maxOptions(c));
        viaLayer = m.forward(x);
        assertTrue(m.forwardWithIndices(x).indices().equal(viaF.indices()), name);
      }
      case "avg_pool2d" -> viaLayer = new AvgPool2d(avgOptions(c)).forward(x);
      case "adaptive_avg_pool2d" -> viaLayer = new AdaptiveAvgPool2d(adaptiveAvgOptions(c)).forward(x);
      case "global_avg_pool2d" -> viaLayer = new AdaptiveAvgPool2d(1).forward(x);
      case "adaptive_max_pool2d" -> {
        AdaptiveMaxPool2d m = new AdaptiveMaxPool2d(adaptiveMaxOptions(c));
        viaLayer = m.forward(x);
        assertTrue(m.forwardWithIndices(x).indices().equal(viaF.indices()), name);
      }
      case "lp_pool2d" -> viaLayer = new LPPool2d(lpOptions(c)).forward(x);
      case "max_unpool2d" -> {
        MaxUnpool2d m = new MaxUnpool2d(unpoolOptions(c));
        JsonNode size = c.get("output_size");
        viaLayer = size == null || size.isNull()
            ? m.forward(x, tensor(c, "indices"))
            : m.forward(x, tensor(c, "indices"), ints(size));
      }
      default -> throw new AssertionError(c.get("op").asText());
    }
    double[] a = viaF.values().toDoubleArray();
    double[] b = viaLayer.toDoubleArray();
    assertArrayEquals(viaF.values().shapeArray(), viaLayer.shapeArray(), name);
    for (int i = 0; i < a.length; i++) {
      assertEquals(Double.doubleToLongBits(a[i]), Double.doubleToLongBits(b[i]), name + " [" + i + "]");
    }
  }

  // ------------------------------------------------------------------ errors

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void error_refusedInPyTorchsWords(String name, JsonNode c) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> callF(c), name);
    for (JsonNode part : c.get("expect")) {
      assertTrue(e.getMessage().contains(part.asText()),
          name + ": message\n  " + e.getMessage() + "\nlacks\n  " + part.asText() + "\n(PyTorch: " + c.get("error").asText() + ")");
    }
  }

  // ------------------------------------------------------------------ printing

  @ParameterizedTest(name = "{0}")
  @MethodSource("reprCases")
  void layer_printsAsPyTorch(String expected, JsonNode c) {
    JsonNode a = c.get("args");
    Module m = switch (c.get("module").asText()) {
      case "MaxPool2d" -> new MaxPool2d(maxOptions(a));
      case "AvgPool2d" -> new AvgPool2d(avgOptions(a));
      case "AdaptiveAvgPool2d" -> new AdaptiveAvgPool2d(adaptiveAvgOptions(a));
      case "AdaptiveMaxPool2d" -> new AdaptiveMaxPool2d(adaptiveMaxOptions(a));
      case "LPPool2d" -> new LPPool2d(lpOptions(a));
      case "MaxUnpool2d" -> new MaxUnpool2d(unpoolOptions(a));
      default -> throw new AssertionError(c.get("module").asText());
    };
    assertEquals(expected, m.toString());
  }

  /** The book's pooling section in Java, line for line, printing what the PyTorch notebook prints. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("bookCases")
  void book_printsAsThePyTorchNotebook(String name, JsonNode c) {
    Tensor x3 = Torch.tensor(new double[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}, DType.FLOAT32);
    Tensor x = Torch.arange(16, DType.FLOAT32).reshape(1, 1, 4, 4);
    Tensor x2 = Torch.cat(1, x, x.add(1)); // torch.cat((X, X + 1), 1)
    Tensor y = switch (name) {
      case "book_pool2d_max" -> F.maxPool2d(x3.unsqueeze(0), 2, 1).squeeze(0);
      case "book_pool2d_avg" -> F.avgPool2d(x3.unsqueeze(0), 2, 1).squeeze(0);
      case "book_maxpool_3" -> new MaxPool2d(3).forward(x);
      case "book_maxpool_3_p1_s2" -> new MaxPool2d(MaxPool2dOptions.of(3).padding(1).stride(2)).forward(x);
      case "book_maxpool_23_s23_p01" ->
          new MaxPool2d(MaxPool2dOptions.of(2, 3).stride(2, 3).padding(0, 1)).forward(x);
      case "book_channels_maxpool_3_p1_s2" ->
          new MaxPool2d(MaxPool2dOptions.of(3).padding(1).stride(2)).forward(x2);
      case "book_nin_global_avg" -> new AdaptiveAvgPool2d(AdaptiveAvgPool2dOptions.of(1, 1)).forward(x2);
      case "book_lenet_avgpool" -> new AvgPool2d(AvgPool2dOptions.of(2).stride(2)).forward(x2);
      default -> throw new AssertionError("no Java for " + name);
    };
    assertEquals(c.get("repr").asText(), y.toString());
  }

  @Test
  void maxUnpool2d_singleArgumentForward_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MaxUnpool2d(2).forward(Torch.zeros(1, 1, 2, 2)));
    assertTrue(e.getMessage().contains("indices"), e.getMessage());
  }

  @Test
  void layers_rejectNullOptions() {
    assertThrows(IllegalArgumentException.class, () -> new MaxPool2d((MaxPool2dOptions) null));
    assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(null, 2));
  }
}
