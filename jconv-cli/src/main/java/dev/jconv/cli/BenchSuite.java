package dev.jconv.cli;

import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.internal.Raw;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The benchmark suite of the design notes (conv and pooling cases, fixed names), run through the
 * public API as a user would, each result checked against sums computed here in double before
 * it is timed. {@code tools/bench/torch_bench.py} times the same cases in PyTorch.
 */
final class BenchSuite {

  /** One case: its name, kind, the work it does (flops or bytes), and how to run and check it. */
  record Case(String name, boolean conv, double work, Supplier<Runnable> setup) {}

  /** A timing: median milliseconds per call. */
  record Timing(String name, boolean conv, int threads, double medianMs, double work) {
    double rate() {
      return work / (medianMs * 1e6);
    }
  }

  private BenchSuite() {}

  // name -> N, Cin, H, W, Cout, k, stride, padding, dilation, groups (as in torch_bench.py)
  private static final Object[][] CONV = {
    {"seed", 4, 3, 12, 12, 64, 3, 1, 0, 1, 1},
    {"lenet1", 256, 1, 28, 28, 6, 5, 1, 2, 1, 1},
    {"lenet2", 256, 6, 14, 14, 16, 5, 1, 0, 1, 1},
    {"res3x3_56", 8, 64, 56, 56, 64, 3, 1, 1, 1, 1},
    {"res3x3_28", 8, 128, 28, 28, 128, 3, 1, 1, 1, 1},
    {"res3x3_14", 8, 256, 14, 14, 256, 3, 1, 1, 1, 1},
    {"res1x1_56", 8, 64, 56, 56, 256, 1, 1, 0, 1, 1},
    {"res_stem", 8, 3, 224, 224, 64, 7, 2, 3, 1, 1},
    {"res3x3_s2", 8, 128, 56, 56, 128, 3, 2, 1, 1, 1},
    {"dw3x3_112", 8, 32, 112, 112, 32, 3, 1, 1, 1, 32},
    {"dilated", 8, 64, 56, 56, 64, 3, 1, 2, 2, 1},
  };

