package dev.jconv.internal.kernels;

import java.util.Locale;

/**
 * Chooses the convolution algorithm: a function from the problem to an enum, with every
 * threshold here. The system property {@value #PROPERTY} (e.g. {@code -Djconv.conv.algorithm=REFERENCE})
 * forces a choice for tests and benchmarks; a forced algorithm that cannot run a given problem is
 * ignored for that problem (so forcing {@code POINTWISE_GEMM} still runs 3x3 convolutions).
 */
public final class ConvSelector {

  /** The system property that forces an algorithm by its enum name (case-insensitive). */
  public static final String PROPERTY = "jconv.conv.algorithm";

  /**
   * Below this many FLOPs the reference loops beat the cost of unfolding and blocking (the book's
   * 3x3 by 2x2 corr2d is 16 FLOPs).
   */
  static final long TINY_FLOPS = 1L << 12;

  /**
   * Winograd needs this many input and output channels: its transforms cost per channel what the
   * 36 small products save only when they are deep and wide enough (with 3 input channels, as in a
   * first layer, im2col wins).
   */
  static final int WINOGRAD_MIN_CHANNELS = 16;

  /**
   * DIRECT runs layers with at most this many output channels and this large a patch (cin*kh*kw):
   * there im2col's copies outweigh its products (LeNet: 6 x 25 and 16 x 150).
   */
  static final int DIRECT_MAX_COUT = 32;
  static final int DIRECT_MAX_PATCH = 256;

  private ConvSelector() {}

  /** The algorithm for {@code p}: the forced one if set and able to run it, otherwise the best. */
  public static ConvAlgorithm select(ConvParams p) {
    ConvAlgorithm forced = forced();
    if (forced != null && forced.supports(p)) {
      return forced;
    }
    return choose(p);
  }

  /** The choice without the system property, exposed so tests can pin the thresholds. */
  static ConvAlgorithm choose(ConvParams p) {
    if (p.flops() < TINY_FLOPS) {
      return ConvAlgorithm.REFERENCE;
    }
    if (ConvAlgorithm.POINTWISE_GEMM.supports(p)) {
      return ConvAlgorithm.POINTWISE_GEMM;
    }
    if (ConvAlgorithm.DIRECT.supports(p) && p.cout() <= DIRECT_MAX_COUT
        && p.patchSize() <= DIRECT_MAX_PATCH) {
      return ConvAlgorithm.DIRECT;
    }
    if (ConvAlgorithm.DEPTHWISE.supports(p) && p.groups() > 1) {
      return ConvAlgorithm.DEPTHWISE;
    }
    if (ConvAlgorithm.WINOGRAD.supports(p) && p.cin() >= WINOGRAD_MIN_CHANNELS
        && p.cout() >= WINOGRAD_MIN_CHANNELS) {
      return ConvAlgorithm.WINOGRAD;
    }
    if (ConvAlgorithm.DILATED_WINOGRAD.supports(p) && p.cin() >= WINOGRAD_MIN_CHANNELS
        && p.cout() >= WINOGRAD_MIN_CHANNELS) {
      return ConvAlgorithm.DILATED_WINOGRAD;
    }
    return ConvAlgorithm.IM2COL_GEMM;
  }

  /**
   * The algorithm forced by {@value #PROPERTY}, or null. Read on every call so a test can set and
   * clear it; the cost is nothing next to a convolution.
   *
   * @throws IllegalArgumentException if the property names no algorithm
   */
  public static ConvAlgorithm forced() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return ConvAlgorithm.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " names no convolution algorithm; expected one of "
          + java.util.Arrays.toString(ConvAlgorithm.values()), e);
    }
  }
}
