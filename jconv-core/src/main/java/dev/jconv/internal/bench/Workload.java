package dev.jconv.internal.bench;

/**
 * Something {@code ./jconv bench} times and PyTorch's side times the same way: a suite case's forward
 * ({@link BenchCase}) or a convolution case's backward ({@link ConvBackwardCase}). It has the case's
 * name and shape, the work one call does, and a {@link Trial}: fresh inputs, the call to time, and a
 * check of its result against a slow reference.
 */
public sealed interface Workload permits BenchCase, ConvBackwardCase {

  /** The case's fixed name, e.g. {@code res3x3_28} (the same for its forward and its backward). */
  String name();

  /** The shape in a few words, e.g. {@code N8 C128 28x28 -> 128 k3 p1}. */
  String describe();

  /** Flops of one call (convolutions) or bytes it must move (pooling). */
  double work();

  /** What {@link #work()} counts, and so the throughput unit. */
  BenchCase.Unit unit();

  /** Which pass of the layer is timed. */
  Pass pass();

  /** Fresh inputs, made after {@code Torch.manualSeed(0)}, ready to run and check. */
  Trial<?> trial();

  /** The passes a workload can time. */
  enum Pass {
    FORWARD, BACKWARD;

    /** {@code forward} or {@code backward}: the word the report and PyTorch's server use. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Inputs ready to run.
   *
   * @param <R> what one call returns
   */
  interface Trial<R> {
    /** One timed call; its result is freshly allocated, as a user's would be. */
    R run();

    /** Compares {@code result} (what {@link #run()} returned) with the slow reference on a sample; does not modify it. */
    CheckResult check(R result);
  }
}
