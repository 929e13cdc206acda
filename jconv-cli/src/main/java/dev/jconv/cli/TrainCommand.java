package dev.jconv.cli;

import dev.jconv.Torch;
import dev.jconv.data.DataLoader;
import dev.jconv.data.FashionMnist;
import dev.jconv.data.Dataset;
import dev.jconv.io.Safetensors;
import dev.jconv.nn.Sequential;
import dev.jconv.optim.SGD;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jconv train lenet}: the book's LeNet on Fashion-MNIST (section 7.6) — SGD, cross-entropy,
 * batch 256, 10 epochs, Xavier init — with a progress bar per epoch, the per-epoch loss and
 * accuracies, a PNG of the curves and the weights as safetensors.
 */
@Command(
    name = "train",
    description = {"Train LeNet on Fashion-MNIST as the book does (SGD, cross-entropy, Xavier init).",
        "Writes the curves as PNG and the weights as safetensors."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  ./jconv train lenet                      the book's recipe: lr 0.9, batch 256, 10 epochs",
        "  ./jconv train lenet-relu                 ReLU + max pooling, lr 0.1",
        "  ./jconv train lenet --epochs 2 --limit 6000   a quick run on the first 6000 images",
        "  ./jconv train lenet --data DIR           IDX files elsewhere (default: Debian's dataset-fashion-mnist)",
        "  ./jconv train lenet --compare torch      PyTorch trains the same recipe, epochs alternating, then a table"})
