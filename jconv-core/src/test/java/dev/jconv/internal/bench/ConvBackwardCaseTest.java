package dev.jconv.internal.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.Raw;
import dev.jconv.internal.bench.ConvBackwardCase.Grads;
import dev.jconv.internal.kernels.ConvBackward;
import dev.jconv.internal.kernels.ConvParams;
import dev.jconv.nn.functional.F;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The backward workload of {@code ./jconv bench --backward}: its inputs are PyTorch's, its timed call
 * gives what autograd gives, and its check passes the kernels on main and catches wrong ones.
 */
class ConvBackwardCaseTest {

  private static ConvBackwardCase backward(String name) {
    return new ConvBackwardCase(BenchSuiteTest.conv(name));
  }

  /** Every case's real gradients pass, well inside the tolerance. */
  @ParameterizedTest
  @ValueSource(strings = {"seed", "lenet1", "lenet2", "res3x3_56", "res3x3_28", "res3x3_14", "res1x1_56",
      "res_stem", "res3x3_s2", "dw3x3_112", "dilated"})
  void check_realKernel_passes(String name) {
    Workload.Trial<Grads> t = backward(name).trial();
    CheckResult r = t.check(t.run());
    assertTrue(r.ok(), name + ": " + r.detail());
    assertTrue(r.checked() > 0 && r.checked() <= r.total(), r.toString());
    assertTrue(r.maxRelError() < ConvBackwardCase.REL_TOL / 10, r.toString());
  }

  @Test
  void suite_hasTheBackwardOfEveryConvolution_withTwiceTheWork() {
    assertEquals(11, BenchSuite.CONV_BACKWARD.size());
    for (int i = 0; i < 11; i++) {
      ConvCase fwd = BenchSuite.CONV.get(i);
      ConvBackwardCase bwd = BenchSuite.CONV_BACKWARD.get(i);
      assertEquals(fwd.name(), bwd.name());
      assertEquals(fwd.describe(), bwd.describe());
      assertEquals(2 * fwd.flops(), bwd.work());
      assertEquals(BenchCase.Unit.GFLOPS, bwd.unit());
      assertEquals(Workload.Pass.BACKWARD, bwd.pass());
      assertEquals(Workload.Pass.FORWARD, fwd.pass());
    }
    assertEquals(2_764_800.0, backward("seed").work()); // 2 * 2*4*64*10*10*3*3*3
  }

  /**
   * The same inputs as PyTorch's side: these values are torch 1.13's gradients of the case made by
   * tools/bench/torch_bench.py's make_case(name, "backward") (manual_seed(0); x, weight, bias, grad_out).
   */
  @Test
  void trial_givesPyTorchsGradients() {
    Grads seed = backward("seed").trial().run();
    float[] gb = Raw.floats(seed.bias());
    float[] gw = Raw.floats(seed.weight());
    float[] gx = Raw.floats(seed.input());
    assertClose(new double[] {-3.948631525039673, -11.566601753234863, 4.1313066482543945}, gb, 0);
    assertClose(new double[] {-1.1440738439559937, -2.187356472015381}, gw, 0);
    assertClose(new double[] {-1.1497199535369873, 1.2659392356872559}, gx, gx.length - 2);
    Grads lenet1 = backward("lenet1").trial().run();
    assertClose(new double[] {-114.0696029663086, -153.67007446289062}, Raw.floats(lenet1.bias()), 0);
    assertClose(new double[] {-94.87980651855469}, Raw.floats(lenet1.weight()), 0);
  }

