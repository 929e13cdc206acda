package dev.jconv.internal.vector;

/**
 * {@link KernelProvider#stride2InputGrad} with the Vector API: the input gradient of a 3x3 convolution
 * with stride 2 and padding 1 whose input is twice its output on both axes (ResNet's downsampling
 * layers), written straight into gX. Input row {@code 2j + py} takes tap row u = 1 from output row j
 * when py = 0, and u = 0 from row j + 1 and u = 2 from row j when py = 1; across a row likewise, so
 * each block of {@link PanamaKernels#stride2Tile} computes both column parities of a run of phase
 * positions and interleaves them in registers. The output gradient is copied once per image into
 * planes with a zero row above and below (a tap past the last output row reads zeros); a tap past
 * the last output column is masked. Positions run across rows of the phase (the masks mark each
 * row's end), in blocks of {@code 2*lanes}; the last block and the last 4 input channels overlap the
 * ones before when they do not divide evenly (recomputed, stored again). res3x3_s2: the form through
 * the stride phases ran GEMMs into phase planes over 3.5% more positions, then copied the planes out
 * into gX.
 */
final class PanamaStride2InputGrad {
  private PanamaStride2InputGrad() {}

  /** Input channels per block. */
  private static final int CHANNELS = 4;

  static boolean applies(PanamaKernels kernels, int cin, int h, int w, int outH, int outW) {
    return cin >= CHANNELS && h == 2 * outH && w == 2 * outW && (long) outH * outW >= 2L * kernels.lanes();
  }

  /** Floats of the bordered output gradient per output channel. */
  private static int planeP(PanamaKernels kernels, int outH, int outW) {
    return (outH + 2) * outW + 2 * kernels.lanes();
  }

  static int scratch(PanamaKernels kernels, int cout, int outH, int outW) {
    return cout * planeP(kernels, outH, outW);
  }

  /** The floats of {@link #pack}'s weights. */
  static int packedLength(int cout, int cin) {
    return Math.ceilDiv(cin, CHANNELS) * cout * 9 * CHANNELS;
  }

  /**
   * The weights of one group ({@code cout x cin x 3 x 3} from {@code wOff}) in the blocks' order: row
   * parity 0 ({@code [block][co][c][v]}, tap row 1), then row parity 1 ({@code [block][co][u][c][v]},
   * tap rows 0 and 2); part {@code part} of {@code parts}: blocks
   * {@code [part*blocks/parts, (part+1)*blocks/parts)} of both.
   */
  static void pack(float[] weight, int wOff, int cout, int cin, int part, int parts, float[] ap) {
    int blocks = Math.ceilDiv(cin, CHANNELS);
    int b0 = (int) ((long) blocks * part / parts);
    int b1 = (int) ((long) blocks * (part + 1) / parts);
    for (int py = 0; py < 2; py++) {
      int[] us = py == 0 ? new int[] {1} : new int[] {0, 2};
      int idx = (py == 0 ? 0 : blocks * cout * 3 * CHANNELS) + b0 * cout * 3 * CHANNELS * us.length;
      for (int b = b0; b < b1; b++) {
        int c0 = Math.min(b * CHANNELS, cin - CHANNELS);
        for (int co = 0; co < cout; co++) {
          for (int u : us) {
            for (int c = 0; c < CHANNELS; c++) {
              for (int v = 0; v < 3; v++) {
                ap[idx++] = weight[wOff + (co * cin + c0 + c) * 9 + u * 3 + v];
              }
            }
          }
        }
      }
    }
  }

  /** Part {@code part} of {@code parts}: the blocks of positions {@code [part*tiles/parts, (part+1)*tiles/parts)}. */
  static void run(PanamaKernels kernels, float[] ap, float[] gOut, int oOff, int cout, int cin, int outH, int outW,
      int part, int parts, float[] gp, float[] gX, int xOff) {
    int l2 = 2 * kernels.lanes();
    int planeP = planeP(kernels, outH, outW);
    int flat = outH * outW;
    int h = 2 * outH;
    int w = 2 * outW;
    // The bordered copy: rows 0 and outH + 1 and the slack stay zero (written once, here).
    for (int co = 0; co < cout; co++) {
      int d = co * planeP;
      java.util.Arrays.fill(gp, d, d + outW, 0f);
      System.arraycopy(gOut, oOff + co * flat, gp, d + outW, flat);
      java.util.Arrays.fill(gp, d + outW + flat, d + planeP, 0f);
    }
    boolean[] mask = new boolean[flat + l2];
    for (int f = 0; f < flat; f++) {
      mask[f] = f % outW != outW - 1;
    }
    float[] acc = new float[CHANNELS * 2 * l2];
    int blocks = Math.ceilDiv(cin, CHANNELS);
    int tiles = Math.ceilDiv(flat, l2);
    int t0 = (int) ((long) tiles * part / parts);
    int t1 = (int) ((long) tiles * (part + 1) / parts);
    for (int py = 0; py < 2; py++) {
      int aStep = 3 * CHANNELS * (py == 0 ? 1 : 2);
      int perBlock = cout * aStep;
      int base = py == 0 ? 0 : blocks * cout * 3 * CHANNELS;
      // u = 1 reads output row j (offset outW: the zero row first); u = 0 row j + 1, u = 2 row j
      int r0 = py == 0 ? outW : 2 * outW;
      int r1 = py == 0 ? -1 : outW;
      for (int t = t0; t < t1; t++) {
        int f0 = Math.min(t * l2, flat - l2);
        for (int b = 0; b < blocks; b++) {
          int c0 = Math.min(b * CHANNELS, cin - CHANNELS);
          kernels.stride2Tile(ap, base + b * perBlock, cout, aStep, r0, r1, gp, planeP, f0, mask, acc);
          for (int c = 0; c < CHANNELS; c++) {
            int plane = xOff + (c0 + c) * h * w;
            int f = f0;
            int end = f0 + l2;
            while (f < end) {
              int j = f / outW;
              int i = f % outW;
              int len = Math.min(end - f, outW - i);
              System.arraycopy(acc, c * 2 * l2 + 2 * (f - f0), gX, plane + (2 * j + py) * w + 2 * i, 2 * len);
              f += len;
            }
          }
        }
      }
    }
  }
}
