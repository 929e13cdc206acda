package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import java.util.Arrays;

/**
 * Max unpooling, parallel over planes: each plane of the output is zeroed, then every input value
 * is written at its in-plane index, in order, so a repeated index keeps the last value (as ATen's
 * sequential loop does). The public layer has checked every index against the output plane.
 */
public final class MaxUnpool2dKernel {
  private MaxUnpool2dKernel() {}

  private static int grain(Unpool2dParams p) {
    long perPlane = (long) p.inPlane() + p.outPlane();
    return (int) Math.max(1, (1 << 16) / Math.max(1, perPlane));
  }

  /** Scatters {@code x} by {@code idx} into {@code out}; modifies only {@code out}. */
  public static void forward(float[] x, int xOff, long[] idx, int idxOff, float[] out, int outOff, Unpool2dParams p) {
    Parallel.forRange(p.planes(), grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int io = idxOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        Arrays.fill(out, oo, oo + p.outPlane(), 0f);
        for (int i = 0; i < p.inPlane(); i++) {
          long at = idx[io + i];
          assert at >= 0 && at < p.outPlane() : "unchecked index " + at;
          out[oo + (int) at] = x[xo + i];
        }
      }
    });
  }

  /** The float64 version. */
  public static void forward(double[] x, int xOff, long[] idx, int idxOff, double[] out, int outOff, Unpool2dParams p) {
    Parallel.forRange(p.planes(), grain(p), (start, end) -> {
      for (int c = start; c < end; c++) {
        int xo = xOff + c * p.inPlane();
        int io = idxOff + c * p.inPlane();
        int oo = outOff + c * p.outPlane();
        Arrays.fill(out, oo, oo + p.outPlane(), 0.0);
        for (int i = 0; i < p.inPlane(); i++) {
          long at = idx[io + i];
          assert at >= 0 && at < p.outPlane() : "unchecked index " + at;
          out[oo + (int) at] = x[xo + i];
        }
      }
    });
  }
}
