package dev.jconv.optim;

/**
 * Settings of {@link SGD}, PyTorch's {@code SGD(params, lr, momentum=0, dampening=0, weight_decay=0,
 * nesterov=False)}; every value is checked when the record is made.
 *
 * <pre>{@code
 * SGDOptions o = SGDOptions.of(0.1).momentum(0.9).weightDecay(5e-4);
 * }</pre>
 */
public record SGDOptions(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {

  /**
   * @throws IllegalArgumentException in PyTorch's words for a negative learning rate, momentum or
   *     weight decay, or Nesterov without momentum or with dampening
   */
  public SGDOptions {
    if (!(lr >= 0)) {
      throw new IllegalArgumentException("Invalid learning rate: " + lr);
    }
    if (!(momentum >= 0)) {
      throw new IllegalArgumentException("Invalid momentum value: " + momentum);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
    }
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
    }
  }

  /** Plain SGD with learning rate {@code lr}. */
  public static SGDOptions of(double lr) {
    return new SGDOptions(lr, 0, 0, 0, false);
  }

  public SGDOptions lr(double v) {
    return new SGDOptions(v, momentum, dampening, weightDecay, nesterov);
  }

  public SGDOptions momentum(double v) {
    return new SGDOptions(lr, v, dampening, weightDecay, nesterov);
  }

  public SGDOptions dampening(double v) {
    return new SGDOptions(lr, momentum, v, weightDecay, nesterov);
  }

  public SGDOptions weightDecay(double v) {
    return new SGDOptions(lr, momentum, dampening, v, nesterov);
  }

  public SGDOptions nesterov(boolean v) {
    return new SGDOptions(lr, momentum, dampening, weightDecay, v);
  }
}
