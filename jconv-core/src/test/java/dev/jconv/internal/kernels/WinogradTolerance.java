package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The tests' comparison of a Winograd result with the definition: NaN where the reference has NaN,
 * the same infinity where it has one, else within {@code 1e-4 (1 + |e|) + spread * largest}, where
 * {@code largest} is the largest finite reference value. Winograd's rounding error scales with the
 * transformed tiles, so with the whole result's size: an element that nearly cancels gets the error
 * of a large one, hence the second term.
 */
final class WinogradTolerance {
  private WinogradTolerance() {}

  static void assertClose(double[] ref, float[] got, double spread, String what) {
    double largest = 0;
    for (double v : ref) {
      largest = Double.isFinite(v) ? Math.max(largest, Math.abs(v)) : largest;
    }
    for (int i = 0; i < ref.length; i++) {
      double e = ref[i];
      float g = got[i];
      boolean ok = Double.isNaN(e) ? Float.isNaN(g)
          : Double.isInfinite(e) ? e == g : Math.abs(g - e) <= 1e-4 * (1 + Math.abs(e)) + spread * largest;
      if (!ok) {
        fail(what + " [" + i + "] is " + g + ", expected " + e);
      }
    }
  }

  static void assertClose(float[] ref, float[] got, double spread, String what) {
    double[] wide = new double[ref.length];
    for (int i = 0; i < ref.length; i++) {
      wide[i] = ref[i];
    }
    assertClose(wide, got, spread, what);
  }
}
