package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.functional.F;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The adjoint identity {@code <L(x), y> = <x, L^T(y)>} for operations linear in x, where
 * {@code L^T(y)} is what backward computes from the upstream gradient y. A backward that is not the
 * exact transpose of its forward (a missed broadcast sum, a wrong index) breaks it for some shape.
 */
class AdjointPropertyTest {

  private static Tensor rnd(long seed, int... shape) {
    Torch.manualSeed(seed);
    return Torch.randn(DType.FLOAT64, shape);
  }

  /** Checks the identity for L on a random x of {@code shape}; returns nothing, asserts. */
  private static void checkAdjoint(UnaryOperator<Tensor> op, long seed, int... shape) {
    Tensor x = rnd(seed, shape).setRequiresGrad(true);
    Tensor out = op.apply(x);
    Tensor y = rnd(seed + 1, out.shapeArray());
    out.backward(y);
    double lhs = out.detach().mul(y).sum().item();
    double rhs = x.detach().mul(x.grad()).sum().item();
    assertEquals(lhs, rhs, 1e-9 * (1 + Math.abs(lhs)), "adjoint identity");
  }

  @Property(tries = 60)
  void expandAndSum_areAdjoint(@ForAll @IntRange(min = 1, max = 4) int a, @ForAll @IntRange(min = 1, max = 4) int b,
      @ForAll @IntRange(min = 1, max = 4) int c, @ForAll boolean keep, @ForAll long seed) {
    checkAdjoint(x -> x.expand(a, b, c), seed, b, 1);
    checkAdjoint(x -> x.sum(new int[] {0, 2}, keep), seed, a, b, c);
    checkAdjoint(x -> x.mean(1, keep), seed, a, b, c);
  }

  @Property(tries = 60)
  void broadcastArithmetic_isAdjointInEachOperand(@ForAll @IntRange(min = 1, max = 4) int a,
      @ForAll @IntRange(min = 1, max = 4) int b, @ForAll boolean oneRow, @ForAll long seed) {
    Tensor w = rnd(seed + 7, oneRow ? 1 : a, b);
    checkAdjoint(x -> x.mul(w), seed, b);
    checkAdjoint(x -> w.mul(x), seed, a, 1);
    checkAdjoint(x -> x.add(x).sub(x.mul(w)), seed, a, b);
    checkAdjoint(x -> x.div(w.abs().add(1.0)), seed, 1, b);
  }

  @Property(tries = 60)
  void slicingAndViews_areAdjoint(@ForAll @IntRange(min = 1, max = 7) int n, @ForAll @IntRange(min = 1, max = 5) int m,
      @ForAll @IntRange(min = -8, max = 8) int start, @ForAll @IntRange(min = 1, max = 3) int step,
      @ForAll long seed) {
    checkAdjoint(x -> x.slice(1, start, n, step), seed, m, n);
    checkAdjoint(x -> x.select(1, Math.floorMod(start, n)), seed, m, n);
    checkAdjoint(x -> x.t().reshape(-1).view(n, m).permute(1, 0), seed, m, n);
    checkAdjoint(x -> x.unsqueeze(1).expand(m, 3, n).flatten(), seed, m, n);
  }

  @Property(tries = 60)
  void matrixProducts_areAdjointInEachFactor(@ForAll @IntRange(min = 1, max = 5) int m,
      @ForAll @IntRange(min = 1, max = 5) int k, @ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
    Tensor w = rnd(seed + 3, n, k);
    Tensor b = rnd(seed + 4, n);
    Tensor in = rnd(seed + 5, m, k);
    checkAdjoint(x -> x.matmul(w.t()), seed, m, k);
    checkAdjoint(x -> w.matmul(x), seed, k, m);
    checkAdjoint(x -> F.linear(x, w), seed, m, k);
    checkAdjoint(x -> F.linear(in, x), seed, n, k);
    checkAdjoint(x -> F.linear(in, w, x).sub(F.linear(in, w)), seed, n);
    checkAdjoint(x -> x.matmul(w.select(0, 0)), seed, m, k);
  }
}
