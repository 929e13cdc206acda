package dev.jconv.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.autograd.NoGrad;
import dev.jconv.data.Batch;
import dev.jconv.data.DataLoader;
import dev.jconv.data.TensorDataset;
import dev.jconv.nn.functional.F;
import dev.jconv.optim.Adam;
import dev.jconv.optim.AdamOptions;
import dev.jconv.optim.Optimizer;
import dev.jconv.optim.SGD;
import dev.jconv.optim.SGDOptions;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * End to end: a small CNN (convolution, both poolings, sigmoid, ReLU, linear layers) learns a
 * synthetic image task in a few hundred steps; the loss must fall and the held-out accuracy rise.
 * This is what every part of the training machinery has to get right at once.
 */
class LearningTest {

  /** 12x12 images with a bright 4x4 square in one of four quadrants (the class), plus noise. */
  private static TensorDataset quadrants(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 144];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      int cls = r.nextInt(4);
      y[i] = cls;
      int oy = (cls / 2) * 6 + 1 + r.nextInt(2);
      int ox = (cls % 2) * 6 + 1 + r.nextInt(2);
      for (int p = 0; p < 144; p++) {
        x[i * 144 + p] = (float) (0.3 * r.nextGaussian());
      }
      for (int dy = 0; dy < 4; dy++) {
        for (int dx = 0; dx < 4; dx++) {
          x[i * 144 + (oy + dy) * 12 + ox + dx] += 1f;
        }
      }
    }
    return new TensorDataset(Torch.fromFlat(x, n, 1, 12, 12), Torch.fromFlat(y, n));
  }

  private static Sequential net() {
    return new Sequential(
        new Conv2d(Conv2dOptions.of(1, 4, 3).padding(1)), new ReLU(), new MaxPool2d(MaxPool2dOptions.of(2)),
        new Conv2d(Conv2dOptions.of(4, 8, 3)), new Sigmoid(), new AvgPool2d(AvgPool2dOptions.of(2)),
        new Flatten(), new Linear(8 * 2 * 2, 16), new Tanh(), new Linear(16, 4));
  }

  private static double[] train(Sequential net, Optimizer opt, int epochs) {
    DataLoader train = new DataLoader(quadrants(640, 1), 32, true);
    double first = Double.NaN;
    double last = Double.NaN;
    for (int e = 0; e < epochs; e++) {
      double sum = 0;
      int seen = 0;
      for (Batch b : train) {
        opt.zeroGrad();
        Tensor loss = F.crossEntropy(net.forward(b.inputs()), b.targets());
        loss.backward();
        opt.step();
        sum += loss.item() * b.size();
        seen += b.size();
      }
      if (e == 0) {
        first = sum / seen;
      }
      last = sum / seen;
    }
    TensorDataset test = quadrants(200, 2);
    long correct = 0;
    try (var g = NoGrad.enter()) {
      Batch all = test.get(java.util.stream.IntStream.range(0, 200).toArray());
      long[] pred = net.forward(all.inputs()).argmax(1).toLongArray();
      long[] y = all.targets().toLongArray();
      for (int i = 0; i < y.length; i++) {
        correct += pred[i] == y[i] ? 1 : 0;
      }
    }
    return new double[] {first, last, correct / 200.0};
  }

  @Test
  void smallCnn_withSgdMomentum_learnsTheTask() {
    Torch.manualSeed(3);
    Sequential net = net();
    double[] r = train(net, new SGD(net.parameters(), SGDOptions.of(0.1).momentum(0.9)), 15); // 300 steps
    assertTrue(r[1] < 0.5 * r[0], "loss fell from " + r[0] + " to " + r[1]);
    assertTrue(r[2] >= 0.9, "held-out accuracy " + r[2]);
  }

  @Test
  void smallCnn_withAdam_learnsTheTask() {
    Torch.manualSeed(4);
    Sequential net = net();
    double[] r = train(net, new Adam(net.parameters(), AdamOptions.of(0.01)), 10); // 200 steps
    assertTrue(r[1] < 0.5 * r[0], "loss fell from " + r[0] + " to " + r[1]);
    assertTrue(r[2] >= 0.9, "held-out accuracy " + r[2]);
  }
}
