package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The adjoint identities of convolution backward, on random shapes, strides, paddings, dilations and
 * groups: {@code <conv(x, w), y> = <x, gradInput(y)> = <w, gradWeight(y)>} and the bias gradient is
 * the sum of y per channel. The products are summed in double; float32 rounding bounds the difference.
 */
class ConvAdjointPropertyTest {

  private static double dot(Tensor a, Tensor b) {
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  private static double absDot(Tensor a, Tensor b) {
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += Math.abs(x[i] * y[i]);
    }
    return s;
  }

  @Property(tries = 150)
  void convBackward_isTheAdjointOfTheForward(@ForAll @IntRange(min = 1, max = 2) int n,
      @ForAll @IntRange(min = 1, max = 3) int groups, @ForAll @IntRange(min = 1, max = 3) int cinG,
      @ForAll @IntRange(min = 1, max = 3) int coutG, @ForAll @IntRange(min = 1, max = 9) int h,
      @ForAll @IntRange(min = 1, max = 9) int w, @ForAll @IntRange(min = 1, max = 4) int kh,
      @ForAll @IntRange(min = 1, max = 4) int kw, @ForAll @IntRange(min = 1, max = 3) int stride,
      @ForAll @IntRange(min = 0, max = 3) int pad, @ForAll @IntRange(min = 1, max = 3) int dil,
      @ForAll long seed) {
    Assume.that(h + 2 * pad >= dil * (kh - 1) + 1 && w + 2 * pad >= dil * (kw - 1) + 1);
    Torch.manualSeed(seed);
    Tensor x = Torch.randn(n, groups * cinG, h, w).setRequiresGrad(true);
    Tensor wt = Torch.randn(groups * coutG, cinG, kh, kw).setRequiresGrad(true);
    Tensor b = Torch.randn(groups * coutG).setRequiresGrad(true);
    Tensor out = F.conv2d(x, wt, new Conv2dFuncOptions().bias(b).stride(stride).padding(pad).dilation(dil)
        .groups(groups));
    Tensor y = Torch.randn(out.shapeArray());
    out.backward(y);
    Tensor plain;
    try (var g = NoGrad.enter()) {
      plain = F.conv2d(x, wt, new Conv2dFuncOptions().stride(stride).padding(pad).dilation(dil).groups(groups));
    }
    double lhs = dot(plain, y);
    double scale = absDot(plain, y) + 1;
    assertEquals(lhs, dot(x.detach(), x.grad()), 1e-5 * scale, "<conv(x, w), y> = <x, grad input>");
    assertEquals(lhs, dot(wt.detach(), wt.grad()), 1e-5 * scale, "<conv(x, w), y> = <w, grad weight>");
    Tensor perChannel = y.sum(new int[] {0, 2, 3}, false);
    assertEquals(0.0, perChannel.sub(b.grad()).abs().max().item(), 1e-4 * (1 + perChannel.abs().max().item()));
  }
}
