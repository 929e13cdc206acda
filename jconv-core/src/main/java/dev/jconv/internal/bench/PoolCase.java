package dev.jconv.internal.bench;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.Raw;
import dev.jconv.internal.kernels.AdaptivePool2dParams;
import dev.jconv.internal.kernels.Pool2dParams;
import dev.jconv.internal.kernels.PoolReference;
import dev.jconv.internal.shape.PoolShapes;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.functional.F;
import java.util.Arrays;
import java.util.Locale;

/**
 * A pooling case on float32 {@code (n, c, h, w)}: max or average pooling with a square kernel, or
 * global average pooling ({@code F.adaptiveAvgPool2d(x, 1)}).
 *
 * @param kernel window size (ignored for {@link Op#GAP})
 * @param stride window step (ignored for {@link Op#GAP})
 * @param pad padding on every side (ignored for {@link Op#GAP})
 */
public record PoolCase(String name, int n, int c, int h, int w, Op op, int kernel, int stride, int pad)
    implements BenchCase {

  /** The pooling operations of the suite. */
  public enum Op { MAX, AVG, GAP }

  /** Planes checked: all when fewer, else an even spread including the first and last. */
  static final int CHECKED_PLANES = 64;

  /** Global average pooling of {@code (n, c, h, w)} to {@code (n, c, 1, 1)}. */
  public static PoolCase gap(String name, int n, int c, int h, int w) {
    return new PoolCase(name, n, c, h, w, Op.GAP, 0, 0, 0);
  }

  public int outH() {
    return op == Op.GAP ? 1 : (int) PoolShapes.outputSize(h, kernel, pad, stride, 1, false);
  }

  public int outW() {
    return op == Op.GAP ? 1 : (int) PoolShapes.outputSize(w, kernel, pad, stride, 1, false);
  }

  /** Bytes a pooling must move at least once: the float32 input read and the output written. */
  public double bytes() {
    return 4.0 * ((double) n * c * h * w + (double) n * c * outH() * outW());
  }

  @Override
  public double work() {
    return bytes();
  }

  @Override
  public Unit unit() {
    return Unit.GBPS;
  }

  @Override
  public String describe() {
    String in = String.format(Locale.ROOT, "N%d C%d %dx%d", n, c, h, w);
    return switch (op) {
      case GAP -> in + " -> 1x1 avg";
      case MAX, AVG -> in + " " + op.name().toLowerCase(Locale.ROOT) + " k" + kernel
          + (stride != kernel ? " s" + stride : "") + (pad != 0 ? " p" + pad : "");
    };
  }

  /** The call {@code ./jconv bench} times, as a user writes it. */
  Tensor apply(Tensor x) {
    return switch (op) {
      case MAX -> F.maxPool2d(x, MaxPool2dOptions.of(kernel).stride(stride).padding(pad));
      case AVG -> F.avgPool2d(x, AvgPool2dOptions.of(kernel).stride(stride).padding(pad));
      case GAP -> F.adaptiveAvgPool2d(x, 1);
    };
  }

  @Override
  public Instance instance() {
    Torch.manualSeed(0);
    Tensor x = Torch.rand(n, c, h, w);
    return new Instance() {
      @Override
      public Tensor run() {
        return apply(x);
      }

      @Override
      public CheckResult check(Tensor out) {
        return PoolCase.this.check(Raw.floats(x), out);
      }
    };
  }

  int[] checkedPlanes() {
    int planes = n * c;
    int m = Math.min(planes, CHECKED_PLANES);
    int[] chosen = new int[m];
    for (int i = 0; i < m; i++) {
      chosen[i] = m == 1 ? 0 : (int) Math.round((double) i * (planes - 1) / (m - 1));
    }
    return chosen;
  }

  /**
   * Checks sampled planes against {@link PoolReference}: max pooling must be exact (it only picks
   * an input); averages within a few float32 roundings per tap of the average of |x|.
   */
  CheckResult check(float[] x, Tensor out) {
    int[] expectShape = {n, c, outH(), outW()};
    long total = (long) n * c * outH() * outW();
    if (!Arrays.equals(out.shapeArray(), expectShape)) {
      return new CheckResult(false, 0, total, Double.POSITIVE_INFINITY, "output shape "
          + Arrays.toString(out.shapeArray()) + ", expected " + Arrays.toString(expectShape));
    }
    float[] got = Raw.floats(out.contiguous());
    int inPlane = h * w;
    int outPlane = outH() * outW();
    double[] xs = new double[inPlane];
    double[] xsAbs = new double[inPlane];
    double[] ref = new double[outPlane];
    double[] mag = new double[outPlane];
    long[] idx = new long[outPlane];
    int taps = op == Op.GAP ? inPlane : kernel * kernel;
    double tol = op == Op.MAX ? 0 : (taps + 2) * 0x1p-23;
    long checked = 0;
    double worst = 0;
    for (int plane : checkedPlanes()) {
      for (int i = 0; i < inPlane; i++) {
        xs[i] = x[plane * inPlane + i];
        xsAbs[i] = Math.abs(xs[i]);
      }
      switch (op) {
        case MAX -> PoolReference.maxPool(xs, Pool2dParams.max(1, h, w, outH(), outW(), kernel, kernel,
            stride, stride, pad, pad, 1, 1), ref, idx);
        case AVG -> {
          Pool2dParams p = Pool2dParams.avg(1, h, w, outH(), outW(), kernel, kernel, stride, stride, pad, pad,
              true, 0);
          PoolReference.avgPool(xs, p, ref);
          PoolReference.avgPool(xsAbs, p, mag);
        }
        case GAP -> {
          AdaptivePool2dParams p = new AdaptivePool2dParams(1, h, w, 1, 1);
          PoolReference.adaptiveAvgPool(xs, p, ref);
          PoolReference.adaptiveAvgPool(xsAbs, p, mag);
        }
      }
      for (int i = 0; i < outPlane; i++) {
        float g = got[plane * outPlane + i];
        // Max pooling returns one of its inputs: exactly the reference's float. Averages are rounded.
        float want = (float) ref[i];
        double err = Math.abs((double) g - ref[i]);
        boolean good = op == Op.MAX ? Float.floatToIntBits(g) == Float.floatToIntBits(want)
            : err <= tol * mag[i] + Float.MIN_NORMAL;
        double rel = op == Op.MAX ? (good ? 0 : Double.POSITIVE_INFINITY) : err / (mag[i] + Float.MIN_NORMAL);
        checked++;
        if (!good) {
          return new CheckResult(false, checked, total, rel, String.format(Locale.ROOT,
              "output[%d, %d, %d, %d] = %s, the reference gives %s (error %.3g, allowed %.3g)",
              plane / c, plane % c, i / outW(), i % outW(), g, want, err,
              op == Op.MAX ? 0.0 : tol * mag[i] + Float.MIN_NORMAL));
        }
        worst = Math.max(worst, rel);
      }
    }
    return new CheckResult(true, checked, total, worst, "");
  }
}
