package dev.jconv.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PyTorch's side of {@code ./jconv train --compare torch}: {@code tools/bench/train_lenet_torch.py
 * --serve} trains the same recipe (same seed, same batches in the same order) in a child process, one
 * epoch per request, so that jconv's and PyTorch's epochs alternate and a busy machine slows both
 * alike; then a summary table of the last epoch and the speed.
 */
final class TrainComparison implements AutoCloseable {
  private final TorchServer server;
  private final List<Training.Epoch> epochs = new ArrayList<>();

  private TrainComparison(TorchServer server) {
    this.server = server;
  }

  /**
   * Starts PyTorch's trainer with the same recipe.
   *
   * @throws TorchServer.Unavailable when Python, torch, the script or the data cannot be used
   */
  static TrainComparison start(Path python, Path script, List<String> recipe, int threads)
      throws TorchServer.Unavailable {
    List<String> args = new ArrayList<>(List.of("--serve"));
    args.addAll(recipe);
    return new TrainComparison(TorchServer.start(python, script, args, threads));
  }

  String version() {
    return server.version();
  }

  /** How many training images PyTorch loaded (to check that both train on the same data). */
  long images() throws TorchServer.Unavailable {
    return (long) TorchServer.field(server.readyLine(), "images");
  }

  /** Trains one epoch in PyTorch and returns what it measured. */
  Training.Epoch epoch() throws TorchServer.Unavailable {
    String a = server.request("epoch", 3600);
    Training.Epoch e = new Training.Epoch((int) TorchServer.field(a, "epoch"), TorchServer.field(a, "loss"),
        TorchServer.field(a, "train_acc"), TorchServer.field(a, "test_acc"), TorchServer.field(a, "seconds"),
        (int) TorchServer.field(a, "images"));
    epochs.add(e);
    return e;
  }

  /**
   * The side-by-side table: last epoch's loss and accuracies, and the images/s of the median epoch
   * (the first epoch of each includes its warm-up; the median is robust to one slow epoch).
   */
  void printSummary(PrintStream out, List<Training.Epoch> jconv, int threads) {
    String torchName = "PyTorch " + version();
    int w = Math.max(12, torchName.length());
    out.println();
    out.printf(Locale.ROOT, "side by side, %d thread%s, epochs alternating (images/s of the median epoch):%n", threads,
        threads == 1 ? "" : "s");
    out.printf(Locale.ROOT, "%-" + w + "s  %6s  %9s  %8s  %9s  %9s%n", "", "loss", "train acc", "test acc", "s/epoch",
        "images/s");
    row(out, w, "jconv", jconv);
    row(out, w, torchName, epochs);
    double ratio = medianSpeed(jconv) / medianSpeed(epochs);
    out.printf(Locale.ROOT, "jconv / PyTorch images/s: %.2fx%n", ratio);
  }

  private static void row(PrintStream out, int w, String who, List<Training.Epoch> eps) {
    Training.Epoch last = eps.get(eps.size() - 1);
    double speed = medianSpeed(eps);
    out.printf(Locale.ROOT, "%-" + w + "s  %6.3f  %9.3f  %8.3f  %9.2f  %,9.0f%n", who, last.loss(), last.trainAcc(),
        last.testAcc(), last.images() / speed, speed);
  }

  /** The median of the epochs' images/s (the mean of the middle two for an even count). */
  static double medianSpeed(List<Training.Epoch> eps) {
    double[] s = eps.stream().mapToDouble(Training.Epoch::imagesPerSecond).sorted().toArray();
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  @Override
  public void close() {
    server.close();
  }
}
