package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
    assertTwins(x0, o0, "steps " + java.util.Arrays.toString(kinds), (x, o, inPlace) -> {
      Tensor y = x.mul(1.5); // a computed tensor: in place is allowed on it
      for (int i = 0; i < steps; i++) {
        y = step(kinds[i], y, o, scalars[i], indices[i], inPlace);
      }
      return new Tensor[] {y, y.mul(y).sum().add(y.sum())};
    });
  }

  /**
   * The steps as {@code chain} takes them in place and out of place, on copies of {@code x0} and
   * {@code o0} that require grad ({@code chain} returns the tensor to compare and the loss): the same
   * values, and the same gradients of both.
   */
  private static void assertTwins(Tensor x0, Tensor o0, String what, Chain chain) {
    double[][] values = new double[2][];
    double[][] gx = new double[2][];
    double[][] go = new double[2][];
    for (int mode = 0; mode < 2; mode++) {
      Tensor x = x0.cloneTensor().setRequiresGrad(true);
      Tensor o = o0.cloneTensor().setRequiresGrad(true);
      Tensor[] out = chain.run(x, o, mode == 0);
      out[1].backward();
      values[mode] = out[0].detach().toDoubleArray();
      gx[mode] = x.grad() == null ? new double[(int) x0.numel()] : x.grad().toDoubleArray();
      go[mode] = o.grad() == null ? new double[(int) o0.numel()] : o.grad().toDoubleArray();
    }
    assertArrayEquals(values[1], values[0], 1e-12, what + ": values");
    assertArrayEquals(gx[1], gx[0], 1e-12, what + ": gradient of x");
    assertArrayEquals(go[1], go[0], 1e-12, what + ": gradient of the other operand");
  }

  /** Steps on x and the other operand o, in place or not: the tensor to compare, and the loss. */
  private interface Chain {
    Tensor[] run(Tensor x, Tensor o, boolean inPlace);
  }

  /** View {@code kind} of a {@code rows x cols} tensor (the parameters drawn from {@code a}, {@code b}). */
  private static Tensor view(int kind, Tensor t, int a, int b) {
    int rows = t.size(0);
    int cols = t.size(1);
    return switch (kind) {
      case 0 -> t.slice(0, a % rows, a % rows + 1 + b % (rows - a % rows)); // rows [r0, r1)
      case 1 -> t.slice(1, a % cols, cols, 2); // every other column
      case 2 -> t.t().select(0, a % cols); // a column, through a transpose
      case 3 -> t.select(0, a % rows); // a row
      case 4 -> t.slice(0, a % rows, rows).slice(1, b % cols, cols); // a view of a view
      default -> t; // the base itself: its views take its new history
    };
  }

  /** Step {@code kind} on the view {@code v}, in place, or as a new tensor of the view's values after it. */
  private static Tensor viewStep(int kind, Tensor v, Tensor other, double s, boolean inPlace) {
    Tensor o = other.expand(v.shapeArray());
    return switch (kind) {
      case 0 -> inPlace ? v.addInPlace(o) : v.add(o);
      case 1 -> inPlace ? v.mulInPlace(o) : v.mul(o);
      case 2 -> inPlace ? v.divInPlace(o.abs().add(0.5)) : v.div(o.abs().add(0.5));
      case 3 -> inPlace ? v.addInPlace(s) : v.add(s);
      case 4 -> inPlace ? v.mulInPlace(s) : v.mul(s);
      case 5 -> inPlace ? v.fillInPlace(s) : v.mul(0.0).add(s);
      case 6 -> inPlace ? v.zeroInPlace() : v.mul(0.0);
      default -> inPlace ? v.copyInPlace(o) : o.mul(1.0);
    };
  }

  /**
   * In-place steps on views of a computed tensor (slices, a step, a transposed column, a row, a view
   * of a view, the base itself; arithmetic, fill, zero, copy), whose base's history is rewritten (CopySlices and
   * AsStridedBackward0), give the values and gradients of the same steps written out of place, each
   * view's new values set element by element into a new tensor (the element setter's node, which
   * golden cases check separately). The loss reads the base and the last view after the steps.
   */
  @Property(tries = 300)
  void inPlaceStepsOnViews_matchTheirOutOfPlaceTwins(@ForAll @IntRange(min = 1, max = 3) int steps,
      @ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 1, max = 5) int cols,
      @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    // In float64: the rewritten history may add a gradient's parts in another order than the twin's,
    // which float32 rounds differently (1 ulp); 1e-12 then still finds any real difference.
    Tensor x0 = randn(r, rows, cols).to(dev.jconv.DType.FLOAT64);
    Tensor o0 = randn(r, 1).to(dev.jconv.DType.FLOAT64);
    int[] views = new int[steps];
    int[] kinds = new int[steps];
    int[][] params = new int[steps][];
    double[] scalars = new double[steps];
    for (int i = 0; i < steps; i++) {
      views[i] = r.nextInt(6);
      kinds[i] = r.nextInt(8);
      params[i] = new int[] {r.nextInt(16), r.nextInt(16)};
      scalars[i] = r.nextDouble() * 2 - 1;
    }
    // Element j of a view is element positions[j] of the base (row-major): the view of 0, 1, 2, ...
    Tensor numbers = Torch.arange(rows * cols).to(dev.jconv.DType.FLOAT64).reshape(rows, cols);
    String what = "views " + java.util.Arrays.toString(views) + ", steps " + java.util.Arrays.toString(kinds);
    assertTwins(x0, o0, what, (x, o, inPlace) -> {
      Tensor base = x.mul(1.5);
      Tensor last = null;
      for (int i = 0; i < steps; i++) {
        Tensor v = view(views[i], base, params[i][0], params[i][1]);
        Tensor after = viewStep(kinds[i], v, o, scalars[i], inPlace);
        if (!inPlace) {
          double[] positions = view(views[i], numbers, params[i][0], params[i][1]).contiguous().toDoubleArray();
          Tensor flat = after.reshape(-1);
          base = base.mul(1.0);
          for (int j = 0; j < positions.length; j++) {
            int p = (int) positions[j];
            base.set(flat.select(0, j), p / cols, p % cols);
          }
        }
        last = after;
      }
      return new Tensor[] {base, base.mul(base).sum().add(last.mul(last.add(1.0)).sum())};
    });
  }
}
