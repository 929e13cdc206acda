package dev.jconv.nn;

/**
 * The output size of 2-D adaptive avg pooling ({@link AdaptiveAvgPool2d},
 * {@code F.adaptiveAvgPool2d}), as PyTorch's {@code output_size}: one int for a square output,
 * or a pair where {@code null} (Python's {@code None}) keeps that side of the input. 0 gives an
 * empty output, as in PyTorch; negative sizes are refused at the call.
 *
 * <pre>{@code
 * AdaptiveAvgPool2dOptions.of(1);          // global pooling: (N, C, 1, 1)
 * AdaptiveAvgPool2dOptions.of(null, 7);    // keep the height, 7 columns
 * }</pre>
 *
 * @param outputH the output height, or null for the input's
 * @param outputW the output width, or null for the input's
 * @param single whether it was given as one int (for printing)
 */
public record AdaptiveAvgPool2dOptions(Integer outputH, Integer outputW, boolean single) {

  public AdaptiveAvgPool2dOptions {
    if (single && (outputH == null || !outputH.equals(outputW))) {
      throw new IllegalArgumentException("a single output_size must be one int for both sides");
    }
  }

  /** A square {@code size x size} output. */
  public static AdaptiveAvgPool2dOptions of(int size) {
    return new AdaptiveAvgPool2dOptions(size, size, true);
  }

  /** An {@code h x w} output; a null side keeps the input's size. */
  public static AdaptiveAvgPool2dOptions of(Integer h, Integer w) {
    return new AdaptiveAvgPool2dOptions(h, w, false);
  }

  /** PyTorch's {@code extra_repr}: {@code output_size=1}, {@code output_size=(None, 7)}. */
  public String repr() {
    return PoolArgs.adaptiveRepr(outputH, outputW, single);
  }
}
