package dev.jconv.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.AdaptiveAvgPool2dOptions;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.IntPair;
import dev.jconv.nn.LPPool2d;
import dev.jconv.nn.LPPool2dOptions;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.MaxUnpool2dOptions;
import org.junit.jupiter.api.Test;

/**
 * The pooling API as a user meets it: the "Dive into Deep Learning" pooling section line by line
 * (expected values as printed in the book's PyTorch notebook), the Javadoc examples, views, and
 * the refusals that golden files cannot express (sizes past jconv's element limit, nulls).
 */
class PoolApiTest {

  private static Tensor arange4x4() {
    return Torch.arange(16, DType.FLOAT32).reshape(1, 1, 4, 4);
  }

  @Test
  void book_pool2dOnA3x3Matrix() {
    // pool2d(X, (2, 2)) and pool2d(X, (2, 2), 'avg') with stride 1 on [[0,1,2],[3,4,5],[6,7,8]]
    Tensor x = Torch.arange(9, DType.FLOAT32).reshape(1, 3, 3);
    assertArrayEquals(new float[] {4, 5, 7, 8}, F.maxPool2d(x, 2, 1).toFloatArray());
    assertArrayEquals(new float[] {2, 3, 5, 6}, F.avgPool2d(x, 2, 1).toFloatArray());
  }

  @Test
  void book_paddingAndStride() {
    Tensor x = arange4x4();
    Tensor a = new MaxPool2d(3).forward(x);
    assertArrayEquals(new int[] {1, 1, 1, 1}, a.shapeArray());
    assertArrayEquals(new float[] {10}, a.toFloatArray());
    Tensor b = new MaxPool2d(MaxPool2dOptions.of(3).padding(1).stride(2)).forward(x);
    assertArrayEquals(new float[] {5, 7, 13, 15}, b.toFloatArray());
    Tensor c = new MaxPool2d(MaxPool2dOptions.of(2, 3).stride(2, 3).padding(0, 1)).forward(x);
    assertArrayEquals(new int[] {1, 1, 2, 2}, c.shapeArray());
    assertArrayEquals(new float[] {5, 7, 13, 15}, c.toFloatArray());
  }

  @Test
  void book_multipleChannels() {
    Tensor x = arange4x4();
    Tensor xx = Torch.cat(1, x, x.add(1.0));
    Tensor y = new MaxPool2d(MaxPool2dOptions.of(3).padding(1).stride(2)).forward(xx);
    assertArrayEquals(new int[] {1, 2, 2, 2}, y.shapeArray());
    assertArrayEquals(new float[] {5, 7, 13, 15, 6, 8, 14, 16}, y.toFloatArray());
  }

  @Test
  void book_globalAveragePooling() {
    // NiN / ResNet heads: nn.AdaptiveAvgPool2d((1, 1)) then flatten
    Tensor x = Torch.arange(2 * 3 * 4 * 4, DType.FLOAT32).reshape(2, 3, 4, 4);
    Tensor y = F.globalAvgPool2d(x);
    assertArrayEquals(new int[] {2, 3, 1, 1}, y.shapeArray());
    // plane i holds 16i .. 16i+15, whose mean is 16i + 7.5
    assertArrayEquals(new float[] {7.5f, 23.5f, 39.5f, 55.5f, 71.5f, 87.5f}, y.toFloatArray());
    assertArrayEquals(y.toFloatArray(), F.adaptiveAvgPool2d(x, AdaptiveAvgPool2dOptions.of(1, 1)).toFloatArray());
  }

