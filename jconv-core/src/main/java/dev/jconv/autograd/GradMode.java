package dev.jconv.autograd;

/**
 * Whether operations on tensors that require grad are recorded for autograd on the current thread,
 * like PyTorch's {@code torch.is_grad_enabled()}. Recording is on by default; {@link NoGrad} turns it
 * off for a block.
 *
 * <pre>{@code
 * try (var g = NoGrad.enter()) {
 *   GradMode.isEnabled();          // false
 *   w.subInPlace(w.grad().mul(lr)); // not recorded
 * }
 * }</pre>
 */
public final class GradMode {
  private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

  private GradMode() {}

  /** Whether the current thread records operations for autograd. */
  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /**
   * Turns recording on or off for the current thread, like {@code torch.set_grad_enabled(mode)}; returns
   * the previous setting. Prefer {@link NoGrad#enter()}, which restores the setting on close.
   */
  public static boolean setEnabled(boolean enabled) {
    boolean[] cell = ENABLED.get();
    boolean previous = cell[0];
    cell[0] = enabled;
    return previous;
  }
}
