package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random uses of the autograd engine against PyTorch 1.13 (tools/golden/gen_fuzz_engine.py): two
 * outputs over shared leaves, then backward calls with and without retainGraph and gradient
 * arguments, gradients reset or zeroed, and backward of a tensor without history; after each call
 * every leaf's grad (null or PyTorch's values) or PyTorch's message. jconv adapts one word of the
 * freed-graph message: PyTorch's {@code retain_graph=True} is jconv's {@code retainGraph=true}, and
 * PyTorch's "or autograd.grad()" (jconv has no autograd.grad) is left out.
 */
class EngineFuzzGoldenTest {
  private static final String AREA = "fuzz_engine";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("steps")
        + " outputs " + c.get("outputs") + " calls " + c.get("calls"), c));
  }

  private static Tensor apply(String op, Tensor x, Tensor y, JsonNode s) {
    return switch (op) {
      case "exp" -> x.exp();
      case "tanh" -> x.tanh();
      case "sigmoid" -> x.sigmoid();
      case "relu" -> x.relu();
      case "neg" -> x.neg();
      case "abs" -> x.abs();
      case "pow2" -> x.pow(2L);
      case "pow3" -> x.pow(3L);
      case "mul_s" -> x.mul(s.asDouble());
      case "add_s" -> x.add(s.asDouble());
      case "div_s" -> x.div(s.asDouble());
      case "detach" -> x.detach();
      case "sum" -> x.sum();
      case "mean" -> x.mean();
      case "add" -> x.add(y);
      case "sub" -> x.sub(y);
      case "mul" -> x.mul(y);
      case "div" -> x.div(y);
      default -> throw new AssertionError(op);
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void engineCalls_matchPyTorch(String name, JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    int[] shape = Golden.ints(c.get("shape"));
    List<Tensor> leaves = new ArrayList<>();
    for (int i = 0; i < c.get("requires").size(); i++) {
      Tensor t = Golden.drawnAs(Torch.randn(DType.FLOAT64, shape), c.get("leaf_sums").get(i).asDouble(), "leaf " + i);
      leaves.add(t.setRequiresGrad(c.get("requires").get(i).asBoolean()));
    }
    List<Tensor> regs = new ArrayList<>(leaves);
    for (JsonNode st : c.get("steps")) {
      regs.add(apply(st.get(0).asText(), regs.get(st.get(1).asInt()),
          st.get(2).isNull() ? null : regs.get(st.get(2).asInt()), st.get(3)));
    }
    Tensor[] outs = {regs.get(c.get("outputs").get(0).asInt()), regs.get(c.get("outputs").get(1).asInt())};
    for (int k = 0; k < 2; k++) {
      assertEquals(c.get("out_requires").get(k).asBoolean(), outs[k].requiresGrad(), "output " + k + " requires grad");
    }
    for (int k = 0; k < c.get("calls").size(); k++) {
      JsonNode call = c.get("calls").get(k);
      JsonNode want = c.get("results").get(k);
      String where = "call " + k + " " + call;
      RuntimeException err = null;
      try {
        switch (call.get("call").asText()) {
          case "backward" -> {
            Tensor out = outs[call.get("output").asInt()];
            Tensor grad = null;
            if (want.has("grad_sum")) {
              grad = Golden.drawnAs(Torch.randn(DType.FLOAT64, Golden.ints(want.get("grad_shape"))),
                  want.get("grad_sum").asDouble(), "gradient of " + where);
            }
            out.backward(grad, call.get("retain").asBoolean());
          }
          case "none_grads" -> leaves.forEach(t -> t.setGrad(null));
          case "zero_grads" -> leaves.forEach(t -> {
            if (t.grad() != null) {
              t.grad().zeroInPlace();
            }
          });
          case "backward_leaf" -> leaves.get(call.get("leaf").asInt()).detach().backward();
          default -> throw new AssertionError(call);
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        err = e;
      }
      if (want.get("error").isNull()) {
        if (err != null) {
          fail(where + ": refused (" + err.getMessage() + "), PyTorch ran it", err);
        }
      } else {
        if (err == null) {
          fail(where + ": ran, PyTorch refused: " + want.get("error").asText());
        }
        assertEquals(Golden.engineWords(want.get("error")), err.getMessage(), where);
      }
      for (int i = 0; i < leaves.size(); i++) {
        JsonNode g = want.get("grads").get(i);
        Tensor actual = leaves.get(i).grad();
        if (g.isNull()) {
          assertNull(actual, where + ": leaf " + i + " has a grad, PyTorch's is None");
          continue;
        }
        if (actual == null) {
          fail(where + ": leaf " + i + " has no grad, PyTorch's is " + g);
        }
        double[] v = actual.toDoubleArray();
        assertEquals(g.size(), v.length, where + ": leaf " + i + " grad size");
        for (int j = 0; j < v.length; j++) {
          double e = Golden.number(g.get(j));
          assertTrue(Math.abs(v[j] - e) <= 1e-12 * Math.max(1, Math.abs(e)) || Double.compare(v[j], e) == 0,
              where + ": leaf " + i + " grad[" + j + "] " + v[j] + ", PyTorch " + e);
        }
      }
    }
  }

  @Test
  void casesReachTheEnginesRefusalsAndRetainedGraphs() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 300);
    List<String> errors = new ArrayList<>();
    cases.forEach(c -> c.get("results").forEach(r -> errors.add(r.get("error").asText())));
    for (String start : List.of("RuntimeError: Trying to backward through the graph a second time",
        "RuntimeError: grad can be implicitly created only for scalar outputs", "RuntimeError: Mismatch in shape",
        "RuntimeError: element 0 of tensors does not require grad")) {
      assertTrue(errors.stream().anyMatch(e -> e.startsWith(start)), start);
    }
  }
}