  private static void assertClose(double[] want, float[] got, int from) {
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[from + i], 1e-5 * Math.abs(want[i]), "element " + (from + i));
    }
  }

  /** The timed call is the autograd node's: F.conv2d + backward(gradOut) gives the same bits. */
  @ParameterizedTest
  @ValueSource(strings = {"seed", "lenet2", "dw3x3_112"})
  void trial_equalsAutogradThroughF(String name) {
    ConvCase c = BenchSuiteTest.conv(name);
    Grads fast = new ConvBackwardCase(c).trial().run();
    Torch.manualSeed(0);
    Tensor x = Torch.rand(c.n(), c.cin(), c.h(), c.w()).setRequiresGrad(true);
    Tensor w = Torch.rand(c.cout(), c.cin() / c.groups(), c.k(), c.k()).sub(0.5).setRequiresGrad(true);
    Tensor b = Torch.rand(c.cout()).setRequiresGrad(true);
    Tensor gradOut = Torch.rand(c.n(), c.cout(), c.outH(), c.outW()).sub(0.5);

    F.conv2d(x, w, c.options(b)).backward(gradOut);

    assertArrayEquals(Raw.floats(x.grad()), Raw.floats(fast.input()));
    assertArrayEquals(Raw.floats(w.grad()), Raw.floats(fast.weight()));
    assertArrayEquals(Raw.floats(b.grad()), Raw.floats(fast.bias()));
  }

  /** A kernel that leaves the last image out of the weight gradient: 1 of 256 images, caught on lenet1. */
  @Test
  void check_weightGradMissingTheLastImage_fails() {
    ConvBackwardCase c = backward("lenet1");
    Workload.Trial<Grads> t = c.trial();
    Grads right = t.run();
    Inputs in = inputs(c.conv());
    ConvParams fewer = c.conv().params(c.conv().n() - 1);
    float[] gW = new float[fewer.weightLength()];
    ConvBackward.backward(fewer, in.x, in.w, in.g, null, gW, null);
    Grads wrong = new Grads(right.input(), Raw.wrap(gW, right.weight().shapeArray()), right.bias());

    CheckResult r = t.check(wrong);

    assertFalse(r.ok());
    assertTrue(r.detail().startsWith("grad weight[0, 0, "), r.detail());
    assertTrue(r.detail().contains("the reference gives"), r.detail());
  }

  /** A kernel that forgets to rotate the kernel when it scatters back onto the input. */
  @Test
  void check_inputGradWithUnrotatedKernel_fails() {
    ConvBackwardCase c = backward("lenet2");
    Workload.Trial<Grads> t = c.trial();
    Grads right = t.run();
    Inputs in = inputs(c.conv());
    int k = c.conv().k();
    float[] rotated = in.w.clone();
    for (int plane = 0; plane < rotated.length / (k * k); plane++) {
      for (int i = 0; i < k * k; i++) {
        rotated[plane * k * k + i] = in.w[plane * k * k + k * k - 1 - i];
      }
    }
    ConvParams p = c.conv().params(c.conv().n());
    float[] gX = new float[p.inputLength()];
    ConvBackward.backward(p, in.x, rotated, in.g, gX, null, null);

    CheckResult r = t.check(new Grads(Raw.wrap(gX, right.input().shapeArray()), right.weight(), right.bias()));

    assertFalse(r.ok());
    assertTrue(r.detail().startsWith("grad input[0, 0, "), r.detail());
  }

  @Test
  void check_biasGradOfTheLastChannelSlightlyOff_fails() {
    Workload.Trial<Grads> t = backward("res3x3_14").trial();
    Grads right = t.run();
    float[] gb = Raw.floats(right.bias()).clone();
    gb[255] += 1e-3f * Math.max(1, Math.abs(gb[255]));

    CheckResult r = t.check(new Grads(right.input(), right.weight(), Raw.wrap(gb, 256)));

    assertFalse(r.ok());
    assertTrue(r.detail().startsWith("grad bias[255] = "), r.detail());
    assertEquals(256, r.checked());
  }

  @Test
  void check_wrongShape_fails() {
    Workload.Trial<Grads> t = backward("seed").trial();
    Grads right = t.run();

    CheckResult r = t.check(new Grads(right.input(), Torch.zeros(3, 64, 3, 3), right.bias()));

    assertFalse(r.ok());
    assertEquals("grad weight shape [3, 64, 3, 3], expected [64, 3, 3, 3]", r.detail());
    assertEquals(0, r.checked());
  }

  @Test
  void checkedChannels_spreadOverTheRange_andDepthwiseChecksAll() {
    int[] w = backward("res3x3_56").checkedWeightChannels();
    assertEquals(0, w[0]);
    assertEquals(63, w[w.length - 1]);
    assertTrue(w.length >= 4 && w.length < 64, Arrays.toString(w));
    assertEquals(32, backward("dw3x3_112").checkedInputChannels().length);
    assertArrayEquals(new int[] {0}, backward("lenet1").checkedInputChannels(), "one input channel");
    assertArrayEquals(new int[] {0, 2, 3, 5}, ConvBackwardCase.spread(6, 4));
  }

  /** The case's inputs as the trial makes them. */
  private record Inputs(float[] x, float[] w, float[] g) {}

  private static Inputs inputs(ConvCase c) {
    Torch.manualSeed(0);
    Tensor x = Torch.rand(c.n(), c.cin(), c.h(), c.w());
    Tensor w = Torch.rand(c.cout(), c.cin() / c.groups(), c.k(), c.k()).sub(0.5);
    Torch.rand(c.cout());
    Tensor g = Torch.rand(c.n(), c.cout(), c.outH(), c.outW()).sub(0.5);
    return new Inputs(Raw.floats(x), Raw.floats(w), Raw.floats(g));
  }
}
