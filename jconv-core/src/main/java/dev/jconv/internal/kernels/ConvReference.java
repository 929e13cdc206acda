package dev.jconv.internal.kernels;

/**
 * The slow, obviously correct 2-D convolution (PyTorch's cross-correlation): seven nested loops
 * straight from the definition, accumulating in {@code double}. It stays in the code as the oracle
 * every fast algorithm is tested against; it is also used for convolutions too small for anything
 * else to pay off.
 */
public final class ConvReference {
  private ConvReference() {}

  /**
   * Writes {@code out[n][co][oy][ox] = bias[co] + sum over ci, ky, kx of
   * x[n][g*cinG + ci][oy*sh - padTop + ky*dh][ox*sw - padLeft + kx*dw] * weight[co][ci][ky][kx]},
   * with zeros outside the input, where g is the group of output channel co.
   *
   * @param bias {@code cout} values, or null for none
   * @param out modified: every element is written; must not overlap the inputs
   */
  public static void forward(ConvParams p, float[] x, float[] weight, float[] bias, float[] out) {
    int cinG = p.cinPerGroup();
    int coutG = p.coutPerGroup();
    int o = 0;
    for (int n = 0; n < p.n(); n++) {
      for (int co = 0; co < p.cout(); co++) {
        int g = co / coutG;
        for (int oy = 0; oy < p.outH(); oy++) {
          for (int ox = 0; ox < p.outW(); ox++) {
            double sum = bias == null ? 0.0 : bias[co];
            for (int ci = 0; ci < cinG; ci++) {
              int c = g * cinG + ci;
              for (int ky = 0; ky < p.kh(); ky++) {
                int iy = oy * p.strideH() - p.padTop() + ky * p.dilationH();
                if (iy < 0 || iy >= p.h()) {
                  continue;
                }
                for (int kx = 0; kx < p.kw(); kx++) {
                  int ix = ox * p.strideW() - p.padLeft() + kx * p.dilationW();
                  if (ix < 0 || ix >= p.w()) {
                    continue;
                  }
                  double xv = x[((n * p.cin() + c) * p.h() + iy) * p.w() + ix];
                  double wv = weight[((co * cinG + ci) * p.kh() + ky) * p.kw() + kx];
                  sum += xv * wv;
                }
              }
            }
            out[o++] = (float) sum;
          }
        }
      }
    }
  }
}
