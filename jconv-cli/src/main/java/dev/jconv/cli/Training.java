package dev.jconv.cli;

import dev.jconv.Tensor;
import dev.jconv.autograd.NoGrad;
import dev.jconv.data.Batch;
import dev.jconv.data.DataLoader;
import dev.jconv.nn.CrossEntropyLoss;
import dev.jconv.nn.Loss;
import dev.jconv.nn.Module;
import dev.jconv.optim.Optimizer;
import java.util.function.IntConsumer;

/**
 * The book's {@code train_ch6} loop: per batch, zero the gradients, forward, cross-entropy,
 * backward, step; the epoch's mean loss and accuracy are accumulated from the batches as they were
 * trained (as the book does), then the test accuracy is measured with recording off.
 */
final class Training {
  /** What one epoch measured. */
  record Epoch(int epoch, double loss, double trainAcc, double testAcc, double seconds, int images) {
    double imagesPerSecond() {
      return images / seconds;
    }
  }

  private final Module net;
  private final Optimizer optimizer;
  private final Loss loss = new CrossEntropyLoss();

  Training(Module net, Optimizer optimizer) {
    this.net = net;
    this.optimizer = optimizer;
  }

  /**
   * Trains one epoch over {@code train}, then evaluates on {@code test} (null: no test accuracy).
   * {@code progress} gets the number of batches done after each one.
   */
  Epoch epoch(int index, DataLoader train, DataLoader test, IntConsumer progress, double[] runningLoss) {
    net.train(true);
    double lossSum = 0;
    long correct = 0;
    int seen = 0;
    int batches = 0;
    long start = System.nanoTime();
    for (Batch b : train) {
      optimizer.zeroGrad();
      Tensor yHat = net.forward(b.inputs());
      Tensor l = loss.forward(yHat, b.targets());
      l.backward();
      optimizer.step();
      int n = b.size();
      lossSum += l.item() * n;
      correct += correct(yHat.detach(), b.targets());
      seen += n;
      batches++;
      if (runningLoss != null) {
        runningLoss[0] = lossSum / seen;
      }
      if (progress != null) {
        progress.accept(batches);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double testAcc = test == null ? Double.NaN : accuracy(net, test);
    return new Epoch(index, lossSum / seen, (double) correct / seen, testAcc, seconds, seen);
  }

  /** The fraction of {@code data} the network classifies right, in eval mode, without recording. */
  static double accuracy(Module net, DataLoader data) {
    net.train(false);
    long correct = 0;
    long seen = 0;
    try (var g = NoGrad.enter()) {
      for (Batch b : data) {
        correct += correct(net.forward(b.inputs()), b.targets());
        seen += b.size();
      }
    }
    net.train(true);
    return seen == 0 ? Double.NaN : (double) correct / seen;
  }

  /** How many rows of {@code logits} have their maximum at the target class (the book's accuracy). */
  static long correct(Tensor logits, Tensor targets) {
    long[] pred = logits.argmax(1).toLongArray();
    long[] y = targets.toLongArray();
    long c = 0;
    for (int i = 0; i < y.length; i++) {
      if (pred[i] == y[i]) {
        c++;
      }
    }
    return c;
  }
}