public final class TrainCommand implements Callable<Integer> {
  private final PrintStream out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "MODEL", description = "lenet (sigmoid + average pooling, the book's) or "
      + "lenet-relu (ReLU + max pooling).")
  String model;

  @Option(names = "--data", paramLabel = "DIR", description = "Directory with the Fashion-MNIST IDX files "
      + "(train-images-idx3-ubyte[.gz], ...). Default: ${DEFAULT-VALUE}.", defaultValue = "/usr/share/datasets/fashion-mnist")
  Path data;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.9 for lenet, 0.1 for lenet-relu).")
  Double lr;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "torch.manual_seed before building the "
      + "network (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
  Integer threads;

  @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training images only.")
  Integer limit;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Where to write MODEL.png and "
      + "MODEL.safetensors (default: the current directory).")
  Path outDir;

  @Option(names = "--no-progress", description = "No progress bar (one line per epoch only).")
  boolean noProgress;

  @Option(names = "--compare", paramLabel = "torch|none", defaultValue = "none", description = "torch: PyTorch "
      + "trains the same recipe (same seed, same batches) in tools/bench/train_lenet_torch.py, its epochs "
      + "alternating with jconv's, and a side-by-side table ends the run; none: jconv only (default).")
  String compare;

  @CommandLine.Mixin
  TorchOptions torchOptions = new TorchOptions();

  public TrainCommand(PrintStream out) {
    this.out = out;
  }

  /** Runs {@code train} alone (the jconv command registers it as a subcommand). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainCommand(System.out)).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    LeNet variant;
    try {
      variant = LeNet.of(model);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (epochs < 1 || batchSize < 1 || (limit != null && limit < 1) || (threads != null && threads < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--epochs, --batch-size, --limit and --threads must be positive");
    }
    if (!compare.equals("torch") && !compare.equals("none")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--compare must be torch or none, got '" + compare + "'");
    }
    if (threads != null && threads > dev.jconv.Torch.MAX_THREADS) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--threads must be at most " + dev.jconv.Torch.MAX_THREADS + ", got " + threads);
    }
    if (lr != null && !(lr >= 0)) {
      // torch.optim.SGD's words, before any work.
      throw new CommandLine.ParameterException(spec.commandLine(), "Invalid learning rate: " + lr);
    }
    // The output directory before the training, not after it: a run is not lost to a bad --out.
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      out.println("train: cannot create the output directory " + outDir + ": " + why(e));
      return 1;
    }
    if (!Files.isWritable(outDir)) {
      out.println("train: cannot write to the output directory " + outDir);
      return 1;
    }
    if (threads != null) {
      Torch.setNumThreads(threads);
    }
    double rate = lr != null ? lr : variant.lr;
    FashionMnist trainSet;
    FashionMnist testSet;
    try {
      trainSet = FashionMnist.load(data, true);
      testSet = FashionMnist.load(data, false);
    } catch (IOException e) {
      out.println("train: " + e.getMessage());
      return 1;
    }
    Dataset train = limit == null ? trainSet : new Subset(trainSet, Math.min(limit, trainSet.size()));
    Torch.manualSeed(seed);
    Sequential net = variant.build();
    SGD opt = new SGD(net.parameters(), rate);
    DataLoader trainLoader = new DataLoader(train, batchSize, true);
    DataLoader testLoader = new DataLoader(testSet, batchSize, false);
    out.printf(Locale.ROOT, "training %s on %d Fashion-MNIST images (test: %d), batch %d, lr %s, %d epochs, %d threads%n",
        variant.cliName, train.size(), testSet.size(), batchSize, fmt(rate), epochs, Torch.getNumThreads());
    TrainComparison torch = null;
    if (compare.equals("torch")) {
      try {
        torch = TrainComparison.start(torchOptions.python, torchOptions.script("train_lenet_torch.py"),
            torchRecipe(variant, rate), Torch.getNumThreads());
        if (torch.images() != train.size()) {
          throw new TorchServer.Unavailable("PyTorch loaded " + torch.images() + " training images, jconv " + train.size());
        }
      } catch (TorchServer.Unavailable e) {
        if (torch != null) {
          torch.close();
        }
        out.println("train: cannot compare with PyTorch: " + e.getMessage());
        return 1;
      }
      out.println("compared with PyTorch " + torch.version() + " (" + torchOptions.python + " "
          + "tools/bench/train_lenet_torch.py: same seed and batches, OpenBLAS/OpenMP threads = threads, "
          + "GLIBC_TUNABLES malloc thresholds)");
    }
    Training training = new Training(net, opt);
    List<Training.Epoch> history = new ArrayList<>();
    double totalSeconds = 0;
    long totalImages = 0;
    try (TrainComparison t = torch) {
      for (int e = 1; e <= epochs; e++) {
        ProgressBar bar = noProgress ? null : new ProgressBar(out, e, epochs, trainLoader.size(), batchSize);
        double[] running = new double[1];
        Training.Epoch ep = training.epoch(e, trainLoader, testLoader,
            bar == null ? null : b -> bar.update(b, running[0]), running);
        if (bar != null) {
          bar.finish();
        }
        history.add(ep);
        totalSeconds += ep.seconds();
        totalImages += ep.images();
        printEpoch("", ep);
        if (t != null) {
          printEpoch("  PyTorch ", t.epoch());
        }
      }
      Training.Epoch last = history.get(history.size() - 1);
      out.printf(Locale.ROOT, "loss %.3f, train acc %.3f, test acc %.3f%n", last.loss(), last.trainAcc(),
          last.testAcc());
      int threads = Torch.getNumThreads();
      out.printf(Locale.ROOT, "%.1f examples/sec on cpu (%d %s)%n", totalImages / totalSeconds, threads,
          threads == 1 ? "thread" : "threads");
      if (t != null) {
        t.printSummary(out, history, Torch.getNumThreads());
      }
    } catch (TorchServer.Unavailable e) {
      out.println("train: PyTorch stopped: " + e.getMessage());
      return 1;
    }
    Path png = outDir.resolve(variant.cliName + ".png");
    Path weights = outDir.resolve(variant.cliName + ".safetensors");
    try {
      CurvePlot.write(png, variant.cliName + " on Fashion-MNIST (jconv)", history);
      Safetensors.save(net, weights);
    } catch (IOException e) {
      out.println("train: cannot write the curves and weights to " + outDir + ": " + why(e));
      return 1;
    }
    out.println("wrote " + png + " and " + weights);
    return 0;
  }

  /** What went wrong with a file, in words (the exception's class names the problem for some). */
  static String why(IOException e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.AccessDeniedException) {
      return m + ": permission denied";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return m + ": exists and is not a directory";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return m + ": no such file or directory";
    }
    return m;
  }

  private void printEpoch(String who, Training.Epoch ep) {
    out.printf(Locale.ROOT, "%sepoch %d/%d: loss %.3f, train acc %.3f, test acc %.3f, %.2f s (%,.0f images/s)%n", who,
        ep.epoch(), epochs, ep.loss(), ep.trainAcc(), ep.testAcc(), ep.seconds(), ep.imagesPerSecond());
  }

  /** train_lenet_torch.py's arguments for this run's recipe. */
  private List<String> torchRecipe(LeNet variant, double rate) {
    List<String> r = new ArrayList<>(List.of("--model", variant.cliName, "--data", data.toString(),
        "--epochs", Integer.toString(epochs), "--batch-size", Integer.toString(batchSize), "--lr", Double.toString(rate),
        "--threads", Integer.toString(Torch.getNumThreads()), "--seed", Long.toString(seed)));
    if (limit != null) {
      r.addAll(List.of("--limit", Integer.toString(limit)));
    }
    return r;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
  }

  /** The first {@code n} examples of a dataset. */
  private record Subset(Dataset base, int size) implements Dataset {
    @Override
    public dev.jconv.data.Batch get(int[] indices) {
      Dataset.checkIndices(indices, size);
      return base.get(indices);
    }
  }

  /** {@code epoch 3/10 [=========>          ] 117/235  31,204 images/s  loss 0.612}, redrawn in place. */
  static final class ProgressBar {
    private final PrintStream out;
    private final int epoch;
    private final int epochs;
    private final int total;
    private final int batchSize;
    private final long start = System.nanoTime();
    private long lastDraw;

    ProgressBar(PrintStream out, int epoch, int epochs, int total, int batchSize) {
      this.out = out;
      this.epoch = epoch;
      this.epochs = epochs;
      this.total = total;
      this.batchSize = batchSize;
    }

    void update(int done, double loss) {
      long now = System.nanoTime();
      if (done < total && now - lastDraw < 100_000_000L) {
        return; // at most ten redraws a second
      }
      lastDraw = now;
      int width = 30;
      int filled = (int) ((long) width * done / Math.max(1, total));
      double seconds = (now - start) / 1e9;
      String bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? (done == total ? "=" : ">") : "")
          + " ".repeat(width - filled);
      out.printf(Locale.ROOT, "\repoch %d/%d [%s] %d/%d  %,.0f images/s  loss %.3f", epoch, epochs, bar, done, total,
          done * (double) batchSize / Math.max(seconds, 1e-9), loss);
      out.flush();
    }

    void finish() {
      out.print("\r" + " ".repeat(90) + "\r");
      out.flush();
    }
  }
}
