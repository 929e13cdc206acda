package dev.jconv.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.Tensor;
import dev.jconv.io.Npy;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.PaddingMode;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.Padding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/** Reads the "conv" golden area (tools/golden/gen_conv.py) into jconv's option types. */
public final class ConvGolden {
  public static final String AREA = "conv";
  private static final List<JsonNode> CASES = Golden.cases(AREA);

  private ConvGolden() {}

  /** The cases of one kind, named for the test report. */
  public static Stream<Named<JsonNode>> cases(String kind) {
    List<Named<JsonNode>> out = new ArrayList<>();
    for (JsonNode c : CASES) {
      if (c.get("kind").asText().equals(kind)) {
        out.add(Named.of(c.get("name").asText(), c));
      }
    }
    if (out.isEmpty()) {
      throw new AssertionError("no golden conv cases of kind " + kind);
    }
    return out.stream();
  }

  public static long count(String kind) {
    return CASES.stream().filter(c -> c.get("kind").asText().equals(kind)).count();
  }

  /** The tensor stored under {@code field} (null when the field is null or absent). */
  public static Tensor tensor(JsonNode c, String field) {
    JsonNode f = c.get(field);
    if (f == null || f.isNull()) {
      return null;
    }
    return Npy.toTensor(Golden.array(AREA, f.asText()));
  }

  public static int[] ints(JsonNode node) {
    int[] v = new int[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asInt();
    }
    return v;
  }

  private static boolean given(JsonNode c, String field) {
    return c.has(field) && !c.get(field).isNull();
  }

  /** The case's F.conv2d options: each one given as PyTorch was given it (int, pair or string). */
  public static Conv2dFuncOptions funcOptions(JsonNode c, Tensor bias) {
    Conv2dFuncOptions o = new Conv2dFuncOptions().bias(bias);
    if (given(c, "stride")) {
      JsonNode s = c.get("stride");
      o = s.isArray() ? o.stride(s.get(0).asInt(), s.get(1).asInt()) : o.stride(s.asInt());
    }
    if (given(c, "padding")) {
      o = o.padding(padding(c.get("padding")));
    }
    if (given(c, "dilation")) {
      JsonNode d = c.get("dilation");
      o = d.isArray() ? o.dilation(d.get(0).asInt(), d.get(1).asInt()) : o.dilation(d.asInt());
    }
    if (given(c, "groups")) {
      o = o.groups(c.get("groups").asInt());
    }
    return o;
  }

  /** The case's nn.Conv2d options; options may sit in the case or in its "options" object. */
  public static Conv2dOptions moduleOptions(JsonNode c) {
    JsonNode k = c.get("kernel_size");
    Conv2dOptions o = k.isArray()
        ? Conv2dOptions.of(c.get("in_channels").asInt(), c.get("out_channels").asInt(), k.get(0).asInt(), k.get(1).asInt())
        : Conv2dOptions.of(c.get("in_channels").asInt(), c.get("out_channels").asInt(), k.asInt());
    JsonNode opts = c.has("options") ? c.get("options") : c;
    if (given(opts, "stride")) {
      JsonNode s = opts.get("stride");
      o = s.isArray() ? o.stride(s.get(0).asInt(), s.get(1).asInt()) : o.stride(s.asInt());
    }
    if (given(opts, "padding")) {
      o = o.padding(padding(opts.get("padding")));
    }
    if (given(opts, "dilation")) {
      JsonNode d = opts.get("dilation");
      o = d.isArray() ? o.dilation(d.get(0).asInt(), d.get(1).asInt()) : o.dilation(d.asInt());
    }
    if (given(opts, "groups")) {
      o = o.groups(opts.get("groups").asInt());
    }
    if (given(opts, "bias")) {
      o = o.bias(opts.get("bias").asBoolean());
    }
    if (given(opts, "padding_mode")) {
      o = o.paddingMode(PaddingMode.valueOf(opts.get("padding_mode").asText().toUpperCase(Locale.ROOT)));
    }
    return o;
  }

  public static Padding padding(JsonNode p) {
    if (p.isTextual()) {
      return switch (p.asText()) {
        case "same" -> Padding.SAME;
        case "valid" -> Padding.VALID;
        default -> throw new AssertionError("unknown padding " + p);
      };
    }
    return p.isArray() ? Padding.of(p.get(0).asInt(), p.get(1).asInt()) : Padding.of(p.asInt());
  }

  /**
   * Asserts same shape and every element within {@code rtol * |expected| + atol * scale}, where scale
   * is the largest |expected| (at least 1): float32 sums of many products are accurate relative to
   * the size of the values summed, not to each result.
   */
  public static void assertClose(String what, Tensor expected, Tensor got, double rtol, double atol) {
    assertArrayEquals(expected.shapeArray(), got.shapeArray(), what + ": shape");
    double[] e = expected.toDoubleArray();
    double[] g = got.toDoubleArray();
    double scale = 1;
    for (double v : e) {
      scale = Double.isFinite(v) ? Math.max(scale, Math.abs(v)) : scale;
    }
    for (int i = 0; i < e.length; i++) {
      // NaN where PyTorch has NaN, the same infinity where it has one, else within the tolerance.
      double tol = rtol * Math.abs(e[i]) + atol * scale;
      boolean ok = Double.isNaN(e[i]) ? Double.isNaN(g[i])
          : Double.isInfinite(e[i]) ? g[i] == e[i] : Math.abs(g[i] - e[i]) <= tol;
      if (!ok) {
        fail(what + ": element " + i + " is " + g[i] + ", PyTorch gives " + e[i] + " (tolerance " + tol + ")");
      }
    }
  }
}
