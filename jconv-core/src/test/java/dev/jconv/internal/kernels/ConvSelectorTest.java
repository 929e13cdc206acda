package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConvSelectorTest {

  // n, cin, h, w, cout, groups, kh, kw, sh, sw, top, left, bottom, right, dh, dw
  private static final ConvParams TINY = ConvAlgorithmsTest.params(new int[] {1, 1, 3, 3, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1});
  private static final ConvParams SEED = ConvAlgorithmsTest.params(new int[] {4, 3, 12, 12, 64, 1, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1});
  private static final ConvParams POINTWISE = ConvAlgorithmsTest.params(new int[] {8, 64, 56, 56, 256, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1});
  private static final ConvParams RES3X3_28 = ConvAlgorithmsTest.params(new int[] {8, 128, 28, 28, 128, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1});
  private static final ConvParams RES3X3_S2 = ConvAlgorithmsTest.params(new int[] {8, 128, 56, 56, 128, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1});
  private static final ConvParams DW3X3_112 = ConvAlgorithmsTest.params(new int[] {8, 32, 112, 112, 32, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1});
  private static final ConvParams LENET2 = ConvAlgorithmsTest.params(new int[] {256, 6, 14, 14, 16, 1, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1});
  private static final ConvParams DILATED = ConvAlgorithmsTest.params(new int[] {8, 64, 56, 56, 64, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2});
  private static final ConvParams LENET1 = ConvAlgorithmsTest.params(new int[] {256, 1, 28, 28, 6, 1, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1});
  private static final ConvParams RES_STEM = ConvAlgorithmsTest.params(new int[] {8, 3, 224, 224, 64, 1, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1});
  private static final ConvParams STRIDED_1X1 = ConvAlgorithmsTest.params(new int[] {8, 64, 56, 56, 128, 1, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1});

  @AfterEach
  void clearProperty() {
    System.clearProperty(ConvSelector.PROPERTY);
  }

  @Test
  void select_picksByProblem() {
    assertEquals(ConvAlgorithm.REFERENCE, ConvSelector.select(TINY));
    assertEquals(ConvAlgorithm.DIRECT_CHANNELS, ConvSelector.select(SEED));
    assertEquals(ConvAlgorithm.IMAGE_LANES, ConvSelector.select(LENET2));
    assertEquals(ConvAlgorithm.IMAGE_LANES, ConvSelector.select(LENET1));
    assertEquals(ConvAlgorithm.DIRECT_CHANNELS, ConvSelector.select(RES_STEM));
    assertEquals(ConvAlgorithm.POINTWISE_GEMM, ConvSelector.select(POINTWISE));
    assertEquals(ConvAlgorithm.IM2COL_GEMM, ConvSelector.select(STRIDED_1X1));
    assertEquals(ConvAlgorithm.WINOGRAD, ConvSelector.select(RES3X3_28));
    assertEquals(ConvAlgorithm.DEPTHWISE, ConvSelector.select(DW3X3_112));
    assertEquals(ConvAlgorithm.DILATED_WINOGRAD, ConvSelector.select(DILATED));
    assertEquals(ConvAlgorithm.DIRECT_CHANNELS, ConvSelector.select(RES3X3_S2));
    // 3x3 stride 1 but only 3 input channels: a direct kernel, not Winograd.
    assertTrue(ConvAlgorithm.WINOGRAD.supports(SEED));
    assertTrue(TINY.flops() < ConvSelector.TINY_FLOPS && SEED.flops() >= ConvSelector.TINY_FLOPS);
  }

  @Test
  void select_systemPropertyForcesAChoice() {
    System.setProperty(ConvSelector.PROPERTY, "reference");
    assertEquals(ConvAlgorithm.REFERENCE, ConvSelector.select(SEED));
    assertEquals(ConvAlgorithm.REFERENCE, ConvSelector.select(POINTWISE));
    System.setProperty(ConvSelector.PROPERTY, "IM2COL_GEMM");
    assertEquals(ConvAlgorithm.IM2COL_GEMM, ConvSelector.select(TINY));
    assertEquals(ConvAlgorithm.IM2COL_GEMM, ConvSelector.select(POINTWISE));
  }

  @Test
  void select_forcedAlgorithmThatCannotRun_isIgnoredForThatProblem() {
    System.setProperty(ConvSelector.PROPERTY, "POINTWISE_GEMM");
    assertEquals(ConvAlgorithm.POINTWISE_GEMM, ConvSelector.select(POINTWISE));
    assertEquals(ConvAlgorithm.DIRECT_CHANNELS, ConvSelector.select(SEED));
  }

  @Test
  void forced_unknownName_throwsListingTheChoices() {
    assertNull(ConvSelector.forced());
    System.setProperty(ConvSelector.PROPERTY, "fft");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvSelector.select(SEED));
    assertTrue(e.getMessage().contains("REFERENCE") && e.getMessage().contains("fft"), e.getMessage());
  }
}
