package dev.jconv.internal.shape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.shape.ConvShapes.PadMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ConvShapesTest {

  @Test
  void outputSize_knownCases() {
    assertEquals(10, ConvShapes.outputSize(12, 0, 0, 3, 1, 1));     // the seed example
    assertEquals(28, ConvShapes.outputSize(28, 2, 2, 5, 1, 1));     // LeNet conv1
    assertEquals(112, ConvShapes.outputSize(224, 3, 3, 7, 2, 1));   // ResNet stem
    assertEquals(56, ConvShapes.outputSize(56, 2, 2, 3, 1, 2));     // dilated 3x3, padding 2
    assertEquals(1, ConvShapes.outputSize(3, 1, 1, 5, 1, 1));       // kernel = padded input
    assertEquals(0, ConvShapes.outputSize(2, 0, 0, 3, 1, 1));       // kernel too large
    assertTrue(ConvShapes.outputSize(2, 0, 0, 5, 3, 1) <= 0, "floor, not truncation, of a negative span");
  }

  @Test
  void outputSize_noOverflowNearIntLimits() {
    long in = Integer.MAX_VALUE;
    assertEquals(in + 2L * in - 2, ConvShapes.outputSize(in, in, in, 3, 1, 1));
    assertEquals(1, ConvShapes.outputSize(in, 0, 0, in, 1, 1));
  }

  @Property(tries = 300)
  void outputSize_countsTheWindowsThatFit(@ForAll @IntRange(min = 0, max = 20) int in,
      @ForAll @IntRange(min = 0, max = 4) int before, @ForAll @IntRange(min = 0, max = 4) int after,
      @ForAll @IntRange(min = 1, max = 6) int k, @ForAll @IntRange(min = 1, max = 4) int s,
      @ForAll @IntRange(min = 1, max = 3) int d) {
    // Count window starts 0, s, 2s, ... whose last tap, start + d(k-1), lies in the padded input.
    int padded = in + before + after;
    int windows = 0;
    for (int start = 0; start + d * (k - 1) < padded; start += s) {
      windows++;
    }
    long out = ConvShapes.outputSize(in, before, after, k, s, d);
    assertEquals(windows, Math.max(0, out));
  }

  @Property(tries = 200)
  void samePadding_keepsTheSize_extraAfter(@ForAll @IntRange(min = 1, max = 30) int in,
      @ForAll @IntRange(min = 1, max = 8) int k, @ForAll @IntRange(min = 1, max = 4) int d) {
    long[] p = ConvShapes.samePadding(k, d);
    assertEquals(d * (k - 1), p[0] + p[1]);
    assertTrue(p[1] == p[0] || p[1] == p[0] + 1, "extra padding goes after (bottom/right)");
    assertEquals(in, ConvShapes.outputSize(in, p[0], p[1], k, 1, d));
  }

  @Test
  void samePadding_evenKernel_putsExtraAtTheEnd() {
    assertArrayEquals(new long[] {0, 1}, ConvShapes.samePadding(2, 1));
    assertArrayEquals(new long[] {1, 2}, ConvShapes.samePadding(4, 1));
    assertArrayEquals(new long[] {1, 2}, ConvShapes.samePadding(2, 3));
    assertArrayEquals(new long[] {2, 2}, ConvShapes.samePadding(3, 2));
  }

  @Test
  void modePadding_limits() {
    ConvShapes.checkModePadding(PadMode.REFLECT, 3, 2, 2, 3, 4, 4);
    IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
        () -> ConvShapes.checkModePadding(PadMode.REFLECT, 3, 3, 3, 3, 4, 4));
    assertEquals("Argument #4: Padding size should be less than the corresponding input dimension, but got: "
        + "padding (3, 3) at dimension 3 of input 4", r.getMessage());
    ConvShapes.checkModePadding(PadMode.CIRCULAR, 3, 3, 3, 3, 4, 4);
    IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
        () -> ConvShapes.checkModePadding(PadMode.CIRCULAR, 3, 0, 4, 2, 4, 6));
    assertEquals("Padding value causes wrapping around more than once.", c.getMessage());
    ConvShapes.checkModePadding(PadMode.REPLICATE, 1, 1000, 1000, 2, 4, 6);
  }
}
