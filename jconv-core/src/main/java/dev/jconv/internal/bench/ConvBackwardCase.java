package dev.jconv.internal.bench;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.Raw;
import dev.jconv.internal.kernels.ConvBackward;
import dev.jconv.internal.kernels.ConvParams;
import dev.jconv.internal.kernels.ConvReference;
import java.util.Arrays;
import java.util.Locale;

/**
 * The backward of a convolution case: from the output's gradient, the gradients of the input, the
 * weight and the bias, all three (what a training step computes, and what PyTorch's
 * {@code convolution_backward} with output mask {@code [True, True, True]} computes).
 *
 * <p>The timed call is {@link ConvBackward#backward} with freshly allocated gradient arrays, wrapped
 * as tensors: exactly the body of the autograd node {@code ConvolutionBackward0}
 * ({@code internal.autograd.ConvOps.Conv2d}), without the graph bookkeeping around it. Work is
 * counted as twice the forward's flops (the input gradient and the weight gradient each do the
 * forward's multiply-adds); the bias gradient is timed but not counted.
 */
public record ConvBackwardCase(ConvCase conv) implements Workload {

  /**
   * Error allowed per gradient element, relative to its magnitude (the same sum over |terms|): the
   * forward's allowance, which leaves room for a Winograd-form backward. The GEMM kernels on main
   * stay below 3e-7 on every case; a wrong kernel (a shifted window, a lost tap or image) is off by
   * about {@code 1/sqrt(terms)} of the magnitude (2e-3 for lenet1's weight gradient, 200 704 terms)
   * or far more.
   */
  static final double REL_TOL = ConvCase.REL_TOL;

  /** Reference flops spent on the weight gradient's sampled channels, and per image on the input gradient's. */
  static final double CHECK_FLOPS = 50e6;

  @Override
  public String name() {
    return conv.name();
  }

  @Override
  public String describe() {
    return conv.describe();
  }

  /** {@code 2 * 2*N*Cout*Hout*Wout*(Cin/groups)*kh*kw}: the input and the weight gradient, each the forward's work. */
  @Override
  public double work() {
    return 2 * conv.flops();
  }

  @Override
  public BenchCase.Unit unit() {
    return BenchCase.Unit.GFLOPS;
  }

  @Override
  public Pass pass() {
    return Pass.BACKWARD;
  }

  /** The three gradients of one backward call. */
  public record Grads(Tensor input, Tensor weight, Tensor bias) {}

  @Override
  public Trial<Grads> trial() {
    // Same recipe as tools/bench/torch_bench.py: the forward case's x, weight and bias (the bias keeps the
    // random stream the same), then the output's gradient in [-0.5, 0.5).
    Torch.manualSeed(0);
    Tensor x = Torch.rand(conv.n(), conv.cin(), conv.h(), conv.w());
    Tensor weight = Torch.rand(conv.cout(), conv.cin() / conv.groups(), conv.k(), conv.k()).sub(0.5);
    Torch.rand(conv.cout());
    Tensor gradOut = Torch.rand(conv.n(), conv.cout(), conv.outH(), conv.outW()).sub(0.5);
    ConvParams p = conv.params(conv.n());
    float[] xs = Raw.floats(x);
    float[] ws = Raw.floats(weight);
    return new Trial<>() {
      @Override
      public Grads run() {
        float[] gX = new float[p.inputLength()];
        float[] gW = new float[p.weightLength()];
        float[] gB = new float[p.cout()];
        ConvBackward.backward(p, xs, ws, Raw.floats(gradOut.contiguous()), gX, gW, gB);
        return new Grads(Raw.wrap(gX, p.n(), p.cin(), p.h(), p.w()),
            Raw.wrap(gW, p.cout(), p.cinPerGroup(), p.kh(), p.kw()), Raw.wrap(gB, p.cout()));
      }

      @Override
      public CheckResult check(Grads grads) {
        return ConvBackwardCase.this.check(xs, ws, Raw.floats(gradOut), grads);
      }
    };
  }

  /** {@code m} of {@code count} indices spread evenly, the first and the last included. */
  static int[] spread(int count, int m) {
    m = Math.max(1, Math.min(m, count));
    int[] chosen = new int[m];
    for (int i = 0; i < m; i++) {
      chosen[i] = m == 1 ? 0 : (int) Math.round((double) i * (count - 1) / (m - 1));
    }
    return chosen;
  }

  /** Output channels whose weight gradient is checked: at least 4, more while the budget allows. */
  int[] checkedWeightChannels() {
    double perChannel = 2.0 * conv.n() * conv.outH() * conv.outW() * (conv.cin() / conv.groups()) * conv.k() * conv.k();
    return spread(conv.cout(), (int) Math.max(4, Math.min(conv.cout(), Math.floor(CHECK_FLOPS / perChannel))));
  }

