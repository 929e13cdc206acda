package dev.jconv.internal.vector;

/**
 * {@link KernelProvider#stridedWeightGrad} with the Vector API: per block of 6 input channels
 * (4 for the last ones; an odd rest as part of a block over the last channels; plain loops below 4
 * channels), per tap and per panel of output channels, one
 * register block of {@link PanamaKernels#gemmMicroRows} summing over all the outputs the tap
 * reads inside the input: A is the input read in place (every sx-th element of a row, the next
 * output row sy rows down), B the packed output gradient. res3x3_s2: the former form copied the
 * input into its stride phases first (and checked it for infinities), and summed over 3.5% more
 * positions, whose products with zeros it then needed to keep finite.
 */
final class PanamaStridedGrad {
  private PanamaStridedGrad() {}

  /** {@link KernelProvider#packGradOut}: full panels by the kernels' transposing pack. */
  static void pack(PanamaKernels kernels, float[] src, int off, int cout, int hw, float[] dst) {
    int nr = 2 * kernels.lanes();
    int full = cout / nr;
    for (int jp = 0; jp < full; jp++) {
      kernels.packPanelT(src, off + jp * nr * hw, hw, hw, dst, jp * hw * nr);
    }
    if (full * nr < cout) {
      // The last panel, zero-padded: packed by plain loops in its place.
      StridedWeightGrad.pack(src, off + full * nr * hw, cout - full * nr, hw, nr, dst, full * hw * nr);
    }
  }

  static void run(PanamaKernels kernels, float[] x, int xOff, int cin, int h, int w, int kh, int kw, int sy, int sx,
      int padT, int padL, float[] bp, int outH, int outW, int coutPad, float[] gwT, int gwOff) {
    int mr = PanamaKernels.MR;
    int sixes = cin / mr;
    int fours = 0;
    if (cin % mr == 4 || cin == 5) {
      // (5: then the block over the last 4 channels below adds the fifth)
      fours = 1;
    } else if (cin % mr == 2 && sixes > 0) {
      // 6q + 2 = 6(q-1) + 4 + 4 (128 input channels: 20 blocks of 6 and 2 of 4)
      sixes--;
      fours = 2;
    }
    int blocked = sixes * mr + fours * 4;
    Layer l = new Layer(kernels, x, xOff, h, w, kh, kw, sy, sx, padT, padL, bp, outH, outW, coutPad, gwT, gwOff);
    for (int ci0 = 0; ci0 < blocked; ci0 += ci0 < sixes * mr ? mr : 4) {
      block(l, ci0, ci0 < sixes * mr ? mr : 4, 0, null);
    }
    if (blocked == cin) {
      return;
    }
    if (cin < 4) {
      StridedWeightGrad.rows(x, xOff, blocked, cin, h, w, kh, kw, sy, sx, padT, padL, bp, outH, outW, coutPad,
          l.nr(), gwT, gwOff);
      return;
    }
    // The last 1, 3 or 5 channels: a block over the last 6 (or 4) channels into a tile, of which only
    // the rows past the blocks above are added.
    int rows = cin >= mr ? mr : 4;
    block(l, cin - rows, rows, blocked - (cin - rows), new float[rows * l.nr()]);
  }

  /** One image's geometry, operands and gradient for {@link #block}. */
  private record Layer(PanamaKernels kernels, float[] x, int xOff, int h, int w, int kh, int kw, int sy, int sx,
      int padT, int padL, float[] bp, int outH, int outW, int coutPad, float[] gwT, int gwOff) {
    int nr() {
      return 2 * kernels.lanes();
    }
  }

  /**
   * Input channels [ci0, ci0 + rows) (6 or 4) for every tap and panel of output channels: straight
   * into the gradient, or with a {@code tile} into it first, of which rows [skip, rows) are added.
   */
  private static void block(Layer l, int ci0, int rows, int skip, float[] tile) {
    int nr = l.nr();
    int hw = l.h() * l.w();
    int ohw = l.outH() * l.outW();
    int khw = l.kh() * l.kw();
    int ldc = khw * l.coutPad();
    for (int u = 0; u < l.kh(); u++) {
      int oy0 = StridedWeightGrad.first(u, l.padT(), l.sy());
      int oy1 = StridedWeightGrad.end(u, l.padT(), l.sy(), l.h(), l.outH());
      for (int v = 0; v < l.kw(); v++) {
        int ox0 = StridedWeightGrad.first(v, l.padL(), l.sx());
        int ox1 = StridedWeightGrad.end(v, l.padL(), l.sx(), l.w(), l.outW());
        if (oy1 <= oy0 || ox1 <= ox0) {
          continue;
        }
        int ai = l.xOff() + ci0 * hw + (oy0 * l.sy() + u - l.padT()) * l.w() + ox0 * l.sx() + v - l.padL();
        int cRow = l.gwOff() + (ci0 * khw + u * l.kw() + v) * l.coutPad();
        for (int jp = 0; jp < l.coutPad() / nr; jp++) {
          int bi = (jp * ohw + oy0 * l.outW() + ox0) * nr;
          float[] c = l.gwT();
          int cIdx = cRow + jp * nr;
          int ld = ldc;
          if (tile != null) {
            java.util.Arrays.fill(tile, 0f);
            c = tile;
            cIdx = 0;
            ld = nr;
          }
          if (rows == PanamaKernels.MR) {
            l.kernels().gemmMicroRows(l.x(), ai, hw, l.sx(), l.sy() * l.w(), l.bp(), bi, l.outW() * nr, ox1 - ox0,
                oy1 - oy0, c, cIdx, ld);
          } else {
            l.kernels().gemmMicroRows4(l.x(), ai, hw, l.sx(), l.sy() * l.w(), l.bp(), bi, l.outW() * nr, ox1 - ox0,
                oy1 - oy0, c, cIdx, ld);
          }
          if (tile != null) {
            for (int r = skip; r < rows; r++) {
              for (int j = 0; j < nr; j++) {
                l.gwT()[cRow + jp * nr + r * ldc + j] += tile[r * nr + j];
              }
            }
          }
        }
      }
    }
  }
}
