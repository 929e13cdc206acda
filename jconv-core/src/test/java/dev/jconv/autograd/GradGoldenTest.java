package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.io.Npy;
import dev.jconv.nn.Reduction;
import dev.jconv.nn.functional.F;
import dev.jconv.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Outputs, grad_fn names and input gradients of every differentiable operation against PyTorch 1.13
 * (tools/golden/gen_grad.py), and PyTorch's errors for misuse.
 */
class GradGoldenTest {
  private static final String AREA = "grad";

  /** Mirrors OPS in gen_grad.py. */
  private static final Map<String, BiFunction<List<Tensor>, JsonNode, Tensor>> OPS = new HashMap<>();

  static {
    OPS.put("add", (x, a) -> x.get(0).add(x.get(1)));
    OPS.put("sub", (x, a) -> x.get(0).sub(x.get(1)));
    OPS.put("mul", (x, a) -> x.get(0).mul(x.get(1)));
    OPS.put("div", (x, a) -> x.get(0).div(x.get(1)));
    OPS.put("maximum", (x, a) -> x.get(0).maximum(x.get(1)));
    OPS.put("minimum", (x, a) -> x.get(0).minimum(x.get(1)));
    OPS.put("pow_t", (x, a) -> x.get(0).pow(x.get(1)));
    OPS.put("add_s", (x, a) -> x.get(0).add(a.get("s").asDouble()));
    OPS.put("sub_s", (x, a) -> x.get(0).sub(a.get("s").asDouble()));
    OPS.put("mul_s", (x, a) -> x.get(0).mul(a.get("s").asDouble()));
    OPS.put("div_s", (x, a) -> x.get(0).div(a.get("s").asDouble()));
    OPS.put("pow_s", (x, a) -> x.get(0).pow(a.get("s").asDouble()));
    OPS.put("pow_i", (x, a) -> x.get(0).pow(a.get("s").asLong()));
    OPS.put("neg", (x, a) -> x.get(0).neg());
    OPS.put("exp", (x, a) -> x.get(0).exp());
    OPS.put("log", (x, a) -> x.get(0).log());
    OPS.put("sqrt", (x, a) -> x.get(0).sqrt());
    OPS.put("abs", (x, a) -> x.get(0).abs());
    OPS.put("sigmoid", (x, a) -> x.get(0).sigmoid());
    OPS.put("tanh", (x, a) -> x.get(0).tanh());
    OPS.put("relu", (x, a) -> x.get(0).relu());
    OPS.put("sum", (x, a) -> x.get(0).sum());
    OPS.put("sum_dim", (x, a) -> x.get(0).sum(a.get("dim").asInt(), a.get("keepdim").asBoolean()));
    OPS.put("sum_dims", (x, a) -> x.get(0).sum(ints(a.get("dims")), a.get("keepdim").asBoolean()));
    OPS.put("mean", (x, a) -> x.get(0).mean());
    OPS.put("mean_dim", (x, a) -> x.get(0).mean(a.get("dim").asInt(), a.get("keepdim").asBoolean()));
    OPS.put("max", (x, a) -> x.get(0).max());
    OPS.put("min", (x, a) -> x.get(0).min());
    OPS.put("max_dim", (x, a) -> x.get(0).max(a.get("dim").asInt(), a.get("keepdim").asBoolean()).values());
    OPS.put("min_dim", (x, a) -> x.get(0).min(a.get("dim").asInt(), a.get("keepdim").asBoolean()).values());
    OPS.put("matmul", (x, a) -> x.get(0).matmul(x.get(1)));
    OPS.put("linear", (x, a) -> F.linear(x.get(0), x.get(1), x.size() > 2 ? x.get(2) : null));
    OPS.put("unbind_i", (x, a) -> x.get(0).unbind(a.get("dim").asInt()).get(a.get("i").asInt()));
    OPS.put("unbind_sum", (x, a) -> {
      List<Tensor> parts = x.get(0).unbind(a.get("dim").asInt());
      Tensor sum = parts.get(0).mul(1.0);
      for (int k = 1; k < parts.size(); k++) {
        sum = sum.add(parts.get(k).mul(k + 1.0));
      }
      return sum;
    });
    OPS.put("linear_t", (x, a) -> F.linear(x.get(0).transpose(0, 1), x.get(1), x.size() > 2 ? x.get(2) : null));
    OPS.put("view", (x, a) -> x.get(0).view(ints(a.get("shape"))));
    OPS.put("reshape", (x, a) -> x.get(0).reshape(ints(a.get("shape"))));
    OPS.put("reshape_t", (x, a) -> x.get(0).t().reshape(ints(a.get("shape"))));
    OPS.put("flatten", (x, a) -> x.get(0).flatten(a.get("start").asInt(), a.get("end").asInt()));
    OPS.put("t", (x, a) -> x.get(0).t());
    OPS.put("transpose", (x, a) -> x.get(0).transpose(a.get("d0").asInt(), a.get("d1").asInt()));
    OPS.put("permute", (x, a) -> x.get(0).permute(ints(a.get("dims"))));
    OPS.put("unsqueeze", (x, a) -> x.get(0).unsqueeze(a.get("dim").asInt()));
    OPS.put("squeeze", (x, a) -> x.get(0).squeeze());
    OPS.put("squeeze_dim", (x, a) -> x.get(0).squeeze(a.get("dim").asInt()));
    OPS.put("narrow", (x, a) -> x.get(0).narrow(a.get("dim").asInt(), a.get("start").asInt(), a.get("length").asInt()));
    OPS.put("slice", (x, a) -> x.get(0).slice(1, a.get("start").asInt(), a.get("end").asInt(), a.get("step").asInt()));
    OPS.put("select", (x, a) -> x.get(0).select(a.get("dim").asInt(), a.get("index").asInt()));
    OPS.put("expand", (x, a) -> x.get(0).expand(ints(a.get("shape"))));
    OPS.put("clone", (x, a) -> x.get(0).cloneTensor());
    OPS.put("contiguous_t", (x, a) -> x.get(0).t().contiguous());
    OPS.put("to_double", (x, a) -> x.get(0).toDouble());
    OPS.put("to_float", (x, a) -> x.get(0).toFloat());
    OPS.put("log_softmax", (x, a) -> F.logSoftmax(x.get(0), a.get("dim").asInt()));
    OPS.put("softmax", (x, a) -> F.softmax(x.get(0), a.get("dim").asInt()));
    OPS.put("cross_entropy", (x, a) -> F.crossEntropy(x.get(0), x.get(1), x.size() > 2 ? x.get(2) : null,
        a.path("ignore_index").asLong(-100), reduction(a)));
    OPS.put("nll_loss", (x, a) -> F.nllLoss(x.get(0), x.get(1), x.size() > 2 ? x.get(2) : null,
        a.path("ignore_index").asLong(-100), reduction(a)));
    OPS.put("mse_loss", (x, a) -> F.mseLoss(x.get(0), x.get(1), reduction(a)));
    OPS.put("chain_sigmoid_mul", (x, a) -> x.get(0).mul(x.get(1)).sigmoid().add(x.get(0)).sum());
    OPS.put("chain_mlp", (x, a) -> F.crossEntropy(
        F.linear(F.linear(x.get(0), x.get(1), x.get(2)).tanh(), x.get(3), x.get(4)), x.get(5)));
    OPS.put("iadd", (x, a) -> x.get(0).mul(1.5).addInPlace(x.get(1)));
    OPS.put("iadd_alpha", (x, a) -> x.get(0).mul(1.5).addInPlace(x.get(1), a.get("s").asDouble()));
    OPS.put("isub", (x, a) -> x.get(0).add(0.5).subInPlace(x.get(1)));
    OPS.put("imul", (x, a) -> x.get(0).add(1.0).mulInPlace(x.get(1)));
    OPS.put("idiv", (x, a) -> x.get(0).mul(2.0).divInPlace(x.get(1)));
    OPS.put("iadd_s", (x, a) -> x.get(0).mul(1.0).addInPlace(a.get("s").asDouble()));
    OPS.put("isub_s", (x, a) -> x.get(0).mul(1.0).subInPlace(a.get("s").asDouble()));
    OPS.put("imul_s", (x, a) -> x.get(0).mul(1.0).mulInPlace(a.get("s").asDouble()));
    OPS.put("idiv_s", (x, a) -> x.get(0).mul(1.0).divInPlace(a.get("s").asDouble()));
    OPS.put("ibuffer", (x, a) -> x.get(1).cloneTensor().addInPlace(x.get(0)));
    OPS.put("ichain", (x, a) -> x.get(0).mul(x.get(1)).mulInPlace(x.get(1)).addInPlace(x.get(0)).subInPlace(0.25)
        .mul(2.0).sum());
    OPS.put("izero", (x, a) -> x.get(0).mul(2.0).zeroInPlace().addInPlace(x.get(1)));
    OPS.put("ifill", (x, a) -> x.get(0).mul(2.0).fillInPlace(a.get("s").asDouble()).mulInPlace(x.get(1)));
    OPS.put("icopy", (x, a) -> x.get(0).mul(2.0).copyInPlace(x.get(1)));
    OPS.put("icopy_buffer", (x, a) -> Torch.zerosLike(x.get(0)).copyInPlace(x.get(1)).mul(x.get(0)));
    OPS.put("iset", (x, a) -> x.get(0).mul(2.0).set(5.0, 0, 1));
    // In-place changes of views: the base's history is rewritten (CopySlices, AsStridedBackward0).
    OPS.put("iview_mul", (x, a) -> iviewMul(x, false));
    OPS.put("iview_mul_view", (x, a) -> iviewMul(x, true));
    OPS.put("iview_t_add_s", (x, a) -> changed(x.get(0).mul(2.0), b -> b.t().select(0, 1).addInPlace(a.get("s").asDouble())));
    OPS.put("iview_step_mul", (x, a) -> changed(x.get(0).mul(1.0), b -> b.slice(0, 0, b.size(0), 2).mulInPlace(x.get(1))));
    OPS.put("iview_t_div", (x, a) -> changed(x.get(0).mul(1.0), b -> b.t().slice(0, 1, 3).divInPlace(x.get(1))));
    OPS.put("iview_copy", (x, a) -> changed(x.get(0).mul(1.0), b -> b.slice(0, 1, 3).copyInPlace(x.get(1))).mul(x.get(0)));
    OPS.put("iview_fill", (x, a) -> changed(x.get(0).mul(2.0), b -> b.select(1, 0).fillInPlace(a.get("s").asDouble())));
    OPS.put("iview_zero", (x, a) -> changed(x.get(0).mul(2.0), b -> b.select(0, 1).zeroInPlace()));
    OPS.put("iview_set", (x, a) -> x.get(0).mul(2.0).select(0, 1).set(5.0, 0));
    OPS.put("iview_others", (x, a) -> {
      Tensor b = x.get(0).mul(1.0);
      Tensor v1 = b.slice(0, 0, 2);
      Tensor v2 = b.slice(0, 2, 4);
      v2.mulInPlace(x.get(1));
      return v1.mul(v2.sum());
    });
    OPS.put("iview_base", (x, a) -> {
      Tensor b = x.get(0).mul(1.0);
      Tensor v = b.view(2, 3);
      b.addInPlace(x.get(1));
      return v.mul(v);
    });
    OPS.put("iview_nograd_base", (x, a) -> changed(Torch.zeros(x.get(0).dtype(), 4),
        b -> b.slice(0, 1, 3).addInPlace(x.get(0))));
    OPS.put("iview_of_view", (x, a) -> {
      Tensor v1 = x.get(0).mul(1.0).slice(0, 1, 5);
      v1.slice(0, 1, 3).mulInPlace(x.get(1));
      return v1;
    });
    OPS.put("icorr2d", (x, a) -> corr2d(x.get(0), x.get(1)));
    OPS.put("corr2d", (x, a) -> F.corr2d(x.get(0), x.get(1)));
    OPS.put("chain_square_twice", (x, a) -> x.get(0).mul(x.get(0)).mul(x.get(0)).mean().add(x.get(0).sum()));
  }