  /** Input channels whose gradient is checked in the first and the last image: at least 4, more while the budget allows. */
  int[] checkedInputChannels() {
    double perChannel = 2.0 * (conv.cout() / conv.groups()) * conv.outH() * conv.outW() * conv.k() * conv.k();
    return spread(conv.cin(), (int) Math.max(4, Math.min(conv.cin(), Math.floor(CHECK_FLOPS / perChannel))));
  }

  /**
   * Checks the gradients against sums written from the definition ({@link ConvReference}'s
   * backward, in double): the bias gradient whole, the weight gradient of spread output channels (summed over
   * every image), the input gradient of spread channels of the first and the last image.
   */
  CheckResult check(float[] x, float[] w, float[] g, Grads grads) {
    int n = conv.n();
    int cin = conv.cin();
    int cout = conv.cout();
    int groups = conv.groups();
    int cinG = cin / groups;
    int k = conv.k();
    int h = conv.h();
    int wd = conv.w();
    long total = (long) n * cin * h * wd + (long) cout * cinG * k * k + cout;
    String shapes = shapeProblem(grads, new int[] {n, cin, h, wd}, new int[] {cout, cinG, k, k}, new int[] {cout});
    if (shapes != null) {
      return new CheckResult(false, 0, total, Double.POSITIVE_INFINITY, shapes);
    }
    Errors e = new Errors(total);
    ConvParams p = conv.params(n);

    float[] gotB = Raw.floats(grads.bias().contiguous());
    double[] refB = new double[cout];
    double[] magB = new double[cout];
    ConvReference.biasGrad(p, g, refB, magB);
    if (!e.compare("grad bias", gotB, refB, magB, new int[] {cout}, 0)) {
      return e.result();
    }

    float[] gotW = Raw.floats(grads.weight().contiguous());
    int taps = cinG * k * k;
    for (int co : checkedWeightChannels()) {
      double[] ref = new double[taps];
      double[] mag = new double[taps];
      ConvReference.weightGrad(p, x, g, co, ref, mag, 0);
      if (!e.compare("grad weight", gotW, ref, mag, new int[] {cout, cinG, k, k}, co * taps)) {
        return e.result();
      }
    }

    float[] gotX = Raw.floats(grads.input().contiguous());
    int plane = h * wd;
    for (int img : n == 1 ? new int[] {0} : new int[] {0, n - 1}) {
      for (int c : checkedInputChannels()) {
        double[] ref = new double[plane];
        double[] mag = new double[plane];
        ConvReference.inputGrad(p, w, g, img, c, ref, mag, 0);
        if (!e.compare("grad input", gotX, ref, mag, new int[] {n, cin, h, wd}, (img * cin + c) * plane)) {
          return e.result();
        }
      }
    }
    return e.result();
  }

  private static String shapeProblem(Grads grads, int[] input, int[] weight, int[] bias) {
    Tensor[] got = {grads.input(), grads.weight(), grads.bias()};
    int[][] want = {input, weight, bias};
    String[] names = {"grad input", "grad weight", "grad bias"};
    for (int i = 0; i < 3; i++) {
      if (got[i] == null || !Arrays.equals(got[i].shapeArray(), want[i])) {
        return names[i] + " shape " + (got[i] == null ? "missing" : Arrays.toString(got[i].shapeArray()))
            + ", expected " + Arrays.toString(want[i]);
      }
    }
    return null;
  }

  /** The running comparison: elements checked, the worst error so far, the first bad element. */
  private static final class Errors {
    private final long total;
    private long checked;
    private double worst;
    private String detail = "";

    Errors(long total) {
      this.total = total;
    }

    /**
     * Compares {@code got[offset + i]} with {@code ref[i]}; false (and the detail set) at the first bad one.
     * Each element's allowance is relative to its magnitude, with a floor of 1e-2 of the largest
     * magnitude compared here: elements near the border sum few terms that may nearly cancel.
     */
    boolean compare(String what, float[] got, double[] ref, double[] mag, int[] shape, int offset) {
      double maxMag = 0;
      for (double m : mag) {
        maxMag = Math.max(maxMag, m);
      }
      for (int i = 0; i < ref.length; i++) {
        double scale = mag[i] + 1e-2 * maxMag + Float.MIN_NORMAL;
        double err = Math.abs((double) got[offset + i] - ref[i]);
        double rel = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / scale;
        checked++;
        if (!(rel <= REL_TOL)) {
          worst = rel;
          detail = String.format(Locale.ROOT, "%s%s = %s, the reference gives %s (error %.3g, allowed %.3g)",
              what, Arrays.toString(index(offset + i, shape)), got[offset + i], (float) ref[i], err, REL_TOL * scale);
          return false;
        }
        worst = Math.max(worst, rel);
      }
      return true;
    }

    CheckResult result() {
      return new CheckResult(detail.isEmpty(), checked, total, worst, detail);
    }

    private static int[] index(int flat, int[] shape) {
      int[] idx = new int[shape.length];
      for (int dim = shape.length - 1; dim >= 0; dim--) {
        idx[dim] = flat % shape[dim];
        flat /= shape[dim];
      }
      return idx;
    }
  }
}
