package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * By-hand timing of the convolution backward on the design's benchmark cases (not a unit test; run it
 * alone, and tools/bench/conv_backward_torch.py for PyTorch's side, in the same conditions):
 *
 * <pre>
 * mvn -q -pl jconv-core test-compile
 * java --add-modules jdk.incubator.vector -cp jconv-core/target/classes:jconv-core/target/test-classes \
 *     dev.jconv.internal.kernels.ConvBackwardSpeedMain [case ...]
 * </pre>
 *
 * Prints the median (and the best) of 15 runs, after a second of warm-up, for the weight and bias
 * gradients and for the input gradient, each on its own, in GFLOP/s of the forward count, with 2
 * threads.
 */
public final class ConvBackwardSpeedMain {
  private ConvBackwardSpeedMain() {}

  private static ConvParams params(int n, int cin, int h, int w, int cout, int k, int s, int p, int d, int g) {
    int oh = (h + 2 * p - d * (k - 1) - 1) / s + 1;
    int ow = (w + 2 * p - d * (k - 1) - 1) / s + 1;
    return new ConvParams(n, cin, h, w, cout, g, k, k, s, s, p, p, p, p, d, d, oh, ow);
  }

  public static void main(String[] args) {
    Map<String, ConvParams> cases = new LinkedHashMap<>();
    cases.put("seed", params(4, 3, 12, 12, 64, 3, 1, 0, 1, 1));
    cases.put("lenet1", params(256, 1, 28, 28, 6, 5, 1, 2, 1, 1));
    cases.put("lenet2", params(256, 6, 14, 14, 16, 5, 1, 0, 1, 1));
    cases.put("res3x3_56", params(8, 64, 56, 56, 64, 3, 1, 1, 1, 1));
    cases.put("res3x3_28", params(8, 128, 28, 28, 128, 3, 1, 1, 1, 1));
    cases.put("res1x1_56", params(8, 64, 56, 56, 256, 1, 1, 0, 1, 1));
    cases.put("dw3x3_112", params(8, 32, 112, 112, 32, 3, 1, 1, 1, 32));
    cases.put("dilated", params(8, 64, 56, 56, 64, 3, 1, 2, 2, 1));
    Parallel.setNumThreads(2);
    Random r = new Random(1);
    for (String name : args.length > 0 ? args : cases.keySet().toArray(new String[0])) {
      ConvParams p = cases.get(name);
      float[] x = new float[p.inputLength()];
      float[] w = new float[p.weightLength()];
      float[] g = new float[p.outputLength()];
      for (float[] a : new float[][] {x, w, g}) {
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) r.nextGaussian();
        }
      }
      float[] gx = new float[x.length];
      float[] gw = new float[w.length];
      float[] gb = new float[p.cout()];
      // Warm up for about a second (the JIT compiles the kernels of every form), then the median of 15.
      long warmEnd = System.nanoTime() + 1_000_000_000L;
      while (System.nanoTime() < warmEnd) {
        ConvBackward.backward(p, x, w, g, null, gw, gb);
        ConvBackward.backward(p, x, w, g, gx, null, null);
      }
      double[] tws = new double[15];
      double[] txs = new double[15];
      for (int rep = 0; rep < 15; rep++) {
        long t0 = System.nanoTime();
        ConvBackward.backward(p, x, w, g, null, gw, gb);
        long t1 = System.nanoTime();
        ConvBackward.backward(p, x, w, g, gx, null, null);
        long t2 = System.nanoTime();
        tws[rep] = (t1 - t0) / 1e9;
        txs[rep] = (t2 - t1) / 1e9;
      }
      java.util.Arrays.sort(tws);
      java.util.Arrays.sort(txs);
      double tw = tws[7];
      double tx = txs[7];
      // tools/bench/conv_backward_torch.py reports PyTorch's best run: the best is printed too.
      System.out.printf("%-10s grad weight+bias best %7.2f ms   grad input best %7.2f ms%n", name, tws[0] * 1e3,
          txs[0] * 1e3);
      System.out.printf("%-10s grad weight+bias %8.2f ms %6.1f GFLOP/s   grad input %8.2f ms %6.1f GFLOP/s%n", name,
          tw * 1e3, p.flops() / tw / 1e9, tx * 1e3, p.flops() / tx / 1e9);
    }
  }
}
