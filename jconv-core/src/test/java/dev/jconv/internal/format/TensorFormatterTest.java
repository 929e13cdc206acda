package dev.jconv.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument checks and the few layouts worth reading as literals (all taken from PyTorch 1.13). */
class TensorFormatterTest {

  @Test
  void repr_d2lCorr2d_printsTwoRowsWithContinuationIndent() {
    String s = TensorFormatter.repr(DType.FLOAT32, new int[] {2, 2}, new float[] {19, 25, 37, 43}, List.of());

    assertEquals("tensor([[19., 25.],\n        [37., 43.]])", s);
  }

  @Test
  void repr_suffixesFollowTheDtype() {
    String s = TensorFormatter.repr(DType.FLOAT64, new int[] {}, new double[] {2}, List.of("requires_grad=True"));

    assertEquals("tensor(2., dtype=torch.float64, requires_grad=True)", s);
  }

  @Test
  void repr_doesNotModifyItsArguments() {
    int[] shape = {3};
    float[] data = {1, 2, 3};

    TensorFormatter.repr(DType.FLOAT32, shape, data, List.of());

    assertEquals(3, shape[0]);
    assertEquals(1f, data[0]);
  }

  @Test
  void repr_dataOfTheWrongType_throws() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> TensorFormatter.repr(DType.FLOAT32, new int[] {2}, new double[] {1, 2}, List.of()));
    assertTrue(e.getMessage().contains("torch.float32"), e.getMessage());
  }

  @Test
  void repr_shapeNotMatchingTheData_throws() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> TensorFormatter.repr(DType.INT64, new int[] {2, 3}, new long[5], List.of()));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("5 elements"), e.getMessage());
  }

  @Test
  void repr_shapeWhoseProductOverflowsInt_throws() {
    // 65536 * 65536 wraps to 0 in int arithmetic, which would wrongly match empty data
    var e = assertThrows(IllegalArgumentException.class,
        () -> TensorFormatter.repr(DType.BOOL, new int[] {65536, 65536}, new boolean[0], List.of()));
    assertTrue(e.getMessage().contains("[65536, 65536]"), e.getMessage());
  }

  @Test
  void repr_negativeSize_throws() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> TensorFormatter.repr(DType.FLOAT32, new int[] {-1}, new float[0], List.of()));
    assertTrue(e.getMessage().contains("[-1]"), e.getMessage());
  }

  @Test
  void repr_summarisedTensor_hiddenOutlierDoesNotSwitchToScientific() {
    // as in PyTorch (checked with torch 1.13): the formatter sees only the printed corners, so a 1e9
    // in the middle of 4M elements neither switches the mode nor widens the columns
    float[] data = new float[1 << 22];
    java.util.Arrays.fill(data, 0.5f);
    data[(1 << 21) + 12345] = 1e9f;

    String s = TensorFormatter.repr(DType.FLOAT32, new int[] {1024, 64, 64}, data, List.of());

    assertEquals(
        "tensor([[[0.5000, 0.5000, 0.5000,  ..., 0.5000, 0.5000, 0.5000],", s.substring(0, s.indexOf('\n')));
    assertTrue(!s.contains("e+"), s);
  }

  @Test
  void sizeString_zeroDim_isEmptyList() {
    assertEquals("torch.Size([])", TensorFormatter.sizeString(new int[0]));
    assertEquals("torch.Size([4, 64, 10, 10])", TensorFormatter.sizeString(new int[] {4, 64, 10, 10}));
  }
}
