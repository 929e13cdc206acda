package dev.jconv.nn;

import java.util.Locale;

/**
 * What a convolution layer pads its input with ({@code padding_mode} in PyTorch). Anything but
 * {@link #ZEROS} pads the input first and then convolves without padding.
 */
public enum PaddingMode {
  /** Zeros (the default). */
  ZEROS,
  /** The input mirrored at its edge, edge excluded: padding must be smaller than the input. */
  REFLECT,
  /** The edge value repeated. */
  REPLICATE,
  /** The input wrapped around: padding may be at most the input's size. */
  CIRCULAR;

  /** PyTorch's spelling: {@code zeros}, {@code reflect}, {@code replicate}, {@code circular}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
