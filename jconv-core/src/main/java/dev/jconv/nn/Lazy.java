package dev.jconv.nn;

/** What the lazy layers ({@link LazyConv2d}, {@link LazyLinear}) share. */
final class Lazy {
  private Lazy() {}

  /** PyTorch's words for an uninitialized parameter, and what jconv needs instead. */
  static final String UNINITIALIZED = "Can't access the shape of an uninitialized parameter or buffer. Call `forward` "
      + "to initialize the parameters before accessing their attributes (jconv makes a lazy layer's parameters "
      + "at its first forward: collect them for an optimizer or a state dict after it).";

  /** Refuses a lazy layer's parameters before its first forward ({@code materialized} false). */
  static void require(boolean materialized) {
    if (!materialized) {
      throw new IllegalStateException(UNINITIALIZED);
    }
  }
}
