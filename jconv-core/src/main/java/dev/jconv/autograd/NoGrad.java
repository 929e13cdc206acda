package dev.jconv.autograd;

/**
 * A scope in which nothing is recorded for autograd, like PyTorch's {@code with torch.no_grad():}.
 * Results computed inside do not require grad, and in-place updates of parameters are allowed. Closing
 * the scope restores the previous setting, so scopes nest.
 *
 * <pre>{@code
 * try (var g = NoGrad.enter()) {
 *   Tensor y = net.forward(x);   // y.requiresGrad() == false, no graph kept
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
  private final boolean previous;
  private final Thread owner;
  private boolean closed;

  private NoGrad(boolean previous) {
    this.previous = previous;
    this.owner = Thread.currentThread();
  }

  /** Turns recording off on this thread until {@link #close()}. */
  public static NoGrad enter() {
    return new NoGrad(GradMode.setEnabled(false));
  }

  /** Restores the setting that was in force when this scope was entered; a second call does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (Thread.currentThread() != owner) {
      // The setting is per thread: restoring it elsewhere would corrupt another thread's mode.
      throw new IllegalStateException("a NoGrad scope must be closed on the thread that entered it");
    }
    closed = true;
    GradMode.setEnabled(previous);
  }
}
