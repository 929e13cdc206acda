package dev.jconv.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.io.Npy;
import dev.jconv.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random SGD and Adam settings against PyTorch 1.13 (tools/golden/gen_fuzz_optim.py): six steps on
 * parameters and gradients drawn from a seed; the parameters after every step, bit for bit.
 */
class OptimFuzzGoldenTest {
  private static final String AREA = "fuzz_optim";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("kind").asText()
        + " " + c.get("settings") + " " + c.get("dtype").asText(), c));
  }

  private static Optimizer make(JsonNode c, List<Tensor> params) {
    JsonNode s = c.get("settings");
    if (c.get("kind").asText().equals("sgd")) {
      SGDOptions o = SGDOptions.of(s.get("lr").asDouble());
      o = s.has("momentum") ? o.momentum(s.get("momentum").asDouble()) : o;
      o = s.has("dampening") ? o.dampening(s.get("dampening").asDouble()) : o;
      o = s.has("nesterov") ? o.nesterov(s.get("nesterov").asBoolean()) : o;
      o = s.has("weight_decay") ? o.weightDecay(s.get("weight_decay").asDouble()) : o;
      return new SGD(params, o);
    }
    AdamOptions o = AdamOptions.of();
    o = s.has("lr") ? o.lr(s.get("lr").asDouble()) : o;
    o = s.has("betas") ? o.betas(s.get("betas").get(0).asDouble(), s.get("betas").get(1).asDouble()) : o;
    o = s.has("eps") ? o.eps(s.get("eps").asDouble()) : o;
    o = s.has("weight_decay") ? o.weightDecay(s.get("weight_decay").asDouble()) : o;
    o = s.has("amsgrad") ? o.amsgrad(s.get("amsgrad").asBoolean()) : o;
    return new Adam(params, o);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void trajectory_matchesPyTorchBitForBit(String name, JsonNode c) {
    DType dtype = c.get("dtype").asText().equals("float64") ? DType.FLOAT64 : DType.FLOAT32;
    Torch.manualSeed(c.get("seed").asLong());
    List<Tensor> params = new ArrayList<>();
    for (JsonNode shape : c.get("shapes")) {
      params.add(Torch.randn(dtype, Golden.ints(shape)).setRequiresGrad(true));
    }
    Optimizer opt = make(c, params);
    for (int step = 0; step < c.get("after").size(); step++) {
      for (int i = 0; i < params.size(); i++) {
        Tensor grad = Torch.randn(dtype, Golden.ints(c.get("shapes").get(i)));
        params.get(i).setGrad(c.get("skips").get(step).get(i).asBoolean() ? null : grad);
      }
      opt.step();
      for (int i = 0; i < params.size(); i++) {
        Tensor expected = Npy.toTensor(Golden.array(AREA, c.get("after").get(step).get(i).asText()));
        Tensor actual = params.get(i).detach();
        assertEquals(expected.dtype(), actual.dtype());
        assertTrue(expected.allclose(actual, 0, 0, false), "step " + step + " param " + i + "\nexpected "
            + Arrays.toString(expected.toDoubleArray()) + "\nactual   " + Arrays.toString(actual.toDoubleArray()));
      }
    }
  }

  @Test
  void casesCoverBothOptimizersAndDtypes() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 120);
    assertEquals(2, cases.stream().map(c -> c.get("kind").asText()).distinct().count());
    assertEquals(2, cases.stream().map(c -> c.get("dtype").asText()).distinct().count());
  }
}
