package dev.jconv.internal.bench;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.Raw;
import dev.jconv.internal.kernels.ConvParams;
import dev.jconv.internal.kernels.ConvReference;
import dev.jconv.internal.kernels.ConvSelector;
import dev.jconv.internal.shape.ConvShapes;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import java.util.Locale;

/**
 * A convolution case: {@code F.conv2d(x, weight, bias, stride, padding, dilation, groups)} with a
 * square kernel, x of shape {@code (n, cin, h, w)}, weight {@code (cout, cin/groups, k, k)} and a bias.
 */
public record ConvCase(
    String name, int n, int cin, int h, int w, int cout, int k, int stride, int pad, int dilation, int groups)
    implements BenchCase {

  /**
   * Error allowed per element, relative to that element's magnitude (the same convolution of |x|, |w|,
   * |b|): float32 sums are good to ~1e-6 of it, Winograd F(4x4, 3x3)'s transforms to ~2e-5; a wrong
   * kernel (a missing tap, a shifted window) is off by ~1 / (taps) of it or far more.
   */
  static final double REL_TOL = 5e-5;

  /** Reference flops spent per checked image: enough channels for a real sample, a fraction of a second. */
  static final double CHECK_FLOPS_PER_IMAGE = 25e6;

  public ConvCase {
    if (cin % groups != 0 || cout % groups != 0) {
      throw new IllegalArgumentException(name + ": groups " + groups + " must divide " + cin + " and " + cout);
    }
  }

  public int outH() {
    return (int) ConvShapes.outputSize(h, pad, pad, k, stride, dilation);
  }

  public int outW() {
    return (int) ConvShapes.outputSize(w, pad, pad, k, stride, dilation);
  }

  /** {@code 2*N*Cout*Hout*Wout*(Cin/groups)*kh*kw}: every multiply-add of the direct convolution, counted twice. */
  public double flops() {
    return 2.0 * n * cout * outH() * outW() * (cin / groups) * k * k;
  }

  @Override
  public double work() {
    return flops();
  }

  @Override
  public Unit unit() {
    return Unit.GFLOPS;
  }

  @Override
  public String describe() {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "N%d C%d %dx%d -> %d k%d", n, cin, h, w, cout, k));
    if (stride != 1) {
      s.append(" s").append(stride);
    }
    if (pad != 0) {
      s.append(" p").append(pad);
    }
    if (dilation != 1) {
      s.append(" d").append(dilation);
    }
    if (groups != 1) {
      s.append(" g").append(groups);
    }
    return s.toString();
  }

  /** The kernel-level parameters of this case for {@code images} images. */
  public ConvParams params(int images) {
    return new ConvParams(images, cin, h, w, cout, groups, k, k, stride, stride, pad, pad, pad, pad,
        dilation, dilation, outH(), outW());
  }

  /** The algorithm F.conv2d runs this case with (the selector's choice, or the one forced by its property). */
  public String algorithm() {
    return ConvSelector.select(params(n)).name();
  }

  /** The options F.conv2d is called with (bias included). */
  public Conv2dFuncOptions options(Tensor bias) {
    return new Conv2dFuncOptions().bias(bias).stride(stride).padding(pad).dilation(dilation).groups(groups);
  }

  @Override
  public Instance instance() {
    // Same recipe as tools/bench/torch_bench.py: x in [0, 1), weight in [-0.5, 0.5), bias in [0, 1).
    Torch.manualSeed(0);
    Tensor x = Torch.rand(n, cin, h, w);
    Tensor weight = Torch.rand(cout, cin / groups, k, k).sub(0.5);
    Tensor bias = Torch.rand(cout);
    Conv2dFuncOptions options = options(bias);
    return new Instance() {
      @Override
      public Tensor run() {
        return F.conv2d(x, weight, options);
      }

      @Override
      public CheckResult check(Tensor out) {
        return ConvCase.this.check(Raw.floats(x), Raw.floats(weight), Raw.floats(bias), out);
      }
    };
  }

  /** The output channels checked per image: all when cheap, else an even spread that includes the first and last. */
  int[] checkedChannels() {
    double perChannel = 2.0 * outH() * outW() * (cin / groups) * k * k;
    int m = (int) Math.max(4, Math.min(cout, Math.floor(CHECK_FLOPS_PER_IMAGE / perChannel)));
    m = Math.min(m, cout);
    int[] channels = new int[m];
    for (int i = 0; i < m; i++) {
      channels[i] = m == 1 ? 0 : (int) Math.round((double) i * (cout - 1) / (m - 1));
    }
    return channels;
  }

  /**
   * Checks output planes of the first and last image against {@link ConvReference}, one output
   * channel at a time (a one-channel convolution over that channel's group).
   */
  CheckResult check(float[] x, float[] weight, float[] bias, Tensor out) {
    int[] expectShape = {n, cout, outH(), outW()};
    if (!java.util.Arrays.equals(out.shapeArray(), expectShape)) {
      return new CheckResult(false, 0, (long) n * cout * outH() * outW(), Double.POSITIVE_INFINITY,
          "output shape " + java.util.Arrays.toString(out.shapeArray()) + ", expected "
              + java.util.Arrays.toString(expectShape));
    }
    float[] got = Raw.floats(out.contiguous());
    int cinG = cin / groups;
    int coutG = cout / groups;
    int plane = outH() * outW();
    int taps = cinG * k * k;
    ConvParams one = new ConvParams(1, cinG, h, w, 1, 1, k, k, stride, stride, pad, pad, pad, pad,
        dilation, dilation, outH(), outW());
    float[] xs = new float[cinG * h * w];
    float[] xsAbs = new float[xs.length];
    float[] ws = new float[taps];
    float[] wsAbs = new float[taps];
    float[] ref = new float[plane];
    float[] mag = new float[plane];
    long checked = 0;
    double worst = 0;
    int[] images = n == 1 ? new int[] {0} : new int[] {0, n - 1};
    for (int img : images) {
      for (int co : checkedChannels()) {
        int g = co / coutG;
        System.arraycopy(x, (img * cin + g * cinG) * h * w, xs, 0, xs.length);
        System.arraycopy(weight, co * taps, ws, 0, taps);
        for (int i = 0; i < xs.length; i++) {
          xsAbs[i] = Math.abs(xs[i]);
        }
        for (int i = 0; i < taps; i++) {
          wsAbs[i] = Math.abs(ws[i]);
        }
        ConvReference.forward(one, xs, ws, new float[] {bias[co]}, ref);
        ConvReference.forward(one, xsAbs, wsAbs, new float[] {Math.abs(bias[co])}, mag);
        float maxMag = 0;
        for (float m : mag) {
          maxMag = Math.max(maxMag, m);
        }
        int base = (img * cout + co) * plane;
        for (int i = 0; i < plane; i++) {
          // The floor covers outputs whose window is nearly all padding (magnitude ~ |bias|), where
          // Winograd leaves rounding noise from its neighbours in the tile.
          double scale = mag[i] + 1e-2 * maxMag + Float.MIN_NORMAL;
          double err = Math.abs((double) got[base + i] - ref[i]);
          double rel = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / scale;
          checked++;
          if (!(rel <= REL_TOL)) {
            return new CheckResult(false, checked, got.length, rel, String.format(Locale.ROOT,
                "output[%d, %d, %d, %d] = %s, the reference gives %s (error %.3g, allowed %.3g)",
                img, co, i / outW(), i % outW(), got[base + i], ref[i], err, REL_TOL * scale));
          }
          worst = Math.max(worst, rel);
        }
      }
    }
    return new CheckResult(true, checked, got.length, worst, "");
  }
}
