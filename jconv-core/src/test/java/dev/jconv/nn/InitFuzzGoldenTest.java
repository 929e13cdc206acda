package dev.jconv.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.io.Npy;
import dev.jconv.testing.Golden;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random initializations against PyTorch 1.13 (tools/golden/gen_fuzz_init.py): every initializer of
 * {@link Init} on tensors of random shapes and dtypes, from the same seed; the values bit for bit (float64
 * normal draws within one unit in the last place), or PyTorch's message. Also {@code calculate_gain} for every nonlinearity.
 */
class InitFuzzGoldenTest {
  private static final String AREA = "fuzz_init";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().filter(c -> !c.get("fn").asText().equals("gains"))
        .map(c -> Arguments.of(c.get("name").asText() + " " + c.get("fn").asText() + " " + c.get("shape") + " "
            + c.get("dtype").asText() + " " + c.get("args"), c));
  }

  private static Tensor run(JsonNode c, Tensor t) {
    JsonNode a = c.get("args");
    return switch (c.get("fn").asText()) {
      case "uniform" -> Init.uniform(t, a.get("a").asDouble(), a.get("b").asDouble());
      case "normal" -> Init.normal(t, a.get("mean").asDouble(), a.get("std").asDouble());
      case "constant" -> Init.constant(t, a.get("value").asDouble());
      case "xavier_uniform" -> Init.xavierUniform(t, a.get("gain").asDouble());
      case "xavier_normal" -> Init.xavierNormal(t, a.get("gain").asDouble());
      case "kaiming_uniform" -> Init.kaimingUniform(t, a.get("a").asDouble(), mode(a), a.get("nonlinearity").asText());
      case "kaiming_normal" -> Init.kaimingNormal(t, a.get("a").asDouble(), mode(a), a.get("nonlinearity").asText());
      default -> throw new AssertionError(c.get("fn").asText());
    };
  }

  private static Init.FanMode mode(JsonNode a) {
    return a.get("mode").asText().equals("fan_in") ? Init.FanMode.FAN_IN : Init.FanMode.FAN_OUT;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void initializer_matchesPyTorchBitForBit(String name, JsonNode c) {
    int[] shape = new int[c.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = c.get("shape").get(i).asInt();
    }
    DType dtype = c.get("dtype").asText().equals("float64") ? DType.FLOAT64 : DType.FLOAT32;
    Torch.manualSeed(c.get("seed").asLong());
    Tensor t = Torch.zeros(dtype, shape);
    if (!c.get("error").isNull()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(c, t));
      assertEquals(Golden.words(c.get("error")), e.getMessage());
      return;
    }
    run(c, t);
    Tensor want = Npy.toTensor(Golden.array(AREA, c.get("out").asText()));
    assertEquals(want.dtype(), t.dtype());
    double[] w = want.toDoubleArray();
    double[] g = t.toDoubleArray();
    // Float64 normal draws go through log and cos in double (Box-Muller): glibc's and Java's may round
    // those one unit in the last place apart, now and then. Everything else is bit for bit.
    boolean normal64 = dtype == DType.FLOAT64 && c.get("fn").asText().contains("normal");
    for (int i = 0; i < w.length; i++) {
      boolean same = w[i] == g[i] || normal64 && Math.abs(w[i] - g[i]) <= Math.ulp(w[i]);
      assertTrue(same, () -> "expected " + Arrays.toString(w) + "\nactual   " + Arrays.toString(g));
    }
  }

  @Test
  void calculateGain_matchesPyTorch() {
    JsonNode gains = Golden.cases(AREA).stream().filter(c -> c.get("fn").asText().equals("gains")).findFirst()
        .orElseThrow().get("gains");
    assertTrue(gains.size() >= 9);
    for (JsonNode g : gains) {
      double got = g.get("param").isNull() ? Init.calculateGain(g.get("nonlinearity").asText())
          : Init.calculateGain(g.get("nonlinearity").asText(), g.get("param").asDouble());
      assertEquals(g.get("gain").asDouble(), got, 0, g.toString());
    }
  }
}
