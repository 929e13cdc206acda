package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.AdaptiveAvgPool2dOptions;
import dev.jconv.nn.AdaptiveMaxPool2dOptions;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.LPPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.Reduction;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.PaddingMode;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import dev.jconv.nn.functional.Padding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backward formula against central finite differences in float64: for a random upstream
 * gradient v, d<v, f(x)>/dx_i from backward must equal (<v, f(x + h e_i)> - <v, f(x - h e_i)>) / 2h.
 */
class GradCheckTest {

  /** A function of float64 inputs, with the shapes of its inputs. */
  record Case(String name, Function<List<Tensor>, Tensor> f, int[][] shapes, boolean positive) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case c(String name, Function<List<Tensor>, Tensor> f, int[]... shapes) {
    return new Case(name, f, shapes, false);
  }

  private static Case positive(String name, Function<List<Tensor>, Tensor> f, int[]... shapes) {
    return new Case(name, f, shapes, true);
  }

  private static int[] s(int... d) {
    return d;
  }

  static Stream<Arguments> cases() {
    // float64 layers (the input gradient flows through their padding node); made once, so that every
    // evaluation of a case sees the same weights.
    Conv2d reflect = modeConv(PaddingMode.REFLECT, 2);
    Conv2d replicate = modeConv(PaddingMode.REPLICATE, 3);
    Conv2d circular = modeConv(PaddingMode.CIRCULAR, 2);
    Tensor labels = Torch.tensor(new long[] {2, 0, 1, 2});
    Tensor soft = F.softmax(Torch.randn(DType.FLOAT64, 4, 3), 1);
    Tensor target = Torch.randn(DType.FLOAT64, 3, 4);
    Tensor classWeight = Torch.tensor(new double[] {0.5, 2.0, 1.25});
    List<Case> list = List.of(
        c("add_broadcast", x -> x.get(0).add(x.get(1)), s(2, 3), s(3)),
        c("sub_broadcast", x -> x.get(0).sub(x.get(1)), s(4, 1), s(1, 3)),
        c("mul_broadcast", x -> x.get(0).mul(x.get(1)), s(2, 1, 3), s(4, 1)),
        positive("div_broadcast", x -> x.get(0).div(x.get(1)), s(2, 3), s(2, 1)),
        c("maximum", x -> x.get(0).maximum(x.get(1)), s(3, 4), s(4)),
        c("minimum", x -> x.get(0).minimum(x.get(1)), s(3, 4), s(3, 1)),
        positive("pow_tensor", x -> x.get(0).pow(x.get(1)), s(2, 3), s(3)),
        positive("pow_scalar", x -> x.get(0).pow(1.7), s(2, 3)),
        c("pow_int", x -> x.get(0).pow(3L), s(5)),
        c("scalar_ops", x -> x.get(0).mul(3.0).add(1.5).div(-2.0).sub(0.25).neg(), s(4)),
        c("exp", x -> x.get(0).exp(), s(3, 2)),
        positive("log", x -> x.get(0).log(), s(3, 2)),
        positive("sqrt", x -> x.get(0).sqrt(), s(3, 2)),
        c("abs", x -> x.get(0).abs(), s(6)),
        c("sigmoid", x -> x.get(0).sigmoid(), s(2, 5)),
        c("tanh", x -> x.get(0).tanh(), s(2, 5)),
        c("relu", x -> x.get(0).relu(), s(3, 4)),
        c("sum_dims", x -> x.get(0).sum(new int[] {0, 2}, false), s(2, 3, 4)),
        c("mean_dim", x -> x.get(0).mean(1, true), s(2, 3, 4)),
        c("max_all", x -> x.get(0).max(), s(3, 4)),
        c("max_dim", x -> x.get(0).max(1, false).values(), s(3, 4)),
        c("min_dim", x -> x.get(0).min(0, true).values(), s(3, 4)),
        c("mm", x -> x.get(0).matmul(x.get(1)), s(3, 4), s(4, 2)),
        c("mv", x -> x.get(0).matmul(x.get(1)), s(3, 4), s(4)),
        c("vm", x -> x.get(0).matmul(x.get(1)), s(4), s(4, 2)),
        c("dot", x -> x.get(0).matmul(x.get(1)), s(5), s(5)),
        c("linear", x -> F.linear(x.get(0), x.get(1), x.get(2)), s(5, 4), s(3, 4), s(3)),
        c("linear_3d", x -> F.linear(x.get(0), x.get(1), x.get(2)), s(2, 3, 4), s(3, 4), s(3)),
        c("views", x -> x.get(0).t().reshape(6).view(3, 2).unsqueeze(0).squeeze().flatten(), s(2, 3)),
        c("permute_transpose", x -> x.get(0).permute(2, 0, 1).transpose(0, 2), s(2, 3, 4)),
        c("slicing", x -> x.get(0).slice(1, 1, 6, 2).narrow(0, 1, 2).select(1, 1), s(3, 7)),
        c("expand", x -> x.get(0).expand(2, 3, 4), s(3, 1)),
        c("log_softmax", x -> F.logSoftmax(x.get(0), 1), s(4, 5)),
        c("log_softmax_dim0_3d", x -> F.logSoftmax(x.get(0), 0), s(3, 2, 2)),
        c("softmax", x -> F.softmax(x.get(0), -1), s(3, 4)),
        c("cross_entropy", x -> F.crossEntropy(x.get(0), labels), s(4, 3)),
        c("cross_entropy_sum_weighted", x -> F.crossEntropy(x.get(0), labels, classWeight, -100,
            Reduction.SUM), s(4, 3)),
        c("cross_entropy_soft", x -> F.crossEntropy(x.get(0), soft), s(4, 3)),
        c("mse", x -> F.mseLoss(x.get(0), target), s(3, 4)),
        c("mse_both_sum", x -> F.mseLoss(x.get(0), x.get(1), Reduction.SUM), s(3, 4), s(4)),
        c("max_pool", x -> F.maxPool2d(x.get(0), MaxPool2dOptions.of(3).stride(2).padding(1).ceilMode(true)), s(1, 2, 5, 6)),
        c("avg_pool_no_pad_count", x -> F.avgPool2d(x.get(0), AvgPool2dOptions.of(3).stride(2).padding(1)
            .countIncludePad(false).ceilMode(true)), s(2, 1, 5, 5)),
        c("avg_pool_divisor", x -> F.avgPool2d(x.get(0), AvgPool2dOptions.of(2, 3).stride(1).divisorOverride(4)),
            s(1, 3, 4, 5)),
        c("adaptive_avg", x -> F.adaptiveAvgPool2d(x.get(0), AdaptiveAvgPool2dOptions.of(3, 2)), s(1, 2, 7, 5)),
        c("adaptive_avg_1x1", x -> F.adaptiveAvgPool2d(x.get(0), AdaptiveAvgPool2dOptions.of(1)), s(2, 3, 4, 4)),
        c("adaptive_max", x -> F.adaptiveMaxPool2d(x.get(0), AdaptiveMaxPool2dOptions.of(2, 3)), s(1, 2, 5, 7)),
        positive("lp_pool", x -> F.lpPool2d(x.get(0), LPPool2dOptions.of(2.5, 2).stride(1).ceilMode(true)), s(1, 1, 4, 5)),
        c("conv2d", x -> F.conv2d(x.get(0), x.get(1), new Conv2dFuncOptions().bias(x.get(2)).padding(1)),
            s(2, 3, 5, 4), s(4, 3, 3, 3), s(4)),
        c("conv2d_stride_dilation_groups", x -> F.conv2d(x.get(0), x.get(1), new Conv2dFuncOptions().bias(x.get(2))
            .stride(2, 1).padding(2, 1).dilation(2, 1).groups(2)), s(1, 4, 7, 6), s(6, 2, 3, 2), s(6)),
        c("conv2d_same_even_kernel", x -> F.conv2d(x.get(0), x.get(1), new Conv2dFuncOptions().padding(Padding.SAME)),
            s(2, 2, 5, 5), s(3, 2, 2, 4)),
        c("conv2d_stride_beyond_kernel_unbatched", x -> F.conv2d(x.get(0), x.get(1),
            new Conv2dFuncOptions().stride(3)), s(2, 8, 7), s(2, 2, 2, 2)),
        c("conv2d_layer_reflect", x -> reflect.forward(x.get(0)), s(1, 2, 5, 6)),
        c("conv2d_layer_replicate", x -> replicate.forward(x.get(0)), s(2, 2, 4, 4)),
        c("conv2d_layer_circular_unbatched", x -> circular.forward(x.get(0)), s(2, 5, 4)),
        c("mlp", x -> F.crossEntropy(F.linear(F.linear(x.get(0), x.get(1), x.get(2)).sigmoid(), x.get(3)),
            labels), s(4, 5), s(6, 5), s(6), s(3, 6)));
    return list.stream().map(Arguments::of);
  }

