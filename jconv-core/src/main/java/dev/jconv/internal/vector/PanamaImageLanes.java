package dev.jconv.internal.vector;

/**
 * The Vector API kernels of {@link KernelProvider#imageLanesRow} and its two transposes, at one
 * vector width: one subclass per width, each with its own {@code static final} species (as
 * {@link PanamaKernels}), written by {@code tools/gen_image_lanes.py}.
 */
abstract class PanamaImageLanes {

  /** Images per group: the float lanes of a vector. */
  abstract int lanes();

  /** See {@link KernelProvider#toImageLanes}. */
  abstract void toLanes(float[] x, int xOff, int imageStride, int count, int len, float[] dst,
      int dstOff);

  /** See {@link KernelProvider#fromImageLanes}. */
  abstract void fromLanes(float[] src, int len, int count, float[] out, int outOff, int imageStride);

  /** See {@link KernelProvider#imageLanesRow}. */
  abstract void row(float[] src, int base, int pixStep, int np, int[] tapOff, int taps, int kw,
      float[] w, float[] bias, int cout, float[] out, int outOff, int coStride);

  /** The kernels for {@code bits} (128, 256 or 512). */
  static PanamaImageLanes forBits(int bits) {
    return switch (bits) {
      case 128 -> new PanamaImageLanes128();
      case 256 -> new PanamaImageLanes256();
      case 512 -> new PanamaImageLanes512();
      default -> throw new IllegalArgumentException("no Vector API kernels for " + bits + "-bit vectors");
    };
  }
}
