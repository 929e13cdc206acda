package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * Random in-place programs under autograd against PyTorch 1.13 (tools/golden/gen_fuzz_inplace.py):
 * views of computed tensors and of leaves, in-place changes of views and of their bases, functions
 * that save tensors, then a weighted sum's backward. Every register's grad_fn name and value, the loss
 * and the leaves' gradients must match, or the same step (or the backward) must be refused with
 * PyTorch's message.
 */
class InPlaceFuzzGoldenTest {
  private static final String AREA = "fuzz_inplace";

  static Stream<Arguments> cases() {
    return Golden.cases(AREA).stream().map(c -> Arguments.of(c.get("name").asText() + " " + c.get("steps"), c));
  }

  private static Tensor view(Tensor t, String kind, JsonNode a) {
    return switch (kind) {
      case "slice" -> t.slice(a.get(0).asInt(), a.get(1).asInt(), a.get(2).asInt(), a.get(3).asInt());
      case "select" -> t.select(a.get(0).asInt(), a.get(1).asInt());
      case "narrow" -> t.narrow(a.get(0).asInt(), a.get(1).asInt(), a.get(2).asInt());
      case "transpose" -> t.transpose(a.get(0).asInt(), a.get(1).asInt());
      case "t" -> t.t();
      case "unsqueeze" -> t.unsqueeze(a.get(0).asInt());
      case "view" -> t.view(Golden.ints(a.get(0)));
      case "expand" -> t.expand(Golden.ints(a.get(0)));
      default -> throw new AssertionError(kind);
    };
  }

  private static Tensor inplace(Tensor t, String op, JsonNode o, List<Tensor> regs) {
    Tensor other = o.isArray() ? regs.get(o.get(1).asInt()) : null;
    double v = o.isNumber() ? o.asDouble() : 0;
    return switch (op) {
      case "add" -> other != null ? t.addInPlace(other) : t.addInPlace(v);
      case "sub" -> other != null ? t.subInPlace(other) : t.subInPlace(v);
      case "mul" -> other != null ? t.mulInPlace(other) : t.mulInPlace(v);
      case "div" -> other != null ? t.divInPlace(other) : t.divInPlace(v);
      case "fill" -> t.fillInPlace(v);
      case "zero" -> t.zeroInPlace();
      case "copy" -> t.copyInPlace(other);
      default -> throw new AssertionError(op);
    };
  }

  private static Tensor func(Tensor t, String op, JsonNode other, List<Tensor> regs) {
    return switch (op) {
      case "sigmoid" -> t.sigmoid();
      case "exp" -> t.tanh().exp();
      case "mul" -> t.mul(regs.get(other.asInt()));
      case "pow" -> t.pow(2L);
      case "scale" -> t.mul(1.5);
      default -> throw new AssertionError(op);
    };
  }

  private static String message(RuntimeException e) {
    return e.getMessage();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void program_matchesPyTorch(String name, JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    List<Tensor> regs = new ArrayList<>();
    int drawn = 0;
    JsonNode steps = c.get("steps");
    int failedStep = c.get("failed_step").isNull() ? -1 : c.get("failed_step").asInt();
    for (int step = 0; step < steps.size(); step++) {
      int k = step;
      JsonNode st = steps.get(k);
      try {
        Tensor r = switch (st.get(0).asText()) {
          case "leaf" -> Golden.drawnAs(Torch.randn(Golden.ints(st.get(1))), c.get("leaf_sums").get(drawn).asDouble(), "leaf")
              .setRequiresGrad(st.get(2).asBoolean());
          case "view" -> view(regs.get(st.get(1).asInt()), st.get(2).asText(), st.get(3));
          case "inplace" -> inplace(regs.get(st.get(1).asInt()), st.get(2).asText(), st.get(3), regs);
          default -> func(regs.get(st.get(1).asInt()), st.get(2).asText(), st.get(3), regs);
        };
        if (st.get(0).asText().equals("leaf")) {
          drawn++;
        }
        if (k == failedStep) {
          fail("step " + k + " " + st + " should be refused: " + c.get("error").asText());
        }
        regs.add(r);
      } catch (IllegalArgumentException | IllegalStateException e) {
        assertEquals(failedStep, k, () -> "step " + k + " " + st + " refused: " + e.getMessage());
        assertEquals(Golden.words(c.get("error")), message(e));
        return;
      }
    }
    for (int k = 0; k < regs.size(); k++) {
      JsonNode want = c.get("grad_fns").get(k);
      Node fn = regs.get(k).gradFn();
      assertEquals(want.isNull() ? null : want.asText(), fn == null ? null : fn.name(), "grad_fn of register " + k);
      Golden.assertWithin(AREA, c.get("values").get(k).asText(), regs.get(k).detach(), 1e-6, "value of register " + k);
    }
    Tensor loss = Torch.zeros(DType.FLOAT64);
    JsonNode w = c.get("weights");
    for (int k = 0; k < regs.size(); k++) {
      if (w.get(k).asDouble() != 0 && regs.get(k).requiresGrad()) {
        loss = loss.add(regs.get(k).to(DType.FLOAT64).mul(w.get(k).asDouble()).sum());
      }
    }
    assertEquals(c.get("loss").asDouble(), loss.item(), 1e-5 * (1 + Math.abs(c.get("loss").asDouble())), "loss");
    if (!loss.requiresGrad()) {
      return;
    }
    if (!c.get("backward_error").isNull()) {
      Tensor l = loss;
      RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, l::backward);
      assertEquals(Golden.words(c.get("backward_error")), message(e));
      return;
    }
    loss.backward();
    JsonNode leaves = c.get("leaves");
    for (int i = 0; i < leaves.size(); i++) {
      Tensor leaf = regs.get(leaves.get(i).asInt());
      Tensor grad = leaf.grad() == null ? leaf.detach().mul(0.0) : leaf.grad();
      assertNotNull(grad);
      Golden.assertWithinScale(AREA, c.get("grads").get(i).asText(), grad, 1e-5, "grad of leaf " + leaves.get(i));
    }
  }

  @Test
  void programsReachTheRefusalsAndTheRewrittenHistories() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 400);
    assertTrue(cases.stream().filter(c -> !c.get("error").isNull()).count() >= 20);
    assertTrue(cases.stream().filter(c -> c.has("backward_error") && !c.get("backward_error").isNull()).count() >= 20);
    assertTrue(cases.stream().filter(c -> c.has("grad_fns") && c.get("grad_fns").toString().contains("CopySlices"))
        .count() >= 50);
  }
}
