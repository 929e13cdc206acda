package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.functional.F;
import dev.jconv.testing.Golden;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each differentiable operation saves for its backward, against PyTorch 1.13
 * (tools/golden/gen_saved.py): a second backward without retainGraph is refused exactly where a node
 * on the way saved a tensor (and otherwise adds the gradient again), and changing the operation's
 * input or output in place makes the backward refuse exactly where PyTorch's node saved it, with
 * PyTorch's words. The freed-graph message adapts PyTorch's (retainGraph=true, no autograd.grad).
 */
class SavedGoldenTest {
  private static final String AREA = "saved";

  private static final Map<String, BinaryOperator<Tensor>> OPS = new HashMap<>();

  static {
    OPS.put("neg", (z, w) -> z.neg());
    OPS.put("abs", (z, w) -> z.abs());
    OPS.put("relu", (z, w) -> z.relu());
    OPS.put("exp", (z, w) -> z.exp());
    OPS.put("tanh", (z, w) -> z.tanh());
    OPS.put("sigmoid", (z, w) -> z.sigmoid());
    OPS.put("sqrt", (z, w) -> z.sqrt());
    OPS.put("log", (z, w) -> z.log());
    OPS.put("pow_2", (z, w) -> z.pow(2L));
    OPS.put("pow_2.5", (z, w) -> z.pow(2.5));
    OPS.put("mul_scalar", (z, w) -> z.mul(2.0));
    OPS.put("mul_int", (z, w) -> z.mul(2L));
    OPS.put("div_scalar", (z, w) -> z.div(2.0));
    OPS.put("add_scalar", (z, w) -> z.add(2.0));
    OPS.put("sub_scalar", (z, w) -> z.sub(2.0));
    OPS.put("add", Tensor::add);
    OPS.put("sub", Tensor::sub);
    OPS.put("mul", Tensor::mul);
    OPS.put("div", Tensor::div);
    OPS.put("mul_broadcast", Tensor::mul);
    OPS.put("pow_tensor", Tensor::pow);
    OPS.put("matmul", Tensor::matmul);
    OPS.put("matmul_vec", Tensor::matmul);
    OPS.put("sum", (z, w) -> z.sum());
    OPS.put("mean", (z, w) -> z.mean());
    OPS.put("sum_dim", (z, w) -> z.sum(0));
    OPS.put("mean_dim", (z, w) -> z.mean(1));
    OPS.put("max", (z, w) -> z.max());
    OPS.put("softmax", (z, w) -> F.softmax(z, 1));
    OPS.put("log_softmax", (z, w) -> F.logSoftmax(z, 1));
    OPS.put("reshape", (z, w) -> z.reshape(-1));
    OPS.put("view", (z, w) -> z.view(3, 2));
    OPS.put("t", (z, w) -> z.t());
    OPS.put("permute", (z, w) -> z.permute(1, 0));
    OPS.put("unsqueeze", (z, w) -> z.unsqueeze(0));
    OPS.put("expand", (z, w) -> z.expand(2, 3));
    OPS.put("narrow", (z, w) -> z.narrow(1, 1, 2));
    OPS.put("select", (z, w) -> z.select(0, 1));
    OPS.put("flatten", (z, w) -> z.flatten());
    OPS.put("cat", (z, w) -> Torch.cat(0, z, w));
    OPS.put("stack", (z, w) -> Torch.stack(0, z, w));
    OPS.put("linear", F::linear);
    OPS.put("conv2d", F::conv2d);
    OPS.put("max_pool2d", (z, w) -> F.maxPool2d(z, 2));
    OPS.put("avg_pool2d", (z, w) -> F.avgPool2d(z, 2));
    OPS.put("adaptive_avg_pool2d_1", (z, w) -> F.adaptiveAvgPool2d(z, 1));
    OPS.put("adaptive_avg_pool2d_3", (z, w) -> F.adaptiveAvgPool2d(z, 3));
    OPS.put("adaptive_max_pool2d", (z, w) -> F.adaptiveMaxPool2d(z, 2));
    OPS.put("lp_pool2d", (z, w) -> F.lpPool2d(z, 2.0, 2));
    OPS.put("mse_loss", F::mseLoss);
    OPS.put("cross_entropy", (z, w) -> F.crossEntropy(z, Torch.fromFlat(new long[] {2, 0}, 2)));
    OPS.put("nll_loss", (z, w) -> F.nllLoss(z, Torch.fromFlat(new long[] {1, 2}, 2)));
  }

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  private static Tensor[] make(JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    Tensor leaf = Golden.drawnAs(Torch.rand(DType.FLOAT64, Golden.ints(c.get("shape"))).add(0.5),
        c.get("leaf_sum").asDouble(), "leaf").setRequiresGrad(true);
    Tensor w = null;
    if (!c.get("wshape").isNull()) {
      w = Golden.drawnAs(Torch.rand(DType.FLOAT64, Golden.ints(c.get("wshape"))).add(0.5), c.get("w_sum").asDouble(),
          "w").setRequiresGrad(true);
    }
    return new Tensor[] {leaf, w};
  }

  private static Tensor scalar(Tensor y) {
    return y.dim() == 0 ? y : y.sum();
  }

  /** {@code call} ends as PyTorch's did: refused with its words (null: ran). */
  private static void assertEnds(JsonNode want, Runnable call, String what) {
    RuntimeException err = null;
    try {
      call.run();
    } catch (IllegalStateException | IllegalArgumentException e) {
      err = e;
    }
    if (want == null || want.isNull()) {
      if (err != null) {
        fail(what + ": refused (" + err.getMessage() + "), PyTorch ran it", err);
      }
      return;
    }
    if (err == null) {
      fail(what + ": ran, PyTorch refused: " + want.asText());
    }
    assertEquals(Golden.engineWords(want), err.getMessage(), what);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void savedTensors_asPyTorchSavesThem(String name, JsonNode c) {
    BinaryOperator<Tensor> fn = OPS.get(name);
    Tensor[] lw = make(c);
    Tensor y = fn.apply(lw[0].add(0.5), lw[1]);
    assertEquals(c.get("grad_fn").asText(), y.gradFn().name());
    Tensor s = scalar(y);
    s.backward();
    assertEnds(c.get("freed"), s::backward, "second backward");
    double[] g = lw[0].grad().toDoubleArray();
    JsonNode want = c.get("freed_grad");
    assertEquals(want.size(), g.length);
    for (int i = 0; i < g.length; i++) {
      assertEquals(want.get(i).asDouble(), g[i], 1e-12 * Math.max(1, Math.abs(want.get(i).asDouble())), "grad " + i);
    }

    Tensor[] lw2 = make(c);
    Tensor z2 = lw2[0].add(0.5);
    Tensor y2 = fn.apply(z2, lw2[1]);
    z2.addInPlace(1.0);
    assertEnds(c.get("input"), () -> scalar(y2).backward(), "backward after the input changed in place");

    if (!c.get("view").asBoolean()) {
      Tensor[] lw3 = make(c);
      Tensor y3 = fn.apply(lw3[0].add(0.5), lw3[1]);
      y3.addInPlace(1.0);
      assertEnds(c.get("output"), () -> scalar(y3).backward(), "backward after the output changed in place");
    } else {
      assertNull(c.get("output"));
    }
  }

  @Test
  void everyOperationHasACase() {
    assertEquals(OPS.keySet(), new java.util.HashSet<>(Golden.cases(AREA).stream().map(c -> c.get("name").asText())
        .toList()));
    assertTrue(OPS.size() >= 50);
  }
}
