package dev.jconv.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.io.Npy;
import dev.jconv.testing.Golden;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SGD and Adam trajectories against PyTorch 1.13 (tools/golden/gen_optim.py). */
class OptimGoldenTest {
  private static final String AREA = "optim";

  private static Tensor array(JsonNode file) {
    return Npy.toTensor(Golden.array(AREA, file.asText()));
  }

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().filter(c -> !c.get("kind").asText().equals("error"))
        .map(c -> Arguments.of(c.get("name").asText() + " " + c.get("dtype").asText() + " " + c.get("settings"), c));
  }

  static Stream<Arguments> errors() {
    return Golden.cases(AREA).stream().filter(c -> c.get("kind").asText().equals("error"))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  private static Optimizer make(JsonNode c, List<Tensor> params) {
    JsonNode s = c.get("settings");
    if (c.get("kind").asText().equals("sgd")) {
      return new SGD(params, SGDOptions.of(s.get("lr").asDouble()).momentum(s.path("momentum").asDouble(0))
          .dampening(s.path("dampening").asDouble(0)).weightDecay(s.path("weight_decay").asDouble(0))
          .nesterov(s.path("nesterov").asBoolean(false)));
    }
    AdamOptions o = AdamOptions.of(s.path("lr").asDouble(1e-3)).eps(s.path("eps").asDouble(1e-8))
        .weightDecay(s.path("weight_decay").asDouble(0)).amsgrad(s.path("amsgrad").asBoolean(false));
    if (s.has("betas")) {
      o = o.betas(s.get("betas").get(0).asDouble(), s.get("betas").get(1).asDouble());
    }
    return new Adam(params, o);
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void steps_matchPyTorch(String label, JsonNode c) {
    List<Tensor> params = List.of(array(c.get("p0").get(0)).setRequiresGrad(true),
        array(c.get("p0").get(1)).setRequiresGrad(true));
    Optimizer opt = make(c, params);
    for (int step = 0; step < c.get("grads").size(); step++) {
      for (int i = 0; i < 2; i++) {
        JsonNode g = c.get("grads").get(step).get(i);
        params.get(i).setGrad(g.isNull() ? null : array(g));
      }
      opt.step();
      for (int i = 0; i < 2; i++) {
        Tensor expected = array(c.get("after").get(step).get(i));
        Tensor actual = params.get(i).detach();
        assertEquals(expected.dtype(), actual.dtype());
        // Bit for bit: the updates use PyTorch's float32 operation order and fused multiply-adds.
        assertTrue(expected.allclose(actual, 0, 0, false), "step " + step
            + " param " + i + "\nexpected " + Arrays.toString(expected.toDoubleArray()) + "\nactual   "
            + Arrays.toString(actual.toDoubleArray()));
      }
    }
  }

  private static final Map<String, Runnable> ERRORS = new HashMap<>();

  static {
    List<Tensor> p = List.of(Torch.zeros(2).setRequiresGrad(true));
    ERRORS.put("sgd_negativeLr", () -> new SGD(p, -0.1));
    ERRORS.put("sgd_negativeMomentum", () -> new SGD(p, SGDOptions.of(0.1).momentum(-0.5)));
    ERRORS.put("sgd_negativeWeightDecay", () -> new SGD(p, SGDOptions.of(0.1).weightDecay(-1e-3)));
    ERRORS.put("sgd_nesterovWithoutMomentum", () -> new SGD(p, SGDOptions.of(0.1).nesterov(true)));
    ERRORS.put("sgd_nesterovWithDampening", () -> new SGD(p, SGDOptions.of(0.1).momentum(0.9).dampening(0.1)
        .nesterov(true)));
    ERRORS.put("adam_negativeLr", () -> new Adam(p, AdamOptions.of(-1e-3)));
    ERRORS.put("adam_negativeEps", () -> new Adam(p, AdamOptions.of().eps(-1e-8)));
    ERRORS.put("adam_beta1", () -> new Adam(p, AdamOptions.of().betas(1.0, 0.999)));
    ERRORS.put("adam_beta2", () -> new Adam(p, AdamOptions.of().betas(0.9, -0.1)));
    ERRORS.put("adam_negativeWeightDecay", () -> new Adam(p, AdamOptions.of().weightDecay(-0.1)));
    ERRORS.put("optimizer_emptyParams", () -> new SGD(List.of(), 0.1));
    ERRORS.put("optimizer_nonLeaf", () -> new SGD(List.of(Torch.zeros(2).setRequiresGrad(true).mul(2.0)), 0.1));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("errors")
  void badSettings_throwWithPyTorchsMessage(String name, JsonNode c) {
    Runnable call = ERRORS.get(name);
    assertNotNull(call, name);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    String torch = c.get("error").asText().replaceFirst("^[A-Za-z]+: ", "");
    // Python prints -0.1 as -0.1 and 1.0 as 1.0, as Java does; ints differ (-1 vs -1.0), so compare the words.
    String words = torch.replaceAll(":.*$", "");
    assertTrue(e.getMessage().startsWith(words), "expected " + torch + "\nbut got " + e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void zeroGrad_zeroesInPlace_orDrops() {
    Tensor w = Torch.ones(DType.FLOAT32, 3).setRequiresGrad(true);
    SGD opt = new SGD(List.of(w), 0.1);
    w.mul(w).sum().backward();
    Tensor g = w.grad();
    opt.zeroGrad();
    assertArrayEquals(new float[] {0, 0, 0}, w.grad().toFloatArray());
    assertTrue(g == w.grad(), "same tensor, zeroed in place (PyTorch 1.13)");
    opt.zeroGrad(true);
    assertEquals(null, w.grad());
    opt.step(); // no gradient: nothing changes
    assertArrayEquals(new float[] {1, 1, 1}, w.detach().toFloatArray());
  }
}
