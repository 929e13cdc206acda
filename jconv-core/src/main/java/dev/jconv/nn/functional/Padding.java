package dev.jconv.nn.functional;

/**
 * A convolution's padding, as PyTorch's {@code padding} argument: explicit sizes (one int for both
 * dimensions, or a pair), {@link #VALID} (no padding) or {@link #SAME} (output as large as the input;
 * stride 1 only; an even kernel puts the extra row/column at the bottom/right).
 *
 * <pre>{@code
 * Padding.of(1)        // padding=1
 * Padding.of(2, 1)     // padding=(2, 1)
 * Padding.SAME         // padding='same'
 * }</pre>
 */
public sealed interface Padding permits Padding.Explicit, Padding.Valid, Padding.Same {

  /** {@code padding='valid'}: no padding. */
  Padding VALID = new Valid();

  /** {@code padding='same'}. */
  Padding SAME = new Same();

  /** The same padding on both sides of both dimensions ({@code padding=p}). */
  static Padding of(int p) {
    return new Explicit(p, p);
  }

  /** {@code padding=(height, width)}: rows added at top and bottom, columns at left and right. */
  static Padding of(int height, int width) {
    return new Explicit(height, width);
  }

  /**
   * Explicit padding; any values are representable, and the function or layer that uses them
   * rejects negative ones with PyTorch's message.
   */
  record Explicit(int height, int width) implements Padding {
    /** Whether both sizes are zero (PyTorch leaves such padding out of a layer's printed form). */
    public boolean isZero() {
      return height == 0 && width == 0;
    }

    /** As PyTorch prints it: {@code (1, 2)}. */
    @Override
    public String toString() {
      return "(" + height + ", " + width + ")";
    }
  }

  /** {@code padding='valid'}. */
  record Valid() implements Padding {
    @Override
    public String toString() {
      return "valid";
    }
  }

  /** {@code padding='same'}. */
  record Same() implements Padding {
    @Override
    public String toString() {
      return "same";
    }
  }
}