  @Test
  void javadocExamples() {
    Tensor x = arange4x4();
    assertArrayEquals(new float[] {5, 7, 13, 15}, F.maxPool2d(x, 2).toFloatArray());
    assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, F.avgPool2d(x, 2).toFloatArray());
    assertEquals("MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)",
        new MaxPool2d(MaxPool2dOptions.of(3).stride(2).padding(1)).toString());
    assertArrayEquals(new int[] {8, 2048, 1, 1}, F.globalAvgPool2d(Torch.ones(8, 2048, 7, 7)).shapeArray());
    Tensor.ValuesIndices r = F.maxPool2dWithIndices(x, MaxPool2dOptions.of(2));
    assertArrayEquals(new long[] {5, 7, 13, 15}, r.indices().toLongArray());
    Tensor back = F.maxUnpool2d(r.values(), r.indices(), MaxUnpool2dOptions.of(2));
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 5, 0, 7, 0, 0, 0, 0, 0, 13, 0, 15}, back.toFloatArray());
  }

  @Test
  void views_arePooledAsTheirElements_andInputsAreNotModified() {
    Tensor x = Torch.arange(2 * 5 * 6, DType.FLOAT32).reshape(2, 5, 6);
    Tensor t = x.transpose(1, 2); // (2, 6, 5), not contiguous
    Tensor viaView = F.maxPool2d(t, MaxPool2dOptions.of(2).ceilMode(true));
    Tensor viaCopy = F.maxPool2d(t.contiguous(), MaxPool2dOptions.of(2).ceilMode(true));
    assertArrayEquals(viaCopy.toFloatArray(), viaView.toFloatArray());
    assertArrayEquals(viaCopy.shapeArray(), viaView.shapeArray());
    assertArrayEquals(F.avgPool2d(t.contiguous(), 3, 1, 1).toFloatArray(), F.avgPool2d(t, 3, 1, 1).toFloatArray());
    float[] before = x.toFloatArray();
    F.lpPool2d(x, 2, 2);
    F.adaptiveMaxPool2d(x, 3);
    assertArrayEquals(before, x.toFloatArray());
  }

  @Test
  void avgPool2d_int64_truncatesTowardZero() {
    // (-7 - 1 - 1 - 1) / 4 = -2.5 -> -2 (C++ division), not -3 (floor)
    Tensor x = Torch.fromFlat(new long[] {-7, -1, -1, -1}, 1, 2, 2);
    Tensor y = F.avgPool2d(x, 2);
    assertEquals(DType.INT64, y.dtype());
    assertArrayEquals(new long[] {-2}, y.toLongArray());
  }

  @Test
  void adaptiveAvgPool2d_outputPastTheElementLimit_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.adaptiveAvgPool2d(Torch.zeros(1, 1, 2, 2), 50_000));
    assertTrue(e.getMessage().contains("2500000000") && e.getMessage().contains("2^31-1"), e.getMessage());
  }

  @Test
  void maxUnpool2d_defaultSizePastTheElementLimit_throws() {
    Tensor v = Torch.zeros(1, 1, 100, 100);
    Tensor i = Torch.zeros(DType.INT64, 1, 1, 100, 100);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.maxUnpool2d(v, i, MaxUnpool2dOptions.of(1).stride(100_000)));
    assertTrue(e.getMessage().contains("2^31-1"), e.getMessage());
  }

  @Test
  void maxUnpool2d_emptyBatchWithASizePastInt_throws() {
    Tensor v = Torch.zeros(0, 1, 3, 3);
    Tensor i = Torch.zeros(DType.INT64, 0, 1, 3, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.maxUnpool2d(v, i, MaxUnpool2dOptions.of(1).stride(Integer.MAX_VALUE)));
    assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
  }

  @Test
  void maxUnpool2d_zeroKernel_givesAnEmptyMapAsPyTorchDoes() {
    Tensor v = Torch.ones(1, 2, 2, 2);
    Tensor i = Torch.zeros(DType.INT64, 1, 2, 2, 2);
    assertArrayEquals(new int[] {1, 2, 0, 0}, F.maxUnpool2d(v, i, MaxUnpool2dOptions.of(0)).shapeArray());
  }

  @Test
  void nullArguments_throw() {
    Tensor x = arange4x4();
    assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(null, 2));
    assertThrows(IllegalArgumentException.class, () -> F.avgPool2d(x, (AvgPool2dOptions) null));
    assertThrows(IllegalArgumentException.class, () -> F.maxUnpool2d(x, null, 2));
    assertThrows(IllegalArgumentException.class, () -> MaxPool2dOptions.of(2).stride((IntPair) null));
    assertThrows(IllegalArgumentException.class, () -> new IntPair(2, 3, true));
  }

  @Test
  void lpPool2d_printsNormsAsPython() {
    assertEquals("LPPool2d(norm_type=inf, kernel_size=2, stride=None, ceil_mode=False)",
        new LPPool2d(LPPool2dOptions.of(Double.POSITIVE_INFINITY, 2)).toString());
    assertEquals("LPPool2d(norm_type=0.5, kernel_size=(1, 2), stride=(2, 1), ceil_mode=True)",
        new LPPool2d(LPPool2dOptions.of(0.5, 1, 2).stride(2, 1).ceilMode(true)).toString());
  }

  @Test
  void options_areCheckedAtTheCall_asInPyTorch() {
    // A record built wither by wither passes through invalid states; PyTorch checks at the call.
    MaxPool2dOptions o = MaxPool2dOptions.of(2, 0).stride(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(arange4x4(), o));
    assertEquals("kernel size should be greater than zero, but got kH: 2 kW: 0", e.getMessage());
    IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
        () -> new MaxPool2d(MaxPool2dOptions.of(2, 0)).forward(arange4x4()));
    assertEquals("stride should not be zero", d.getMessage());
  }
}
