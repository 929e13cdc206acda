package dev.jconv.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.DType;
import dev.jconv.Generator;
import dev.jconv.Size;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.nn.functional.Padding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link Conv2d} layer and its options beyond the golden cases. */
class Conv2dTest {

  /**
   * A port of PyTorch's C++ test {@code ModulesTest.Conv2dEven} (test/cpp/api/modules.cpp): arange
   * input and weight, expected values written out in that test.
   */
  @Test
  void conv2dEven_portOfPyTorchCppTest() {
    Conv2d model = new Conv2d(Conv2dOptions.of(3, 2, 3).stride(1).bias(false));
    try (var g = dev.jconv.autograd.NoGrad.enter()) { // with torch.no_grad(): parameters require grad
      model.weight().copyInPlace(Torch.arange(54).toFloat().reshape(2, 3, 3, 3));
    }
    Tensor x = Torch.arange(75).toFloat().reshape(1, 3, 5, 5);
    Tensor y = model.forward(x);
    Tensor expected = Torch.tensor(new double[][][][] {{
        {{15219, 15570, 15921}, {16974, 17325, 17676}, {18729, 19080, 19431}},
        {{37818, 38898, 39978}, {43218, 44298, 45378}, {48618, 49698, 50778}}}});
    assertEquals(4, y.dim());
    assertEquals(Size.of(1, 2, 3, 3), y.shape());
    // Sums of integers below 2^24 are exact in float32, whatever the order.
    assertTrue(y.equal(expected), () -> "got " + y);
    assertEquals(3 * 2 * 3 * 3, model.weight().numel());
  }

  @Test
  void seedExample_shapesAndPrintedForm() {
    Torch.manualSeed(0);
    Conv2d conv = new Conv2d(Conv2dOptions.of(3, 64, 3));
    Tensor y = conv.forward(Torch.rand(4, 3, 12, 12));
    assertEquals("torch.Size([4, 64, 10, 10])", y.shape().toString());
    assertEquals("torch.Size([64, 3, 3, 3])", conv.weight().shape().toString());
    assertEquals("torch.Size([64])", conv.bias().shape().toString());
    assertEquals("Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1))", conv.toString());
    assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
    assertTrue(conv.weight().requiresGrad());
  }

  @Test
  void init_boundsAreOneOverSqrtFanIn() {
    Generator.defaultGenerator().manualSeed(3);
    Conv2d conv = new Conv2d(Conv2dOptions.of(8, 16, 3, 5).groups(2));
    double bound = 1 / Math.sqrt(4 * 3 * 5);
    for (Tensor p : conv.parameters()) {
      for (float v : p.toFloatArray()) {
        assertTrue(v >= -bound && v < bound, "value " + v + " outside +-" + bound);
      }
    }
  }

  @Test
  void resetParameters_drawsAgainFromTheGenerator() {
    Generator.defaultGenerator().manualSeed(11);
    Conv2d conv = new Conv2d(Conv2dOptions.of(2, 3, 2));
    Tensor first = conv.weight().cloneTensor();
    conv.resetParameters();
    assertNotEquals(first.toString(), conv.weight().toString());
    Generator.defaultGenerator().manualSeed(11);
    Conv2d again = new Conv2d(Conv2dOptions.of(2, 3, 2));
    assertTrue(again.weight().equal(first));
  }

  @Test
  void forward_unbatchedInput_givesUnbatchedOutput() {
    Conv2d conv = new Conv2d(Conv2dOptions.of(3, 5, 3).padding(Padding.SAME).paddingMode(PaddingMode.REFLECT));
    assertEquals(Size.of(5, 7, 6), conv.forward(Torch.zeros(3, 7, 6)).shape());
  }

  @Test
  void forward_doesNotModifyInput() {
    Conv2d conv = new Conv2d(Conv2dOptions.of(1, 1, 3).padding(1).paddingMode(PaddingMode.CIRCULAR));
    Tensor x = Torch.arange(16).toFloat().reshape(1, 1, 4, 4);
    Tensor copy = x.cloneTensor();
    conv.forward(x);
    assertTrue(x.equal(copy));
  }

