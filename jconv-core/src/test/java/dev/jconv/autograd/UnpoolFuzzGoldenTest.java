package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.MaxUnpool2dOptions;
import dev.jconv.nn.functional.F;
import dev.jconv.testing.Golden;
import dev.jconv.testing.PoolCalls;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random max unpooling against PyTorch 1.13 (tools/golden/gen_fuzz_unpool.py): what max_pool2d
 * returned, unpooled with the same or other arguments, an output size or none, some indices changed;
 * the output and the gradient of the pooled values in float32 and float64, or PyTorch's message.
 */
class UnpoolFuzzGoldenTest {
  private static final String AREA = "fuzz_unpool";

  static Stream<Arguments> cases() {
    return Golden.inBothFloats(AREA, c -> c.get("name").asText() + " " + c.get("shape") + " pool " + c.get("pool")
        + " unpool " + c.get("unpool") + (c.get("changes").isEmpty() ? "" : " changes " + c.get("changes")),
        DType.FLOAT32);
  }

  /** The input as the generator drew it (randn, rounded half to even for some cases). */
  private static Tensor input(JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    Tensor x = Torch.randn(Golden.ints(c.get("shape")));
    if (c.get("rounded").asBoolean()) {
      x = PoolCalls.rounded(x);
    }
    return Golden.drawnAs(x, c.get("x_sum").asDouble(), "input");
  }

  private static Tensor unpool(JsonNode u, Tensor y, Tensor idx) {
    int[] k = Golden.pair(u.get("kernel"));
    int[] p = Golden.pair(u.get("padding"));
    MaxUnpool2dOptions o = MaxUnpool2dOptions.of(k[0], k[1]).padding(p[0], p[1]);
    if (!u.get("stride").isNull()) {
      int[] s = Golden.pair(u.get("stride"));
      o = o.stride(s[0], s[1]);
    }
    JsonNode size = u.get("output_size");
    return size.isNull() ? F.maxUnpool2d(y, idx, o) : F.maxUnpool2d(y, idx, o, Golden.ints(size));
  }

  /** The pooled values (a leaf that requires grad) and the indices with the case's changes. */
  private static Tensor[] pooled(JsonNode c, DType dtype) {
    Tensor.ValuesIndices vi = F.maxPool2dWithIndices(input(c).to(dtype), PoolCalls.maxOptions(c.get("pool")));
    long[] idx = vi.indices().toLongArray();
    for (JsonNode ch : c.get("changes")) {
      idx[ch.get(0).asInt()] = ch.get(1).asLong();
    }
    Tensor y = vi.values().detach();
    y.setRequiresGrad(true);
    return new Tensor[] {y, Torch.fromFlat(idx, vi.indices().shapeArray())};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void unpooling_matchesPyTorch(String name, JsonNode c, DType dtype) {
    Tensor[] yi = pooled(c, dtype);
    Tensor y = yi[0];
    if (!c.get("error").isNull()) {
      String want = Golden.words(c.get("error"));
      if (want.equals("numel: integer multiplication overflow")) {
        // Deliberate (README): PyTorch's resize_ overflows on the negative size the arguments give;
        // jconv names the negative dimension and the shape.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> unpool(c.get("unpool"), y, yi[1]));
        assertTrue(e.getMessage().startsWith("max_unpool2d: Trying to create tensor with negative dimension -"),
            e.getMessage());
        return;
      }
      Golden.assertRefused(want, () -> unpool(c.get("unpool"), y, yi[1]));
      return;
    }
    Tensor out = unpool(c.get("unpool"), y, yi[1]);
    double tol = dtype == DType.FLOAT64 ? 1e-6 : 1e-5;
    Golden.assertWithin(AREA, c.get("out").asText(), out.detach(), tol, "output");
    assertEquals(c.get("grad_fn").asText(), out.gradFn().name());
    input(c); // the gradient is the generator's next draw
    Tensor gout = Golden.drawnAs(Torch.randn(out.shapeArray()), c.get("gout_sum").asDouble(), "gout");
    if (!c.get("backward_error").isNull()) {
      Golden.assertRefused(Golden.words(c.get("backward_error")), () -> {
        out.backward(gout.to(dtype));
        return null;
      });
      return;
    }
    out.backward(gout.to(dtype));
    Golden.assertWithin(AREA, c.get("gy").asText(), y.grad(), tol, "grad of the pooled values");
  }

  @Test
  void casesCoverTheRefusalsAndChangedIndices() {
    var cases = Golden.cases(AREA);
    assertTrue(cases.size() >= 200);
    assertTrue(cases.stream().filter(c -> !c.get("error").isNull()).count() >= 40);
    assertTrue(cases.stream().filter(c -> !c.get("changes").isEmpty() && c.get("error").isNull()).count() >= 10);
    assertTrue(cases.stream().anyMatch(c -> c.get("error").asText().startsWith("RuntimeError: Found an invalid max")));
    assertTrue(cases.stream().anyMatch(c -> c.get("error").asText().startsWith("ValueError: invalid output_size")));
  }
}
