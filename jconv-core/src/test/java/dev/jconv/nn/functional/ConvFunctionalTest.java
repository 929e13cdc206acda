package dev.jconv.nn.functional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.DType;
import dev.jconv.Size;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** F.conv2d beyond the golden cases: size limits, dtypes, views, forcing the algorithm. */
class ConvFunctionalTest {

  @AfterEach
  void clearProperty() {
    System.clearProperty("jconv.conv.algorithm");
  }

  @Test
  void conv2d_outputBeyondElementLimit_throwsInsteadOfOverflowing() {
    // 100001 x 100001 output positions: 10^10 elements, far past 2^31-1; must fail before allocating.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.conv2d(Torch.zeros(1, 1, 1, 1), Torch.zeros(1, 1, 1, 1), new Conv2dFuncOptions().padding(50_000)));
    assertTrue(e.getMessage().contains("[1, 1, 100001, 100001]") && e.getMessage().contains("2^31-1"), e.getMessage());
  }

  @Test
  void conv2d_paddingNearIntMax_throwsInsteadOfOverflowing() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.conv2d(Torch.zeros(1, 1, 2, 2), Torch.zeros(1, 1, 1, 1),
            new Conv2dFuncOptions().padding(Integer.MAX_VALUE, 0)));
    assertTrue(e.getMessage().contains("4294967296") && e.getMessage().contains("2^31-1"), e.getMessage());
  }

  @Test
  void conv2d_float64WeightOnFloat32Input_throwsNamingTheDtypes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> F.conv2d(Torch.zeros(1, 1, 3, 3), Torch.zeros(DType.FLOAT64, 1, 1, 2, 2)));
    assertEquals("expected scalar type Float but found Double", e.getMessage());
  }

  @Test
  void conv2d_nonContiguousInput_equalsContiguousCopy() {
    Torch.manualSeed(5);
    Tensor x = Torch.rand(2, 3, 7, 5).transpose(2, 3);
    Tensor w = Torch.rand(4, 3, 3, 2).transpose(2, 3);
    assertFalse(x.isContiguous());
    Conv2dFuncOptions o = new Conv2dFuncOptions().padding(1).stride(1, 2);
    Tensor a = F.conv2d(x, w, o);
    Tensor b = F.conv2d(x.contiguous(), w.contiguous(), o);
    assertEquals(Size.of(2, 4, 6, 4), a.shape());
    assertTrue(a.equal(b));
  }

  @Test
  void conv2d_forcedReference_agreesWithSelectedAlgorithm() {
    Torch.manualSeed(9);
    Tensor x = Torch.rand(2, 8, 15, 15);
    Tensor w = Torch.rand(16, 4, 3, 3);
    Conv2dFuncOptions o = new Conv2dFuncOptions().groups(2).padding(Padding.SAME).bias(Torch.rand(16));
    Tensor fast = F.conv2d(x, w, o);
    System.setProperty("jconv.conv.algorithm", "REFERENCE");
    Tensor ref = F.conv2d(x, w, o);
    assertTrue(fast.allclose(ref, 1e-5, 1e-5, false));
    assertFalse(fast.equal(ref), "double accumulation should differ from float in some last bit");
  }

  @Test
  void conv2d_doesNotModifyArguments() {
    Torch.manualSeed(2);
    Tensor x = Torch.rand(1, 2, 6, 6);
    Tensor w = Torch.rand(3, 2, 3, 3);
    Tensor b = Torch.rand(3);
    Tensor x0 = x.cloneTensor();
    Tensor w0 = w.cloneTensor();
    Tensor b0 = b.cloneTensor();
    F.conv2d(x, w, new Conv2dFuncOptions().bias(b).padding(2));
    assertTrue(x.equal(x0) && w.equal(w0) && b.equal(b0));
  }

  @Test
  void funcOptions_defaultsArePyTorchs() {
    Conv2dFuncOptions o = new Conv2dFuncOptions();
    assertEquals(null, o.bias());
    assertEquals(1, o.strideH());
    assertEquals(1, o.strideW());
    assertEquals(Padding.of(0), o.padding());
    assertEquals(1, o.dilationH());
    assertEquals(1, o.groups());
    assertEquals("(2, 1)", Padding.of(2, 1).toString());
    assertEquals("same", Padding.SAME.toString());
    assertEquals("valid", Padding.VALID.toString());
  }
}
