package dev.jconv.internal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.Raw;
import dev.jconv.nn.functional.F;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The check that {@code ./jconv bench} runs before timing: the kernels on main pass it, and wrong
 * kernels (a missing tap, one bad element, the wrong pooling, a wrong shape) do not.
 */
class ReferenceCheckTest {

  /** Every case's real result passes: the tolerance leaves room for every algorithm on main. */
  @ParameterizedTest
  @ValueSource(strings = {"seed", "lenet1", "lenet2", "res3x3_56", "res3x3_28", "res3x3_14", "res1x1_56",
      "res_stem", "res3x3_s2", "dw3x3_112", "dilated", "maxpool_3s2", "maxpool_2", "avgpool_2", "gap"})
  void check_realKernel_passes(String name) {
    BenchCase c = BenchSuite.byName(name).orElseThrow();
    BenchCase.Instance in = c.instance();
    CheckResult r = in.check(in.run());
    assertTrue(r.ok(), name + ": " + r.detail());
    assertTrue(r.checked() > 0 && r.checked() <= r.total(), r.toString());
    assertTrue(r.maxRelError() < ConvCase.REL_TOL, r.toString());
  }

  @Test
  void check_seed_comparesEveryElement() {
    // Cheap enough that both images' 64 channels are all compared: 2 * 64 * 10 * 10.
    BenchCase.Instance in = BenchSuiteTest.conv("seed").instance();
    CheckResult r = in.check(in.run());
    assertEquals(12_800, r.checked());
    assertEquals(25_600, r.total());
  }

  @Test
  void checkedChannels_spreadOverTheRangeWithinTheBudget() {
    int[] ch = BenchSuiteTest.conv("res3x3_56").checkedChannels();
    assertEquals(0, ch[0]);
    assertEquals(63, ch[ch.length - 1]);
    assertTrue(ch.length >= 4 && ch.length < 64, Arrays.toString(ch));
    int[] dw = BenchSuiteTest.conv("dw3x3_112").checkedChannels();
    assertEquals(32, dw.length); // one group per channel, cheap: all of them
  }

  @Test
  void check_kernelMissingOneTap_fails() {
    ConvCase c = BenchSuiteTest.conv("lenet2");
    BenchCase.Instance in = c.instance();
    Tensor right = in.run();
    // The same convolution with one weight tap zeroed: what a kernel that skips the last tap computes.
    Torch.manualSeed(0);
    Tensor x = Torch.rand(c.n(), c.cin(), c.h(), c.w());
    Tensor w = Torch.rand(c.cout(), c.cin(), c.k(), c.k()).sub(0.5);
    Tensor b = Torch.rand(c.cout());
    assertTrue(F.conv2d(x, w, c.options(b)).allclose(right), "the test rebuilds the case's inputs");
    float[] wrongW = Raw.floats(w).clone();
    for (int co = 0; co < c.cout(); co++) {
      wrongW[(co * c.cin() + c.cin() - 1) * 25 + 24] = 0;
    }
    Tensor wrong = F.conv2d(x, Raw.wrap(wrongW, c.cout(), c.cin(), c.k(), c.k()), c.options(b));

    CheckResult r = in.check(wrong);

    assertFalse(r.ok());
    assertTrue(r.detail().startsWith("output[0, 0, "), r.detail());
    assertTrue(r.detail().contains("the reference gives"), r.detail());
  }

  @Test
  void check_oneBadElementInTheLastImage_fails() {
    ConvCase c = BenchSuiteTest.conv("seed");
    BenchCase.Instance in = c.instance();
    Tensor out = in.run();
    float[] bad = Raw.floats(out).clone();
    int at = bad.length - 1; // image 3, channel 63, position (9, 9)
    bad[at] += 1e-3f * Math.max(1, Math.abs(bad[at]));

    CheckResult r = in.check(Raw.wrap(bad, out.shapeArray()));

    assertFalse(r.ok());
    assertTrue(r.detail().startsWith("output[3, 63, 9, 9] = "), r.detail());
  }

  @Test
  void check_wrongShape_fails() {
    BenchCase.Instance in = BenchSuiteTest.conv("seed").instance();
    CheckResult r = in.check(Torch.zeros(4, 64, 10, 9));
    assertFalse(r.ok());
    assertEquals("output shape [4, 64, 10, 9], expected [4, 64, 10, 10]", r.detail());
  }

  @Test
  void check_averageWhereMaxWasAsked_fails() {
    PoolCase c = BenchSuiteTest.pool("maxpool_2");
    BenchCase.Instance in = c.instance();
    Torch.manualSeed(0);
    Tensor x = Torch.rand(c.n(), c.c(), c.h(), c.w());

    CheckResult r = in.check(F.avgPool2d(x, 2));

    assertFalse(r.ok());
    assertTrue(r.detail().startsWith("output[0, 0, 0, 0] = "), r.detail());
  }

  @Test
  void check_maxPoolingOffByOneUlp_fails() {
    // Max pooling returns one of its inputs: it must be exact, not close.
    BenchCase.Instance in = BenchSuiteTest.pool("maxpool_3s2").instance();
    Tensor out = in.run();
    float[] bad = Raw.floats(out).clone();
    bad[0] = Math.nextUp(bad[0]);
    assertFalse(in.check(Raw.wrap(bad, out.shapeArray())).ok());
  }

  @Test
  void check_globalAverageOffByAFewPartsPerMillion_fails() {
    BenchCase.Instance in = BenchSuiteTest.pool("gap").instance();
    Tensor out = in.run();
    float[] bad = Raw.floats(out).clone();
    int last = bad.length - 1;
    bad[last] *= 1 + 2e-5f; // 49 taps allow ~6e-6 relative

    CheckResult r = in.check(Raw.wrap(bad, out.shapeArray()));

    assertFalse(r.ok());
    assertTrue(r.detail().startsWith("output[7, 2047, 0, 0] = "), r.detail());
  }
}
