package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
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
   * Direct kernels run layers whose patch (cin*kh*kw) is at most this large: there im2col's
   * copies outweigh its products (LeNet: 25 and 150; a 7x7 RGB stem: 147).
   */
  static final int DIRECT_MAX_PATCH = 256;

  /**
   * DIRECT_CHANNELS from this many output channels (one 512-bit vector; DIRECT below) up to the
   * second bound (beyond it a GEMM reuses each loaded input value better than broadcasts do).
   */
  static final int DIRECT_CHANNELS_MIN_COUT = 16;
  static final int DIRECT_CHANNELS_MAX_COUT = 64;

  /** For strided kxk kernels (k > 1) DIRECT_CHANNELS beats im2col up to this many outputs. */
  static final int DIRECT_CHANNELS_MAX_COUT_STRIDED = 128;

  /**
   * IMAGE_LANES from this many images (two 512-bit groups: a partial group computes empty lanes),
   * for layers with a small patch (LeNet's second layer, 256 images, 6 -> 16 channels: 1.5x
   * DIRECT_CHANNELS; its first, 1 -> 6: 1.4x DIRECT; 3x3 layers of 3 or 8 -> 16 on 12x12 and
   * 16x16 maps: 1.6x DIRECT_CHANNELS). Layers that Winograd takes (16 or more channels each way)
   * stay with it: IMAGE_LANES won with 16 input channels (1.1-1.5x) but not with 24.
   */
  static final int IMAGE_LANES_MIN_BATCH = 32;

  /**
   * IMAGE_LANES from this many output channels up to DIRECT_CHANNELS_MAX_COUT (beyond it a GEMM
   * reuses each input value better): 4 and 6 were measured (2x and 1.4x DIRECT), fewer were not.
   */
  static final int IMAGE_LANES_MIN_COUT = 4;

  /**
   * IMAGE_LANES up to this many floats per image (input plus output; LeNet's second layer: 1176 +
   * 1600), which bounds each thread's group copies (16 images) to about 1.3 MB. Measured against
   * DIRECT_CHANNELS at 1 thread: 3x32x32 -> 16 3x3 (19456 floats) 1.33x, 1x28x28 -> 16 3x3
   * (13328) 1.85x, but 3x32x32 -> 32 (35840) only 1.08x.
   */
  static final int IMAGE_LANES_MAX_IMAGE_FLOATS = 20480;

  private ConvSelector() {}

  /** The algorithm for {@code p}: the forced one if set and able to run it, otherwise the best. */
  public static ConvAlgorithm select(ConvParams p) {
    ConvAlgorithm forced = forced();
    if (forced != null && forced.supports(p)) {
      return forced;
    }
    return choose(p);
  }

  /**
   * {@link #select}, for these operands, so that infinities and NaN reach exactly the outputs they
   * reach in PyTorch:
   * <ul>
   *   <li>an infinite or NaN input takes im2col where the choice mixes whole tiles ({@link
   *       ConvAlgorithm#mixesTiles}): a 32-channel 3x3 layer with one infinite pixel gave 768 NaN and
   *       32 infinities through Winograd, where PyTorch and im2col give 288 infinities;
   *   <li>an infinite or NaN weight on a padded layer meets the padding's zeros (NaN) in PyTorch's
   *       own im2col kernel but not in its oneDNN one, which skips the padding; PyTorch picks between
   *       them by the shapes ({@link #pytorchUsesOneDnn}), and so does jconv: im2col, or the
   *       reference, which skips the padding too. Without padding, im2col where the choice mixes
   *       whole tiles.
   * </ul>
   * The checks are passes over the weight, and over the input for Winograd layers, over the threads.
   */
  public static ConvAlgorithm selectFor(ConvParams p, float[] x, float[] weight) {
    ConvAlgorithm a = select(p);
    boolean padded = p.padTop() > 0 || p.padLeft() > 0 || p.padBottom() > 0 || p.padRight() > 0;
    if (!allFinite(weight, p.weightLength())) {
      if (padded) {
        return PaddingNaN.forwardSkipsPadding(p) ? ConvAlgorithm.REFERENCE : ConvAlgorithm.IM2COL_GEMM;
      }
      return a.mixesTiles() ? ConvAlgorithm.IM2COL_GEMM : a;
    }
    if (a.mixesTiles() && !allFinite(x, p.inputLength())) {
      return ConvAlgorithm.IM2COL_GEMM;
    }
    return a;
  }

  /**
   * Whether PyTorch 1.13 runs this float32 forward with oneDNN (mkldnn) rather than its own im2col
   * kernel: {@code ConvParams::use_mkldnn} in ATen's Convolution.cpp, for a CPU tensor that is not
   * transposed. Only non-finite weights on padded layers tell the two apart.
   */
  static boolean pytorchUsesOneDnn(ConvParams p) {
    boolean strided = p.strideH() > 1 || p.strideW() > 1;
    boolean dilated = p.dilationH() > 1 || p.dilationW() > 1;
    boolean notOneByOneSingleThread = strided || dilated || p.n() >= 16 || p.kw() != 1 || p.kh() != 1
        || Parallel.getNumThreads() > 1;
    boolean notNativeFaster = p.groups() > 1 || (p.kw() > 3 && p.kh() > 3) || p.n() > 1
        || (long) p.n() * p.cin() * p.h() * p.w() > 20480;
    return notOneByOneSingleThread && notNativeFaster;
  }

  /** Whether {@code a[0, len)} is free of NaN and infinities ({@link ConvBackwardDirect#finite}, the active kernel). */
  public static boolean allFinite(float[] a, int len) {
    return ConvBackwardDirect.finite(a, len, ConvBackward.useVector ? ConvBackward.VECTOR : null);
  }

  /** The choice without the system property, exposed so tests can pin the thresholds. */
  static ConvAlgorithm choose(ConvParams p) {
    if (p.flops() < TINY_FLOPS) {
      return ConvAlgorithm.REFERENCE;
    }
    if (ConvAlgorithm.POINTWISE_GEMM.supports(p)) {
      return ConvAlgorithm.POINTWISE_GEMM;
    }
    if (ConvAlgorithm.DEPTHWISE.supports(p) && p.groups() > 1) {
      return ConvAlgorithm.DEPTHWISE;
    }
    boolean wide = p.cin() >= WINOGRAD_MIN_CHANNELS && p.cout() >= WINOGRAD_MIN_CHANNELS;
    if (ConvAlgorithm.WINOGRAD.supports(p) && wide) {
      return ConvAlgorithm.WINOGRAD;
    }
    if (ConvAlgorithm.DILATED_WINOGRAD.supports(p) && wide) {
      return ConvAlgorithm.DILATED_WINOGRAD;
    }
    boolean unitStride = p.strideH() == 1 && p.strideW() == 1;
    if (p.groups() == 1 && unitStride && p.n() >= IMAGE_LANES_MIN_BATCH
        && p.patchSize() <= DIRECT_MAX_PATCH
        && p.cout() >= IMAGE_LANES_MIN_COUT && p.cout() <= DIRECT_CHANNELS_MAX_COUT
        && (long) p.cin() * p.h() * p.w() + (long) p.cout() * p.outH() * p.outW()
            <= IMAGE_LANES_MAX_IMAGE_FLOATS) {
      // A large batch of small maps: images fill the vectors where channels and pixels do not.
      // (Strided layers run too, through the per-tap blocks, but were not measured.)
      return ConvAlgorithm.IMAGE_LANES;
    }
    boolean strided = p.strideH() > 1 || p.strideW() > 1;
    if (p.groups() == 1 && strided && p.kh() * p.kw() > 1 && p.cout() >= DIRECT_CHANNELS_MIN_COUT
        && p.cout() <= DIRECT_CHANNELS_MAX_COUT_STRIDED) {
      // Strided kernels: im2col would copy pixels one by one (measured 2x slower on res3x3_s2).
      return ConvAlgorithm.DIRECT_CHANNELS;
    }
    if (p.groups() == 1 && p.patchSize() <= DIRECT_MAX_PATCH) {
      // Small patches: no unfolding. Output channels across the lanes once they fill a vector;
      // below that, pixels across the lanes (which needs stride 1 along the width).
      if (p.cout() >= DIRECT_CHANNELS_MIN_COUT && p.cout() <= DIRECT_CHANNELS_MAX_COUT) {
        return ConvAlgorithm.DIRECT_CHANNELS;
      }
      if (ConvAlgorithm.DIRECT.supports(p)) {
        return ConvAlgorithm.DIRECT;
      }
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
