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
      // The last panel, zero-padded: packed by plain loops into its place.
      float[] edge = new float[hw * nr];
      StridedWeightGrad.pack(src, off + full * nr * hw, cout - full * nr, hw, nr, edge);
      System.arraycopy(edge, 0, dst, full * hw * nr, hw * nr);
    }
  }

  static void run(PanamaKernels kernels, float[] x, int xOff, int cin, int h, int w, int kh, int kw, int sy, int sx,
      int padT, int padL, float[] bp, int outH, int outW, int coutPad, float[] gwT, int gwOff) {
    int mr = PanamaKernels.MR;
    int nr = 2 * kernels.lanes();
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
    int hw = h * w;
    int ohw = outH * outW;
    int khw = kh * kw;
    int ldc = khw * coutPad;
    for (int ci0 = 0; ci0 < blocked; ci0 += ci0 < sixes * mr ? mr : 4) {
      boolean six = ci0 < sixes * mr;
      for (int u = 0; u < kh; u++) {
        int oy0 = StridedWeightGrad.first(u, padT, sy);
        int oy1 = StridedWeightGrad.end(u, padT, sy, h, outH);
        for (int v = 0; v < kw; v++) {
          int ox0 = StridedWeightGrad.first(v, padL, sx);
          int ox1 = StridedWeightGrad.end(v, padL, sx, w, outW);
          if (oy1 <= oy0 || ox1 <= ox0) {
            continue;
          }
          int ai = xOff + ci0 * hw + (oy0 * sy + u - padT) * w + ox0 * sx + v - padL;
          int cRow = gwOff + (ci0 * khw + u * kw + v) * coutPad;
          for (int jp = 0; jp < coutPad / nr; jp++) {
            int bi = (jp * ohw + oy0 * outW + ox0) * nr;
            if (six) {
              kernels.gemmMicroRows(x, ai, hw, sx, sy * w, bp, bi, outW * nr, ox1 - ox0, oy1 - oy0, gwT,
                  cRow + jp * nr, ldc);
            } else {
              kernels.gemmMicroRows4(x, ai, hw, sx, sy * w, bp, bi, outW * nr, ox1 - ox0, oy1 - oy0, gwT,
                  cRow + jp * nr, ldc);
            }
          }
        }
      }
    }
    if (blocked == cin) {
      return;
    }
    if (cin < 4) {
      StridedWeightGrad.rows(x, xOff, blocked, cin, h, w, kh, kw, sy, sx, padT, padL, bp, outH, outW, coutPad, nr,
          gwT, gwOff);
      return;
    }
    // The last 1, 3 or 5 channels: a block over the last 6 (or 4) channels into a tile, of which only
    // the rows past the blocks above are added.
    int rows = cin >= mr ? mr : 4;
    int ci0 = cin - rows;
    float[] tile = new float[rows * nr];
    for (int u = 0; u < kh; u++) {
      int oy0 = StridedWeightGrad.first(u, padT, sy);
      int oy1 = StridedWeightGrad.end(u, padT, sy, h, outH);
      for (int v = 0; v < kw; v++) {
        int ox0 = StridedWeightGrad.first(v, padL, sx);
        int ox1 = StridedWeightGrad.end(v, padL, sx, w, outW);
        if (oy1 <= oy0 || ox1 <= ox0) {
          continue;
        }
        int ai = xOff + ci0 * hw + (oy0 * sy + u - padT) * w + ox0 * sx + v - padL;
        for (int jp = 0; jp < coutPad / nr; jp++) {
          java.util.Arrays.fill(tile, 0f);
          int bi = (jp * ohw + oy0 * outW + ox0) * nr;
          if (rows == mr) {
            kernels.gemmMicroRows(x, ai, hw, sx, sy * w, bp, bi, outW * nr, ox1 - ox0, oy1 - oy0, tile, 0, nr);
          } else {
            kernels.gemmMicroRows4(x, ai, hw, sx, sy * w, bp, bi, outW * nr, ox1 - ox0, oy1 - oy0, tile, 0, nr);
          }
          for (int r = blocked - ci0; r < rows; r++) {
            int c = gwOff + ((ci0 + r) * khw + u * kw + v) * coutPad + jp * nr;
            for (int j = 0; j < nr; j++) {
              gwT[c + j] += tile[r * nr + j];
            }
          }
        }
      }
    }
  }
}
