package dev.jconv.cli;

import dev.jconv.nn.AvgPool2d;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Flatten;
import dev.jconv.nn.Init;
import dev.jconv.nn.Linear;
import dev.jconv.nn.MaxPool2d;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.Module;
import dev.jconv.nn.ReLU;
import dev.jconv.nn.Sequential;
import dev.jconv.nn.Sigmoid;
import java.util.Locale;

/**
 * The book's LeNet ("Dive into Deep Learning", section 7.6) and its modern variant, with the book's
 * initialisation ({@code net.apply(init_weights)}: Xavier-uniform weights for every Linear and Conv2d,
 * default biases).
 */
enum LeNet {
  /** Conv2d(1,6,5,padding=2), Sigmoid, AvgPool2d(2,2), Conv2d(6,16,5), Sigmoid, AvgPool2d(2,2), Flatten, Linear(400,120), Sigmoid, Linear(120,84), Sigmoid, Linear(84,10). */
  SIGMOID("lenet", 0.9),
  /** The same with ReLU and MaxPool2d. */
  RELU("lenet-relu", 0.1);

  final String cliName;
  /** The learning rate of the recipe. */
  final double lr;

  LeNet(String cliName, double lr) {
    this.cliName = cliName;
    this.lr = lr;
  }

  /** A freshly initialised network (draws from the default generator, in PyTorch's order). */
  Sequential build() {
    boolean relu = this == RELU;
    Sequential net = new Sequential(
        new Conv2d(Conv2dOptions.of(1, 6, 5).padding(2)), act(relu), pool(relu),
        new Conv2d(Conv2dOptions.of(6, 16, 5)), act(relu), pool(relu),
        new Flatten(),
        new Linear(16 * 5 * 5, 120), act(relu),
        new Linear(120, 84), act(relu),
        new Linear(84, 10));
    net.apply(LeNet::initWeights);
    return net;
  }

  /** The book's {@code init_weights}: Xavier-uniform for Linear and Conv2d weights. */
  static void initWeights(Module m) {
    if (m instanceof Linear l) {
      Init.xavierUniform(l.weight());
    } else if (m instanceof Conv2d c) {
      Init.xavierUniform(c.weight());
    }
  }

  private static Module act(boolean relu) {
    return relu ? new ReLU() : new Sigmoid();
  }

  private static Module pool(boolean relu) {
    return relu ? new MaxPool2d(MaxPool2dOptions.of(2).stride(2)) : new AvgPool2d(AvgPool2dOptions.of(2).stride(2));
  }

  static LeNet of(String name) {
    for (LeNet v : values()) {
      if (v.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown model '" + name + "' (expected lenet or lenet-relu)");
  }
}
