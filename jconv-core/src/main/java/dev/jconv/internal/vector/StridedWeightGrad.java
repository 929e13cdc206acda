package dev.jconv.internal.vector;

/**
 * The weight gradient of a convolution with dilation 1 (any stride, padding and kernel) on one image
 * and group, reading the input in place: for each tap, the sum over the outputs whose tap reads an
 * input element inside the image, so that no product with padding is ever formed (an infinite or
 * NaN input meets only the output gradients PyTorch multiplies it by). The output gradient comes
 * packed in panels of {@code nr} output channels ({@link #pack}). Plain Java; also the rows the
 * Vector API driver ({@link PanamaStridedGrad}) leaves to it.
 */
final class StridedWeightGrad {
  private StridedWeightGrad() {}

  /** Panel width of the plain provider's packed output gradient. */
  static final int PLAIN_PANEL = 16;

  /**
   * {@code dst[dstOff + (jp*hw + p)*nr + j] = src[off + (jp*nr + j)*hw + p]} for the {@code cout} rows
   * of {@code hw} floats, zero for {@code jp*nr + j >= cout} (up to the last panel's end).
   */
  static void pack(float[] src, int off, int cout, int hw, int nr, float[] dst, int dstOff) {
    int panels = Math.ceilDiv(cout, nr);
    for (int jp = 0; jp < panels; jp++) {
      int cols = Math.min(nr, cout - jp * nr);
      int base = dstOff + jp * hw * nr;
      for (int j = 0; j < nr; j++) {
        if (j >= cols) {
          for (int p = 0; p < hw; p++) {
            dst[base + p * nr + j] = 0f;
          }
          continue;
        }
        int s = off + (jp * nr + j) * hw;
        for (int p = 0; p < hw; p++) {
          dst[base + p * nr + j] = src[s + p];
        }
      }
    }
  }

  /** The first output whose tap {@code t} (stride s, padding before {@code pad}) reads inside the input. */
  static int first(int t, int pad, int s) {
    return Math.max(0, Math.ceilDiv(pad - t, s));
  }

  /** One past the last output (of {@code out}) whose tap {@code t} reads inside an input of {@code in}. */
  static int end(int t, int pad, int s, int in, int out) {
    return Math.min(out, Math.ceilDiv(in + pad - t, s));
  }

  /**
   * Input channels [ci0, ci1) of {@link KernelProvider#stridedWeightGrad}: plain loops, the packed
   * gOut's {@code nr} columns innermost.
   */
  static void rows(float[] x, int xOff, int ci0, int ci1, int h, int w, int kh, int kw, int sy, int sx, int padT,
      int padL, float[] bp, int outH, int outW, int coutPad, int nr, float[] gwT, int gwOff) {
    int hw = h * w;
    int ohw = outH * outW;
    int khw = kh * kw;
    for (int u = 0; u < kh; u++) {
      int oy0 = first(u, padT, sy);
      int oy1 = end(u, padT, sy, h, outH);
      for (int v = 0; v < kw; v++) {
        int ox0 = first(v, padL, sx);
        int ox1 = end(v, padL, sx, w, outW);
        if (oy1 <= oy0 || ox1 <= ox0) {
          continue;
        }
        for (int ci = ci0; ci < ci1; ci++) {
          int cRow = gwOff + (ci * khw + u * kw + v) * coutPad;
          for (int jp = 0; jp < coutPad / nr; jp++) {
            int c0 = cRow + jp * nr;
            for (int oy = oy0; oy < oy1; oy++) {
              int xi = xOff + ci * hw + (oy * sy + u - padT) * w + ox0 * sx + v - padL;
              int bi = (jp * ohw + oy * outW + ox0) * nr;
              for (int ox = ox0; ox < ox1; ox++, xi += sx, bi += nr) {
                float xv = x[xi];
                for (int j = 0; j < nr; j++) {
                  gwT[c0 + j] += xv * bp[bi + j];
                }
              }
            }
          }
        }
      }
    }
  }
}
