package dev.jconv.internal.kernels;

import java.util.Arrays;

/**
 * Unfolding (im2col) and folding back (col2im) for strided convolutions through "phase planes":
 * each input channel is split once into {@code sh * sw} planes, plane (py, px) holding the pixels
 * {@code (a*sh + py, b*sw + px)}. A tap (ky, kx) then reads, for output (oy, ox), the element
 * {@code (oy + qy, ox + qx)} of plane {@code (floorMod(ky*dh - padTop, sh), floorMod(kx*dw - padLeft, sw))}
 * with {@code qy = floorDiv(ky*dh - padTop, sh)}: stride 1, so a row of output pixels is one
 * contiguous run (an array copy, a vector add) instead of a gather or scatter with stride
 * {@code sw}, repeated for every tap. res3x3_s2 (stride 2, 9 taps) and res_stem (stride 2, 49
 * taps) spent most of their backward in those strided loops.
 *
 * <p>Layout for one (image, group): channel c, phase (py, px) is the plane at
 * {@code ((c*sh + py)*sw + px) * ph * pw}, of {@code ph x pw} with {@code ph = ceil(h/sh)},
 * {@code pw = ceil(w/sw)}; phase (py, px) uses its first {@code ceil((h-py)/sh)} rows and
 * {@code ceil((w-px)/sw)} columns. No argument checks.
 */
final class PhasePlanes {
  private PhasePlanes() {}

  /**
   * Largest phase-plane scratch (floats, per thread) the strided backward uses; larger problems
   * keep the strided loops.
   */
  static final long MAX_FLOATS = 1L << 23;

  /** Tests turn the form off ({@code -Djconv.convBackward.phases=false}) to run the strided loops. */
  static boolean enabled = !"false".equals(System.getProperty("jconv.convBackward.phases"));

  /** Whether the backward of {@code p} unfolds through phase planes. */
  static boolean applies(ConvParams p) {
    return enabled && (p.strideH() > 1 || p.strideW() > 1) && floats(p) <= MAX_FLOATS;
  }

  /** Floats of one (image, group)'s phase planes. */
  static long floats(ConvParams p) {
    return (long) p.cinPerGroup() * p.strideH() * p.strideW() * planeH(p) * planeW(p);
  }

  private static int planeH(ConvParams p) {
    return Math.ceilDiv(p.h(), p.strideH());
  }

  private static int planeW(ConvParams p) {
    return Math.ceilDiv(p.w(), p.strideW());
  }

  /** Splits channels [c0, c1) of the (image, group) at {@code x[xOff]} into phase planes {@code ph}. */
  static void split(ConvParams p, float[] x, int xOff, int c0, int c1, float[] ph) {
    int h = p.h();
    int w = p.w();
    int sh = p.strideH();
    int sw = p.strideW();
    int pH = planeH(p);
    int pW = planeW(p);
    for (int c = c0; c < c1; c++) {
      for (int iy = 0; iy < h; iy++) {
        int src = xOff + (c * h + iy) * w;
        int rowBase = ((c * sh + iy % sh) * sw) * pH * pW + (iy / sh) * pW;
        for (int px = 0; px < sw; px++) {
          int d = rowBase + px * pH * pW;
          for (int ix = px; ix < w; ix += sw) {
            ph[d++] = x[src + ix];
          }
        }
      }
    }
  }

  /**
   * Adds channels [c0, c1) of the phase planes {@code ph} onto the (image, group) at
   * {@code gX[xOff]}: the transpose of {@link #split}.
   */
  static void merge(ConvParams p, float[] ph, int c0, int c1, float[] gX, int xOff) {
    int h = p.h();
    int w = p.w();
    int sh = p.strideH();
    int sw = p.strideW();
    int pH = planeH(p);
    int pW = planeW(p);
    for (int c = c0; c < c1; c++) {
      for (int iy = 0; iy < h; iy++) {
        int dst = xOff + (c * h + iy) * w;
        int rowBase = ((c * sh + iy % sh) * sw) * pH * pW + (iy / sh) * pW;
        for (int px = 0; px < sw; px++) {
          int s = rowBase + px * pH * pW;
          for (int ix = px; ix < w; ix += sw) {
            gX[dst + ix] += ph[s++];
          }
        }
      }
    }
  }