  /** The book's corr2d, as a user writes it: the output built element by element. */
  private static Tensor corr2d(Tensor x, Tensor k) {
    int h = k.size(0);
    int w = k.size(1);
    Tensor y = Torch.zeros(x.size(0) - h + 1, x.size(1) - w + 1);
    for (int i = 0; i < y.size(0); i++) {
      for (int j = 0; j < y.size(1); j++) {
        y.set(x.slice(0, i, i + h).slice(1, j, j + w).mul(k).sum(), i, j);
      }
    }
    return y;
  }

  private static Reduction reduction(JsonNode a) {
    return switch (a.path("reduction").asText("mean")) {
      case "none" -> Reduction.NONE;
      case "sum" -> Reduction.SUM;
      default -> Reduction.MEAN;
    };
  }

  private static int[] ints(JsonNode n) {
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asInt();
    }
    return out;
  }

  private static Tensor array(String file) {
    return Npy.toTensor(Golden.array(AREA, file));
  }

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().filter(c -> !c.get("op").asText().equals("error"))
        .map(c -> Arguments.of(c.get("name").asText() + " " + c.get("dtype").asText(), c));
  }

  static Stream<Arguments> errors() {
    return Golden.cases(AREA).stream().filter(c -> c.get("op").asText().equals("error"))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  private static void assertClose(Tensor expected, Tensor actual, String what) {
    assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
    assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what + ": shape");
    boolean f64 = expected.dtype() == DType.FLOAT64;
    double rtol = f64 ? 1e-10 : 2e-5;
    double atol = f64 ? 1e-12 : 2e-6;
    assertTrue(expected.allclose(actual, rtol, atol, true), what + ": values differ\nexpected "
        + Arrays.toString(expected.toDoubleArray()) + "\nactual   " + Arrays.toString(actual.toDoubleArray()));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void gradients_matchPyTorch(String label, JsonNode c) {
    List<Tensor> inputs = new ArrayList<>();
    JsonNode req = c.get("requires_grad");
    for (int i = 0; i < c.get("inputs").size(); i++) {
      Tensor t = array(c.get("inputs").get(i).asText());
      if (req.get(i).asBoolean()) {
        t.setRequiresGrad(true);
      }
      inputs.add(t);
    }
    Tensor out = OPS.get(c.get("op").asText()).apply(inputs, c.get("args"));
    assertClose(array(c.get("out").asText()), out.detach(), "output");
    assertNotNull(out.gradFn(), "output has a grad_fn");
    assertEquals(c.get("grad_fn").asText(), out.gradFn().name(), "grad_fn name");
    assertTrue(out.toString().endsWith("grad_fn=<" + c.get("grad_fn").asText() + ">)"), out.toString());
    if (c.get("grad_out").isNull()) {
      out.backward();
    } else {
      out.backward(array(c.get("grad_out").asText()));
    }
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode g = c.get("grads").get(i);
      if (g.isNull()) {
        assertNull(inputs.get(i).grad(), "input " + i + " needs no gradient");
      } else {
        assertNotNull(inputs.get(i).grad(), "gradient of input " + i);
        assertClose(array(g.asText()), inputs.get(i).grad(), "gradient of input " + i);
      }
    }
  }

  /** {@code b} after {@code change} (an in-place change of a view of it). */
  private static Tensor changed(Tensor b, java.util.function.Consumer<Tensor> change) {
    change.accept(b);
    return b;
  }

  private static Tensor iviewMul(List<Tensor> x, boolean view) {
    Tensor b = x.get(0).mul(1.5);
    Tensor v = b.slice(1, 1, 3);
    v.mulInPlace(x.get(1));
    return view ? v : b;
  }

  private static Tensor leaf() {
    return Torch.rand(3).setRequiresGrad(true);
  }

  /** The jconv call that PyTorch's error case makes. */
  private static final Map<String, Runnable> ERRORS = new HashMap<>();

  static {
    ERRORS.put("backward_nonScalar", () -> leaf().mul(2.0).backward());
    ERRORS.put("backward_noGrad", () -> Torch.rand(3).sum().backward());
    ERRORS.put("backward_shapeMismatch", () -> leaf().mul(2.0).backward(Torch.ones(2)));
    ERRORS.put("inPlace_leafRequiringGrad", () -> leaf().addInPlace(1.0));
    ERRORS.put("inPlace_viewOfLeaf", () -> leaf().slice(0, 0, 2).mulInPlace(2.0));
    ERRORS.put("inPlace_noGradView", () -> {
      Tensor b = leaf().mul(1.0);
      Tensor s;
      try (var g = NoGrad.enter()) {
        s = b.slice(0, 0, 2);
      }
      s.mulInPlace(2.0);
    });
    ERRORS.put("inPlace_expandedView", () -> leaf().mul(1.0).slice(0, 0, 1).expand(3).addInPlace(1.0));
    ERRORS.put("inPlace_unbindOutput", () -> leaf().mul(2.0).unbind(0).get(1).mulInPlace(2.0));
    ERRORS.put("inPlace_expandedCopy", () -> Torch.zeros(1).expand(3).copyInPlace(Torch.ones(3)));
    ERRORS.put("backward_twice", () -> {
      Tensor a = leaf();
      Tensor loss = a.mul(a).sum();
      loss.backward();
      loss.backward();
    });
    ERRORS.put("backward_savedModifiedInPlace", () -> {
      Tensor a = leaf();
      Tensor b = Torch.rand(3);
      Tensor y = a.mul(b).sum();
      b.mulInPlace(2.0);
      y.backward();
    });
    ERRORS.put("backward_savedOutputModifiedInPlace", () -> {
      Tensor y = leaf().sigmoid();
      y.mulInPlace(2.0);
      y.sum().backward();
    });
    ERRORS.put("requiresGrad_nonLeafOff", () -> leaf().mul(2.0).setRequiresGrad(false));
    ERRORS.put("crossEntropy_batchMismatch", () -> F.crossEntropy(Torch.rand(2, 3), Torch.tensor(new long[] {0, 1, 2})));
    ERRORS.put("crossEntropy_targetOutOfBounds", () -> F.crossEntropy(Torch.rand(2, 3), Torch.tensor(new long[] {0, 5})));
    ERRORS.put("crossEntropy_negativeTarget", () -> F.crossEntropy(Torch.rand(2, 3), Torch.tensor(new long[] {-1, 1})));
    ERRORS.put("nllLoss_floatTarget", () -> F.nllLoss(Torch.rand(2, 3), Torch.tensor(new double[] {0, 1})));
    ERRORS.put("nllLoss_badWeight", () -> F.nllLoss(Torch.rand(2, 3), Torch.tensor(new long[] {0, 1}), Torch.rand(2),
        -100, Reduction.MEAN));
    ERRORS.put("nllLoss_targetSize", () -> F.nllLoss(Torch.rand(2, 3, 4), Torch.tensor(new long[][] {{0, 1, 1}, {0, 0, 0}})));
    ERRORS.put("nllLoss_zeroDim", () -> F.nllLoss(Torch.scalarTensor(1.0), Torch.scalarTensor(0L)));
    ERRORS.put("linear_shapes", () -> F.linear(Torch.rand(2, 3), Torch.rand(4, 5)));
    ERRORS.put("linear_shapes3d", () -> F.linear(Torch.rand(2, 2, 3), Torch.rand(4, 5), Torch.rand(4)));
    ERRORS.put("linear_bias", () -> F.linear(Torch.rand(2, 3), Torch.rand(4, 3), Torch.rand(5)));
    ERRORS.put("linear_dtype", () -> F.linear(Torch.rand(2, 3), Torch.rand(DType.FLOAT64, 4, 3)));
    ERRORS.put("logSoftmax_dim", () -> F.logSoftmax(Torch.rand(2, 3), 2));
    ERRORS.put("mseLoss_shapes", () -> F.mseLoss(Torch.rand(2, 3), Torch.rand(2, 4)));
    // matmul with batch dimensions: these messages are compared whole (EXACT).
    ERRORS.put("matmul_mvSize", () -> Torch.rand(3, 4).matmul(Torch.rand(3)));
    ERRORS.put("matmul_foldMvSize", () -> Torch.rand(2, 3, 4).matmul(Torch.rand(3)));
    ERRORS.put("matmul_foldMmSize", () -> Torch.rand(2, 3, 4).matmul(Torch.rand(3, 5)));
    ERRORS.put("matmul_vectorBatchSize", () -> Torch.rand(4).matmul(Torch.rand(2, 3, 5)));
    ERRORS.put("matmul_matrixBatchSize", () -> Torch.rand(3, 4).matmul(Torch.rand(2, 3, 5)));
    ERRORS.put("matmul_bmmSize", () -> Torch.rand(2, 3, 4).matmul(Torch.rand(2, 5, 6)));
    ERRORS.put("matmul_batchBroadcast", () -> Torch.rand(2, 3, 4).matmul(Torch.rand(3, 4, 5)));
    ERRORS.put("matmul_batchBroadcast4d", () -> Torch.rand(2, 3, 4).matmul(Torch.rand(2, 4, 5, 6)));
    ERRORS.put("matmul_bmmDtype", () -> Torch.rand(2, 3, 4).matmul(Torch.rand(DType.FLOAT64, 2, 4, 5)));
    ERRORS.put("matmul_foldDtype", () -> Torch.rand(DType.FLOAT64, 2, 3, 4).matmul(Torch.rand(4, 5)));
  }

  /** Error cases whose whole message must be PyTorch's (the others: its essential words). */
  private static boolean exact(String name) {
    return name.startsWith("matmul_");
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("errors")
  void misuse_throwsWithPyTorchsMessage(String name, JsonNode c) {
    Runnable call = ERRORS.get(name);
    assertNotNull(call, "no jconv call for error case " + name);
    RuntimeException e = assertThrows(RuntimeException.class, call::run);
    assertTrue(e instanceof IllegalArgumentException || e instanceof IllegalStateException, e.toString());
    String torch = c.get("error").asText().replaceFirst("^[A-Za-z]+: ", "");
    if (exact(name)) {
      assertEquals(torch, e.getMessage());
      return;
    }
    String essential = torch.split("[.(]")[0].replace("retain_graph=True", "retainGraph=true");
    assertTrue(e.getMessage().contains(essential), "expected the message to contain\n  " + essential + "\nbut got\n  "
        + e.getMessage());
  }

  @Test
  void everyErrorCase_hasAJconvCall() {
    assertEquals(ERRORS.keySet(), new java.util.HashSet<>(errors().map(a -> (String) a.get()[0]).toList()));
  }
}
