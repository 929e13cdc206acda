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

  /**
   * The gradients of {@link #forward} by definition, in double: each output pixel's gradient g sends
   * {@code g * w} to the input pixel under each tap and {@code g * x} to that tap's weight. Beside
   * each, the sum of |term| that made it: the scale of a float computation's rounding error.
   */
  public record Gradients(double[] input, double[] weight, double[] bias, double[] inputMagnitude,
      double[] weightMagnitude, double[] biasMagnitude) {}

  /** All three gradients of {@code p} for the output gradient {@code g}. */
  public static Gradients backward(ConvParams p, float[] x, float[] weight, float[] g) {
    double[] gx = new double[p.inputLength()];
    double[] mx = new double[gx.length];
    double[] gw = new double[p.weightLength()];
    double[] mw = new double[gw.length];
    double[] gb = new double[p.cout()];
    double[] mb = new double[gb.length];
    biasGrad(p, g, gb, mb);
    int taps = p.patchSize();
    for (int co = 0; co < p.cout(); co++) {
      weightGrad(p, x, g, co, gw, mw, co * taps);
    }
    int plane = p.h() * p.w();
    for (int n = 0; n < p.n(); n++) {
      for (int c = 0; c < p.cin(); c++) {
        inputGrad(p, weight, g, n, c, gx, mx, (n * p.cin() + c) * plane);
      }
    }
    return new Gradients(gx, gw, gb, mx, mw, mb);
  }

  /** Adds the bias gradient (the sum of g over images and pixels) and its magnitudes to {@code ref}, {@code mag}. */
  public static void biasGrad(ConvParams p, float[] g, double[] ref, double[] mag) {
    int hw = p.outH() * p.outW();
    for (int n = 0; n < p.n(); n++) {
      for (int co = 0; co < p.cout(); co++) {
        int base = (n * p.cout() + co) * hw;
        for (int j = 0; j < hw; j++) {
          ref[co] += g[base + j];
          mag[co] += Math.abs(g[base + j]);
        }
      }
    }
  }

  /**
   * Adds the weight gradient of output channel {@code co} ({@code cin/groups * kh * kw} values,
   * summed over every image) and its magnitudes to {@code ref}, {@code mag} from {@code off}.
   */
  public static void weightGrad(ConvParams p, float[] x, float[] g, int co, double[] ref, double[] mag, int off) {
    int cinG = p.cinPerGroup();
    int c0 = co / p.coutPerGroup() * cinG;
    for (int n = 0; n < p.n(); n++) {
      for (int oy = 0; oy < p.outH(); oy++) {
        for (int ox = 0; ox < p.outW(); ox++) {
          double gv = g[((n * p.cout() + co) * p.outH() + oy) * p.outW() + ox];
          for (int ci = 0; ci < cinG; ci++) {
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
                double t = gv * x[((n * p.cin() + c0 + ci) * p.h() + iy) * p.w() + ix];
                int i = off + (ci * p.kh() + ky) * p.kw() + kx;
                ref[i] += t;
                mag[i] += Math.abs(t);
              }
            }
          }
        }
      }
    }
  }

  /**
   * Adds the input gradient of channel {@code c} of image {@code n} (one {@code h x w} plane: every
   * output channel of its group, pixel and tap that lands on it) and its magnitudes to {@code ref},
   * {@code mag} from {@code off}.
   */
  public static void inputGrad(ConvParams p, float[] weight, float[] g, int n, int c, double[] ref, double[] mag,
      int off) {
    int cinG = p.cinPerGroup();
    int coutG = p.coutPerGroup();
    int grp = c / cinG;
    for (int co = grp * coutG; co < (grp + 1) * coutG; co++) {
      for (int oy = 0; oy < p.outH(); oy++) {
        for (int ox = 0; ox < p.outW(); ox++) {
          double gv = g[((n * p.cout() + co) * p.outH() + oy) * p.outW() + ox];
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
              double t = gv * weight[((co * cinG + c - grp * cinG) * p.kh() + ky) * p.kw() + kx];
              ref[off + iy * p.w() + ix] += t;
              mag[off + iy * p.w() + ix] += Math.abs(t);
            }
          }
        }
      }
    }
  }
}