  @Test
  void forward_float64InputOnFloat32Layer_throwsNamingTheDtypes() {
    Conv2d conv = new Conv2d(Conv2dOptions.of(1, 1, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> conv.forward(Torch.zeros(DType.FLOAT64, 1, 1, 5, 5)));
    assertTrue(e.getMessage().contains("Input type (double) and bias type (float) should be the same"), e.getMessage());
  }

  @Test
  void options_areValidatedWhenBuilt() {
    assertMessage("groups must be a positive integer", () -> Conv2dOptions.of(3, 6, 3).groups(0));
    assertMessage("in_channels must be divisible by groups", () -> Conv2dOptions.of(4, 6, 3).groups(3));
    assertMessage("out_channels must be divisible by groups", () -> Conv2dOptions.of(6, 4, 3).groups(3));
    assertMessage("padding='same' is not supported for strided convolutions",
        () -> Conv2dOptions.of(3, 6, 3).padding(Padding.SAME).stride(2));
    assertMessage("padding='same' is not supported for strided convolutions",
        () -> Conv2dOptions.of(3, 6, 3).stride(1, 2).padding(Padding.SAME));
    assertMessage("Trying to create tensor with negative dimension -1: [6, -1, 3, 3]", () -> Conv2dOptions.of(-1, 6, 3));
    assertMessage("Trying to create tensor with negative dimension -2: [6, 3, 3, -2]", () -> Conv2dOptions.of(3, 6, 3, -2));
    assertMessage("a negative padding with padding_mode=reflect crops the input in PyTorch",
        () -> Conv2dOptions.of(3, 6, 3).paddingMode(PaddingMode.REFLECT).padding(0, -1));
  }

  /** As PyTorch's constructor: these build (and print), and the layer refuses them when it runs. */
  @Test
  void forwardOnlyProblems_buildAndAreRefusedWhenTheLayerRuns() {
    Tensor x = Torch.zeros(2, 3, 8, 8);
    Conv2d stride = new Conv2d(Conv2dOptions.of(3, 6, 3).stride(0));
    assertEquals("Conv2d(3, 6, kernel_size=(3, 3), stride=(0, 0))", stride.toString());
    assertMessage("non-positive stride is not supported", () -> stride.forward(x));
    assertMessage("non-positive dilation is not supported",
        () -> new Conv2d(Conv2dOptions.of(3, 6, 3).dilation(1, -1)).forward(x));
    assertMessage("negative padding is not supported", () -> new Conv2d(Conv2dOptions.of(3, 6, 3).padding(0, -1)).forward(x));
    assertMessage("could not create a descriptor for a dilated convolution forward propagation primitive",
        () -> new Conv2d(Conv2dOptions.of(3, 6, 0, 3)).forward(x));
  }

  @Test
  void options_withersReturnNewRecords() {
    Conv2dOptions base = Conv2dOptions.of(3, 6, 3);
    Conv2dOptions strided = base.stride(2, 1);
    assertEquals(1, base.strideH());
    assertEquals(2, strided.strideH());
    assertEquals(1, strided.strideW());
    assertEquals(Padding.of(0), base.padding());
    assertEquals(PaddingMode.ZEROS, base.paddingMode());
    assertTrue(base.bias());
    assertEquals(new Conv2dOptions(3, 6, 3, 5, 1, 1, Padding.of(0), 1, 1, 1, true, PaddingMode.ZEROS),
        base.kernelSize(3, 5));
  }

  @Test
  void toString_showsNonDefaultOptionsAsPyTorch() {
    Conv2d conv = new Conv2d(Conv2dOptions.of(4, 8, 3, 5).stride(2).padding(1, 2).dilation(2).groups(2).bias(false)
        .paddingMode(PaddingMode.REFLECT));
    assertEquals("Conv2d(4, 8, kernel_size=(3, 5), stride=(2, 2), padding=(1, 2), dilation=(2, 2), groups=2, "
        + "bias=False, padding_mode=reflect)", conv.toString());
    assertEquals("Conv2d(3, 3, kernel_size=(3, 3), stride=(1, 1), padding=same)",
        new Conv2d(Conv2dOptions.of(3, 3, 3).padding(Padding.SAME)).toString());
  }

  private static void assertMessage(String fragment, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(fragment), () -> "\"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
  }
}
