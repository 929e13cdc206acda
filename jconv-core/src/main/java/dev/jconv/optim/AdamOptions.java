package dev.jconv.optim;

/**
 * Settings of {@link Adam}, PyTorch's {@code Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
 * weight_decay=0, amsgrad=False)}; checked when the record is made.
 *
 * <pre>{@code
 * AdamOptions o = AdamOptions.of(3e-4).betas(0.9, 0.99);
 * }</pre>
 */
public record AdamOptions(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {

  /** @throws IllegalArgumentException in PyTorch's words for an out-of-range value */
  public AdamOptions {
    if (!(lr >= 0)) {
      throw new IllegalArgumentException("Invalid learning rate: " + lr);
    }
    if (!(eps >= 0)) {
      throw new IllegalArgumentException("Invalid epsilon value: " + eps);
    }
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("Invalid beta parameter at index 0: " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Invalid beta parameter at index 1: " + beta2);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
    }
  }

  /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8. */
  public static AdamOptions of() {
    return of(1e-3);
  }

  /** PyTorch's defaults with learning rate {@code lr}. */
  public static AdamOptions of(double lr) {
    return new AdamOptions(lr, 0.9, 0.999, 1e-8, 0, false);
  }

  public AdamOptions lr(double v) {
    return new AdamOptions(v, beta1, beta2, eps, weightDecay, amsgrad);
  }

  public AdamOptions betas(double b1, double b2) {
    return new AdamOptions(lr, b1, b2, eps, weightDecay, amsgrad);
  }

  public AdamOptions eps(double v) {
    return new AdamOptions(lr, beta1, beta2, v, weightDecay, amsgrad);
  }

  public AdamOptions weightDecay(double v) {
    return new AdamOptions(lr, beta1, beta2, eps, v, amsgrad);
  }

  public AdamOptions amsgrad(boolean v) {
    return new AdamOptions(lr, beta1, beta2, eps, weightDecay, v);
  }
}
