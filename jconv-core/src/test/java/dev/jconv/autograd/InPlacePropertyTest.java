package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Recorded in-place operations against their out-of-place twins: a random chain of in-place steps
 * ({@code + - * /} with a tensor or a number, {@code fill}, {@code zero}, {@code copy}, setting an
 * element) on a computed tensor gives the same values and the same gradients, bit for bit, as the
 * chain written with new tensors, which autograd has recorded from the start.
 */
class InPlacePropertyTest {

  private static Tensor randn(SplittableRandom r, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble() * 2 - 1;
    }
    return Torch.tensor(v).reshape(shape);
  }

  /** Step {@code kind} on {@code y}: in place when {@code inPlace}, else as a new tensor. */
  private static Tensor step(int kind, Tensor y, Tensor other, double s, int[] index, boolean inPlace) {
    return switch (kind) {
      case 0 -> inPlace ? y.addInPlace(other) : y.add(other);
      case 1 -> inPlace ? y.subInPlace(other) : y.sub(other);
      case 2 -> inPlace ? y.mulInPlace(other) : y.mul(other);
      case 3 -> inPlace ? y.divInPlace(other.abs().add(0.5)) : y.div(other.abs().add(0.5));
      case 4 -> inPlace ? y.addInPlace(s) : y.add(s);
      case 5 -> inPlace ? y.mulInPlace(s) : y.mul(s);
      case 6 -> inPlace ? y.fillInPlace(s) : y.mul(0.0).add(s);
      case 7 -> inPlace ? y.copyInPlace(other) : other.expand(y.shapeArray()).cloneTensor();
      case 9 -> inPlace ? y.zeroInPlace() : y.mul(0.0);
      default -> {
        if (inPlace) {
          yield y.set(other.sum(), index);
        }
        // y with one element replaced: y * mask + onehot * value
        Tensor onehot = Torch.zeros(y.dtype(), y.shapeArray()).set(1.0, index);
        Tensor mask = Torch.ones(y.dtype(), y.shapeArray()).set(0.0, index);
        yield y.mul(mask).add(onehot.mul(other.sum()));
      }
    };
  }

  @Property(tries = 200)
  void inPlaceChains_matchTheirOutOfPlaceTwins(@ForAll @IntRange(min = 1, max = 6) int steps,
      @ForAll @IntRange(min = 1, max = 3) int rows, @ForAll @IntRange(min = 1, max = 4) int cols,
      @ForAll boolean broadcastOther, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor x0 = randn(r, rows, cols);
    Tensor o0 = broadcastOther ? randn(r, cols) : randn(r, rows, cols);
    int[] kinds = new int[steps];
    double[] scalars = new double[steps];
    int[][] indices = new int[steps][];
    for (int i = 0; i < steps; i++) {
      kinds[i] = r.nextInt(10);
      scalars[i] = r.nextDouble() * 2 - 1;
      indices[i] = new int[] {r.nextInt(rows), r.nextInt(cols)};
    }
    double[][] values = new double[2][];
    double[][] gx = new double[2][];
    double[][] go = new double[2][];
    for (int mode = 0; mode < 2; mode++) {
      boolean inPlace = mode == 0;
      Tensor x = x0.cloneTensor().setRequiresGrad(true);
      Tensor o = o0.cloneTensor().setRequiresGrad(true);
      Tensor y = x.mul(1.5); // a computed tensor: in place is allowed on it
      for (int i = 0; i < steps; i++) {
        y = step(kinds[i], y, o, scalars[i], indices[i], inPlace);
      }
      Tensor loss = y.mul(y).sum().add(y.sum());
      loss.backward();
      values[mode] = y.detach().toDoubleArray();
      gx[mode] = x.grad() == null ? new double[x0.shapeArray()[0] * cols] : x.grad().toDoubleArray();
      go[mode] = o.grad() == null ? new double[(int) o0.numel()] : o.grad().toDoubleArray();
    }
    String what = "steps " + java.util.Arrays.toString(kinds);
    assertArrayEquals(values[1], values[0], 1e-12, what + ": values");
    assertArrayEquals(gx[1], gx[0], 1e-12, what + ": gradient of x");
    assertArrayEquals(go[1], go[0], 1e-12, what + ": gradient of the other operand");
    assertEquals(values[0].length, rows * cols);
  }
}
