package dev.jconv;

import static dev.jconv.Torch.arange;
import static dev.jconv.Torch.cat;
import static dev.jconv.Torch.fromFlat;
import static dev.jconv.Torch.ones;
import static dev.jconv.Torch.stack;
import static dev.jconv.Torch.tensor;
import static dev.jconv.Torch.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void tensor_fromNestedArrays_infersDtypeAndShape() {
    Tensor i = tensor(new int[][] {{0, 1, 2}, {3, 4, 5}});
    assertEquals(DType.INT64, i.dtype());
    assertEquals(Size.of(2, 3), i.shape());
    assertEquals(5L, i.getLong(1, 2));
    Tensor f = tensor(new double[][][] {{{1.5}}, {{2.5}}});
    assertEquals(DType.FLOAT32, f.dtype());
    assertEquals(Size.of(2, 1, 1), f.shape());
    Tensor l = tensor(new long[][][][] {{{{7L, 8L}}}});
    assertEquals(DType.INT64, l.dtype());
    assertEquals(4, l.dim());
    Tensor b = tensor(new boolean[] {true, false});
    assertEquals(DType.BOOL, b.dtype());
    assertTrue(b.getBoolean(0));
    Tensor d = tensor(new double[] {0.1}, DType.FLOAT64);
    assertEquals(0.1, d.getDouble(0));
    assertEquals(DType.FLOAT32, tensor(new float[] {1f}).dtype());
  }

  @Test
  void tensor_raggedArray_throws() {
    var e = assertThrows(IllegalArgumentException.class, () -> tensor(new double[][] {{1, 2}, {3}}));
    assertEquals("expected sequence of length 2 at dim 1 (got 1)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> tensor("not an array"));
  }

  @Test
  void shape_tooManyElements_throwsInsteadOfOverflowing() {
    var e = assertThrows(IllegalArgumentException.class, () -> zeros(65536, 65536));
    assertTrue(e.getMessage().contains("4294967296"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ones(46341, 46341));
    assertThrows(IllegalArgumentException.class, () -> ones(2, 3).expand(1 << 16, 1 << 15, 3));
    assertThrows(IllegalArgumentException.class, () -> fromFlat(new float[6], 2, 4));
  }

  @Test
  void slice_isAViewThatWritesThrough() {
    Tensor X = ones(6, 8);
    X.slice(1, 2, 6).fillInPlace(0); // X[:, 2:6] = 0
    assertEquals(0.0, X.getDouble(3, 2));
    assertEquals(1.0, X.getDouble(3, 6));
    assertEquals(6 * 4.0, X.sum().item());
  }

  @Test
  void setAndItem_d2lCorr2dLoop() {
    Tensor X = tensor(new double[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
    Tensor K = tensor(new double[][] {{0, 1}, {2, 3}});
    Tensor Y = zeros(2, 2);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        Y.set(X.slice(0, i, i + 2).slice(1, j, j + 2).mul(K).sum(), i, j);
      }
    }
    assertEquals("tensor([[19., 25.],\n        [37., 43.]])", Y.toString());
  }

  @Test
  void transpose_sharesStorage_andContiguousCopies() {
    Tensor a = arange(6).reshape(2, 3);
    Tensor t = a.t();
    assertFalse(t.isContiguous());
    assertEquals(Size.of(3, 2), t.shape());
    t.set(100L, 2, 1);
    assertEquals(100L, a.getLong(1, 2));
    Tensor c = t.contiguous();
    assertTrue(c.isContiguous());
    c.set(-1L, 0, 0);
    assertEquals(0L, a.getLong(0, 0));
  }

  @Test
  void reshape_ofNonContiguous_copies_viewRefuses() {
    Tensor a = arange(6).reshape(2, 3).t();
    assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, a.reshape(6).toLongArray());
    assertThrows(IllegalArgumentException.class, () -> a.view(6));
    assertEquals(Size.of(3, 2), a.view(3, 2).shape());
  }

  @Test
  void inPlaceOps_modifyThis_andReturnIt() {
    Tensor a = ones(2, 2);
    assertTrue(a == a.addInPlace(ones(2)));
    assertEquals(8.0, a.sum().item());
    a.mulInPlace(0.5).subInPlace(1.0);
    assertEquals(0.0, a.sum().item());
    a.addInPlace(fromFlat(new float[] {1, 2}, 2), 2.0);
    assertEquals(2.0 * (2 + 4), a.sum().item());
    assertThrows(IllegalArgumentException.class, () -> ones(2).addInPlace(ones(2, 2)));
  }

  @Test
  void toArray_nestsByRank() {
    float[][] m = (float[][]) arange(6, DType.FLOAT32).reshape(2, 3).toArray();
    assertArrayEquals(new float[] {3, 4, 5}, m[1]);
    long[][][] l = (long[][][]) arange(8).reshape(2, 2, 2).toArray();
    assertEquals(7L, l[1][1][1]);
    assertEquals(3.5f, Torch.scalarTensor(3.5).toArray());
  }

  @Test
  void catAndStack_d2lMultiChannel() {
    Tensor K = tensor(new double[][] {{0, 1}, {2, 3}});
    Tensor S = stack(0, K, K.add(1), K.add(2));
    assertEquals(Size.of(3, 2, 2), S.shape());
    assertEquals(5.0, S.getDouble(2, 1, 1));
    Tensor X = arange(16, DType.FLOAT32).reshape(1, 1, 4, 4);
    Tensor C = cat(List.of(X, X.add(1)), 1);
    assertEquals(Size.of(1, 2, 4, 4), C.shape());
    assertEquals(16.0, C.getDouble(0, 1, 3, 3));
  }

  @Test
  void matmul_oneByOneConvAsMatrixProduct() {
    Tensor K = arange(6, DType.FLOAT32).reshape(2, 3);
    Tensor X = arange(12, DType.FLOAT32).reshape(3, 4);
    Tensor Y = K.matmul(X);
    assertEquals(Size.of(2, 4), Y.shape());
    // Row 1 of K is [3, 4, 5]; column 0 of X is [0, 4, 8].
    assertEquals(3 * 0 + 4 * 4 + 5 * 8, Y.getDouble(1, 0));
  }

  @Test
  void maxAndMin_nanPropagates() {
    Tensor t = tensor(new double[] {1, Double.NaN, 3});
    assertTrue(Double.isNaN(t.max().item()));
    assertTrue(Double.isNaN(t.min().item()));
    assertEquals(1L, t.argmax(0).itemLong());
    assertThrows(IllegalArgumentException.class, () -> zeros(0).max());
  }

  @Test
  void allclose_respectsTolerances() {
    Tensor a = tensor(new double[] {1.0, 2.0});
    assertTrue(a.allclose(a.add(1e-9)));
    assertFalse(a.allclose(a.add(1e-3)));
    assertTrue(a.allclose(a.add(1e-3), 1e-2, 0, false));
    Tensor n = tensor(new double[] {Double.NaN});
    assertFalse(n.allclose(n));
    assertTrue(n.allclose(n, 0, 0, true));
  }

  @Test
  void requiresGrad_onlyForFloatingPoint_andPrinted() {
    Tensor w = ones(2).setRequiresGrad(true);
    assertEquals("tensor([1., 1.], requires_grad=True)", w.toString());
    assertThrows(IllegalArgumentException.class, () -> arange(3).setRequiresGrad(true));
  }

  @Test
  void negativeIndices_countFromTheEnd() {
    Tensor a = arange(10);
    assertEquals(9L, a.getLong(-1));
    assertArrayEquals(new long[] {7, 8, 9}, a.slice(0, -3, 100).toLongArray());
    assertArrayEquals(new long[] {0, 3, 6, 9}, a.slice(0, 0, 10, 3).toLongArray());
    assertThrows(IllegalArgumentException.class, () -> a.getLong(10));
  }

  @Test
  void intDivision_givesFloat_andIntScalarKeepsInt() {
    Tensor a = tensor(new int[] {1, 2, 3});
    assertEquals(DType.FLOAT32, a.div(2).dtype());
    assertEquals(DType.INT64, a.add(1).dtype());
    assertEquals(DType.FLOAT32, a.add(1.5).dtype());
    assertEquals("tensor([0.5000, 1.0000, 1.5000])", a.div(2).toString());
  }

  @Test
  void sizeOfADimension_ofAZeroDimTensor_isRefusedWithPyTorchsWords() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Torch.scalarTensor(1.0).size(0));
    assertEquals("Dimension specified as 0 but tensor has no dimensions", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Torch.scalarTensor(1.0).size(-1));
  }

  @Test
  void emptyViews_whoseOffsetLiesPastTheirStorage_workLikeAnyEmptyTensor() {
    // [0, 4, 1] transposed to [4, 0, 1] (strides 1, 4, 1): row 1 starts at offset 1 of an empty storage.
    Tensor e = Torch.randn(0, 4, 1).transpose(0, 1).select(0, 1);
    assertArrayEquals(new int[] {0, 1}, e.shapeArray());
    assertArrayEquals(new int[] {0}, e.reshape(0).shapeArray());
    assertEquals(0, e.contiguous().numel());
    assertEquals(1, e.fillInPlace(1.0).version());
    assertEquals(2, e.copyInPlace(zeros(0, 1)).version());
    assertEquals("tensor([], size=(0, 1))", e.toString());
    // The same view's backward (its gradient is copied into the slice of a zero tensor).
    Tensor x = Torch.randn(0, 4, 1).setRequiresGrad(true);
    Tensor r = x.transpose(0, 1).index(-3);
    r.mul(r).sum().backward();
    assertArrayEquals(new int[] {0, 4, 1}, x.grad().shapeArray());
  }

  @Test
  void shapesPastAJavaArray_areRefusedBeforeAllocating() {
    // 2^31-1 and 2^31-2 elements pass the element limit but no JVM array holds them.
    for (int n : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Torch.zeros(n));
      assertTrue(e.getMessage().contains("a Java array can hold"), e.getMessage());
    }
  }
}
