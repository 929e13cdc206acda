package dev.jconv.internal.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Accuracy of the scalar port of PyTorch's AVX2 {@code log}/{@code sincos} over the inputs the
 * normal kernel can give them. That its bits are PyTorch's is checked by the golden randn tests;
 * here a slip in a constant or a branch (which would still pass on some inputs) shows as an error
 * far beyond the cephes polynomials' own.
 */
class CephesAvx2Test {

  @Test
  void log_everyKernelInput_withinTwoUlpsOfExact() {
    // u1 = 1 - k 2^-24 for k in [0, 2^24): every value the kernel passes, sampled with stride 5
    for (int k = 0; k < (1 << 24); k += 5) {
      float x = 1.0f - k * 0x1.0p-24f;
      double exact = Math.log(x);
      float got = CephesAvx2.log(x);
      assertTrue(Math.abs(got - exact) <= 2 * Math.ulp((float) exact) + 1e-30,
          "log(" + x + ") = " + got + ", exact " + exact);
    }
    assertEquals(0.0f, CephesAvx2.log(1.0f), 0.0f);
  }

  @Test
  void sincos_everyKernelAngle_withinCephesAccuracy() {
    for (int k = 0; k < (1 << 24); k += 7) {
      float theta = CephesAvx2.TWO_PI * (k * 0x1.0p-24f);
      long sc = CephesAvx2.sincos(theta);
      assertEquals(Math.sin(theta), CephesAvx2.sinOf(sc), 2.5e-7, "sin " + theta);
      assertEquals(Math.cos(theta), CephesAvx2.cosOf(sc), 2.5e-7, "cos " + theta);
    }
  }

  @Test
  void sincos_negativeAngle_isOddInSineEvenInCosine() {
    for (float x : new float[] {0.1f, 1.0f, 2.5f, 4.0f, 6.0f}) {
      long p = CephesAvx2.sincos(x);
      long n = CephesAvx2.sincos(-x);
      assertEquals(-CephesAvx2.sinOf(p), CephesAvx2.sinOf(n), 0.0f);
      assertEquals(CephesAvx2.cosOf(p), CephesAvx2.cosOf(n), 0.0f);
    }
  }
}
