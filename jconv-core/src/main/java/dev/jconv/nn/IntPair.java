package dev.jconv.nn;

/**
 * A size that applies to both spatial dimensions (height, width), given either as one int for both
 * or as a pair, like PyTorch's {@code int or (int, int)} arguments (the C++ frontend's
 * {@code ExpandingArray<2>}). It remembers which form it was given so that layers print as
 * PyTorch prints them: {@code kernel_size=2} versus {@code kernel_size=(2, 3)}.
 *
 * <pre>{@code
 * IntPair.of(3);        // prints 3, means (3, 3)
 * IntPair.of(1, 2);     // prints (1, 2)
 * }</pre>
 *
 * @param h the height component
 * @param w the width component
 * @param single whether it was given as one int (then {@code h == w})
 */
public record IntPair(int h, int w, boolean single) {

  public IntPair {
    if (single && h != w) {
      throw new IllegalArgumentException("a single-int IntPair must have h == w, got (" + h + ", " + w + ")");
    }
  }

  /** The same value for height and width, printed as one int. */
  public static IntPair of(int both) {
    return new IntPair(both, both, true);
  }

  /** Height and width, printed as a tuple. */
  public static IntPair of(int h, int w) {
    return new IntPair(h, w, false);
  }

  /** As Python prints the argument it was given: {@code 3} or {@code (3, 3)}. */
  public String repr() {
    return single ? Integer.toString(h) : pairRepr();
  }

  /** Always as a tuple, {@code (3, 3)}, as PyTorch prints values it has expanded itself. */
  public String pairRepr() {
    return "(" + h + ", " + w + ")";
  }

  @Override
  public String toString() {
    return repr();
  }
}
