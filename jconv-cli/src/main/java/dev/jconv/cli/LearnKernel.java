package dev.jconv.cli;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.autograd.NoGrad;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.functional.F;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The book's "Learning a Kernel" cell (section 7.2.4): a Conv2d(1, 1, kernel_size=(1, 2), bias=False)
 * learns the edge detector K = [1, -1] from the image X (ones with a zero band) and its edges
 * Y = corr2d(X, K), by gradient descent on the squared error, printing the loss every 2 epochs and
 * then the learned kernel — as PyTorch prints them.
 *
 * <pre>{@code
 * Torch.manualSeed(0);
 * LearnKernel.run(System.out);   // epoch 2, loss ... / ... / tensor([[ 0.9..., -1.0...]])
 * }</pre>
 */
public final class LearnKernel {
  private LearnKernel() {}

  /** Runs the cell, drawing the initial kernel from the default generator (seed it first for PyTorch's numbers). */
  public static void run(PrintStream out) {
    Tensor x = Torch.ones(6, 8);
    x.slice(1, 2, 6).fillInPlace(0);                    // X[:, 2:6] = 0
    Tensor k = Torch.tensor(new double[][] {{1.0, -1.0}});
    Tensor y = F.corr2d(x, k);
    // Construct a two-dimensional convolutional layer with 1 output channel and a kernel of shape (1, 2);
    // for the sake of simplicity the bias is ignored
    Conv2d conv2d = new Conv2d(Conv2dOptions.of(1, 1, 1, 2).bias(false));
    x = x.reshape(1, 1, 6, 8);
    y = y.reshape(1, 1, 6, 7);
    double lr = 3e-2;
    for (int i = 0; i < 10; i++) {
      Tensor yHat = conv2d.forward(x);
      Tensor l = yHat.sub(y).pow(2L);
      conv2d.zeroGrad();
      l.sum().backward();
      // Update the kernel: conv2d.weight.data[:] -= lr * conv2d.weight.grad
      try (var g = NoGrad.enter()) {
        conv2d.weight().subInPlace(conv2d.weight().grad().mul(lr));
      }
      if ((i + 1) % 2 == 0) {
        out.println("epoch " + (i + 1) + ", loss " + fixed3(l.sum().item()));
      }
    }
    out.println(conv2d.weight().detach().reshape(1, 2));
  }

  /** Python's {@code f'{v:.3f}'}: the exact binary value rounded half to even. */
  static String fixed3(double v) {
    return new BigDecimal(v).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
  }
}
