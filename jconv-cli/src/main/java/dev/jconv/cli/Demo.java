package dev.jconv.cli;

import static dev.jconv.Torch.arange;
import static dev.jconv.Torch.cat;
import static dev.jconv.Torch.manualSeed;
import static dev.jconv.Torch.matmul;
import static dev.jconv.Torch.normal;
import static dev.jconv.Torch.ones;
import static dev.jconv.Torch.rand;
import static dev.jconv.Torch.stack;
import static dev.jconv.Torch.tensor;
import static dev.jconv.Torch.zeros;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.nn.AdaptiveAvgPool2d;
import dev.jconv.nn.AdaptiveAvgPool2dOptions;
import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.MaxPool2dOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The convolution chapter of "Dive into Deep Learning" (d2l 1.0, PyTorch edition: "Convolutions for
 * Images", "Padding and Stride", "Multiple Input and Multiple Output Channels", "Pooling"), cell by
 * cell in Java. Each cell is one method, a line-for-line translation of the book's notebook cells
 * (the Python line is in the comment beside it where the translation is not obvious), and prints
 * exactly what the notebook prints: a cell's last expression is shown with {@link #print}, as
 * Jupyter shows it.
 *
 * <p>Every cell starts with {@code torch.manual_seed(seed)}, so one cell run alone prints the same as
 * in the whole demo, and the random tensors equal PyTorch's for that seed. The golden text that the
 * tests compare against comes from running the same cells in PyTorch ({@code tools/golden/gen_demo.py},
 * which uses the same cell names and titles).
 *
 * <p>Not here yet: the book's "Learning a Kernel" cell, which trains a layer with autograd.
 *
 * <pre>{@code
 * Demo.run(Demo.cell("corr2d").orElseThrow(), 0, System.out);
 * // tensor([[19., 25.],
 * //         [37., 43.]])
 * }</pre>
 */
public final class Demo {
  private Demo() {}

  /**
   * One demo cell.
   *
   * @param name the short name {@code --cell} takes
   * @param title the heading printed above the cell's output
   * @param body prints the cell's output to the stream it is given
   */
  public record Cell(String name, String title, Consumer<PrintStream> body) {}

  /** The cells in the book's order. */
  public static final List<Cell> CELLS = List.of(
      new Cell("corr2d", "Convolutions for Images: the cross-correlation operation",
          Demo::crossCorrelation),
      new Cell("edge-detection", "Convolutions for Images: object edge detection in images",
          Demo::edgeDetection),
      new Cell("conv2d-layer", "Convolutional layers: nn.Conv2d(3, 64, 3) on a batch of 4 images",
          Demo::conv2dLayer),
      new Cell("padding-and-stride", "Padding and Stride: output shapes", Demo::paddingAndStride),
      new Cell("multi-channels",
          "Multiple Input and Multiple Output Channels (and the 1x1 convolution)",
          Demo::multipleChannels),
      new Cell("pool2d", "Pooling: maximum and average pooling from scratch", Demo::poolingFromScratch),
      new Cell("pooling-layers", "Pooling: padding, stride and multiple channels with nn.MaxPool2d",
          Demo::poolingLayers),
      new Cell("pooling-random",
          "Pooling: max, average and global average pooling of rand(1, 1, 12, 12)",
          Demo::poolingRandom));

  /** The cell called {@code name}, if there is one. */
  public static Optional<Cell> cell(String name) {
    return CELLS.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The cells' names, in order. */
  public static List<String> names() {
    return CELLS.stream().map(Cell::name).toList();
  }

  /** Runs one cell after {@code torch.manual_seed(seed)}, printing its output (no heading) to {@code out}. */
  public static void run(Cell cell, long seed, PrintStream out) {
    manualSeed(seed);
    cell.body().accept(out);
  }

  /** The heading printed above a cell in {@code ./jconv demo}. */
  public static String heading(Cell cell) {
    return "=== " + cell.title() + "  [" + cell.name() + "]";
  }

  // ================================================================ Convolutions for Images

  /**
   * The book's {@code corr2d}: the two-dimensional cross-correlation of {@code X} with the kernel
   * {@code K}, one output element at a time ({@code F.corr2d} is the fast version).
   */
  public static Tensor corr2d(Tensor X, Tensor K) {
    int h = K.size(0), w = K.size(1);                           // h, w = K.shape
    Tensor Y = zeros(X.size(0) - h + 1, X.size(1) - w + 1);
    for (int i = 0; i < Y.size(0); i++) {
      for (int j = 0; j < Y.size(1); j++) {
        // Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
        Y.set(X.slice(0, i, i + h).slice(1, j, j + w).mul(K).sum(), i, j);
      }
    }
    return Y;
  }

  static void crossCorrelation(PrintStream out) {
    Tensor X = tensor(new double[][] {{0.0, 1.0, 2.0}, {3.0, 4.0, 5.0}, {6.0, 7.0, 8.0}});
    Tensor K = tensor(new double[][] {{0.0, 1.0}, {2.0, 3.0}});
    print(out, corr2d(X, K));
  }

  static void edgeDetection(PrintStream out) {
    Tensor X = ones(6, 8);
    X.slice(1, 2, 6).fillInPlace(0);                            // X[:, 2:6] = 0
    print(out, X);

    Tensor K = tensor(new double[][] {{1.0, -1.0}});

    Tensor Y = corr2d(X, K);
    print(out, Y);

    print(out, corr2d(X.t(), K));
  }

  /** Not in the book: the shapes of a Conv2d layer's input, output and parameters. */
  static void conv2dLayer(PrintStream out) {
    Tensor X = rand(4, 3, 12, 12);
    Conv2d conv = new Conv2d(Conv2dOptions.of(3, 64, 3));      // conv = nn.Conv2d(3, 64, 3)
    Tensor Y = conv.forward(X);
    print(out, X.shape());
    print(out, "Y.shape: ", Y.shape());
    print(out, "weight.shape: ", conv.weight().shape());
    print(out, "bias.shape: ", conv.bias().shape());
  }

  // ================================================================ Padding and Stride

  /**
   * The book's helper: runs {@code conv2d} on a single-channel image and strips the batch and
   * channel dimensions from the result.
   */
  static Tensor compConv2d(Conv2d conv2d, Tensor X) {
    // (1, 1) indicates that batch size and the number of channels are both 1
    X = X.reshape(1, 1, X.size(0), X.size(1));                  // X = X.reshape((1, 1) + X.shape)
    Tensor Y = conv2d.forward(X);
    // Strip the first two dimensions: examples and channels
    return Y.reshape(Y.size(2), Y.size(3));                     // Y.reshape(Y.shape[2:])
  }

  static void paddingAndStride(PrintStream out) {
    // The book's nn.LazyConv2d(1, ...) learns in_channels (1) at the first call and draws its
    // weights then, after X; jconv's Conv2d is told in_channels and draws its weights when built, so
    // X is made first to keep both random streams in the book's order.
    Tensor X = rand(8, 8);                                      // X = torch.rand(size=(8, 8))
    // 1 row and column is padded on either side, so a total of 2 rows or columns
    // are added
    Conv2d conv2d = new Conv2d(Conv2dOptions.of(1, 1, 3).padding(1));
    print(out, compConv2d(conv2d, X).shape());

    // We use a convolution kernel with height 5 and width 3. The padding on either
    // side of the height and width are 2 and 1, respectively
    conv2d = new Conv2d(Conv2dOptions.of(1, 1, 5, 3).padding(2, 1));
    print(out, compConv2d(conv2d, X).shape());

    conv2d = new Conv2d(Conv2dOptions.of(1, 1, 3).padding(1).stride(2));
    print(out, compConv2d(conv2d, X).shape());

    // nn.LazyConv2d(1, kernel_size=(3, 5), padding=(0, 1), stride=(3, 4))
    conv2d = new Conv2d(Conv2dOptions.of(1, 1, 3, 5).padding(0, 1).stride(3, 4));
    print(out, compConv2d(conv2d, X).shape());
  }

  // ================================================================ Multiple Input and Multiple Output Channels

  /** The book's {@code corr2d_multi_in}: cross-correlates each input channel with its kernel and adds up. */
  static Tensor corr2dMultiIn(Tensor X, Tensor K) {
    // Iterate through the 0th dimension (channel) of K first, then add them up
    // return sum(d2l.corr2d(x, k) for x, k in zip(X, K))
    Tensor sum = corr2d(X.index(0), K.index(0));
    for (int c = 1; c < Math.min(X.size(0), K.size(0)); c++) {
      sum = sum.add(corr2d(X.index(c), K.index(c)));
    }
    return sum;
  }

  /** The book's {@code corr2d_multi_in_out}: one {@link #corr2dMultiIn} per output channel, stacked. */
  static Tensor corr2dMultiInOut(Tensor X, Tensor K) {
    // Iterate through the 0th dimension of K, and each time, perform
    // cross-correlation operations with input X. All of the results are
    // stacked together
    // return torch.stack([corr2d_multi_in(X, k) for k in K], 0)
    List<Tensor> outputs = new ArrayList<>();
    for (int o = 0; o < K.size(0); o++) {
      outputs.add(corr2dMultiIn(X, K.index(o)));
    }
    return stack(outputs, 0);
  }

  /** The book's {@code corr2d_multi_in_out_1x1}: a 1x1 convolution is a matrix multiply. */
  static Tensor corr2dMultiInOut1x1(Tensor X, Tensor K) {
    int c_i = X.size(0), h = X.size(1), w = X.size(2);          // c_i, h, w = X.shape
    int c_o = K.size(0);
    X = X.reshape(c_i, h * w);
    K = K.reshape(c_o, c_i);
    // Matrix multiplication in the fully connected layer
    Tensor Y = matmul(K, X);
    return Y.reshape(c_o, h, w);
  }

  static void multipleChannels(PrintStream out) {
    Tensor X = tensor(new double[][][] {{{0.0, 1.0, 2.0}, {3.0, 4.0, 5.0}, {6.0, 7.0, 8.0}},
                                        {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}, {7.0, 8.0, 9.0}}});
    Tensor K = tensor(new double[][][] {{{0.0, 1.0}, {2.0, 3.0}}, {{1.0, 2.0}, {3.0, 4.0}}});

    print(out, corr2dMultiIn(X, K));

    K = stack(0, K, K.add(1), K.add(2));                        // K = torch.stack((K, K + 1, K + 2), 0)
    print(out, K.shape());

    print(out, corr2dMultiInOut(X, K));

    X = normal(0, 1, 3, 3, 3);                                  // X = torch.normal(0, 1, (3, 3, 3))
    K = normal(0, 1, 2, 3, 1, 1);                               // K = torch.normal(0, 1, (2, 3, 1, 1))
    Tensor Y1 = corr2dMultiInOut1x1(X, K);
    Tensor Y2 = corr2dMultiInOut(X, K);
    // The book has: assert float(torch.abs(Y1 - Y2).sum()) < 1e-6
    // That fails in PyTorch itself for about one seed in twelve (matmul rounds differently from
    // corr2d's multiply-then-sum, by up to 1.7e-6 in total); allclose's relative tolerance allows for it.
    print(out, Y1.allclose(Y2));                                // torch.allclose(Y1, Y2)

    // Not in the book: the result.
    print(out, Y1);
  }

  // ================================================================ Pooling

  /** The book's {@code pool2d}: maximum ({@code "max"}) or average ({@code "avg"}) pooling, stride 1. */
  static Tensor pool2d(Tensor X, int[] poolSize, String mode) {
    int p_h = poolSize[0], p_w = poolSize[1];
    Tensor Y = zeros(X.size(0) - p_h + 1, X.size(1) - p_w + 1);
    for (int i = 0; i < Y.size(0); i++) {
      for (int j = 0; j < Y.size(1); j++) {
        Tensor window = X.slice(0, i, i + p_h).slice(1, j, j + p_w);   // X[i: i + p_h, j: j + p_w]
        if (mode.equals("max")) {
          Y.set(window.max(), i, j);
        } else if (mode.equals("avg")) {
          Y.set(window.mean(), i, j);
        }
      }
    }
    return Y;
  }

  /** {@code pool2d(X, pool_size)}: mode defaults to {@code 'max'}. */
  static Tensor pool2d(Tensor X, int[] poolSize) {
    return pool2d(X, poolSize, "max");
  }

  static void poolingFromScratch(PrintStream out) {
    Tensor X = tensor(new double[][] {{0.0, 1.0, 2.0}, {3.0, 4.0, 5.0}, {6.0, 7.0, 8.0}});
    print(out, pool2d(X, new int[] {2, 2}));

    print(out, pool2d(X, new int[] {2, 2}, "avg"));
  }

  static void poolingLayers(PrintStream out) {
    // X = torch.arange(16, dtype=torch.float32).reshape((1, 1, 4, 4))
    Tensor X = arange(16, DType.FLOAT32).reshape(1, 1, 4, 4);
    print(out, X);

    MaxPool2d pool2d = new MaxPool2d(MaxPool2dOptions.of(3));  // pool2d = nn.MaxPool2d(3)
    // Pooling has no model parameters, hence it needs no initialization
    print(out, pool2d.forward(X));

    pool2d = new MaxPool2d(MaxPool2dOptions.of(3).padding(1).stride(2));
    print(out, pool2d.forward(X));

    // pool2d = nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1))
    pool2d = new MaxPool2d(MaxPool2dOptions.of(2, 3).stride(2, 3).padding(0, 1));
    print(out, pool2d.forward(X));

    X = cat(1, X, X.add(1));                                    // X = torch.cat((X, X + 1), 1)
    print(out, X);

    pool2d = new MaxPool2d(MaxPool2dOptions.of(3).padding(1).stride(2));
    print(out, pool2d.forward(X));
  }

  /** Not in the book: the three pooling layers side by side on a random image. */
  static void poolingRandom(PrintStream out) {
    Tensor X = rand(1, 1, 12, 12);
    print(out, X.shape());
    print(out, X);

    Tensor Y = new MaxPool2d(MaxPool2dOptions.of(2).stride(2)).forward(X);   // nn.MaxPool2d(2, stride=2)(X)
    print(out, Y.shape());
    print(out, Y);

    Tensor Z = new AvgPool2d(AvgPool2dOptions.of(2).stride(2)).forward(X);   // nn.AvgPool2d(2, stride=2)(X)
    print(out, Z.shape());
    print(out, Z);

    // G = nn.AdaptiveAvgPool2d((1, 1))(X): global average pooling
    Tensor G = new AdaptiveAvgPool2d(AdaptiveAvgPool2dOptions.of(1, 1)).forward(X);
    print(out, G.shape());
    print(out, G);
  }

  // ================================================================ Python's print

  /**
   * Python's {@code print(a, b, ...)}: each argument as Python shows it ({@code True}/{@code False}
   * for booleans, a tensor's repr), separated by spaces, then a newline.
   */
  static void print(PrintStream out, Object... args) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        line.append(' ');
      }
      Object a = args[i];
      line.append(a instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(a));
    }
    // "\n" rather than println: Python prints "\n" on every platform.
    out.print(line.append('\n'));
  }
}
