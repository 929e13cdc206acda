package dev.jconv.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import org.junit.jupiter.api.Test;

/** Autograd's rules: when a graph is recorded, how gradients accumulate, what is refused. */
class AutogradTest {

  private static Tensor vec(double... v) {
    return Torch.tensor(v);
  }

  @Test
  void backward_accumulatesIntoLeafGrad_acrossCalls() {
    Tensor w = vec(1, 2, 3).setRequiresGrad(true);
    w.mul(w).sum().backward();
    assertArrayEquals(new float[] {2, 4, 6}, w.grad().toFloatArray());
    w.mul(3.0).sum().backward();
    assertArrayEquals(new float[] {5, 7, 9}, w.grad().toFloatArray());
  }

  @Test
  void leafUsedOnTwoPaths_getsTheSumOfBothGradients() {
    Tensor x = vec(2).setRequiresGrad(true);
    Tensor y = x.mul(x).add(x.exp()).sum();
    y.backward();
    assertEquals(4 + Math.exp(2), x.grad().item(), 1e-5);
  }

  @Test
  void graph_isRecordedOnlyWhenAnInputRequiresGrad() {
    Tensor a = vec(1, 2);
    Tensor b = a.mul(2.0).sigmoid();
    assertFalse(b.requiresGrad());
    assertNull(b.gradFn());
    Tensor w = vec(1, 2).setRequiresGrad(true);
    Tensor c = a.mul(w);
    assertTrue(c.requiresGrad());
    assertFalse(c.isLeaf());
    assertEquals("MulBackward0", c.gradFn().name());
    assertEquals(2, c.gradFn().nextFunctions().size());
    assertNull(c.gradFn().nextFunctions().get(0), "a does not require grad");
    assertEquals("AccumulateGrad", c.gradFn().nextFunctions().get(1).name());
  }