  /** A float64 Conv2d(2, 3, 3) layer with padding {@code pad} in {@code mode}. */
  private static Conv2d modeConv(PaddingMode mode, int pad) {
    Conv2d layer = new Conv2d(Conv2dOptions.of(2, 3, 3).padding(pad).paddingMode(mode));
    layer.toDouble();
    return layer;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void backward_matchesFiniteDifferences(Case c) {
    Torch.manualSeed(c.name().hashCode());
    List<Tensor> inputs = new ArrayList<>();
    for (int[] shape : c.shapes()) {
      Tensor t = Torch.randn(DType.FLOAT64, shape);
      if (c.positive()) {
        t = t.abs().add(0.5);
      }
      inputs.add(t.setRequiresGrad(true));
    }
    Tensor out = c.f().apply(inputs);
    Tensor v = Torch.randn(DType.FLOAT64, out.shapeArray());
    out.backward(v);
    double h = 1e-6;
    int checked = 0;
    for (int k = 0; k < inputs.size(); k++) {
      Tensor x = inputs.get(k);
      double[] analytic = x.grad().toDoubleArray();
      double[] base = x.detach().toDoubleArray();
      for (int i = 0; i < base.length; i++) {
        double plus = probe(c, inputs, k, base, i, h, v);
        double minus = probe(c, inputs, k, base, i, -h, v);
        double numeric = (plus - minus) / (2 * h);
        assertEquals(numeric, analytic[i], 1e-6 + 1e-5 * Math.abs(numeric),
            c.name() + ": input " + k + " element " + i);
        checked++;
      }
    }
    assertTrue(checked > 0);
  }

  /** <v, f(inputs with element i of input k moved by delta)>, computed without recording. */
  private static double probe(Case c, List<Tensor> inputs, int k, double[] base, int i, double delta, Tensor v) {
    try (var g = NoGrad.enter()) {
      List<Tensor> moved = new ArrayList<>();
      for (int j = 0; j < inputs.size(); j++) {
        if (j == k) {
          double[] d = base.clone();
          d[i] += delta;
          moved.add(Torch.fromFlat(d, inputs.get(j).shapeArray()));
        } else {
          moved.add(inputs.get(j).detach());
        }
      }
      return c.f().apply(moved).toDouble().mul(v).sum().item();
    }
  }
}