  // name -> N, C, H, W, op, kernel, stride, padding
  private static final Object[][] POOL = {
    {"maxpool_3s2", 8, 64, 112, 112, "max", 3, 2, 1},
    {"maxpool_2", 256, 6, 28, 28, "max", 2, 2, 0},
    {"avgpool_2", 256, 6, 28, 28, "avg", 2, 2, 0},
    {"gap", 8, 2048, 7, 7, "gap", 0, 0, 0},
  };

  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (Object[] c : CONV) {
      names.add((String) c[0]);
    }
    for (Object[] c : POOL) {
      names.add((String) c[0]);
    }
    return names;
  }

  static Case get(String name) {
    for (Object[] c : CONV) {
      if (c[0].equals(name)) {
        return conv(c);
      }
    }
    for (Object[] c : POOL) {
      if (c[0].equals(name)) {
        return pool(c);
      }
    }
    throw new IllegalArgumentException("unknown benchmark case '" + name + "'; known: " + names());
  }

  private static int outSize(int in, int k, int s, int p, int d) {
    return (in + 2 * p - d * (k - 1) - 1) / s + 1;
  }

  private static Case conv(Object[] c) {
    String name = (String) c[0];
    int n = (int) c[1], cin = (int) c[2], h = (int) c[3], w = (int) c[4], cout = (int) c[5];
    int k = (int) c[6], s = (int) c[7], p = (int) c[8], d = (int) c[9], g = (int) c[10];
    int oh = outSize(h, k, s, p, d);
    int ow = outSize(w, k, s, p, d);
    double flops = 2.0 * n * cout * oh * ow * (cin / g) * k * k;
    return new Case(name, true, flops, () -> {
      Tensor x = Torch.rand(n, cin, h, w);
      Tensor weight = Torch.rand(cout, cin / g, k, k).sub(0.5);
      Tensor bias = Torch.rand(cout);
      Conv2dFuncOptions o = new Conv2dFuncOptions().bias(bias).stride(s).padding(p).dilation(d).groups(g);
      Tensor y = F.conv2d(x, weight, o);
      checkConv(name, Raw.floats(x), Raw.floats(weight), Raw.floats(bias), Raw.floats(y),
          n, cin, h, w, cout, k, s, p, d, g, oh, ow);
      return () -> F.conv2d(x, weight, o);
    });
  }

  private static Case pool(Object[] c) {
    String name = (String) c[0];
    int n = (int) c[1], ch = (int) c[2], h = (int) c[3], w = (int) c[4];
    String op = (String) c[5];
    int k = (int) c[6], s = (int) c[7], p = (int) c[8];
    int oh = op.equals("gap") ? 1 : outSize(h, k, s, p, 1);
    int ow = op.equals("gap") ? 1 : outSize(w, k, s, p, 1);
    double bytes = 4.0 * ((double) n * ch * h * w + (double) n * ch * oh * ow);
    return new Case(name, false, bytes, () -> {
      Tensor x = Torch.rand(n, ch, h, w);
      Supplier<Tensor> f = switch (op) {
        case "max" -> () -> F.maxPool2d(x, k, s, p);
        case "avg" -> () -> F.avgPool2d(x, k, s, p);
        default -> () -> F.adaptiveAvgPool2d(x, 1);
      };
      checkPool(name, op, Raw.floats(x), Raw.floats(f.get()), n * ch, h, w, k, s, p, oh, ow);
      return f::get;
    });
  }

  /** Compares 256 sampled outputs with double sums; a fast wrong answer must not be timed. */
  private static void checkConv(String name, float[] x, float[] wt, float[] b, float[] y, int n,
      int cin, int h, int w, int cout, int k, int s, int p, int d, int g, int oh, int ow) {
    SplittableRandom rnd = new SplittableRandom(name.hashCode());
    int cg = cin / g;
    int og = cout / g;
    for (int t = 0; t < 256; t++) {
      int img = rnd.nextInt(n), co = rnd.nextInt(cout), oy = rnd.nextInt(oh), ox = rnd.nextInt(ow);
      double sum = b[co];
      double abs = Math.abs(sum);
      int group = co / og;
      for (int ci = 0; ci < cg; ci++) {
        for (int ky = 0; ky < k; ky++) {
          int iy = oy * s - p + ky * d;
          if (iy < 0 || iy >= h) {
            continue;
          }
          for (int kx = 0; kx < k; kx++) {
            int ix = ox * s - p + kx * d;
            if (ix < 0 || ix >= w) {
              continue;
            }
            double v = (double) x[((img * cin + group * cg + ci) * h + iy) * w + ix]
                * wt[((co * cg + ci) * k + ky) * k + kx];
            sum += v;
            abs += Math.abs(v);
          }
        }
      }
      float got = y[((img * cout + co) * oh + oy) * ow + ox];
      // Winograd's error is about ten times a direct sum's: 2e-5 of the terms' magnitude covers it.
      if (!(Math.abs(got - sum) <= 2e-5 * abs + 1e-6)) {
        throw new IllegalStateException(name + ": output [" + img + ", " + co + ", " + oy + ", " + ox
            + "] is " + got + ", expected " + sum + "; not timing a wrong result");
      }
    }
  }

  private static void checkPool(String name, String op, float[] x, float[] y, int planes, int h,
      int w, int k, int s, int p, int oh, int ow) {
    SplittableRandom rnd = new SplittableRandom(name.hashCode());
    for (int t = 0; t < 256; t++) {
      int pl = rnd.nextInt(planes), oy = rnd.nextInt(oh), ox = rnd.nextInt(ow);
      double want;
      if (op.equals("gap")) {
        double sum = 0;
        for (int i = 0; i < h * w; i++) {
          sum += x[pl * h * w + i];
        }
        want = sum / (h * w);
      } else {
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int y0 = oy * s - p, x0 = ox * s - p;
        for (int iy = y0; iy < y0 + k; iy++) {
          for (int ix = x0; ix < x0 + k; ix++) {
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
              double v = x[(pl * h + iy) * w + ix];
              max = Math.max(max, v);
              sum += v;
            }
          }
        }
        // avg_pool2d's default count_include_pad=True divides by the window clipped to the padding.
        int wy = Math.min(y0 + k, h + p) - Math.max(y0, -p);
        int wx = Math.min(x0 + k, w + p) - Math.max(x0, -p);
        want = op.equals("max") ? max : sum / (wy * wx);
      }
      float got = y[(pl * oh + oy) * ow + ox];
      if (!(Math.abs(got - want) <= 1e-5 * Math.max(1, Math.abs(want)))) {
        throw new IllegalStateException(name + ": output " + pl + "/" + oy + "/" + ox + " is " + got
            + ", expected " + want + "; not timing a wrong result");
      }
    }
  }

  /**
   * Median time per call: calls are batched so that one sample lasts at least {@code minSampleMs}
   * (the same method as torch_bench.py), after {@code warmupMs} of warm-up for the JIT.
   */
  static double time(Runnable call, double warmupMs, double minSampleMs, int samples) {
    call.run();
    long t0 = System.nanoTime();
    call.run();
    double once = Math.max(1e-4, (System.nanoTime() - t0) / 1e6);
    int reps = (int) Math.max(1, minSampleMs / once);
    long warmEnd = System.nanoTime() + (long) (warmupMs * 1e6);
    while (System.nanoTime() < warmEnd) {
      call.run();
    }
    double[] ms = new double[samples];
    for (int i = 0; i < samples; i++) {
      long s0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        call.run();
      }
      ms[i] = (System.nanoTime() - s0) / 1e6 / reps;
    }
    java.util.Arrays.sort(ms);
    return ms[samples / 2];
  }
}
