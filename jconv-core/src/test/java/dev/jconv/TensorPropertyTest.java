package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Laws that hold for every shape, checked on random ones. */
class TensorPropertyTest {

  private static Tensor seq(int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = (i * 7919 % 101) - 50; // distinct-ish, exact in float
    }
    return Torch.fromFlat(d, shape);
  }

  @Property(tries = 200)
  void broadcastAdd_commutes_andMatchesExplicitExpand(@ForAll @IntRange(min = 1, max = 4) int a,
      @ForAll @IntRange(min = 1, max = 4) int b, @ForAll @IntRange(min = 1, max = 4) int c,
      @ForAll boolean oneA, @ForAll boolean oneC) {
    Tensor x = seq(oneA ? 1 : a, b, 1);
    Tensor y = seq(b, oneC ? 1 : c);
    Tensor s1 = x.add(y);
    Tensor s2 = y.add(x);
    assertTrue(s1.equal(s2));
    int[] shape = s1.shapeArray();
    Tensor ex = x.expand(shape).contiguous().add(y.expand(shape).contiguous());
    assertTrue(s1.equal(ex));
  }

  @Property(tries = 200)
  void reshapeAndTranspose_roundTrip(@ForAll @IntRange(min = 1, max = 5) int a,
      @ForAll @IntRange(min = 1, max = 5) int b, @ForAll @IntRange(min = 1, max = 5) int c) {
    Tensor x = seq(a, b, c);
    assertTrue(x.transpose(0, 2).transpose(0, 2).equal(x));
    assertTrue(x.reshape(-1).reshape(a, b, c).equal(x));
    Tensor p = x.permute(1, 2, 0);
    assertEquals(x.getDouble(a - 1, 0, c - 1), p.getDouble(0, c - 1, a - 1));
    assertTrue(p.contiguous().permute(2, 0, 1).equal(x));
  }

  @Property(tries = 200)
  void slice_matchesElementByElement(@ForAll @IntRange(min = 1, max = 9) int n,
      @ForAll @IntRange(min = -12, max = 12) int start, @ForAll @IntRange(min = -12, max = 12) int end,
      @ForAll @IntRange(min = 1, max = 4) int step) {
    Tensor x = seq(n);
    Tensor s = x.slice(0, start, end, step);
    // Python's slice semantics, spelled out.
    int st = Math.max(0, Math.min(start < 0 ? start + n : start, n));
    int en = Math.max(0, Math.min(end < 0 ? end + n : end, n));
    int k = 0;
    for (int i = st; i < en; i += step) {
      assertEquals(x.getDouble(i), s.getDouble(k++));
    }
    assertEquals(k, s.numel());
  }

  @Property(tries = 100)
  void sumOverEachDim_addsUpToTotal(@ForAll @IntRange(min = 1, max = 5) int a,
      @ForAll @IntRange(min = 1, max = 5) int b, @ForAll @IntRange(min = 1, max = 5) int c,
      @ForAll @IntRange(min = 0, max = 2) int dim) {
    Tensor x = seq(a, b, c);
    assertEquals(x.sum().item(), x.sum(dim).sum().item(), 1e-3);
    assertArrayEquals(x.sum(dim, true).shapeArray(), switch (dim) {
      case 0 -> new int[] {1, b, c};
      case 1 -> new int[] {a, 1, c};
      default -> new int[] {a, b, 1};
    });
  }
}
