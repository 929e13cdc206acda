package dev.jconv.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.io.Npy;
import dev.jconv.nn.functional.F;
import dev.jconv.testing.Golden;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random losses against PyTorch 1.13 (tools/golden/gen_fuzz_loss.py): cross-entropy, NLL and MSE with
 * random targets, weights, ignored entries and reductions; the loss and the input's gradient in float32
 * and float64, or PyTorch's message where it refuses the arguments.
 */
class LossFuzzGoldenTest {
  private static final String AREA = "fuzz_loss";

  static Stream<Arguments> cases() {
    return Golden.inBothFloats(AREA,
        c -> c.get("name").asText() + " " + c.get("op").asText() + " " + c.get("reduction").asText(), DType.FLOAT64);
  }

  private static Tensor array(JsonNode c, String field) {
    JsonNode f = c.get(field);
    return f == null || f.isNull() ? null : Npy.toTensor(Golden.array(AREA, f.asText()));
  }

  private static Tensor run(JsonNode c, Tensor x, DType dtype) {
    Reduction r = Reduction.valueOf(c.get("reduction").asText().toUpperCase(Locale.ROOT));
    Tensor t = array(c, "target");
    if (t.isFloatingPoint()) {
      t = t.to(dtype);
    }
    Tensor w = array(c, "weight");
    w = w == null ? null : w.to(dtype);
    return switch (c.get("op").asText()) {
      case "mse" -> F.mseLoss(x, t, r);
      case "ce" -> F.crossEntropy(x, t, w, c.get("ignore").asLong(), r);
      case "nll" -> F.nllLoss(x, t, w, c.get("ignore").asLong(), r);
      default -> throw new AssertionError(c.get("op").asText());
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void loss_matchesPyTorch(String name, JsonNode c, DType dtype) {
    Tensor x = array(c, "x").to(dtype).detach().setRequiresGrad(true);
    if (!c.get("error").isNull()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(c, x, dtype));
      assertEquals(Golden.words(c.get("error")), e.getMessage());
      return;
    }
    Tensor loss = run(c, x, dtype);
    double tol = dtype == DType.FLOAT64 ? 1e-9 : 1e-5;
    Golden.assertWithinScale(AREA, c.get("loss").asText(), loss.detach(), tol, "loss");
    loss.backward(array(c, "gout").to(dtype));
    Tensor grad = x.grad() == null ? x.detach().mul(0.0) : x.grad();
    Golden.assertWithinScale(AREA, c.get("grad").asText(), grad, tol, "grad input");
  }

  @Test
  void casesCoverEveryLossAndTheRefusals() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 300);
    assertEquals(3, cases.stream().map(c -> c.get("op").asText()).distinct().count());
    assertTrue(cases.stream().filter(c -> !c.get("error").isNull()).count() >= 30);
  }
}
