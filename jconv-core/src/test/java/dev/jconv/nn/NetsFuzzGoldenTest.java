package dev.jconv.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.io.Safetensors;
import dev.jconv.nn.functional.F;
import dev.jconv.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random small networks against PyTorch 1.13 (tools/golden/gen_fuzz_nets.py): built after the same
 * seed, their parameters must be drawn alike (PyTorch's default initialization); then in float64 the
 * logits of a drawn batch, the cross-entropy and every parameter's gradient, by PyTorch's names.
 */
class NetsFuzzGoldenTest {
  private static final String AREA = "fuzz_nets";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("layers"), c));
  }

  private static Module layer(JsonNode l) {
    JsonNode a = l.get("args");
    return switch (l.get("kind").asText()) {
      case "conv" -> new Conv2d(Conv2dOptions.of(a.get("cin").asInt(), a.get("cout").asInt(), a.get("k").asInt())
          .stride(a.get("s").asInt()).padding(a.get("p").asInt()).groups(a.get("g").asInt()).bias(a.get("bias").asBoolean())
          .paddingMode(PaddingMode.valueOf(a.get("mode").asText().toUpperCase(Locale.ROOT))));
      case "linear" -> new Linear(a.get("fin").asInt(), a.get("fout").asInt(), a.get("bias").asBoolean());
      case "max" -> new MaxPool2d(MaxPool2dOptions.of(a.get("k").asInt()).stride(a.get("s").asInt()));
      case "avg" -> new AvgPool2d(AvgPool2dOptions.of(a.get("k").asInt()).stride(a.get("s").asInt()));
      case "aavg" -> new AdaptiveAvgPool2d(a.get("out").asInt());
      case "flatten" -> new Flatten();
      case "relu" -> new ReLU();
      case "sigmoid" -> new Sigmoid();
      case "tanh" -> new Tanh();
      default -> throw new AssertionError(l.get("kind").asText());
    };
  }

  private static Sequential build(JsonNode c) {
    List<Module> layers = new ArrayList<>();
    c.get("layers").forEach(l -> layers.add(layer(l)));
    return new Sequential(layers.toArray(new Module[0]));
  }

  static Stream<Arguments> savedCases() {
    return cases().filter(a -> ((JsonNode) a.get()[1]).has("safetensors"));
  }

  /** PyTorch's moved parameters, saved as safetensors, load into jconv's network of the same layers. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("savedCases")
  void safetensorsFromPyTorch_loadIntoTheSameNetwork(String name, JsonNode c, @TempDir Path dir) throws Exception {
    Torch.manualSeed(c.get("seed").asLong());
    Sequential net = build(c);
    int size = c.get("size").asInt();
    Tensor x = Torch.randn(c.get("batch").asInt(), c.get("channels").asInt(), size, size);
    Safetensors.load(net, Golden.copyTo(AREA, c.get("safetensors").asText(), dir));
    net.to(DType.FLOAT64);
    try (var g = dev.jconv.autograd.NoGrad.enter()) {
      Golden.assertWithinScale(AREA, c.get("loaded_logits").asText(), net.forward(x.to(DType.FLOAT64)), 1e-9,
          "logits after loading");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void network_matchesPyTorch(String name, JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    Sequential net = build(c);
    int n = c.get("batch").asInt();
    int size = c.get("size").asInt();
    Tensor x = Torch.randn(n, c.get("channels").asInt(), size, size);
    Tensor y = Torch.randint(0, c.get("classes").asInt(), n);
    assertEquals(c.get("y_sum").asLong(), (long) y.sum().item(), "labels drawn alike");
    Map<String, Tensor> params = net.namedParameters();
    assertEquals(c.get("param_sums").size(), params.size(), "parameter count");
    c.get("param_sums").fields().forEachRemaining(e -> {
      Tensor p = params.get(e.getKey());
      assertTrue(p != null, "no parameter " + e.getKey());
      assertEquals(e.getValue().asDouble(), p.to(DType.FLOAT64).sum().item(), 0, "weights of " + e.getKey()
          + " drawn as PyTorch draws them");
    });
    net.to(DType.FLOAT64);
    Tensor logits = net.forward(x.to(DType.FLOAT64));
    Golden.assertWithinScale(AREA, c.get("logits").asText(), logits.detach(), 1e-9, "logits");
    Tensor loss = F.crossEntropy(logits, y);
    assertEquals(c.get("loss").asDouble(), loss.item(), 1e-9 * (1 + Math.abs(c.get("loss").asDouble())), "loss");
    loss.backward();
    Map<String, Tensor> params64 = net.namedParameters();
    c.get("grads").fields().forEachRemaining(e -> Golden.assertWithinScale(AREA, e.getValue().asText(),
        params64.get(e.getKey()).grad(), 1e-9, "grad of " + e.getKey()));
  }

  @Test
  void casesCoverTheLayers() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 120);
    String all = cases.toString();
    for (String kind : List.of("conv", "linear", "max", "avg", "aavg", "relu", "sigmoid", "tanh", "reflect", "circular")) {
      assertTrue(all.contains("\"" + kind + "\""), kind);
    }
  }
}