  @Test
  void noGrad_recordsNothing_andRestoresTheModeOnClose() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    try (var g = NoGrad.enter()) {
      assertFalse(GradMode.isEnabled());
      try (var inner = NoGrad.enter()) {
        assertFalse(GradMode.isEnabled());
      }
      assertFalse(GradMode.isEnabled(), "the inner scope restores the outer one's setting");
      Tensor y = w.mul(2.0);
      assertFalse(y.requiresGrad());
      assertNull(y.gradFn());
    }
    assertTrue(GradMode.isEnabled());
  }

  @Test
  void noGrad_allowsInPlaceUpdateOfParameters() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    w.mul(w).sum().backward();
    try (var g = NoGrad.enter()) {
      w.subInPlace(w.grad().mul(0.5));
    }
    assertArrayEquals(new float[] {0, 0}, w.detach().toFloatArray());
    assertTrue(w.requiresGrad());
    assertTrue(w.isLeaf());
  }

  @Test
  void inPlace_onLeafRequiringGrad_throwsWhileRecording() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.addInPlace(1.0));
    assertTrue(e.getMessage().contains("a leaf Variable that requires grad is being used in an in-place operation"));
    assertThrows(IllegalArgumentException.class, () -> w.set(5.0, 0));
    assertThrows(IllegalArgumentException.class, () -> w.fillInPlace(0));
  }

  @Test
  void wholeTensorAndElementInPlaceForms_areRecorded() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    Tensor buf = Torch.zeros(2);
    assertEquals("CopyBackwards", buf.copyInPlace(w).gradFn().name());
    assertEquals("FillBackward2", w.mul(2.0).fillInPlace(2.0).gradFn().name());
    assertEquals("ZeroBackward0", w.mul(2.0).zeroInPlace().gradFn().name());
    assertEquals("CopySlices", Torch.zeros(2).set(w.sum(), 0).gradFn().name());
    assertEquals("CopySlices", w.mul(2.0).set(2.0, 0).gradFn().name());
    // An integer tensor cannot require grad: a copy into it is not recorded (PyTorch: no grad_fn).
    Tensor ints = Torch.zeros(DType.INT64, 2).copyInPlace(w);
    assertFalse(ints.requiresGrad());
    assertNull(ints.gradFn());
    // A wrong index is refused before anything is recorded.
    Tensor y = w.mul(2.0);
    assertThrows(RuntimeException.class, () -> y.set(w.sum(), 5));
    assertEquals("MulBackward0", y.gradFn().name());
    assertEquals(0, y.version());
  }


  @Test
  void inPlaceArithmetic_isRecorded_andOnAViewRewritesTheBasesHistory() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    Tensor y = w.mul(2.0);
    assertSame(y, y.mulInPlace(3.0));
    assertEquals("MulBackward0", y.gradFn().name());
    assertEquals(1, y.version());
    y.sum().backward();
    assertArrayEquals(new double[] {6, 6}, w.grad().toDoubleArray());
    // A view changed in place: the base takes CopySlices, the view AsStridedBackward0 (PyTorch's names).
    w.setGrad(null);
    Tensor z = w.mul(2.0);
    Tensor v = z.view(2);
    Tensor first = z.slice(0, 0, 1);
    assertEquals("ViewBackward0", v.gradFn().name());
    v.addInPlace(1.0);
    assertEquals("AsStridedBackward0", v.gradFn().name());
    assertEquals("CopySlices", z.gradFn().name());
    // Another view of the base takes the base's new history when next used, as in PyTorch.
    assertEquals("AsStridedBackward0", first.gradFn().name());
    z.addInPlace(1.0); // the base itself, with views about: recorded
    assertEquals("AddBackward0", z.gradFn().name());
    assertArrayEquals(new double[] {4, 6}, v.toDoubleArray());
    v.mul(v).sum().backward();
    assertArrayEquals(new double[] {16, 24}, w.grad().toDoubleArray(), "d(v^2)/dw = 2 v * 2");
    // PyTorch's refusals: a view of a leaf, and a view taken in no_grad mode of a tensor that requires grad.
    IllegalArgumentException leafView = assertThrows(IllegalArgumentException.class,
        () -> w.slice(0, 0, 1).addInPlace(1.0));
    assertTrue(leafView.getMessage().startsWith("a view of a leaf Variable"), leafView.getMessage());
    Tensor u = w.mul(2.0);
    Tensor quiet;
    try (var g = NoGrad.enter()) {
      quiet = u.slice(0, 0, 1);
    }
    IllegalArgumentException noGradView = assertThrows(IllegalArgumentException.class, () -> quiet.mulInPlace(2.0));
    assertTrue(noGradView.getMessage().startsWith("A view was created in no_grad mode"), noGradView.getMessage());
    assertEquals(0, u.version(), "a refused change changes nothing");
    try (var g = NoGrad.enter()) {
      quiet.mulInPlace(2.0); // both in no_grad mode: allowed, not recorded, as in PyTorch
    }
    assertEquals("MulBackward0", u.gradFn().name());
    // A reshape that has to copy is not a view of anything a caller holds: in place is recorded on it.
    Tensor m = w.reshape(2, 1).mul(w.reshape(1, 2)).t().reshape(4);
    assertEquals("UnsafeViewBackward0", m.gradFn().name());
    assertEquals("AddBackward0", m.addInPlace(1.0).gradFn().name());
  }

  @Test
  void inPlaceWrites_throughElementsThatShareMemory_areRefused() {
    // PyTorch: copy_ and the arithmetic refuse an expanded tensor; fill_ and zero_ write it.
    Tensor e = Torch.zeros(1).expand(3);
    IllegalArgumentException add = assertThrows(IllegalArgumentException.class, () -> e.addInPlace(1.0));
    assertTrue(add.getMessage().startsWith("unsupported operation: more than one element"), add.getMessage());
    assertThrows(IllegalArgumentException.class, () -> e.copyInPlace(Torch.ones(3)));
    assertThrows(IllegalArgumentException.class, () -> e.mulInPlace(Torch.ones(3)));
    assertEquals(0, e.version());
    e.fillInPlace(2.0);
    assertArrayEquals(new double[] {2, 2, 2}, e.toDoubleArray());
    Tensor single = Torch.zeros(1).expand(1);
    single.addInPlace(1.0); // a size-1 dimension shares nothing
    assertArrayEquals(new double[] {1}, single.toDoubleArray());
  }

  @Test
  void detach_sharesStorage_butNotTheGraph() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    Tensor y = w.mul(2.0);
    Tensor d = y.detach();
    assertFalse(d.requiresGrad());
    assertNull(d.gradFn());
    assertTrue(d.isLeaf());
    d.set(7.0, 0);
    assertEquals(7.0, y.getDouble(0), "same storage");
  }

  @Test
  void savedTensorModifiedInPlace_failsAtBackward() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    Tensor b = vec(3, 4);
    Tensor y = w.mul(b).sum();
    b.view(2).mulInPlace(2.0); // through a view: the version counter is shared
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
  }

  @Test
  void versionCounter_isSharedByViews_andCountsInPlaceChanges() {
    Tensor a = Torch.zeros(2, 3);
    Tensor v = a.select(0, 1);
    assertEquals(0, a.version());
    v.fillInPlace(1);
    assertEquals(1, a.version());
    a.t().addInPlace(1.0);
    assertEquals(2, v.version());
    assertEquals(0, a.add(1.0).version(), "a new tensor starts at 0");
    // A refused change is no change (PyTorch counts after its checks).
    assertThrows(IllegalArgumentException.class, () -> a.addInPlace(Torch.zeros(4)));
    assertThrows(IllegalArgumentException.class, () -> Torch.zeros(DType.INT64, 2).addInPlace(0.5));
    assertEquals(2, a.version());
  }

  @Test
  void retainGraph_allowsASecondBackward() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    Tensor loss = w.mul(w).sum();
    loss.backward(null, true);
    loss.backward();
    assertArrayEquals(new float[] {4, 8}, w.grad().toFloatArray());
    assertThrows(IllegalStateException.class, loss::backward);
  }

  @Test
  void nonLeafGrad_isNotKept() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    Tensor h = w.mul(2.0);
    h.sum().backward();
    assertNull(h.grad());
    assertArrayEquals(new float[] {2, 2}, w.grad().toFloatArray());
  }

  @Test
  void backward_withGradient_forNonScalarOutputs() {
    Tensor w = vec(1, 2, 3).setRequiresGrad(true);
    Tensor y = w.mul(w);
    y.backward(vec(1, 0, -1));
    assertArrayEquals(new float[] {2, 0, -6}, w.grad().toFloatArray());
  }

  @Test
  void backward_onALeaf_accumulatesTheGivenGradient() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    w.backward(vec(3, 4));
    assertArrayEquals(new float[] {3, 4}, w.grad().toFloatArray());
  }

  @Test
  void gradient_ofABroadcastOperand_hasTheOperandsShapeAndDtype() {
    Tensor b = Torch.zeros(DType.FLOAT64, 3).setRequiresGrad(true);
    Tensor x = Torch.ones(4, 3);
    x.mul(b.toFloat()).add(b.toFloat()).sum().backward();
    assertEquals(DType.FLOAT64, b.grad().dtype());
    assertArrayEquals(new int[] {3}, b.grad().shapeArray());
    assertArrayEquals(new double[] {8, 8, 8}, b.grad().toDoubleArray());
  }

  @Test
  void integerResults_doNotRequireGrad() {
    Tensor w = vec(1.5, -2.5).setRequiresGrad(true);
    assertFalse(w.toLong().requiresGrad());
    assertFalse(w.gt(0.0).requiresGrad());
    assertFalse(w.argmax(0).requiresGrad());
    assertFalse(w.max(0).indices().requiresGrad());
  }

  @Test
  void printing_showsRequiresGradForLeaves_andGradFnForResults() {
    Tensor w = vec(1, 2).setRequiresGrad(true);
    assertEquals("tensor([1., 2.], requires_grad=True)", w.toString());
    assertEquals("tensor([2., 4.], grad_fn=<MulBackward0>)", w.mul(2.0).toString());
    assertEquals("tensor(3., grad_fn=<SumBackward0>)", w.sum().toString());
    try (var g = NoGrad.enter()) {
      assertEquals("tensor([2., 4.])", w.mul(2.0).toString());
    }
  }

  @Test
  void setRequiresGrad_false_onAComputedTensor_throws() {
    Tensor y = vec(1).setRequiresGrad(true).mul(2.0);
    assertThrows(IllegalArgumentException.class, () -> y.setRequiresGrad(false));
    assertSame(y, y.setRequiresGrad(true));
  }

  @Test
  void longChain_doesNotOverflowTheStack() {
    Tensor w = vec(1).setRequiresGrad(true);
    Tensor y = w;
    for (int i = 0; i < 20_000; i++) {
      y = y.add(1.0);
    }
    y.sum().backward();
    assertEquals(1.0, w.grad().item());
  }

  @Test
  void noGrad_closedOnAnotherThread_throws() throws Exception {
    NoGrad g = NoGrad.enter();
    try {
      Throwable[] seen = new Throwable[1];
      Thread t = new Thread(() -> {
        try {
          g.close();
        } catch (Throwable e) {
          seen[0] = e;
        }
      });
      t.start();
      t.join();
      assertTrue(seen[0] instanceof IllegalStateException);
    } finally {
      g.close();
    }
    assertTrue(GradMode.isEnabled());
  }

  @Test
  void catAndStack_recordTheirNodes_andHandEachInputItsSlice() {
    Tensor a = vec(1, 2).setRequiresGrad(true);
    Tensor b = vec(3, 4, 5).setRequiresGrad(true);
    Tensor c = Torch.cat(0, a, b);
    assertEquals("CatBackward0", c.gradFn().name());
    c.backward(vec(10, 20, 30, 40, 50));
    assertArrayEquals(new float[] {10, 20}, a.grad().toFloatArray());
    assertArrayEquals(new float[] {30, 40, 50}, b.grad().toFloatArray());
    Tensor d = vec(1, 2).setRequiresGrad(true);
    Tensor e = vec(3, 4);
    Tensor s = Torch.stack(1, d, e);
    assertEquals("StackBackward0", s.gradFn().name());
    assertArrayEquals(new int[] {2, 2}, s.shapeArray());
    s.backward(Torch.tensor(new double[][] {{1, 2}, {3, 4}}));
    assertArrayEquals(new float[] {1, 3}, d.grad().toFloatArray());
    assertNull(e.grad());
  }
}
