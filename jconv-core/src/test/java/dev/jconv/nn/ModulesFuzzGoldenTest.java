package dev.jconv.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.nn.functional.Padding;
import dev.jconv.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random layers against PyTorch 1.13 (tools/golden/gen_fuzz_modules.py): built with the same
 * arguments (a pair where PyTorch got a tuple), they print as PyTorch prints them, alone or in a
 * Sequential, or their constructor refuses with PyTorch's message.
 */
class ModulesFuzzGoldenTest {
  private static final String AREA = "fuzz_modules";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("layers"), c));
  }

  /** An int argument, or a pair for a list; null for JSON null. */
  private static IntPair pair(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isArray() ? IntPair.of(v.get(0).asInt(), v.get(1).asInt()) : IntPair.of(v.asInt());
  }

  private static Integer side(JsonNode v) {
    return v.isNull() ? null : v.asInt();
  }

  /** The layer a case describes ({@code kind} and {@code args}), as the generators build it; also for fuzz_forward. */
  static Module build(JsonNode layer) {
    JsonNode a = layer.get("args");
    return switch (layer.get("kind").asText()) {
      case "conv" -> {
        IntPair k = pair(a.get("kernel_size"));
        IntPair s = pair(a.get("stride"));
        IntPair d = pair(a.get("dilation"));
        JsonNode p = a.get("padding");
        Padding padding = p.isTextual() ? (p.asText().equals("same") ? Padding.SAME : Padding.VALID)
            : Padding.of(pair(p).h(), pair(p).w());
        // All arguments at once, as PyTorch's constructor takes them (a chain of withers checks each
        // intermediate state, so its first refusal depends on the order of the calls).
        yield new Conv2d(new Conv2dOptions(a.get("in_channels").asInt(), a.get("out_channels").asInt(), k.h(), k.w(),
            s.h(), s.w(), padding, d.h(), d.w(), a.get("groups").asInt(), a.get("bias").asBoolean(),
            PaddingMode.valueOf(a.get("padding_mode").asText().toUpperCase(Locale.ROOT))));
      }
      case "max" -> {
        MaxPool2dOptions o = MaxPool2dOptions.of(pair(a.get("kernel_size"))).padding(pair(a.get("padding")))
            .dilation(pair(a.get("dilation"))).ceilMode(a.get("ceil_mode").asBoolean());
        yield new MaxPool2d(a.get("stride").isNull() ? o : o.stride(pair(a.get("stride"))));
      }
      case "avg" -> {
        AvgPool2dOptions o = AvgPool2dOptions.of(pair(a.get("kernel_size"))).padding(pair(a.get("padding")))
            .ceilMode(a.get("ceil_mode").asBoolean()).countIncludePad(a.get("count_include_pad").asBoolean());
        o = a.get("stride").isNull() ? o : o.stride(pair(a.get("stride")));
        yield new AvgPool2d(a.get("divisor_override").isNull() ? o : o.divisorOverride(a.get("divisor_override").asInt()));
      }
      case "lp" -> {
        LPPool2dOptions o = LPPool2dOptions.of(a.get("norm_type").asDouble(), pair(a.get("kernel_size")))
            .ceilMode(a.get("ceil_mode").asBoolean());
        yield new LPPool2d(a.get("stride").isNull() ? o : o.stride(pair(a.get("stride"))));
      }
      case "aavg" -> {
        JsonNode out = a.get("output_size");
        yield new AdaptiveAvgPool2d(out.isArray() ? AdaptiveAvgPool2dOptions.of(side(out.get(0)), side(out.get(1)))
            : AdaptiveAvgPool2dOptions.of(out.asInt()));
      }
      case "amax" -> {
        JsonNode out = a.get("output_size");
        yield new AdaptiveMaxPool2d(out.isArray() ? AdaptiveMaxPool2dOptions.of(side(out.get(0)), side(out.get(1)))
            : AdaptiveMaxPool2dOptions.of(out.asInt()));
      }
      case "linear" -> new Linear(a.get("in_features").asInt(), a.get("out_features").asInt(), a.get("bias").asBoolean());
      case "flatten" -> new Flatten(a.get("start_dim").asInt(), a.get("end_dim").asInt());
      case "relu" -> new ReLU();
      case "sigmoid" -> new Sigmoid();
      case "tanh" -> new Tanh();
      default -> throw new AssertionError(layer.get("kind").asText());
    };
  }

  private static String print(JsonNode c) {
    List<Module> built = new ArrayList<>();
    c.get("layers").forEach(l -> built.add(build(l)));
    return c.get("sequential").asBoolean() ? new Sequential(built.toArray(new Module[0])).toString()
        : built.get(0).toString();
  }

  /**
   * The first layer PyTorch builds and jconv refuses on purpose: a convolution with a negative
   * padding and a padding mode (PyTorch crops the input there; see {@link Conv2dOptions}).
   */
  private static JsonNode cropping(JsonNode c) {
    for (JsonNode l : c.get("layers")) {
      JsonNode a = l.get("args");
      if (l.get("kind").asText().equals("conv") && !a.get("padding_mode").asText().equals("zeros")
          && !a.get("padding").isTextual()) {
        IntPair p = pair(a.get("padding"));
        if (p.h() < 0 || p.w() < 0) {
          return l;
        }
      }
    }
    return null;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void layers_printOrRefuseAsPyTorch(String name, JsonNode c) {
    JsonNode crop = c.get("error").isNull() ? cropping(c) : null;
    if (crop != null) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> print(c));
      assertEquals("a negative padding with padding_mode=" + crop.get("args").get("padding_mode").asText()
          + " crops the input in PyTorch; jconv does not crop: use a padding of 0 or more, or crop with narrow",
          e.getMessage());
      return;
    }
    if (c.get("error").isNull()) {
      assertEquals(c.get("repr").asText(), print(c));
    } else {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> print(c));
      assertEquals(Golden.words(c.get("error")), e.getMessage());
    }
  }

  @Test
  void casesCoverEveryLayerAndBothOutcomes() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 500);
    assertTrue(cases.stream().filter(c -> !c.get("error").isNull()).count() >= 30);
    assertTrue(cases.stream().filter(c -> c.get("sequential").asBoolean() && c.get("error").isNull()).count() >= 50);
  }
}
