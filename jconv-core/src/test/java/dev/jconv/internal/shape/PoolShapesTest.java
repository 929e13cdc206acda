package dev.jconv.internal.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Pooling shape arithmetic: the design notes' examples, and laws over generated arguments. */
class PoolShapesTest {

  @Test
  void outputSize_ceilModeExamplesFromTheDesignNotes() {
    assertEquals(3, PoolShapes.outputSize(5, 2, 1, 2, 1, true)); // not 4: the 4th would start in the right padding
    assertEquals(2, PoolShapes.outputSize(4, 1, 0, 2, 1, true));
    assertEquals(2, PoolShapes.outputSize(3, 2, 1, 2, 1, true));
    assertEquals(3, PoolShapes.outputSize(5, 2, 0, 2, 1, true));
    assertEquals(2, PoolShapes.outputSize(5, 2, 0, 2, 1, false));
    assertEquals(56, PoolShapes.outputSize(112, 3, 1, 2, 1, false)); // ResNet's stem pool
    assertEquals(-193, PoolShapes.outputSize(5, 3, 1, 1, 100, false));
  }

  @Test
  void outputSize_hugeArguments_doNotOverflow() {
    int max = Integer.MAX_VALUE;
    assertEquals(1, PoolShapes.outputSize(max, max, 0, 1, 1, false));
    assertEquals(max, PoolShapes.outputSize(max, 1, 0, 1, 1, true));
    assertTrue(PoolShapes.outputSize(5, max, 0, 1, max, false) < 0);
    // L = 2147483645, s = 1073741823: ceil(L/s) + 1 = 4, and the 4th window would start past in + p
    assertEquals(3, PoolShapes.outputSize(max, max / 2 + 1, max / 4, max / 2, 1, true));
  }

  @Test
  void adaptiveBins_examples() {
    // 5 -> 3: [0,2) [1,4) [3,5)
    assertEquals(0, PoolShapes.adaptiveStart(0, 3, 5));
    assertEquals(2, PoolShapes.adaptiveEnd(0, 3, 5));
    assertEquals(1, PoolShapes.adaptiveStart(1, 3, 5));
    assertEquals(4, PoolShapes.adaptiveEnd(1, 3, 5));
    assertEquals(3, PoolShapes.adaptiveStart(2, 3, 5));
    assertEquals(5, PoolShapes.adaptiveEnd(2, 3, 5));
    // 3 -> 5 (larger than the input): bins of one or two elements
    assertEquals(0, PoolShapes.adaptiveStart(1, 5, 3));
    assertEquals(2, PoolShapes.adaptiveEnd(1, 5, 3));
  }

  @Test
  void unpoolDefaultSize_examples() {
    assertEquals(4, PoolShapes.unpoolDefaultSize(2, 2, 2, 0));
    assertEquals(7, PoolShapes.unpoolDefaultSize(4, 3, 2, 1));
    assertEquals(-4, PoolShapes.unpoolDefaultSize(2, 1, 1, 3));
  }

  /**
   * The output size counts windows one by one. Floor mode: every window that fits in the padded
   * input. Ceil mode (ATen): windows are added as long as the one a stride earlier (for the first,
   * a virtual one) ends before the last padded element, so the last may overhang, even when the
   * kernel is larger than the input; then the last is dropped if it starts at or past
   * {@code in + p}.
   */
  @Property(tries = 2000)
  void outputSize_countsTheWindows(
      @ForAll @IntRange(min = 1, max = 60) int in,
      @ForAll @IntRange(min = 1, max = 9) int k,
      @ForAll @IntRange(min = 0, max = 4) int pad,
      @ForAll @IntRange(min = 1, max = 7) int s,
      @ForAll @IntRange(min = 1, max = 4) int d,
      @ForAll boolean ceil) {
    int p = Math.min(pad, k / 2);
    long span = (long) d * (k - 1) + 1;
    long padded = in + 2L * p;
    long count = 0;
    if (ceil) {
      while ((count - 1) * s + span < padded) {
        count++;
      }
      if (count > 0 && (count - 1) * s - p >= in) {
        count--;
      }
    } else {
      while (count * s + span <= padded) {
        count++;
      }
    }
    long actual = PoolShapes.outputSize(in, k, p, s, d, ceil);
    if (count == 0) {
      assertTrue(actual < 1, "expected no window, got " + actual);
    } else {
      assertEquals(count, actual);
    }
  }

  /** Bins match floor/ceil of the exact quotients, start at 0, end at the size, overlap or touch, never empty. */
  @Property(tries = 2000)
  void adaptiveBins_coverTheInput(
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int in,
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int out,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int iRaw) {
    int i = iRaw % out;
    BigInteger bi = BigInteger.valueOf(i);
    BigInteger bin = BigInteger.valueOf(in);
    BigInteger bout = BigInteger.valueOf(out);
    BigInteger[] floor = bi.multiply(bin).divideAndRemainder(bout);
    BigInteger[] ceil = bi.add(BigInteger.ONE).multiply(bin).divideAndRemainder(bout);
    long start = PoolShapes.adaptiveStart(i, out, in);
    long end = PoolShapes.adaptiveEnd(i, out, in);
    assertEquals(floor[0].longValueExact(), start);
    assertEquals(ceil[0].longValueExact() + (ceil[1].signum() != 0 ? 1 : 0), end);
    assertTrue(end > start);
    assertEquals(0, PoolShapes.adaptiveStart(0, out, in));
    assertEquals(in, PoolShapes.adaptiveEnd(out - 1, out, in));
    if (i + 1 < out) {
      assertTrue(PoolShapes.adaptiveStart(i + 1, out, in) <= end);
    }
  }
}