  /**
   * Rows [r0, r1) of the unfolded patches for output pixels [j0, j1), from the phase planes
   * {@code ph}, into {@code col[r*(j1-j0) + j - j0]}; taps in the padding give 0. Same result as
   * {@link Im2colConv#im2col}.
   */
  static void im2col(ConvParams p, float[] ph, int j0, int j1, int r0, int r1, float[] col) {
    int cols = j1 - j0;
    int outW = p.outW();
    int pH = planeH(p);
    int pW = planeW(p);
    for (int r = r0; r < r1; r++) {
      Tap t = new Tap(p, r, pH, pW);
      int dst = r * cols;
      int j = j0;
      while (j < j1) {
        int oy = j / outW;
        int rowStart = oy * outW;
        int a = j - rowStart;
        int e = Math.min(outW, j1 - rowStart);
        int row = oy + t.qy;
        if (row < 0 || row >= t.rows) {
          Arrays.fill(col, dst, dst + (e - a), 0f);
          dst += e - a;
        } else {
          int lo = Math.max(a, Math.min(t.oxLo, e));
          int hi = Math.min(e, Math.max(t.oxHi, lo));
          Arrays.fill(col, dst, dst + (lo - a), 0f);
          dst += lo - a;
          if (hi > lo) {
            System.arraycopy(ph, t.plane + row * pW + lo + t.qx, col, dst, hi - lo);
            dst += hi - lo;
          }
          Arrays.fill(col, dst, dst + (e - hi), 0f);
          dst += e - hi;
        }
        j = rowStart + e;
      }
    }
  }

  /**
   * Adds rows [r0, r1) of an unfolded gradient (output pixels [j0, j1)) onto the phase planes
   * {@code ph}: the transpose of {@link #im2col}. Taps in the padding are dropped.
   */
  static void col2im(ConvParams p, float[] col, int j0, int j1, int r0, int r1, float[] ph) {
    int cols = j1 - j0;
    int outW = p.outW();
    int pH = planeH(p);
    int pW = planeW(p);
    ConvBackward.WeightKernel vec = ConvBackward.useVector ? ConvBackward.VECTOR : null;
    for (int r = r0; r < r1; r++) {
      Tap t = new Tap(p, r, pH, pW);
      int src = r * cols;
      int j = j0;
      while (j < j1) {
        int oy = j / outW;
        int rowStart = oy * outW;
        int a = j - rowStart;
        int e = Math.min(outW, j1 - rowStart);
        int row = oy + t.qy;
        if (row >= 0 && row < t.rows) {
          int lo = Math.max(a, Math.min(t.oxLo, e));
          int hi = Math.min(e, Math.max(t.oxHi, lo));
          int s = src + (lo - a);
          int d = t.plane + row * pW + lo + t.qx;
          if (vec != null && hi - lo >= 16) {
            vec.addInto(col, s, ph, d, hi - lo);
          } else {
            for (int ox = lo; ox < hi; ox++) {
              ph[d++] += col[s++];
            }
          }
        }
        src += e - a;
        j = rowStart + e;
      }
    }
  }

  /**
   * Where tap r reads: its phase plane's offset, the shift (qy, qx) from output to plane
   * coordinates, the plane's used rows, and the output columns [oxLo, oxHi) that land inside it.
   */
  private static final class Tap {
    final int plane;
    final int qy;
    final int qx;
    final int rows;
    final int oxLo;
    final int oxHi;

    Tap(ConvParams p, int r, int pH, int pW) {
      int sh = p.strideH();
      int sw = p.strideW();
      int kx = r % p.kw();
      int ky = (r / p.kw()) % p.kh();
      int c = r / p.kw() / p.kh();
      int yShift = ky * p.dilationH() - p.padTop();
      int xShift = kx * p.dilationW() - p.padLeft();
      int py = Math.floorMod(yShift, sh);
      int px = Math.floorMod(xShift, sw);
      qy = Math.floorDiv(yShift, sh);
      qx = Math.floorDiv(xShift, sw);
      plane = ((c * sh + py) * sw + px) * pH * pW;
      rows = Math.ceilDiv(p.h() - py, sh);
      int cols = Math.ceilDiv(p.w() - px, sw);
      // Output columns with 0 <= ox + qx < cols, clipped to the output row.
      oxLo = Math.min(p.outW(), Math.max(0, -qx));
      oxHi = Math.max(oxLo, Math.min(p.outW(), cols - qx));
    }
  }
}
