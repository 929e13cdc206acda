package dev.jconv.bench;

import dev.jconv.internal.kernels.ConvAlgorithm;
import dev.jconv.internal.kernels.ConvParams;
import dev.jconv.internal.kernels.ConvReference;
import dev.jconv.internal.kernels.ConvSelector;
import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.shape.ConvShapes;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A rough, by-hand timing of the selected convolution algorithm against the reference on the
 * design's benchmark cases; not a unit test and not JMH (the bench module is for real figures).
 * The reference runs on a sample of the batch (one or a few images) and is scaled to the full batch.
 *
 * <pre>
 * mvn -q -pl jconv-core test-compile
 * java --add-modules jdk.incubator.vector -cp jconv-core/target/classes:jconv-core/target/test-classes \
 *     dev.jconv.bench.ConvSpeedCheck [case ...]
 * </pre>
 */
public final class ConvSpeedCheck {

  /** name, n, cin, h, w, cout, groups, k, stride, pad, dilation. */
  private static final Object[][] CASES = {
    {"seed", 4, 3, 12, 12, 64, 1, 3, 1, 0, 1},
    {"lenet1", 256, 1, 28, 28, 6, 1, 5, 1, 2, 1},
    {"lenet2", 256, 6, 14, 14, 16, 1, 5, 1, 0, 1},
    {"res3x3_56", 8, 64, 56, 56, 64, 1, 3, 1, 1, 1},
    {"res3x3_28", 8, 128, 28, 28, 128, 1, 3, 1, 1, 1},
    {"res3x3_14", 8, 256, 14, 14, 256, 1, 3, 1, 1, 1},
    {"res1x1_56", 8, 64, 56, 56, 256, 1, 1, 1, 0, 1},
    {"res_stem", 8, 3, 224, 224, 64, 1, 7, 2, 3, 1},
    {"res3x3_s2", 8, 128, 56, 56, 128, 1, 3, 2, 1, 1},
    {"dw3x3_112", 8, 32, 112, 112, 32, 32, 3, 1, 1, 1},
    {"dilated", 8, 64, 56, 56, 64, 1, 3, 1, 2, 2},
  };

  private ConvSpeedCheck() {}

  public static void main(String[] args) {
    System.out.printf("threads=%d  java=%s%n", Parallel.getNumThreads(), Runtime.version());
    System.out.printf("%-10s %-14s %10s %9s %12s %9s %8s%n", "case", "algorithm", "fast ms", "GFLOP/s",
        "ref ms (est)", "GFLOP/s", "speedup");
    for (Object[] c : CASES) {
      if (args.length > 0 && !Arrays.asList(args).contains((String) c[0])) {
        continue;
      }
      run(c);
    }
  }

  private static ConvParams params(Object[] c, int n) {
    int cin = (int) c[2];
    int h = (int) c[3];
    int w = (int) c[4];
    int cout = (int) c[5];
    int groups = (int) c[6];
    int k = (int) c[7];
    int s = (int) c[8];
    int p = (int) c[9];
    int d = (int) c[10];
    int oh = (int) ConvShapes.outputSize(h, p, p, k, s, d);
    int ow = (int) ConvShapes.outputSize(w, p, p, k, s, d);
    return new ConvParams(n, cin, h, w, cout, groups, k, k, s, s, p, p, p, p, d, d, oh, ow);
  }

  private static void run(Object[] c) {
    ConvParams full = params(c, (int) c[1]);
    SplittableRandom rnd = new SplittableRandom(1);
    float[] x = random(rnd, full.inputLength());
    float[] w = random(rnd, full.weightLength());
    float[] b = random(rnd, full.cout());
    float[] out = new float[full.outputLength()];
    ConvAlgorithm alg = ConvSelector.select(full);
    // Warm up for about a second, then take the median of at least 5 runs.
    long warmEnd = System.nanoTime() + 1_000_000_000L;
    do {
      alg.forward(full, x, w, b, out);
    } while (System.nanoTime() < warmEnd);
    double fast = median(() -> alg.forward(full, x, w, b, out), 5, 2e9);

    // The reference is single-threaded and slow: time a sample of the batch and scale.
    int sampleN = Math.max(1, Math.min(full.n(), (int) Math.ceil(2e8 / Math.max(1, full.flops() / full.n()))));
    ConvParams sample = params(c, sampleN);
    float[] sampleOut = new float[sample.outputLength()];
    ConvReference.forward(sample, x, w, b, sampleOut);
    double ref = median(() -> ConvReference.forward(sample, x, w, b, sampleOut), 3, 3e9) * full.n() / sampleN;

    // The fast output must agree with the reference on the sampled images.
    float[] fastSample = Arrays.copyOf(out, sample.outputLength());
    double maxErr = 0;
    double maxVal = 0;
    for (int i = 0; i < fastSample.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(fastSample[i] - sampleOut[i]));
      maxVal = Math.max(maxVal, Math.abs(sampleOut[i]));
    }
    double gflop = full.flops() / 1e9;
    System.out.printf("%-10s %-14s %10.3f %9.1f %12.1f %9.2f %7.0fx   (ref on N=%d, max |err| %.1e of %.1e)%n",
        c[0], alg, fast / 1e6, gflop / (fast / 1e9), ref / 1e6, gflop / (ref / 1e9), ref / fast, sampleN, maxErr, maxVal);
  }

  /** Median wall time in ns of at least {@code minRuns} runs, or as many as fit in {@code budgetNs}. */
  private static double median(Runnable r, int minRuns, double budgetNs) {
    double[] times = new double[1000];
    int runs = 0;
    long start = System.nanoTime();
    while (runs < times.length && (runs < minRuns || System.nanoTime() - start < budgetNs / 4)) {
      long t0 = System.nanoTime();
      r.run();
      times[runs++] = System.nanoTime() - t0;
      if (runs >= minRuns && System.nanoTime() - start > budgetNs) {
        break;
      }
    }
    double[] t = Arrays.copyOf(times, runs);
    Arrays.sort(t);
    return t[runs / 2];
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return v;
  }
}
