package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.parallel.Parallel;
import dev.jconv.io.Npy;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import dev.jconv.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Infinities and NaN through the convolution backward against PyTorch 1.13
 * (tools/golden/gen_grad_conv.py, area "grad_conv_nonfinite"): NaN and infinities where PyTorch has
 * them, the finite values close; the forward's output too where the input or weight is not finite. PyTorch computed float32 as it runs it
 * (oneDNN or its own im2col by the shapes), float64 with its im2col; they differ where a non-finite
 * gOut (weight gradient) or weight (output) meets the padding, which oneDNN skips.
 */
class ConvGradNonFiniteGoldenTest {
  private static final String AREA = "grad_conv_nonfinite";

  static Stream<Arguments> cases() {
    // With and without a bias: jconv tells the rows of a non-finite gOut from the bias gradient when
    // there is one, else from the weight gradient.
    return Golden.cases(AREA).stream().flatMap(c -> Stream.of(1, 2).flatMap(threads -> Stream.of(true, false)
        .flatMap(bias -> Stream.of(DType.FLOAT32, DType.FLOAT64).map(dtype -> Arguments.of(
            c.get("name").asText() + " " + dtype + ", " + threads + " threads" + (bias ? "" : ", no bias"), c, dtype,
            threads, bias)))));
  }

  private static Tensor array(String file, DType dtype) {
    return Npy.toTensor(Golden.array(AREA, file)).to(dtype);
  }

  private static void assertSameValues(Tensor expected, Tensor actual, double tol, String what) {
    assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what + ": shape");
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    int nonFinite = 0;
    for (int i = 0; i < e.length; i++) {
      boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
          : Double.isInfinite(e[i]) ? e[i] == a[i] : Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i]));
      if (!ok) {
        fail(what + " [" + i + "] is " + a[i] + ", PyTorch " + e[i]);
      }
      nonFinite += Double.isFinite(e[i]) ? 0 : 1;
    }
    assertTrue(nonFinite < e.length, what + ": some finite values to compare");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nonFiniteGradients_matchPyTorch(String name, JsonNode c, DType dtype, int threads, boolean bias) {
    int before = Parallel.getNumThreads();
    try {
      Parallel.setNumThreads(threads);
      String tag = dtype == DType.FLOAT32 ? "32" : "64";
      Tensor x = array(c.get("x").asText(), dtype).setRequiresGrad(true);
      Tensor w = array(c.get("w").asText(), dtype).setRequiresGrad(true);
      Tensor b = bias ? Torch.zeros(w.shapeArray()[0]).to(dtype).setRequiresGrad(true) : null;
      Tensor gout = array(c.get("gout").asText(), dtype);
      Tensor out = F.conv2d(x, w, new Conv2dFuncOptions().bias(b).stride(c.get("stride").asInt())
          .padding(c.get("padding").asInt()).dilation(c.get("dilation").asInt()).groups(c.get("groups").asInt()));
      out.backward(gout);
      double tol = dtype == DType.FLOAT32 ? 2e-4 : 1e-10;
      if (c.hasNonNull("out" + tag)) {
        assertSameValues(array(c.get("out" + tag).asText(), dtype), out.detach(), tol, name + " output");
      }
      assertSameValues(array(c.get("gx" + tag).asText(), dtype), x.grad(), tol, name + " grad input");
      assertSameValues(array(c.get("gw" + tag).asText(), dtype), w.grad(), tol, name + " grad weight");
      if (bias) {
        assertSameValues(array(c.get("gb" + tag).asText(), dtype), b.grad(), tol, name + " grad bias");
      }
    } finally {
      Parallel.setNumThreads(before);
    }
  }
}
